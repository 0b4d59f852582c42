import { parseDuration } from '../duration';
import { InputError } from '../errors';
import { isSecretHeader } from '../secrets';
import {
  type HeaderExpectation,
  type JsonExpectation,
  jsonExpectationFromEntry,
  parseHeaderExpectation,
  parseJsonExpectation,
  parseStatusRanges,
  parseTextMatcher,
  parseVersionSource,
  SpecError,
  type StatusRange,
  type TextMatcher,
  type VersionSource,
} from './expectations';
import { parseHttpMethod } from './http-method';

/** One endpoint to check, ready to run. */
export interface CheckConfig {
  name: string;
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  expectStatus: StatusRange[];
  expectBody?: TextMatcher;
  expectJson: JsonExpectation[];
  expectHeaders: HeaderExpectation[];
  maxLatencyMs?: number;
  expectVersion?: string;
  versionSource: VersionSource;
  followRedirects: boolean;
}

/**
 * A check as plain data: a YAML `checks` entry, or the action's per-check inputs. Keys are the input names.
 * Values may be text (as action inputs are) or typed YAML values; `max-latency` is text such as 500ms (a bare
 * number is seconds, as in the inputs).
 */
export interface CheckOptions {
  name?: unknown;
  url?: unknown;
  method?: unknown;
  headers?: unknown;
  body?: unknown;
  'expect-status'?: unknown;
  'expect-body'?: unknown;
  'expect-json'?: unknown;
  'expect-header'?: unknown;
  'max-latency'?: unknown;
  'expect-version'?: unknown;
  'version-field'?: unknown;
  'follow-redirects'?: unknown;
}

export { isSecretHeader };

/** Where an entry sits, for messages: the input it came from, its index and how many there are. */
export interface Place {
  source: string;
  index: number;
  total: number;
}

/** One check from plain data, with the per-check inputs as defaults; collects secret values into `secrets`. */
export function buildCheck(
  entry: unknown,
  defaults: CheckOptions,
  place: Place,
  secrets: string[],
): CheckConfig {
  const where = place.total > 1 ? ` (entry ${place.index + 1})` : '';
  const fail = (field: string, message: string): never => {
    const fromDefaults = !isRecord(entry) || !(field in entry);
    if (fromDefaults && field !== 'url' && field in defaults) {
      throw new InputError(field, `Input "${field}" ${message}.`);
    }
    // A bad URL given by the `url` input reads "Input "url" (entry 2) must be ...", not "url": "url".
    const what = field === place.source ? '' : `: "${field}"`;
    throw new InputError(place.source, `Input "${place.source}"${where}${what} ${message}.`);
  };
  const raw: CheckOptions = typeof entry === 'string' ? { url: entry } : isRecord(entry) ? entry : {};
  if (!isRecord(entry) && typeof entry !== 'string') {
    fail('url', 'must be a URL, or a map with at least "url"');
  }
  const unknownKeys = Object.keys(raw).filter((k) => !CHECK_KEYS.has(k));
  if (unknownKeys.length) {
    throw new InputError(
      place.source,
      `Input "${place.source}"${where} has unknown keys ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}; known keys are ${[...CHECK_KEYS].join(', ')}.`,
    );
  }
  const get = (field: keyof CheckOptions) => raw[field] ?? defaults[field];
  const text = (field: keyof CheckOptions): string | undefined => {
    const value = get(field);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return fail(field, 'must be text');
  };
  const parse = <T>(field: keyof CheckOptions, parser: (t: string) => T): T | undefined => {
    const value = text(field);
    if (value === undefined) return undefined;
    try {
      return parser(value);
    } catch (error) {
      if (error instanceof SpecError) return fail(field, error.message);
      throw error;
    }
  };

  const url = parseUrl(text('url'), fail);
  // The `headers` input applies to every check; an entry's own headers are added to it (and win).
  const headers = {
    ...parseHeaders(defaults.headers, (m) => {
      throw new InputError('headers', `Input "headers" ${m}.`);
    }),
    ...parseHeaders(raw.headers, (m) => fail('headers', m)),
  };
  for (const [name, value] of Object.entries(headers)) if (isSecretHeader(name)) secrets.push(value);
  if (url.password) {
    secrets.push(decodeURIComponent(url.password));
    headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    secrets.push(headers.authorization);
  }
  url.username = '';
  url.password = '';
  const body = get('body');
  let bodyText: string | undefined;
  if (typeof body === 'string') bodyText = body;
  else if (body !== undefined && body !== null) {
    bodyText = JSON.stringify(body);
    if (!Object.keys(headers).some((h) => h === 'content-type')) headers['content-type'] = 'application/json';
  }
  const method = parse('method', parseHttpMethod) ?? (bodyText === undefined ? 'GET' : 'POST');
  const maxLatency = text('max-latency');
  // As in the action's inputs: text such as 500ms, and a bare number is seconds.
  const maxLatencyMs = maxLatency === undefined ? undefined : parseDuration(String(maxLatency));
  if (maxLatency !== undefined && !maxLatencyMs)
    fail('max-latency', `must be a duration such as 500ms or 2s; got ${JSON.stringify(maxLatency)}`);
  const follow = get('follow-redirects');
  if (follow !== undefined && typeof follow !== 'boolean' && !['true', 'false'].includes(String(follow))) {
    fail('follow-redirects', `must be true or false; got ${JSON.stringify(follow)}`);
  }
  return {
    name: text('name') ?? url.href,
    url,
    method,
    headers,
    body: bodyText,
    expectStatus: parse('expect-status', parseStatusRanges) ?? [[200, 299]],
    expectBody: parse('expect-body', parseTextMatcher),
    expectJson: listOf(
      get('expect-json'),
      (m) => fail('expect-json', m),
      parseJsonExpectation,
      jsonExpectationFromEntry,
    ),
    expectHeaders: listOf(
      get('expect-header'),
      (m) => fail('expect-header', m),
      parseHeaderExpectation,
      (k, v) => parseHeaderExpectation(`${k}: ${v}`),
    ),
    maxLatencyMs,
    expectVersion: text('expect-version'),
    versionSource: parse('version-field', parseVersionSource) ?? { kind: 'body' },
    followRedirects: follow === undefined ? true : String(follow) === 'true',
  };
}

