import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** What one request of the load got. Times are ms since the load started (`RateLoad.now()` is on the same clock). */
export interface RequestOutcome {
  sentAt: number;
  doneAt: number;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** The answer's body, trimmed (the test apps answer their version). */
  body?: string;
  /** The value of the `header` option's header, when asked for and present. */
  header?: string;
  /** Why no answer came: the error code (ECONNREFUSED, ECONNRESET, ...) or `timeout`. */
  error?: string;
  /** Times it was sent again because an idle keep-alive connection closed under it (see `sendOnce`). */
  resent?: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  /** Answers that were not 2xx, by status. */
  statuses: Map<number, number>;
  /** Requests that got no answer (refused, reset, timed out), by error code. */
  errors: Map<string, number>;
  /** 2xx answers by body (the version that answered). */
  bodies: Map<string, number>;
  /** Every request, in the order sent. */
  outcomes: RequestOutcome[];
  /** Requests sent again on a new connection because a reused idle connection was closed under them. */
  resent: number;
  durationMs: number;
  /** Why sending ended: `stop()` was called, or a bound was reached. */
  endedBy: 'stop' | 'max-requests' | 'max-duration';
}

export interface RateLoadOptions {
  /** Requests per second, sent on schedule. */
  rate?: number;
  /** Per request: a slow answer on a loaded machine is not downtime, a refused or reset connection is. */
  timeoutMs?: number;
  /** Sending stops after this many requests... */
  maxRequests?: number;
  /** ...or after this long, whichever comes first, even if nobody calls `stop()`. */
  maxDurationMs?: number;
  /** A response header to record per answer (e.g. one a proxy config adds). */
  header?: string;
  /**
   * POST sends a small body with each request, on a connection of its own, and never again (see `sendOnce`);
   * default GET.
   */
  method?: 'GET' | 'POST';
}

export interface RateLoad {
  /** ms since the load started, on the clock of `RequestOutcome`. */
  now(): number;
  /** Stops sending, waits for the requests in flight, returns every outcome. */
  stop(): Promise<LoadResult>;
}

export const failedCount = (r: LoadResult) =>
  [...r.statuses.values(), ...r.errors.values()].reduce((a, b) => a + b, 0);

export const describeCounts = (counts: Map<string | number, number>) =>
  [...counts].map(([key, n]) => `${key} ×${n}`).join(', ');

/** The outcomes of requests sent at or after `from` (a `now()` reading). */
export const sentAfter = (r: LoadResult, from: number) => r.outcomes.filter((o) => o.sentAt >= from);

/** `200 v2`, `503`, `ECONNREFUSED`: one outcome in a word, for counting and messages. */
export const outcomeLabel = (o: RequestOutcome) =>
  o.error ?? `${o.status}${o.body && o.body.length <= 40 ? ` ${o.body}` : ''}`;

/** `{ '200 v2': 590, ECONNRESET: 1 }`: how many of `outcomes` got each answer, named by `label`. */
export function outcomeCounts(
  outcomes: readonly RequestOutcome[],
  label: (o: RequestOutcome) => string = outcomeLabel,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[label(o)] = (counts[label(o)] ?? 0) + 1;
  return counts;
}

/** A one-line summary: sent, rate, failures by cause, answers by body. */
export function summarizeLoad(r: LoadResult): string {
  const causes = describeCounts(new Map<string | number, number>([...r.statuses, ...r.errors]));
  return (
    `${r.sent} sent (${Math.round(r.sent / (r.durationMs / 1000))}/s), ${failedCount(r)} failed` +
    `${causes ? ` (${causes})` : ''}; answers: ${describeCounts(r.bodies)}` +
    `${r.resent ? `; ${r.resent} sent again after an idle connection closed` : ''}`
  );
}

function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (!/^127\.\d+\.\d+\.\d+$/.test(hostname) && hostname !== 'localhost' && hostname !== '[::1]') {
    throw new Error(`rate load: ${url} is not a loopback address; tests only send load to this machine`);
  }
}

interface Answer {
  status: number;
  body: string;
  header?: string;
}

type RequestError = Error & { code?: string; resend?: boolean };

