const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/** The longest delay a Node timer holds (2^31 - 1 ms, 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The maximum of every duration input that names none of its own: 24h, far past any job's limit. */
export const DEFAULT_MAX_DURATION_MS = 24 * 3_600_000;

/**
 * Parses `90s`, `5m`, `1h30m`, `250ms` (a bare number is seconds) into milliseconds.
 * Returns undefined for anything else (and for numbers too large to be finite), so the caller can name the
 * input in its error.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(value)) return finite(Math.round(Number(value) * 1000));
  if (!value) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = PART.exec(value); match; match = PART.exec(value)) {
    total += Number(match[1]) * UNITS[match[2]];
    consumed = PART.lastIndex;
  }
  return consumed === value.length ? finite(Math.round(total)) : undefined;
}

function finite(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

/** A delay a timer can hold: `ms` within 0 and MAX_TIMER_MS (NaN gives 0). */
export function timerDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

/** Formats milliseconds for people: `850ms`, `12.3s`, `4m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/** Formats a limit exactly, in the units the inputs take: `0ms`, `250ms`, `1m30s`, `24h`, `596h31m23.647s`. */
export function formatDurationLimit(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}