const CHECK_KEYS = new Set([
  'name',
  'url',
  'method',
  'headers',
  'body',
  'expect-status',
  'expect-body',
  'expect-json',
  'expect-header',
  'max-latency',
  'expect-version',
  'version-field',
  'follow-redirects',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseUrl(text: string | undefined, fail: (field: string, message: string) => never): URL {
  if (!text) return fail('url', 'needs a URL');
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return fail(
      'url',
      `must be an absolute http(s) URL such as https://app.example.com/health; got ${JSON.stringify(text)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail('url', `must use http or https; got ${JSON.stringify(url.protocol)}`);
  }
  return url;
}

/** Headers as a map, or as `Name: value` lines. Values are never shown in errors: they may be secrets. */
function parseHeaders(value: unknown, fail: (message: string) => never): Record<string, string> {
  const headers: Record<string, string> = {};
  if (value === undefined || value === null || value === '') return headers;
  const pairs: Array<[string, unknown]> = isRecord(value)
    ? Object.entries(value)
    : typeof value === 'string'
      ? value
          .split(/\r?\n/)
          .filter((line) => line.trim())
          .map((line) => {
            const colon = line.indexOf(':');
            return colon > 0 ? [line.slice(0, colon), line.slice(colon + 1)] : [line, undefined];
          })
      : fail('must be a map of header names to values, or "Name: value" lines');
  for (const [name, raw] of pairs) {
    const key = name.trim().toLowerCase();
    if (
      !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key) ||
      raw === undefined ||
      raw === null ||
      typeof raw === 'object'
    ) {
      fail(
        `takes "Name: value" lines (or a map of names to values); the entry for ${JSON.stringify(name.trim().slice(0, 40))} is not one (its value is not shown)`,
      );
    }
    const text = String(raw).trim();
    // No request can carry these (undici refuses them): each would fail and be retried as "not up yet".
    if (/[\r\n\0]/.test(text)) {
      fail(
        `header values may not hold a CR, LF or NUL character; the value of ${JSON.stringify(name.trim().slice(0, 40))} does (it is not shown)`,
      );
    }
    headers[key] = text;
  }
  return headers;
}

/** `expect-json` / `expect-header` as lines of text, a YAML list of such lines, or a YAML map. */
function listOf<T>(
  value: unknown,
  fail: (message: string) => never,
  parseLine: (line: string) => T,
  parseEntry: (key: string, value: unknown) => T,
): T[] {
  if (value === undefined || value === null || value === '') return [];
  try {
    if (isRecord(value)) return Object.entries(value).map(([k, v]) => parseEntry(k, v));
    const lines = Array.isArray(value) ? value.map(String) : String(value).split(/\r?\n/);
    return lines
      .map((l) => l.trim())
      .filter(Boolean)
      .map(parseLine);
  } catch (error) {
    if (error instanceof SpecError) return fail(error.message);
    throw error;
  }
}
