import { formatDuration } from '../duration';
import { retry } from '../retry';
import type { Sample } from './assess';
import type { CheckConfig, GateConfig } from './config';
import { type GateDeps, probe, sampleKey } from './probe';
import { StatusCounter } from './stats';

export interface ReadinessResult {
  ready: boolean;
  /** Gave up at once: the answer was wrong in a way waiting will not fix. */
  broken: boolean;
  attempts: number;
  statusCounts: Record<string, number>;
  /** From the first request to the first passing answer. */
  timeToReadyMs?: number;
  /** The last answer: the passing one, or the evidence of why it never passed. */
  last?: Sample;
}

/** Thrown inside `retry` so that its back-off decides whether to try again. */
class NotPassing extends Error {
  constructor(readonly sample: Sample) {
    super(sample.reasons.join('; '));
  }
}

/**
 * Phase 1: retries what means "not up yet" (no connection, 404/502/503/504, an old version) with exponential
 * back-off and full jitter until the first fully passing answer or `ready-timeout`. A wrong answer from the
 * right version ends the phase at once as broken.
 */
export async function awaitReady(
  check: CheckConfig,
  config: GateConfig,
  deps: GateDeps,
  signal: AbortSignal,
): Promise<ReadinessResult> {
  const counter = new StatusCounter();
  const started = deps.now();
  let attempts = 0;
  let last: Sample | undefined;
  try {
    await retry(
      async () => {
        attempts++;
        // ready-timeout decides when no new try starts; a try that started gets its full `timeout`.
        const sample = await probe(check, config, deps, signal);
        // A try cut off by the deadline says nothing about the service: the answer before it is the evidence.
        if (sample.code === 'ABORTED' && last) throw new NotPassing(sample);
        last = sample;
        counter.add(sampleKey(sample));
        if (sample.outcome !== 'pass') throw new NotPassing(sample);
      },
      {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: config.readyBackoffMs,
        maxDelayMs: config.readyBackoffMaxMs,
        deadlineMs: config.readyTimeoutMs,
        retryable: (error) => error instanceof NotPassing && error.sample.notReady && !signal.aborted,
        onRetry: (error, attempt, delayMs) =>
          deps.log(
            `${check.name}: not up yet (attempt ${attempt}: ${(error as Error).message}); next try in ${formatDuration(delayMs)}`,
          ),
        sleep: (ms) => deps.sleep(ms, signal),
        random: deps.random,
        now: deps.now,
      },
    );
    return {
      ready: true,
      broken: false,
      attempts,
      statusCounts: counter.counts,
      timeToReadyMs: deps.now() - started,
      last,
    };
  } catch (error) {
    if (!(error instanceof NotPassing)) throw error;
    return { ready: false, broken: !error.sample.notReady, attempts, statusCounts: counter.counts, last };
  }
}
