import { formatPath, type PathSegment, parseJsonPath } from './json-path';

/**
 * The parsers of what a check expects. Each returns a typed expectation or throws a SpecError whose message
 * says what is accepted ("must be ..."); the config builder puts the input's name in front.
 */
export class SpecError extends Error {
  override name = 'SpecError';
}

export type StatusRange = readonly [low: number, high: number];

/** `200-299,304` or `200 204`: single statuses and inclusive ranges, comma or space separated. */
export function parseStatusRanges(text: string): StatusRange[] {
  const accepted = 'HTTP statuses and ranges such as 200-299,304';
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length) throw new SpecError(`must be ${accepted}; got an empty value`);
  return parts.map((part) => {
    const match = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    const low = match ? Number(match[1]) : Number.NaN;
    const high = match?.[2] ? Number(match[2]) : low;
    if (!match || low < 100 || high > 599 || low > high) {
      throw new SpecError(`must be ${accepted}; ${JSON.stringify(part)} is not one`);
    }
    return [low, high] as const;
  });
}

export function statusMatches(ranges: readonly StatusRange[], status: number): boolean {
  return ranges.some(([low, high]) => status >= low && status <= high);
}

export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(',');
}

/** A substring, or a regular expression written `/source/flags`. */
export type TextMatcher = { kind: 'substring'; text: string } | { kind: 'regex'; regex: RegExp };

export function parseTextMatcher(text: string): TextMatcher {
  const match = /^\/(.+)\/([dgimsuvy]*)$/s.exec(text);
  if (!match) return { kind: 'substring', text };
  try {
    // Sticky and global flags would make `test` stateful between samples; they add nothing to a match.
    return { kind: 'regex', regex: new RegExp(match[1], match[2].replace(/[gy]/g, '')) };
  } catch (error) {
    throw new SpecError(`must be a substring or a valid /regular expression/ (${(error as Error).message})`);
  }
}

export function textMatches(matcher: TextMatcher, text: string): boolean {
  return matcher.kind === 'substring' ? text.includes(matcher.text) : matcher.regex.test(text);
}

export function formatTextMatcher(matcher: TextMatcher): string {
  return matcher.kind === 'substring' ? JSON.stringify(matcher.text) : String(matcher.regex);
}

/** `path = value`: the JSON value at `path` equals `value` (a JSON literal or bare text) or matches `/regex/`. */
export interface JsonExpectation {
  path: PathSegment[];
  /** The value as written, for messages. */
  text: string;
  expected: { kind: 'value'; value: unknown } | { kind: 'regex'; regex: RegExp };
}

export function parseJsonExpectation(line: string): JsonExpectation {
  const eq = line.indexOf('=');
  const path = eq > 0 ? parseJsonPath(line.slice(0, eq)) : undefined;
  if (!path) {
    throw new SpecError(
      `takes "path = value" pairs such as "status = ok" or "$.checks[0].healthy = true"; ${JSON.stringify(line)} is not one`,
    );
  }
  return jsonExpectation(path, line.slice(eq + 1).trim());
}

/** The same from a YAML map entry, where the value is already typed (`healthy: true`). */
export function jsonExpectationFromEntry(key: string, value: unknown): JsonExpectation {
  const path = parseJsonPath(key);
  if (!path) throw new SpecError(`has a path that is not valid: ${JSON.stringify(key)}`);
  if (typeof value === 'string') return jsonExpectation(path, value);
  return { path, text: JSON.stringify(value), expected: { kind: 'value', value } };
}

function jsonExpectation(path: PathSegment[], text: string): JsonExpectation {
  const matcher = parseTextMatcher(text);
  if (matcher.kind === 'regex') return { path, text, expected: { kind: 'regex', regex: matcher.regex } };
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Bare text (`status = ok`) is compared as a string.
  }
  return { path, text, expected: { kind: 'value', value } };
}

/** Whether `actual` satisfies the expectation. A number or boolean written as text also matches its string. */
export function jsonValueMatches(expectation: JsonExpectation, actual: unknown): boolean {
  const { expected } = expectation;
  if (expected.kind === 'regex') return typeof actual === 'string' && expected.regex.test(actual);
  if (deepEqual(expected.value, actual)) return true;
  return typeof actual === 'string' && actual === expectation.text;
}

export function formatJsonExpectation(expectation: JsonExpectation): string {
  return `${formatPath(expectation.path)} = ${expectation.text}`;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `Name` (must be present) or `Name: value` (substring or /regex/ of the value). */
export interface HeaderExpectation {
  name: string;
  matcher?: TextMatcher;
}

export function parseHeaderExpectation(line: string): HeaderExpectation {
  const colon = line.indexOf(':');
  const name = (colon < 0 ? line : line.slice(0, colon)).trim().toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
    throw new SpecError(
      `takes "Name: value" lines (or just "Name" to require the header); ${JSON.stringify(line)} is not one`,
    );
  }
  if (colon < 0) return { name };
  return { name, matcher: parseTextMatcher(line.slice(colon + 1).trim()) };
}

export function formatHeaderExpectation(expectation: HeaderExpectation): string {
  return expectation.matcher
    ? `header ${expectation.name} ${expectation.matcher.kind === 'regex' ? 'matching' : 'containing'} ${formatTextMatcher(expectation.matcher)}`
    : `header ${expectation.name} present`;
}

/** Where `expect-version` is looked for: the whole body, a header, or a JSON field. */
export type VersionSource =
  | { kind: 'body' }
  | { kind: 'header'; name: string }
  | { kind: 'json'; path: PathSegment[] };

export function parseVersionSource(text: string): VersionSource {
  const accepted = 'body, header:<name> or json:<path> (such as json:build.sha)';
  const value = text.trim();
  if (value === '' || value === 'body') return { kind: 'body' };
  const match = /^(header|json):(.+)$/.exec(value);
  if (match?.[1] === 'header' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(match[2].trim())) {
    return { kind: 'header', name: match[2].trim().toLowerCase() };
  }
  const path = match?.[1] === 'json' ? parseJsonPath(match[2]) : undefined;
  if (path) return { kind: 'json', path };
  throw new SpecError(`must be ${accepted}; got ${JSON.stringify(text)}`);
}

export function formatVersionSource(source: VersionSource): string {
  if (source.kind === 'body') return 'the body';
  if (source.kind === 'header') return `header ${source.name}`;
  return `JSON field ${formatPath(source.path)}`;
}
