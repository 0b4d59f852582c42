import { formatDuration } from '../duration';
import { details, escapeHtml, markdownTable } from '../summary';
import type { CheckResult, GateResult } from './run-gate';

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
