import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import {
  appendSummary,
  defaultGateDeps,
  type GateConfig,
  type GateDeps,
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
  /** Where the JSON report goes (the runner's temp folder). */
  reportDir: string;
}

export const defaultDeps = (): Deps => ({
  gate: defaultGateDeps,
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
  const report = writeReport(deps.reportDir, config, result);
  core.setOutput('result', result.result);
  core.setOutput('report', report);
  core.setOutput(
    'success-rate',
    result.successRate === undefined ? '' : String(Math.round(result.successRate * 10_000) / 10_000),
  );
  core.setOutput('p95-ms', result.p95Ms === undefined ? '' : String(result.p95Ms));
  await appendSummary(summaryMarkdown(result));
  for (const check of result.checks) {
    if (check.result === 'failed')
      core.error(maskSecrets(annotationText(check)), { title: `smoke-test: ${check.name}` });
    if (check.result === 'inconclusive')
      core.warning(maskSecrets(annotationText(check)), { title: `smoke-test: ${check.name}` });
  }
  const failed = result.checks.filter((c) => c.result !== 'passed').map((c) => c.name);
  if (result.result === 'failed') {
    throw new UserError(`Smoke test failed: ${failed.join(', ')} (details above and in ${report}).`);
  }
  if (result.result === 'inconclusive') {
    const message = `Smoke test inconclusive: not enough samples before the deadline for ${failed.join(', ')}.`;
    if (inputs.failOnInconclusive)
      throw new UserError(
        `${message} Raise "deadline" or lower "samples", or set fail-on-inconclusive: false.`,
      );
    core.warning(message);
    return;
  }
  const rate = result.successRate === undefined ? '' : `, success rate ${pct(result.successRate)}`;
  core.info(`Smoke test passed: ${result.checks.length} check(s)${rate}, p95 ${result.p95Ms ?? '–'}ms.`);
}
