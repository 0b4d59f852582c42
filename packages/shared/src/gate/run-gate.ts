import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { formatDuration, timerDelay } from '../duration';
import type { Evidence } from './assess';
import { type CheckConfig, type GateConfig, isSecretHeader } from './config';
import {
  formatHeaderExpectation,
  formatJsonExpectation,
  formatStatusRanges,
  formatTextMatcher,
  formatVersionSource,
} from './expectations';
import { createHttpClient } from './http-client';
import { abortableSleep, type GateDeps } from './probe';
import { awaitReady } from './readiness';
import { percentile } from './stats';
import { type Verdict, type VerificationResult, verify } from './verification';

export interface CheckResult {
  name: string;
  url: string;
  method: string;
  result: Verdict;
  /** Why, in one line. */
  reason: string;
  /** What a passing answer looks like, in words (for annotations). */
  expected: string;
  readiness: {
    ready: boolean;
    broken: boolean;
    attempts: number;
    statusCounts: Record<string, number>;
    timeToReadyMs?: number;
  };
  verification?: Omit<VerificationResult, 'latencies' | 'firstFailure' | 'verdict' | 'reason'>;
  /** The first answer that did not pass (in verification, or the last one of a readiness that never passed). */
  firstFailure?: { phase: 'readiness' | 'verification'; reasons: string[]; evidence: Evidence };
}

export interface GateResult {
  result: Verdict;
  checks: CheckResult[];
  /** Passing samples over valid samples, all checks together. */
  successRate?: number;
  /** p95 latency over every valid verification sample of every check. */
  p95Ms?: number;
  durationMs: number;
}

/** The real world: undici for HTTP, performance.now for time. The caller closes `client` when done. */
export function defaultGateDeps(config: GateConfig, log: (message: string) => void = () => {}): GateDeps {
  return {
    client: createHttpClient(config.tls, isSecretHeader),
    now: () => performance.now(),
    sleep: abortableSleep,
    random: Math.random,
    log,
  };
}

/**
 * Runs every check (in parallel): readiness, then verification, all within `deadline`. Never throws for what
 * the service answered; the result says what happened, with secrets masked.
 */
export async function runGate(config: GateConfig, gateDeps: GateDeps): Promise<GateResult> {
  const deps = { ...gateDeps, log: (line: string) => gateDeps.log(maskText(line, config.secrets)) };
  const started = deps.now();
  const controller = new AbortController();
  // Every request in flight and every waiting worker listens for the deadline: expected, not a leak.
  setMaxListeners(2 * config.checks.length * config.concurrency + 10, controller.signal);
  const timer = setTimeout(() => controller.abort(), timerDelay(config.deadlineMs));
  try {
    const checks = await Promise.all(
      config.checks.map((check) => runCheck(check, config, deps, controller.signal)),
    );
    const latencies = checks.flatMap((c) => c.latencies).sort((a, b) => a - b);
    const passes = checks.reduce((n, c) => n + (c.result.verification?.passes ?? 0), 0);
    const valid = checks.reduce((n, c) => n + (c.result.verification?.valid ?? 0), 0);
    const results = checks.map((c) => c.result);
    const result: GateResult = {
      result: results.some((c) => c.result === 'failed')
        ? 'failed'
        : results.some((c) => c.result === 'inconclusive')
          ? 'inconclusive'
          : 'passed',
      checks: results,
      successRate: valid ? passes / valid : undefined,
      p95Ms: latencies.length ? Math.round(percentile(latencies, 95) * 10) / 10 : undefined,
      durationMs: Math.round(deps.now() - started),
    };
    return maskResult(result, config.secrets);
  } finally {
    clearTimeout(timer);
  }
}

async function runCheck(
  check: CheckConfig,
  config: GateConfig,
  deps: GateDeps,
  signal: AbortSignal,
): Promise<{ result: CheckResult; latencies: number[] }> {
  const base = {
    name: check.name,
    url: check.url.href,
    method: check.method,
    expected: describeExpected(check),
  };
  const ready = await awaitReady(check, config, deps, signal);
  const { last, ...readiness } = ready;
  if (!ready.ready) {
    const why = last?.reasons.join('; ') ?? 'no answer';
    const reason = ready.broken
      ? `broken: ${why}`
      : signal.aborted
        ? `not ready before the deadline (${formatDuration(config.deadlineMs)}): ${why}`
        : `not ready within ready-timeout ${formatDuration(config.readyTimeoutMs)} (${ready.attempts} attempts): ${why}`;
    deps.log(`${check.name}: ${reason}`);
    const firstFailure = last && {
      phase: 'readiness' as const,
      reasons: last.reasons,
      evidence: last.evidence,
    };
    return { result: { ...base, result: 'failed', reason, readiness, firstFailure }, latencies: [] };
  }
  deps.log(
    `${check.name}: ready after ${ready.attempts} attempt(s) in ${formatDuration(ready.timeToReadyMs ?? 0)}; verifying with ${config.samples} samples`,
  );
  const { latencies, firstFailure, verdict, reason, ...verification } = await verify(
    check,
    config,
    deps,
    signal,
  );
  deps.log(`${check.name}: ${verdict}: ${reason}`);
  return {
    result: {
      ...base,
      result: verdict,
      reason,
      readiness,
      verification,
      firstFailure: firstFailure && { phase: 'verification', ...firstFailure },
    },
    latencies,
  };
}

export function describeExpected(check: CheckConfig): string {
  const parts = [`status ${formatStatusRanges(check.expectStatus)}`];
  for (const h of check.expectHeaders) parts.push(formatHeaderExpectation(h));
  if (check.expectBody) {
    parts.push(
      `body ${check.expectBody.kind === 'regex' ? 'matching' : 'containing'} ${formatTextMatcher(check.expectBody)}`,
    );
  }
  for (const j of check.expectJson) parts.push(`JSON ${formatJsonExpectation(j)}`);
  if (check.expectVersion)
    parts.push(`version ${check.expectVersion} in ${formatVersionSource(check.versionSource)}`);
  if (check.maxLatencyMs !== undefined) parts.push(`latency at most ${check.maxLatencyMs}ms`);
  return parts.join(', ');
}

/** Secrets out of everything the result holds (a server may echo a header back); cookies never shown. */
function maskResult(result: GateResult, secrets: readonly string[]): GateResult {
  const text = JSON.stringify(result, (key, value) => (key === 'set-cookie' ? '(not shown)' : value));
  return JSON.parse(maskText(text, secrets)) as GateResult;
}

/** Each secret as it is and as it appears inside a JSON string, longest first. */
function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)]))
      out = out.split(form).join('***');
  }
  return out;
}
