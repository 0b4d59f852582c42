import type { Evidence } from './assess';
import type { CheckConfig, GateConfig } from './config';
import { type GateDeps, probe, sampleKey } from './probe';
import { type LatencySummary, percentile, StatusCounter, summarizeLatencies } from './stats';

/** A flapping service with thousands of samples should not flood the log; the report has the counts. */
const LOGGED_FAILURES = 10;

export type Verdict = 'passed' | 'failed' | 'inconclusive';

export interface VerificationResult {
  verdict: Verdict;
  /** Why, in one line: the threshold missed, the limit exceeded, or what was taken. */
  reason: string;
  /** Requests sent; `valid` of them got a response (`passes` + `failures`), `errors` did not. */
  requests: number;
  valid: number;
  passes: number;
  failures: number;
  errors: number;
  successRate?: number;
  statusCounts: Record<string, number>;
  latency?: LatencySummary;
  /** Latencies of the valid samples, for percentiles over several checks. */
  latencies: number[];
  firstFailure?: { reasons: string[]; evidence: Evidence };
}

/**
 * Phase 2: `concurrency` workers take samples until `samples` valid ones are in (network errors do not count
 * as samples but against `error-limit`), each worker starting a request every `interval`. It stops early when
 * a limit is exceeded, when `min-success-rate` can no longer be reached, or after `consecutive-successes`.
 */
export async function verify(
  check: CheckConfig,
  config: GateConfig,
  deps: GateDeps,
  signal: AbortSignal,
): Promise<VerificationResult> {
  const counter = new StatusCounter();
  const latencies: number[] = [];
  const state = { requests: 0, inFlight: 0, passes: 0, failures: 0, errors: 0, streak: 0 };
  let firstFailure: VerificationResult['firstFailure'];
  let stop: { verdict: Verdict; reason: string } | undefined;
  const valid = () => state.passes + state.failures;
  const enough = () => valid() + state.inFlight >= config.samples;

  const judgeEarly = () => {
    if (config.failureLimit !== undefined && state.failures > config.failureLimit) {
      return `${state.failures} samples failed their assertions (failure-limit ${config.failureLimit})`;
    }
    if (state.errors > config.errorLimit)
      return `${state.errors} requests got no response (error-limit ${config.errorLimit})`;
    const best = (state.passes + (config.samples - valid())) / config.samples;
    if (best < config.minSuccessRate) {
      return `${state.failures} of ${valid()} samples failed: the success rate can no longer reach ${pct(config.minSuccessRate)}`;
    }
    if (config.consecutiveSuccesses > 0 && state.streak >= config.consecutiveSuccesses) return 'enough';
    return undefined;
  };

  const worker = async () => {
    let nextStart = deps.now();
    while (!stop && !signal.aborted && !enough()) {
      await deps.sleep(nextStart - deps.now(), signal);
      if (stop || signal.aborted || enough()) return;
      nextStart = deps.now() + config.intervalMs;
      state.inFlight++;
      state.requests++;
      const sample = await probe(check, config, deps, signal);
      state.inFlight--;
      if (stop || (signal.aborted && sample.outcome === 'error')) return;
      counter.add(sampleKey(sample));
      if (sample.outcome === 'error') state.errors++;
      else latencies.push(sample.latencyMs);
      if (sample.outcome === 'pass') {
        state.passes++;
        state.streak++;
      } else {
        if (sample.outcome === 'fail') state.failures++;
        state.streak = 0;
        firstFailure ??= { reasons: sample.reasons, evidence: sample.evidence };
        const bad = state.failures + state.errors;
        if (bad <= LOGGED_FAILURES) {
          const what = sample.outcome === 'fail' ? 'failed' : 'got no response';
          deps.log(`${check.name}: sample ${state.requests} ${what}: ${sample.reasons.join('; ')}`);
          if (bad === LOGGED_FAILURES)
            deps.log(`${check.name}: further failing samples are counted, not logged`);
        }
      }
      const early = judgeEarly();
      if (early === 'enough') stop = { verdict: 'passed', reason: `${state.streak} consecutive successes` };
      else if (early) stop = { verdict: 'failed', reason: early };
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, config.samples) }, worker));

  const successRate = valid() ? state.passes / valid() : undefined;
  const sorted = [...latencies].sort((a, b) => a - b);
  let verdict =
    stop?.verdict === 'failed' ? stop : judge(config, state.passes, valid(), sorted, stop?.reason);
  if (!stop && verdict.verdict === 'passed' && valid() < config.samples) {
    verdict = {
      verdict: 'inconclusive',
      reason: `only ${valid()} of ${config.samples} samples before the deadline`,
    };
  }
  return {
    ...verdict,
    ...state,
    valid: valid(),
    successRate,
    statusCounts: counter.counts,
    latency: summarizeLatencies(latencies),
    latencies,
    firstFailure,
  };
}

/** The thresholds over the samples taken. */
function judge(
  config: GateConfig,
  passes: number,
  valid: number,
  sorted: number[],
  why?: string,
): { verdict: Verdict; reason: string } {
  if (!valid) return { verdict: 'inconclusive', reason: 'no sample got a response before the deadline' };
  const missed: string[] = [];
  const rate = passes / valid;
  if (rate < config.minSuccessRate)
    missed.push(`success rate ${pct(rate)} below ${pct(config.minSuccessRate)}`);
  const p95 = percentile(sorted, 95);
  const p99 = percentile(sorted, 99);
  if (config.maxP95Ms !== undefined && p95 > config.maxP95Ms)
    missed.push(`p95 ${Math.round(p95)}ms above max-p95 ${config.maxP95Ms}ms`);
  if (config.maxP99Ms !== undefined && p99 > config.maxP99Ms)
    missed.push(`p99 ${Math.round(p99)}ms above max-p99 ${config.maxP99Ms}ms`);
  if (missed.length) return { verdict: 'failed', reason: missed.join('; ') };
  return { verdict: 'passed', reason: `${passes} of ${valid} samples passed${why ? ` (${why})` : ''}` };
}

export function pct(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