/**
 * One request over a keep-alive agent, as browsers and HTTP libraries send them. A GET written to a reused idle
 * connection that the server closed at that moment (a proxy reloading, a keep-alive timeout) fails before any
 * answer; such clients send it again on a new connection (RFC 9110 9.2.2, Node's `request.reusedSocket`), so
 * this is marked `resend`, not counted as a failure. A POST is not idempotent: it is never sent again, and goes on
 * a new connection (`startRateLoad`), where it fails only when the request itself was lost or refused (on a
 * reused one, any HTTP/1.1 client loses a POST that meets the server closing that idle connection, as every proxy
 * reload does, RFC 9112 9.3.1: no deploy can avoid that). Any other error is a failure.
 */
function sendOnce(
  url: string,
  agent: Agent,
  signal: AbortSignal,
  { header, method = 'GET' }: Pick<RateLoadOptions, 'header' | 'method'>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { agent, signal, method }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('error', reject);
      res.on('end', () => {
        const value = header ? res.headers[header.toLowerCase()] : undefined;
        const answer: Answer = { status: res.statusCode ?? 0, body: body.trim() };
        if (value !== undefined) answer.header = String(value);
        resolve(answer);
      });
    });
    req.on('error', (error: RequestError) => {
      error.resend =
        method === 'GET' &&
        !answered &&
        req.reusedSocket &&
        !signal.aborted &&
        ['ECONNRESET', 'EPIPE'].includes(error.code ?? '');
      reject(error);
    });
    req.end(method === 'POST' ? 'slipway-test=1' : undefined);
  });
}

/**
 * Open-loop load: `rate` requests (GETs, or POSTs with `method`) per second, sent on schedule whether or not
 * earlier ones have been answered (a closed loop slows down exactly when the service does, and hides the
 * failures). Bounded in count and time, so a test that forgets `stop()` cannot load the machine forever; loopback
 * targets only. Every request's outcome is kept (status, body, error, times), so a test can say which version
 * answered when. GETs go over keep-alive
connections and are sent again only where a real client would (see `sendOnce`).
 */
export function startRateLoad(url: string, options: RateLoadOptions = {}): RateLoad {
  const {
    rate = 200,
    timeoutMs = 10_000,
    maxRequests = 60_000,
    maxDurationMs = 5 * 60_000,
    header,
    method,
  } = options;
  assertLoopback(url);
  const result: LoadResult = {
    sent: 0,
    ok: 0,
    statuses: new Map(),
    errors: new Map(),
    bodies: new Map(),
    outcomes: [],
    resent: 0,
    durationMs: 0,
    endedBy: 'stop',
  };
  const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const now = () => performance.now() - started;
  const agent = new Agent({ keepAlive: method !== 'POST' });
  const fire = () => {
    const outcome: RequestOutcome = { sentAt: now(), doneAt: 0 };
    result.outcomes.push(outcome);
    const signal = AbortSignal.timeout(timeoutMs);
    const attempt = (): Promise<Answer> =>
      sendOnce(url, agent, signal, { header, method }).catch((error: RequestError) => {
        if (!error.resend) throw error;
        outcome.resent = (outcome.resent ?? 0) + 1;
        result.resent++;
        return attempt();
      });
    const request = attempt()
      .then((answer) => {
        Object.assign(outcome, answer);
        if (answer.status >= 200 && answer.status < 300) {
          result.ok++;
          bump(result.bodies, answer.body);
        } else bump(result.statuses, answer.status);
      })
      .catch((error: RequestError) => {
        outcome.error = signal.aborted ? 'timeout' : (error.code ?? error.name);
        bump(result.errors, outcome.error);
      })
      .finally(() => {
        outcome.doneAt = now();
        inFlight.delete(request);
      });
    inFlight.add(request);
  };
  const sendDue = (upTo: number) => {
    const due = Math.min(maxRequests, Math.floor((upTo * rate) / 1000));
    while (result.sent < due) {
      result.sent++;
      fire();
    }
  };
  let ending: Promise<LoadResult> | undefined;
  const end = (why: LoadResult['endedBy']) => {
    if (!ending) {
      result.durationMs = Math.min(now(), maxDurationMs);
      sendDue(result.durationMs);
      clearInterval(timer);
      result.endedBy = why;
      ending = Promise.all([...inFlight]).then(() => {
        agent.destroy();
        return result;
      });
    }
    return ending;
  };
  // A 5 ms tick sends what is due so far: a late tick (a busy event loop) catches up instead of lowering the rate.
  const timer = setInterval(() => {
    if (now() >= maxDurationMs) return void end('max-duration');
    sendDue(now());
    if (result.sent >= maxRequests) void end('max-requests');
  }, 5);
  return { now, stop: () => end('stop') };
}
