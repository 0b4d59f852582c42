import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { details, escapeHtml, formatDuration, markdownTable, maskSecrets } from '@slipway/shared';
import type { CheckResult, GateConfig, GateResult } from './gate';

/** The JSON report: settings, and per check the counts, latencies and the first failure. Masked. */
export function writeReport(dir: string, config: GateConfig, result: GateResult): string {
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
  writeFileSync(path, maskSecrets(`${JSON.stringify({ ...result, settings }, null, 2)}\n`));
  return path;
}

const ms = (n: number | undefined) => (n === undefined ? '–' : `${Math.round(n)}ms`);
const ICON: Record<string, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  inconclusive: '⚠️ inconclusive',
};

/** The job summary: one row per check, then per check its status counts and first failure. */
export function summaryMarkdown(result: GateResult): string {
  const rows = result.checks.map((c) => {
    const v = c.verification;
    return [
      c.name,
      ICON[c.result],
      v ? `${v.passes}/${v.valid}` : '–',
      v ? String(v.errors) : '–',
      ms(v?.latency?.p50),
      ms(v?.latency?.p95),
      ms(v?.latency?.p99),
      ms(v?.latency?.max),
      c.reason,
    ];
  });
  const sections = result.checks.map((c) => details(`${c.name}: ${c.result}`, checkDetails(c)));
  return [
    `### Smoke test: ${ICON[result.result]} in ${formatDuration(result.durationMs)}`,
    '',
    markdownTable(['check', 'result', 'passed', 'no response', 'p50', 'p95', 'p99', 'max', 'why'], rows),
    '',
    ...sections,
    '',
  ].join('\n');
}

function checkDetails(c: CheckResult): string {
  const counts = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${k}×${n}`)
      .join(', ') || '–';
  const lines = [
    `- ${c.method} ${c.url}`,
    `- expected: ${c.expected}`,
    `- readiness: ${c.readiness.ready ? `ready after ${c.readiness.attempts} attempt(s) in ${formatDuration(c.readiness.timeToReadyMs ?? 0)}` : 'never ready'} (${counts(c.readiness.statusCounts)})`,
  ];
  if (c.verification)
    lines.push(
      `- verification: ${c.verification.requests} requests (${counts(c.verification.statusCounts)})`,
    );
  if (c.firstFailure) {
    const e = c.firstFailure.evidence;
    lines.push(`- first failure (${c.firstFailure.phase}): ${c.firstFailure.reasons.join('; ')}`);
    if (e.excerpt) lines.push('', `<pre>${escapeHtml(e.excerpt)}</pre>`);
  }
  return lines.join('\n');
}

/** One annotation per failing check: what was expected and what came back. */
export function annotationText(c: CheckResult): string {
  const failure = c.firstFailure;
  const reasons = failure?.reasons.join('; ') ?? c.reason;
  // The status leads unless a reason already names it ("status 500 (expected 200-299)").
  const status = failure?.evidence.status;
  const got =
    status !== undefined && !reasons.startsWith('status ') ? `status ${status}: ${reasons}` : reasons;
  const excerpt = failure?.evidence.excerpt?.replace(/\s+/g, ' ').slice(0, 200);
  return `${c.name} ${c.result}: ${c.reason}.\nExpected ${c.expected}.\nGot ${got}${excerpt ? `; body: ${excerpt}` : ''}`;
}
