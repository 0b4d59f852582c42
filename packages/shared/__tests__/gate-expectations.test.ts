import {
  jsonExpectationFromEntry,
  jsonValueMatches,
  parseHeaderExpectation,
  parseJsonExpectation,
  parseStatusRanges,
  parseTextMatcher,
  parseVersionSource,
  statusMatches,
  textMatches,
} from '../src/gate/expectations';
import { lookupJson, parseJsonPath } from '../src/gate/json-path';
import { percentile, summarizeLatencies } from '../src/gate/stats';

describe('status ranges', () => {
  it.each([
    ['200', [[200, 200]]],
    [
      '200-299,304',
      [
        [200, 299],
        [304, 304],
      ],
    ],
    [
      ' 200 , 204 ',
      [
        [200, 200],
        [204, 204],
      ],
    ],
    [
      '200 301-308',
      [
        [200, 200],
        [301, 308],
      ],
    ],
  ])('parses %j', (text, ranges) => {
    expect(parseStatusRanges(text)).toEqual(ranges);
  });

  it.each(['', '2xx', '200-', '99', '600', '299-200', '200-299-300', '20O'])('refuses %j', (text) => {
    expect(() => parseStatusRanges(text)).toThrow(/^must be HTTP statuses and ranges such as 200-299,304/);
  });

  it.each([
    [200, true],
    [299, true],
    [304, true],
    [300, false],
    [199, false],
  ])('200-299,304 matches %d: %s', (status, matches) => {
    expect(statusMatches(parseStatusRanges('200-299,304'), status)).toBe(matches);
  });
});

describe('body matchers', () => {
  it.each([
    ['ok', '{"status":"ok"}', true],
    ['OK', '{"status":"ok"}', false],
    ['/"status":\\s*"ok"/', '{"status": "ok"}', true],
    ['/^ok$/i', 'OK', true],
    ['/^ok$/g', 'ok', true],
    ['/a', '/a', true],
    ['//', 'http://x', true],
    ['//', 'no slashes', false],
  ])('%j against %j: %s', (spec, body, matches) => {
    expect(textMatches(parseTextMatcher(spec), body)).toBe(matches);
  });

  it('keeps a global regex stateless between samples', () => {
    const matcher = parseTextMatcher('/ok/g');
    expect([textMatches(matcher, 'ok'), textMatches(matcher, 'ok')]).toEqual([true, true]);
  });

  it('refuses a broken regex', () => {
    expect(() => parseTextMatcher('/(/')).toThrow(/valid \/regular expression\//);
  });
});

describe('JSON paths', () => {
  it.each([
    ['status', ['status']],
    ['$.status', ['status']],
    ['checks.db.status', ['checks', 'db', 'status']],
    ['items[0].id', ['items', 0, 'id']],
    ['$[2]', [2]],
    ['["app.version"]', ['app.version']],
    ["meta['build sha']", ['meta', 'build sha']],
    ['a-b.c_d', ['a-b', 'c_d']],
  ])('parses %j', (text, path) => {
    expect(parseJsonPath(text)).toEqual(path);
  });

  it.each(['', 'a..b', 'a.', '[x]', 'a[-1]', 'a b'])('refuses %j', (text) => {
    expect(parseJsonPath(text)).toBeUndefined();
  });

  const doc = { status: 'ok', items: [{ id: 7 }], nothing: null, nested: { 'a.b': true } };
  it.each([
    [['status'], { found: true, value: 'ok' }],
    [['items', 0, 'id'], { found: true, value: 7 }],
    [['nothing'], { found: true, value: null }],
    [['nested', 'a.b'], { found: true, value: true }],
    [['items', 1], { found: false }],
    [['status', 'x'], { found: false }],
    [['items', 'length'], { found: false }],
    [['constructor'], { found: false }],
  ])('looks up %j', (path, found) => {
    expect(lookupJson(doc, path)).toEqual(found);
  });
});

describe('expect-json', () => {
  it.each([
    ['status = ok', { status: 'ok' }, true],
    ['status = ok', { status: 'okay' }, false],
    ['count = 3', { count: 3 }, true],
    ['count = 3', { count: '3' }, true],
    ['count = 3', { count: 4 }, false],
    ['healthy = true', { healthy: true }, true],
    ['healthy = true', { healthy: 'yes' }, false],
    ['gone = null', { gone: null }, true],
    ['tags = ["a","b"]', { tags: ['a', 'b'] }, true],
    ['db = {"up":true}', { db: { up: true } }, true],
    ['name = "quoted = text"', { name: 'quoted = text' }, true],
    ['version = /^2\\./', { version: '2.4.1' }, true],
    ['version = /^2\\./', { version: 2 }, false],
    ['$.checks[0].state = passing', { checks: [{ state: 'passing' }] }, true],
  ])('%j against %j: %s', (line, doc, matches) => {
    const expectation = parseJsonExpectation(line);
    const found = lookupJson(doc, expectation.path);
    expect(found.found && jsonValueMatches(expectation, found.value)).toBe(matches);
  });

  it('takes typed values from a YAML map', () => {
    const expectation = jsonExpectationFromEntry('replicas', 3);
    expect(jsonValueMatches(expectation, 3)).toBe(true);
    expect(jsonValueMatches(expectation, '3')).toBe(true);
    expect(jsonValueMatches(jsonExpectationFromEntry('ok', true), 'true')).toBe(true);
  });

  it.each(['status: ok', '= ok', 'a..b = 1', 'no equals sign'])('refuses %j', (line) => {
    expect(() => parseJsonExpectation(line)).toThrow(/takes "path = value" pairs/);
  });
});

describe('expect-header and version-field', () => {
  it.each([
    ['X-Version', { name: 'x-version' }],
    [
      'Content-Type: application/json',
      { name: 'content-type', matcher: { kind: 'substring', text: 'application/json' } },
    ],
    [
      'cache-control: /max-age=\\d+/',
      { name: 'cache-control', matcher: { kind: 'regex', regex: /max-age=\d+/ } },
    ],
  ])('parses %j', (line, expected) => {
    expect(parseHeaderExpectation(line)).toEqual(expected);
  });

  it.each([
    ['', { kind: 'body' }],
    ['body', { kind: 'body' }],
    ['header:X-App-Version', { kind: 'header', name: 'x-app-version' }],
    ['json:build.sha', { kind: 'json', path: ['build', 'sha'] }],
    ['json:$.meta[0].version', { kind: 'json', path: ['meta', 0, 'version'] }],
  ])('version-field %j', (text, source) => {
    expect(parseVersionSource(text)).toEqual(source);
  });

  it.each(['headers:x', 'header:', 'json:', 'json:a..b', 'xpath://v'])('refuses version-field %j', (text) => {
    expect(() => parseVersionSource(text)).toThrow(/must be body, header:<name> or json:<path>/);
  });
});

describe('percentiles (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it.each([
    [hundred, 50, 50],
    [hundred, 95, 95],
    [hundred, 99, 99],
    [[5], 95, 5],
    [[1, 2, 3, 4, 5], 95, 5],
    [[1, 2, 3, 4, 5], 50, 3],
  ])('of %j at p%d is %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('summarizes unsorted latencies', () => {
    expect(summarizeLatencies([30, 10, 20.04])).toEqual({ min: 10, p50: 20, p95: 30, p99: 30, max: 30 });
    expect(summarizeLatencies([])).toBeUndefined();
  });
});
