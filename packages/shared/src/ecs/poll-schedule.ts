// How often the ECS wait asks: `poll-interval` while failures usually show (the first minutes) and whenever
// something moves, slower while a long deployment sits still. Pure: the watch feeds it what the last poll saw.

/** The schedule's constants for one wait. */
export interface PollSchedule {
  /** `poll-interval`: the pace at first and after any change. */
  baseMs: number;
  /** How long from the start of the wait the pace stays at `baseMs` (circuit breakers trip early). */
  earlyMs: number;
  /** Each quiet poll after the early phase waits this many times longer than the one before... */
  growth: number;
  /** ...up to this: `max(poll-interval, 30s)`, so a long poll-interval is never shortened. */
  capMs: number;
}

export const EARLY_PHASE_MS = 120_000;
export const POLL_GROWTH = 1.5;
export const POLL_CAP_MS = 30_000;

export function pollSchedule(pollIntervalMs: number): PollSchedule {
  return {
    baseMs: pollIntervalMs,
    earlyMs: EARLY_PHASE_MS,
    growth: POLL_GROWTH,
    capMs: Math.max(pollIntervalMs, POLL_CAP_MS),
  };
}

/** What the wait knows after a poll. */
export interface PollMoment {
  /** Since the wait started (UpdateService). */
  elapsedMs: number;
  /** Until the wait's deadline (`wait-timeout`). */
  leftMs: number;
  /** The pace before this poll; undefined after the first. */
  previousMs?: number;
  /** The poll saw news: a service event, a rollout or lifecycle state, task counts, deployments. */
  changed: boolean;
  /** The poll was throttled (or failed on the network) and only got through on a retry. */
  throttled: boolean;
}

/** `intervalMs`: the pace from now on (pass it back as `previousMs`); `sleepMs`: it, cut at the deadline. */
export interface PollDelay {
  intervalMs: number;
  sleepMs: number;
}

/**
 * The next wait. Throttling wins over everything: ECS asked us to slow down, so the pace grows even early or
 * after a change (the retry's own back-off got that one poll through). Otherwise a change or the early phase
 * means `baseMs`, and a quiet poll after it grows the pace by `growth`, up to `capMs`. Never past the deadline,
 * so the last poll still happens at it.
 */
export function nextPollDelay(schedule: PollSchedule, moment: PollMoment): PollDelay {
  const { baseMs, earlyMs, growth, capMs } = schedule;
  const grown = Math.min(capMs, Math.max(baseMs, Math.round((moment.previousMs ?? baseMs) * growth)));
  const quiet = !moment.changed && moment.elapsedMs >= earlyMs;
  const intervalMs = moment.throttled || quiet ? grown : baseMs;
  return { intervalMs, sleepMs: Math.max(0, Math.min(intervalMs, moment.leftMs)) };
}
