import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher, EnvHttpProxyAgent, request } from 'undici';
import { timerDelay } from '../duration';

export interface ProbeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  followRedirects: boolean;
  timeoutMs: number;
  /** Aborts the request when the whole gate must stop (its deadline). */
  signal?: AbortSignal;
}

export interface ProbeResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text, at most MAX_BODY_BYTES of it. */
  body: string;
  truncated: boolean;
  /** Where the answer came from, after redirects. */
  finalUrl: string;
  redirects: number;
}

/** Why no response came back. `tls` errors are configuration problems, not "not up yet". */
export type ProbeErrorKind = 'timeout' | 'tls' | 'network' | 'redirect' | 'aborted';

export class ProbeError extends Error {
  override name = 'ProbeError';
  constructor(
    readonly kind: ProbeErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Sends one probe. The default speaks HTTP through undici; tests of the gate's logic may pass a fake. */
export interface HttpClient {
  send(request: ProbeRequest): Promise<ProbeResponse>;
  close(): Promise<void>;
}

/** Assertions look at the first MiB; the rest is not read (a health endpoint that big is a finding in itself). */
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
const TLS_CODES =
  /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_)/;
/** Request headers that carry credentials: never sent on to another origin by a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * Node's own HTTP stack (undici, bundled, so Node 20 and 24 behave the same). An extra CA is added to Node's
 * roots rather than replacing them; `insecure` turns verification off. Proxies come from HTTP(S)_PROXY and
 * NO_PROXY, as the runner sets them.
 */
export function createHttpClient(
  tls: { ca?: string; insecure: boolean },
  secretHeaders: (name: string) => boolean,
  dial?: () => Promise<Duplex>,
): HttpClient {
  if (dial) return dialled(dial, secretHeaders);
  const connect = {
    ca: tls.ca ? [...rootCertificates, tls.ca] : undefined,
    rejectUnauthorized: !tls.insecure,
  };
  // The proxy-aware agent looks the proxy up per request; without proxy variables a plain agent is faster.
  const proxied = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'].some((v) => process.env[v]);
  const dispatcher: Dispatcher = proxied
    ? new EnvHttpProxyAgent({ connect, requestTls: connect })
    : new Agent({ connect });
  return {
    send: (probe) => send(dispatcher, probe, secretHeaders),
    close: () => dispatcher.close(),
  };
}

/**
 * Every connection made by `dial` (a stream through an SSH host: blue-green's pre-switch checks reach a new
 * container on the host's own network), whatever the URL's host; plain HTTP, so the URL's host is only the Host
 * header the app sees, as behind the proxy.
 */
function dialled(dial: () => Promise<Duplex>, secretHeaders: (name: string) => boolean): HttpClient {
  const dispatcher = new Agent({
    connect: (_options, callback) => {
      dial().then(
        (stream) => callback(null, stream as Socket),
        (error: Error) => callback(error, null),
      );
    },
  });
  return {
    send: (probe) => {
      const url = new URL(probe.url);
      url.protocol = 'http:';
      return send(dispatcher, { ...probe, url }, secretHeaders);
    },
    close: () => dispatcher.close(),
  };
}

async function send(
  dispatcher: Dispatcher,
  probe: ProbeRequest,
  secretHeaders: (name: string) => boolean,
): Promise<ProbeResponse> {
  // One controller for the request's timeout and the gate's deadline, released when the request ends
  // (AbortSignal.timeout + AbortSignal.any per request cost a third of the throughput on Node 20).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timerDelay(probe.timeoutMs));
  const onGateAbort = () => controller.abort();
  probe.signal?.addEventListener('abort', onGateAbort, { once: true });
  if (probe.signal?.aborted) controller.abort();
  try {
    return await follow(dispatcher, probe, secretHeaders, controller.signal);
  } catch (error) {
    throw describeError(error, timedOut ? probe.timeoutMs : undefined, probe.signal);
  } finally {
    clearTimeout(timer);
    probe.signal?.removeEventListener('abort', onGateAbort);
  }
}

/** The request, and the redirects it leads to when they are followed. */
async function follow(
  dispatcher: Dispatcher,
  probe: ProbeRequest,
  secretHeaders: (name: string) => boolean,
  signal: AbortSignal,
): Promise<ProbeResponse> {
  let url = probe.url;
  let { method, body, headers } = probe;
  for (let redirects = 0; ; redirects++) {
    const res = await request(url, {
      dispatcher,
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal,
    });
    const location = res.headers.location;
    if (
      probe.followRedirects &&
      [301, 302, 303, 307, 308].includes(res.statusCode) &&
      typeof location === 'string'
    ) {
      res.body.resume();
      if (redirects >= MAX_REDIRECTS) {
        throw new ProbeError('redirect', `more than ${MAX_REDIRECTS} redirects (the last to ${location})`);
      }
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(
            ([name]) => !CREDENTIAL_HEADERS.includes(name) && !secretHeaders(name),
          ),
        );
      }
      // As browsers and fetch do: 303, and 301/302 after a POST, become a GET without a body.
      if (res.statusCode === 303 || (method === 'POST' && res.statusCode <= 302)) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
      }
      url = next;
      continue;
    }
    const read = await readBody(res.body, res.headers);
    return {
      status: res.statusCode,
      headers: flattenHeaders(res.headers),
      body: read.text,
      truncated: read.truncated,
      finalUrl: url.href,
      redirects,
    };
  }
}

async function readBody(
  body: Dispatcher.ResponseData['body'],
  headers: Dispatcher.ResponseData['headers'],
): Promise<{ text: string; truncated: boolean }> {
  // A declared length within the cap is read in one go (undici's fast path); anything else is streamed.
  const length = Number(headers['content-length']);
  if (Number.isFinite(length) && length < MAX_BODY_BYTES)
    return { text: await body.text(), truncated: false };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size >= MAX_BODY_BYTES) {
      body.destroy();
      return { text: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'), truncated: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** One readable line per failure: what happened, with the system's code when there is one. */
function describeError(error: unknown, timedOutAfter: number | undefined, gate?: AbortSignal): ProbeError {
  if (error instanceof ProbeError) return error;
  if (timedOutAfter !== undefined)
    return new ProbeError('timeout', `no answer within ${timedOutAfter}ms`, 'TIMEOUT');
  if (gate?.aborted) return new ProbeError('aborted', 'stopped at the deadline', 'ABORTED');
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code && !err.code.startsWith('UND_ERR') ? err.code : (err.cause?.code ?? err.code);
  const message = err.cause?.message ?? err.message ?? String(error);
  if (code && TLS_CODES.test(code)) {
    return new ProbeError(
      'tls',
      `TLS: ${message} (${code}); trust the server's CA with "ca", or (for tests only) set "insecure"`,
      code,
    );
  }
  if (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return new ProbeError('timeout', `${message} (${code})`, code);
  }
  return new ProbeError('network', code && !message.includes(code) ? `${message} (${code})` : message, code);
}
