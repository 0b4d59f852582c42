import { setMaxListeners } from 'node:events';
import { formatDuration } from '../duration';
import type { GateConfig } from './config';
import { type GateDeps, probe } from './probe';
import { defaultGateDeps } from './run-gate';
import { percentile } from './stats';
import { pct, type Verdict } from './verification';

/** One canary step, as the analysis hooks see it. Shares are in percent. */
export interface CanaryStep {
  /** 1-based, of `of`. */
  number: number;
  of: number;
  declared: number;
  effective: number;
  /** How long the step bakes (canary-interval): the judgement covers all of it unless it fails first. */
  durationMs: number;
  /** Where, for messages: `h1: web`. */
  what: string;
}

/** What the entry point's judge saw of one step. */
export interface CanaryObservation {
  /** Answers carrying the new version, answers of the old one, and the rest (no version, no answer at all). */
  newAnswers: number;
  oldAnswers: number;
  unattributed: number;
  /** The new version's share of the attributed answers, in percent (one decimal). */
  observedShare?: number;
  /** Passing answers of the new version over its answers plus the unattributed ones. */
  successRate?: number;
  p95Ms?: number;
  p99Ms?: number;
}

export interface StepJudgement {
  verdict: Verdict;
  /** Why, in one line. */
  reason: string;
  observed?: CanaryObservation;
}

/**
 * The analysis hook of a canary step: judges the new version for the step's whole duration (or until it has
 * failed), and returns as soon as `signal` aborts (another hook failed). Other gates (the metrics analysis of
 * ./analysis, alarms) join the entry point's judge through `joinCanaryAnalyses`.
 */
export type CanaryAnalysis = (step: CanaryStep, signal: AbortSignal) => Promise<StepJudgement>;

/** Several hooks as one: run together; the first to fail stops the others; failed wins, then inconclusive. */
export function joinCanaryAnalyses(...hooks: CanaryAnalysis[]): CanaryAnalysis {
  if (hooks.length === 1) return hooks[0];
  return async (step, signal) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      const judgements = await Promise.all(
        hooks.map(async (hook) => {
          const judgement = await hook(step, controller.signal);
          if (judgement.verdict === 'failed') controller.abort();
          return judgement;
        }),
      );
      const verdict: Verdict = judgements.some((j) => j.verdict === 'failed')
        ? 'failed'
        : judgements.some((j) => j.verdict === 'inconclusive')
          ? 'inconclusive'
          : 'passed';
      const told = judgements.filter((j) => verdict === 'passed' || j.verdict === verdict);
      return {
        verdict,
        reason: told.map((j) => j.reason).join('; '),
        observed: judgements.find((j) => j.observed)?.observed,
      };
    } finally {
      signal.removeEventListener('abort', stop);
    }
  };
}

export interface EntryJudgeOptions {
  log: (message: string) => void;
  /** The gate's world (a fake in tests); default the real one, closed after each step. */
  deps?: () => GateDeps;
  /** Each worker sends a request every this often (default 100 ms), `workers` at once (default 2): 20/s. */
  intervalMs?: number;
  workers?: number;
  /** Fewer answers of the new version than this in a step is inconclusive (default 5). */
  minAnswers?: number;
}

/** Failing answers logged per step; the rest are counted. */
const LOGGED = 5;

/**
 * The entry point's judge of a canary step: requests through `public-url` (each check in turn) for the whole
 * step, each answer attributed by its version (`expect-version` in `version-field`): answers of the new version
 * are judged by the gate's assertions, `min-success-rate`, `max-p95` and `max-p99`; answers of the old version
 * only count towards the observed share; an answer that cannot be attributed (an error status without the new
 * version, no answer at all) counts against the canary. The step fails at the first failure past the error
 * budget that min-success-rate leaves over the answers the canary is expected to give (none at 100%), without
 * waiting for the rest of the interval.
 */
