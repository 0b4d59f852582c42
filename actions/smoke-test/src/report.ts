import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AnalysisResult,
  type CheckResult,
  type GateConfig,
  type GateResult,
  joinVerdicts,
  maskedExcerpt,
  maskSecrets,
} from '@slipway/shared';

/** The JSON report: settings, and per check the counts, latencies and the first failure. Masked. */
export function writeReport(
  dir: string,
  config: GateConfig,
  result: GateResult,
  analysis?: AnalysisResult,
): string {
  const path = join(dir, `smoke-test-report-${randomUUID().slice(0, 8)}.json`);
  const settings = {
    samples: config.samples,
    intervalMs: config.intervalMs,
    concurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    readyTimeoutMs: config.readyTimeoutMs,
    deadlineMs: config.deadlineMs,
    failureLimit: config.failureLimit ?? null,
    errorLimit: config.errorLimit,
    minSuccessRate: config.minSuccessRate,
    maxP95Ms: config.maxP95Ms ?? null,
    maxP99Ms: config.maxP99Ms ?? null,
    consecutiveSuccesses: config.consecutiveSuccesses,
    tls: { customCa: Boolean(config.tls.ca), insecure: config.tls.insecure },
  };
  // `result` is the step's verdict (checks and analysis); each part keeps its own.
  const report = {
    ...result,
    result: joinVerdicts(result.result, analysis?.result),
    checksResult: result.result,
    settings,
    analysis: analysis ?? null,
  };
  writeFileSync(path, maskSecrets(`${JSON.stringify(report, null, 2)}\n`));
  return path;
}

/** One annotation per failing check: what was expected and what came back. */
export function annotationText(c: CheckResult): string {
  const failure = c.firstFailure;
  const reasons = failure?.reasons.join('; ') ?? c.reason;
  // The status leads unless a reason already names it ("status 500 (expected 200-299)").
  const status = failure?.evidence.status;
  const got =
    status !== undefined && !reasons.startsWith('status ') ? `status ${status}: ${reasons}` : reasons;
  const text = failure?.evidence.excerpt?.replace(/\s+/g, ' ');
  const excerpt = text === undefined ? undefined : maskedExcerpt(text, 200);
  return `${c.name} ${c.result}: ${c.reason}.\nExpected ${c.expected}.\nGot ${got}${excerpt ? `; body: ${excerpt}` : ''}`;
}
