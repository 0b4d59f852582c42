import { timerDelay } from './duration';

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** The first back-off; it doubles each time, up to `maxDelayMs`, with full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** No try starts after this many milliseconds from the first. */
  deadlineMs?: number;
  /** Whether an error is worth another try. Default: `isTransient`. */
  retryable?: (error: unknown) => boolean;
  /** Told before each wait (for a log line). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, timerDelay(ms)));

/** Full-jitter exponential back-off: a random delay in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/**
 * Calls `fn` until it succeeds, the error is not retryable, the attempts are used up or the deadline is near.
 * The last error is rethrown as it was, so callers and the error boundary see the real cause.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const {
    attempts = 5,
    baseDelayMs = 500,
    maxDelayMs = 10_000,
    deadlineMs,
    retryable = isTransient,
    onRetry,
    sleep: wait = sleep,
    random = Math.random,
    now = Date.now,
  } = options;
  const start = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      const delay = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      if (deadlineMs !== undefined && now() + delay - start >= deadlineMs) throw error;
      onRetry?.(error, attempt, delay);
      await wait(delay);
    }
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const TRANSIENT_AWS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'ServerException',
]);

/** HTTP statuses that mean "try again": timeouts, rate limits and server errors other than 501. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501);
}

/**
 * The suite's default classifier: network failures, throttling and 5xx are transient; everything else
 * (4xx, access denied, bad input) is not. Looks through `cause` chains (fetch wraps socket errors).
 */
export function isTransient(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const err = e as {
      code?: unknown;
      name?: unknown;
      status?: unknown;
      statusCode?: unknown;
      $metadata?: { httpStatusCode?: number };
      $retryable?: unknown;
      cause?: unknown;
    };
    // AWS names first (throttling comes with HTTP 400), then HTTP status, then socket codes (read last:
    // octokit's RequestError logs a deprecation warning when `code` is read).
    if (typeof err.name === 'string' && (TRANSIENT_AWS.has(err.name) || err.name === 'TimeoutError'))
      return true;
    if (err.$retryable) return true;
    const status = [err.status, err.statusCode, err.$metadata?.httpStatusCode].find(
      (s) => typeof s === 'number',
    );
    if (typeof status === 'number') return isTransientStatus(status);
    if (typeof err.code === 'string' && TRANSIENT_CODES.has(err.code)) return true;
    e = err.cause;
  }
  return false;
}
