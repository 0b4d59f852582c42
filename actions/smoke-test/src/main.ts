import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import {
  type AnalysisConfig,
  type AnalysisResult,
  analyseRelease,
  analysisSummaryMarkdown,
  appendSummary,
  defaultGateDeps,
  formatDuration,
  type GateConfig,
  type GateDeps,
  type GateResult,
  joinVerdicts,
  logGroup,
  maskSecrets,
  pct,
  runGate,
  summaryMarkdown,
  UserError,
} from '@slipway/shared';
import { getInputs, type Inputs } from './inputs';
import { annotationText, writeReport } from './report';

export interface Deps {
  gate: (config: GateConfig, log: (message: string) => void) => GateDeps;
  /** Runs the metric analysis (the real providers by default). */
  analyse: (config: AnalysisConfig, log: (message: string) => void) => Promise<AnalysisResult>;
  /** Where the JSON report goes (the runner's temp folder). */
  reportDir: string;
}

export const defaultDeps = (): Deps => ({
  gate: defaultGateDeps,
  analyse: (config, log) => analyseRelease(config, { log }),
  reportDir: process.env.RUNNER_TEMP || tmpdir(),
});

export async function run(inputs: Inputs = getInputs(), deps: Deps = defaultDeps()): Promise<void> {
  const { gate: config } = inputs;
  if (config.tls.insecure) {
    core.warning(
      'TLS certificate verification is OFF (insecure: true): any server can answer for these URLs. Give the CA with "ca" instead.',
    );
  }
  const gateDeps = deps.gate(config, (message) => core.info(maskSecrets(message)));
  const result = await logGroup(`smoke-test: ${config.checks.length} check(s)`, async () => {
    try {
      return await runGate(config, gateDeps);
    } finally {
      await gateDeps.client.close();
    }
  });
  const analysis = await bake(inputs.analysis, result.result, deps);
  const verdict = joinVerdicts(result.result, analysis?.result);
  const report = writeReport(deps.reportDir, config, result, analysis);
  core.setOutput('result', verdict);
  core.setOutput('analysis-result', analysis?.result ?? '');
  core.setOutput('report', report);
  core.setOutput(
    'success-rate',
    result.successRate === undefined ? '' : String(Math.round(result.successRate * 10_000) / 10_000),
  );
  core.setOutput('p95-ms', result.p95Ms === undefined ? '' : String(result.p95Ms));
  await appendSummary(summaryMarkdown(result) + (analysis ? `\n${analysisSummaryMarkdown(analysis)}` : ''));
  for (const check of result.checks) {
    if (check.result === 'failed')
      core.error(maskSecrets(annotationText(check)), { title: `smoke-test: ${check.name}` });
    if (check.result === 'inconclusive')
      core.warning(maskSecrets(annotationText(check)), { title: `smoke-test: ${check.name}` });
  }
  for (const metric of analysis?.metrics ?? []) {
    if (metric.result !== 'passed') {
      const text = `${metric.name} ${metric.result}: ${metric.reason}.\nQuery: ${metric.query}`;
      if (metric.result === 'failed')
        core.error(maskSecrets(text), { title: `smoke-test analysis: ${metric.name}` });
      else core.warning(maskSecrets(text), { title: `smoke-test analysis: ${metric.name}` });
    }
  }
  const failed = [
    ...result.checks.filter((c) => c.result !== 'passed').map((c) => c.name),
    ...(analysis?.metrics ?? []).filter((m) => m.result !== 'passed').map((m) => `analysis ${m.name}`),
  ];
  if (verdict === 'failed') {
    throw new UserError(`Smoke test failed: ${failed.join(', ')} (details above and in ${report}).`);
  }
  if (verdict === 'inconclusive') {
    const why =
      analysis?.result === 'inconclusive'
        ? 'the metrics gave no (or too little) data'
        : 'not enough samples before the deadline';
    const message = `Smoke test inconclusive: ${why} for ${failed.join(', ')}.`;
    if (inputs.failOnInconclusive)
      throw new UserError(
        `${message} ${analysis?.result === 'inconclusive' ? 'Check the queries match the new version (analysis-vars), or raise inconclusive-limit' : 'Raise "deadline" or lower "samples"'}, or set fail-on-inconclusive: false.`,
      );
    core.warning(message);
    return;
  }
  if (analysis) core.info(`Analysis passed: ${analysis.reason}.`);
  const rate = result.successRate === undefined ? '' : `, success rate ${pct(result.successRate)}`;
  core.info(`Smoke test passed: ${result.checks.length} check(s)${rate}, p95 ${result.p95Ms ?? '–'}ms.`);
}

/** The bake: the metric analysis, once the checks did not fail (a failed check already decides the step). */
async function bake(
  config: AnalysisConfig | undefined,
  checks: GateResult['result'],
  deps: Deps,
): Promise<AnalysisResult | undefined> {
  if (!config) return undefined;
  if (checks === 'failed') {
    core.info('Analysis skipped: the checks failed.');
    return undefined;
  }
  const what = config.bakeMs === undefined ? '' : ` over a ${formatDuration(config.bakeMs)} bake`;
  return logGroup(`smoke-test: analysis of ${config.metrics.length} metric(s)${what}`, () =>
    deps.analyse(config, (message) => core.info(maskSecrets(message))),
  );
}
