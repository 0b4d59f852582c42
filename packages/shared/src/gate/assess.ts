import { maskedExcerpt } from '../secrets';
import type { CheckConfig } from './config';
import {
  formatHeaderExpectation,
  formatJsonExpectation,
  formatStatusRanges,
  formatTextMatcher,
  formatVersionSource,
  jsonValueMatches,
  type StatusRange,
  statusMatches,
  textMatches,
} from './expectations';
import type { ProbeError, ProbeResponse } from './http-client';
import { formatPath, lookupJson } from './json-path';

export type Outcome = 'pass' | 'fail' | 'error';

/** What one request showed. `notReady` is the readiness phase's verdict: retry it, or give up at once. */
export interface Sample {
  outcome: Outcome;
  latencyMs: number;
  status?: number;
  /** For a request without a response: the error's code (ECONNREFUSED, TIMEOUT...). */
  code?: string;
  /** Each unmet expectation, as "what came back (what was expected)". */
  reasons: string[];
  notReady: boolean;
  evidence: Evidence;
  /** With `expect-version`: whether the answer carried that version (a canary's judge tells versions apart). */
  versionMatched?: boolean;
}

/** What came back, for the report: the first failure's status, headers and a short excerpt of the body. */
export interface Evidence {
  url: string;
  status?: number;
  error?: string;
  headers?: Record<string, string>;
  excerpt?: string;
}

const EXCERPT_CHARS = 500;

export function assessResponse(
  check: CheckConfig,
  response: ProbeResponse,
  latencyMs: number,
  readyStatus: readonly StatusRange[],
  secrets: readonly string[] = [],
): Sample {
  // Masked, then cut: a secret a server echoes back never shows, not even in part across the cut.
  const clip = (text: string, max = 120) => maskedExcerpt(text, max, { secrets });
  const reasons: string[] = [];
  const statusOk = statusMatches(check.expectStatus, response.status);
  if (!statusOk)
    reasons.push(`status ${response.status} (expected ${formatStatusRanges(check.expectStatus)})`);
  for (const expectation of check.expectHeaders) {
    const value = response.headers[expectation.name];
    if (value === undefined)
      reasons.push(`no header ${expectation.name} (expected ${formatHeaderExpectation(expectation)})`);
    else if (expectation.matcher && !textMatches(expectation.matcher, value)) {
      reasons.push(
        `header ${expectation.name} is ${JSON.stringify(clip(value))} (expected ${formatHeaderExpectation(expectation)})`,
      );
    }
  }
  if (check.expectBody && !textMatches(check.expectBody, response.body)) {
    reasons.push(
      `body does not ${check.expectBody.kind === 'regex' ? 'match' : 'contain'} ${formatTextMatcher(check.expectBody)}`,
    );
  }
  const json =
    check.expectJson.length || check.versionSource.kind === 'json' ? parseJson(response.body) : undefined;
  for (const expectation of check.expectJson) {
    if (!json) {
      reasons.push(`body is not JSON (expected ${formatJsonExpectation(expectation)})`);
      break;
    }
    const found = lookupJson(json.value, expectation.path);
    if (!found.found)
      reasons.push(
        `no JSON field ${formatPath(expectation.path)} (expected ${formatJsonExpectation(expectation)})`,
      );
    else if (!jsonValueMatches(expectation, found.value)) {
      reasons.push(
        `JSON ${formatPath(expectation.path)} is ${clip(JSON.stringify(found.value) ?? 'undefined')} (expected ${formatJsonExpectation(expectation)})`,
      );
    }
  }
  const versionReason = check.expectVersion ? versionMismatch(clip, check, response, json) : undefined;
  if (versionReason) reasons.push(versionReason);
  const slow = check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs;
  if (slow) reasons.push(`took ${Math.round(latencyMs)}ms (max-latency ${check.maxLatencyMs}ms)`);

  // "Not up yet" rather than "broken": an old version still answering, a status that a starting or
  // draining service gives, or only slowness (a cold start). A wrong body from the right version is broken.
  const notReady =
    reasons.length > 0 &&
    (versionReason !== undefined ||
      (!statusOk && statusMatches(readyStatus, response.status)) ||
      (slow && reasons.length === 1));
  return {
    outcome: reasons.length ? 'fail' : 'pass',
    latencyMs,
    status: response.status,
    reasons,
    notReady,
    ...(check.expectVersion ? { versionMatched: versionReason === undefined } : {}),
    // Only a failure needs the full evidence; a passing sample keeps where it came from.
    evidence:
      reasons.length === 0
        ? { url: response.finalUrl, status: response.status }
        : {
            url: response.finalUrl,
            status: response.status,
            headers: response.headers,
            excerpt: maskedExcerpt(response.body, EXCERPT_CHARS, { secrets, truncated: response.truncated }),
          },
  };
}

/**
 * No response at all. Everything but an untrusted certificate or a redirect loop (configuration, which waiting
 * will not fix) may be a service that is not up yet.
 */
export function assessError(check: CheckConfig, error: ProbeError, latencyMs: number): Sample {
  return {
    outcome: 'error',
    latencyMs,
    code: error.code ?? error.kind.toUpperCase(),
    reasons: [error.message],
    notReady: error.kind !== 'tls' && error.kind !== 'redirect',
    evidence: { url: check.url.href, error: error.message },
  };
}

function versionMismatch(
  clip: (text: string) => string,
  check: CheckConfig,
  response: ProbeResponse,
  json: { value: unknown } | undefined,
): string | undefined {
  const want = check.expectVersion!;
  const where = formatVersionSource(check.versionSource);
  const source = check.versionSource;
  if (source.kind === 'body') {
    return response.body.includes(want) ? undefined : `version ${want} not found in ${where}`;
  }
  if (source.kind === 'header') {
    const value = response.headers[source.name];
    if (value?.includes(want)) return undefined;
    return `version ${want} not in ${where} (${value === undefined ? 'missing' : `got ${JSON.stringify(clip(value))}`})`;
  }
  const found = json ? lookupJson(json.value, source.path) : { found: false };
  const value = found.found ? found.value : undefined;
  const text = typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
  if (text?.includes(want)) return undefined;
  const got = !json ? 'the body is not JSON' : text === undefined ? 'missing' : `got ${clip(text)}`;
  return `version ${want} not in ${where} (${got})`;
}

function parseJson(body: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body) };
  } catch {
    return undefined;
  }
}
