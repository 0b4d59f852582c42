import { timerDelay } from '../duration';
import { assessError, assessResponse, type Sample } from './assess';
import type { CheckConfig, GateConfig } from './config';
import { type HttpClient, ProbeError } from './http-client';

/** What the gate needs from the world; `defaultGateDeps` gives the real ones, tests may pass fakes. */
export interface GateDeps {
  client: HttpClient;
  /** A monotonic clock in milliseconds (performance.now), for latencies and deadlines. */
  now: () => number;
  /** Waits, or returns early when the signal aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  /** Progress lines for the log (the action prints them; the library never logs by itself). */
  log: (message: string) => void;
}

/** One request for one check, timed on the monotonic clock, assessed. */
export async function probe(
  check: CheckConfig,
  config: GateConfig,
  deps: GateDeps,
  signal: AbortSignal,
): Promise<Sample> {
  const started = deps.now();
  try {
    const response = await deps.client.send({
      url: check.url,
      method: check.method,
      headers: check.headers,
      body: check.body,
      followRedirects: check.followRedirects,
      timeoutMs: config.timeoutMs,
      signal,
    });
    return assessResponse(check, response, deps.now() - started, config.readyStatus, config.secrets);
  } catch (error) {
    const failure =
      error instanceof ProbeError
        ? error
        : new ProbeError('network', String((error as Error)?.message ?? error));
    return assessError(check, failure, deps.now() - started);
  }
}

/** The key a sample is counted under: its status, or the error's code. */
export function sampleKey(sample: Sample): string {
  return sample.status !== undefined ? String(sample.status) : (sample.code ?? 'ERROR');
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timerDelay(ms));
    signal.addEventListener('abort', done, { once: true });
  });
}