export function entryCanaryJudge(config: GateConfig, options: EntryJudgeOptions): CanaryAnalysis {
  const intervalMs = options.intervalMs ?? 100;
  const workers = options.workers ?? 2;
  const minAnswers = options.minAnswers ?? 5;
  return async (step, signal) => {
    const deps = options.deps?.() ?? defaultGateDeps(config, options.log);
    const controller = new AbortController();
    setMaxListeners(workers * 4 + 10, controller.signal);
    const stop = () => controller.abort();
    signal.addEventListener('abort', stop, { once: true });
    const planned = Math.max(1, Math.floor(step.durationMs / intervalMs)) * workers;
    const expected = Math.max(minAnswers, (planned * step.effective) / 100);
    const budget = Math.floor((1 - config.minSuccessRate) * expected + 1e-9);
    const seen = { new: 0, old: 0, unattributed: 0, passes: 0, failures: 0 };
    const latencies: number[] = [];
    let first: string | undefined;
    let failedWhy: string | undefined;
    const end = deps.now() + step.durationMs;
    const worker = async (offset: number) => {
      let next = deps.now() + (offset * intervalMs) / workers;
      for (let i = offset; !failedWhy && !controller.signal.aborted; i++) {
        await deps.sleep(next - deps.now(), controller.signal);
        if (failedWhy || controller.signal.aborted || deps.now() >= end) return;
        next += intervalMs;
        const check = config.checks[i % config.checks.length];
        const sample = await probe(check, config, deps, controller.signal);
        if (controller.signal.aborted && sample.outcome === 'error') return;
        if (sample.versionMatched) {
          seen.new++;
          latencies.push(sample.latencyMs);
          if (sample.outcome === 'pass') {
            seen.passes++;
            continue;
          }
        } else if (sample.outcome === 'fail' && sample.reasons.length === 1) {
          // Only the version differs: the old version answered, and answered well.
          seen.old++;
          continue;
        } else seen.unattributed++;
        seen.failures++;
        const why = `${check.name}: ${sample.status !== undefined ? `HTTP ${sample.status}` : (sample.code ?? 'no answer')}${sample.versionMatched ? ' from the new version' : ' (not attributable: counted against the canary)'}: ${sample.reasons.join('; ')}`;
        first ??= why;
        if (seen.failures <= LOGGED) options.log(`${step.what}: step ${step.number}: ${why}`);
        if (seen.failures > budget) {
          failedWhy = `${seen.failures} failing answer(s) where min-success-rate ${pct(config.minSuccessRate)} allows ${budget} (first: ${first})`;
          controller.abort();
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
    } finally {
      signal.removeEventListener('abort', stop);
      if (!options.deps) await deps.client.close();
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const judged = seen.new + seen.unattributed;
    const attributed = seen.new + seen.old;
    const round1 = (n: number) => Math.round(n * 10) / 10;
    const observed: CanaryObservation = {
      newAnswers: seen.new,
      oldAnswers: seen.old,
      unattributed: seen.unattributed,
      ...(attributed ? { observedShare: round1((100 * seen.new) / attributed) } : {}),
      ...(judged ? { successRate: seen.passes / judged } : {}),
      ...(sorted.length
        ? { p95Ms: round1(percentile(sorted, 95)), p99Ms: round1(percentile(sorted, 99)) }
        : {}),
    };
    const share = `observed share ${observed.observedShare ?? '-'}% (${seen.new} new, ${seen.old} old, ${seen.unattributed} unattributed)`;
    if (failedWhy) return { verdict: 'failed', reason: `${failedWhy}; ${share}`, observed };
    if (signal.aborted) return { verdict: 'inconclusive', reason: `stopped early; ${share}`, observed };
    if (seen.new < minAnswers) {
      return {
        verdict: 'inconclusive',
        reason: `the new version gave ${seen.new} answer(s) in ${formatDuration(step.durationMs)}, fewer than the ${minAnswers} needed to judge it; ${share}`,
        observed,
      };
    }
    const missed: string[] = [];
    const rate = seen.passes / judged;
    if (rate < config.minSuccessRate)
      missed.push(`success rate ${pct(rate)} below ${pct(config.minSuccessRate)}`);
    if (config.maxP95Ms !== undefined && observed.p95Ms! > config.maxP95Ms)
      missed.push(`p95 ${Math.round(observed.p95Ms!)}ms above max-p95 ${config.maxP95Ms}ms`);
    if (config.maxP99Ms !== undefined && observed.p99Ms! > config.maxP99Ms)
      missed.push(`p99 ${Math.round(observed.p99Ms!)}ms above max-p99 ${config.maxP99Ms}ms`);
    if (missed.length) return { verdict: 'failed', reason: `${missed.join('; ')}; ${share}`, observed };
    return {
      verdict: 'passed',
      reason: `${seen.passes} of ${judged} answers passed (p95 ${observed.p95Ms}ms, p99 ${observed.p99Ms}ms); ${share}`,
      observed,
    };
  };
}
