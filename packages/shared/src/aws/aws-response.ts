/**
 * An answer from an AWS endpoint that is not AWS JSON: an HTML error page from a proxy, a load balancer or an
 * emulator, an XML error body from a gateway. The SDK cannot parse it and throws a SyntaxError (which the error
 * boundary would call a bug); `classifyAwsResponse` turns it into this. 5xx (and 408/429) stay transient for
 * the suite's `retry` through `$metadata.httpStatusCode`; an XML body's `<Code>` becomes the error's name, so
 * `AccessDenied` or `Throttling` are told apart as from AWS JSON.
 */
export class AwsResponseError extends Error {
  readonly $metadata: { httpStatusCode: number };
  /** Set only when the body named an AWS error code: ECS's refusal handling treats those as its own. */
  readonly $fault?: 'client' | 'server';
  /** How the retry log names it: the code, or the status. */
  readonly label: string;

  constructor(call: string, status: number, contentType: string, body: string) {
    const xml = xmlError(body);
    const what = `HTTP ${status} with ${contentType || 'no content type'}, not AWS JSON`;
    const line = xml?.message ?? firstLine(body);
    super(
      xml
        ? `${what}: ${line || '(no message)'}`
        : `${call}: AWS answered ${what}: ${line ? JSON.stringify(line) : '(an empty body)'}. Something between ` +
            'the runner and AWS answered instead (a proxy, a load balancer, or the wrong endpoint): check the ' +
            'endpoint and the HTTPS proxy settings.',
    );
    this.name = xml?.code ?? 'NonJsonResponse';
    this.$metadata = { httpStatusCode: status };
    if (xml) this.$fault = status >= 500 ? 'server' : 'client';
    this.label = xml ? `${xml.code} (HTTP ${status})` : `HTTP ${status} (not AWS JSON)`;
  }
}

const MAX_LINE = 200;

/**
 * The error as the suite can reason about it: an AWS SDK deserialization failure of a non-JSON body becomes an
 * AwsResponseError naming `call` (e.g. `ecs:UpdateService`), the status and the first line of the body; any
 * other error is returned unchanged.
 */
export function classifyAwsResponse(error: unknown, call: string): unknown {
  const e = error as {
    name?: unknown;
    $response?: { statusCode?: number; headers?: Record<string, string>; body?: unknown };
    $responseBodyText?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (!e || typeof e !== 'object' || e.name !== 'SyntaxError' || !e.$response) return error;
  const status = e.$metadata?.httpStatusCode ?? e.$response.statusCode ?? 0;
  const body = e.$response.body;
  const text =
    typeof e.$responseBodyText === 'string'
      ? e.$responseBodyText
      : typeof body === 'string'
        ? body
        : body instanceof Uint8Array
          ? Buffer.from(body).toString('utf8')
          : '';
  const headers = e.$response.headers ?? {};
  const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  return new AwsResponseError(call, status, contentType.split(';')[0].trim(), text);
}

/** `<Code>` and `<Message>` of an AWS XML error body (`<ErrorResponse><Error>…` or `<Error>…`). */
function xmlError(body: string): { code: string; message?: string } | undefined {
  const code = /<Code>\s*([A-Za-z0-9_.:-]{1,100})\s*<\/Code>/.exec(body)?.[1];
  if (!code) return undefined;
  const message = /<Message>([\s\S]*?)<\/Message>/.exec(body)?.[1];
  return { code, message: message === undefined ? undefined : clip(decode(message)) };
}

/** An HTML page's title, else the first line of the body that has text, without tags. */
function firstLine(body: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
  if (title?.trim()) return clip(decode(title));
  for (const line of body.split(/\r?\n/)) {
    const text = decode(line.replace(/<[^>]*>/g, ' '));
    if (text) return clip(text);
  }
  return '';
}

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

const clip = (text: string) => (text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text);

// Enough for any error page; the rest is read and dropped.
const MAX_BODY = 64 * 1024;

/** The part of an SDK client this needs: its middleware stack. */
interface WithMiddleware {
  middlewareStack?: { add(middleware: unknown, options: Record<string, unknown>): void };
}

/**
 * Makes an AWS SDK client keep the body of an answer that is not JSON (the SDK reads it as a stream and, when
 * the JSON parse fails, keeps nothing of it), so that `classifyAwsResponse` can quote its first line. Runs
 * between the transport and the SDK's deserializer; JSON answers pass untouched. Idempotent per client.
 */
export function keepNonJsonBodies(client: WithMiddleware): void {
  type Response = { headers?: Record<string, string>; body?: unknown };
  const middleware = (next: (args: unknown) => Promise<{ response: Response }>) => async (args: unknown) => {
    const out = await next(args);
    const { response } = out;
    const type = Object.entries(response.headers ?? {}).find(
      ([k]) => k.toLowerCase() === 'content-type',
    )?.[1];
    const stream = response.body as AsyncIterable<Uint8Array> | undefined;
    if (!/json/i.test(type ?? '') && stream && typeof stream[Symbol.asyncIterator] === 'function') {
      response.body = await readCapped(stream);
    }
    return out;
  };
  client.middlewareStack?.add(middleware, {
    step: 'deserialize',
    priority: 'low',
    name: 'slipwayKeepNonJsonBodies',
    override: true,
  });
}

async function readCapped(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (size < MAX_BODY) chunks.push(Buffer.from(chunk).subarray(0, MAX_BODY - size));
    size += chunk.length;
  }
  return new Uint8Array(Buffer.concat(chunks));
}
