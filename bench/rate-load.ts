import { performance } from 'node:perf_hooks';

export interface LoadResult {
  sent: number;
  ok: number;
  /** Answers that were not 2xx, by status. */
  statuses: Map<number, number>;
  /** Requests that got no answer (refused, reset, timed out), by error code. */
  errors: Map<string, number>;
  /** 2xx answers by body (the version that answered). */
  bodies: Map<string, number>;
  durationMs: number;
}

export const failedCount = (r: LoadResult) =>
  [...r.statuses.values(), ...r.errors.values()].reduce((a, b) => a + b, 0);

export const describeCounts = (counts: Map<string | number, number>) =>
  [...counts].map(([key, n]) => `${key} ×${n}`).join(', ');

/**
 * Open-loop load: `rate` GETs per second, sent on schedule whether or not earlier ones have been answered (a
 * closed loop slows down exactly when the service does, and hides the failures). Each request has a long
 * timeout: a slow answer on a loaded machine is not downtime, a refused or reset connection or an error status is.
 */
export function startRateLoad(url: string, { rate = 200, timeoutMs = 10_000 } = {}) {
  const result: LoadResult = {
    sent: 0,
    ok: 0,
    statuses: new Map(),
    errors: new Map(),
    bodies: new Map(),
    durationMs: 0,
  };
  const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
  const inFlight = new Set<Promise<void>>();
  const fire = () => {
    const request = fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
      .then(async (res) => {
        const body = (await res.text()).trim();
        if (res.ok) {
          result.ok++;
          bump(result.bodies, body);
        } else bump(result.statuses, res.status);
      })
      .catch((error: Error & { cause?: { code?: string } }) => {
        bump(result.errors, error.cause?.code ?? error.name);
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  const started = performance.now();
  // A 5 ms tick sends what is due so far: a late tick (a busy event loop) catches up instead of lowering the rate.
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) * rate) / 1000);
    while (result.sent < due) {
      result.sent++;
      fire();
    }
  }, 5);
  return {
    async stop(): Promise<LoadResult> {
      clearInterval(timer);
      result.durationMs = performance.now() - started;
      await Promise.all([...inFlight]);
      return result;
    },
  };
}
