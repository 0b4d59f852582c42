import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReader, mapInputs, registeredSecrets } from '@slipway/shared';
import { createTestCertificates } from '@slipway/testing';
import { getInputs } from '../src/inputs';

const workspace = mkdtempSync(join(tmpdir(), 'smoke-test-inputs-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const read = (values: Record<string, string>) => getInputs(new InputReader(mapInputs(values)), workspace);

describe('smoke-test inputs', () => {
  it('reads one URL with the defaults', () => {
    const { gate, failOnInconclusive } = read({ url: 'https://app.example.com/health' });
    expect(failOnInconclusive).toBe(true);
    expect(gate.checks).toEqual([
      expect.objectContaining({
        name: 'https://app.example.com/health',
        url: new URL('https://app.example.com/health'),
        method: 'GET',
        expectStatus: [[200, 299]],
        followRedirects: true,
        versionSource: { kind: 'body' },
      }),
    ]);
    expect(gate).toMatchObject({
      timeoutMs: 10_000,
      readyTimeoutMs: 300_000,
      samples: 10,
      intervalMs: 1000,
      concurrency: 1,
      errorLimit: 0,
      failureLimit: undefined,
      minSuccessRate: 1,
      deadlineMs: 600_000,
      tls: { ca: undefined, insecure: false },
    });
  });

  it('reads several URLs (lines or |) with the per-check inputs applied to each', () => {
    const { gate } = read({
      url: 'http://a.test/health\nhttp://b.test/health | http://c.test/',
      'expect-status': '200,204',
      'expect-json': 'status = ok\nchecks[0].healthy = true',
      'max-latency': '0.75',
      'expect-version': 'abc123',
      'version-field': 'header:X-Version',
      samples: '20',
      'min-success-rate': '95%',
    });
    expect(gate.checks.map((c) => c.url.host)).toEqual(['a.test', 'b.test', 'c.test']);
    expect(gate.checks[2]).toMatchObject({
      expectStatus: [
        [200, 200],
        [204, 204],
      ],
      maxLatencyMs: 750,
      expectVersion: 'abc123',
      versionSource: { kind: 'header', name: 'x-version' },
    });
    expect(gate.checks[0].expectJson.map((j) => j.path)).toEqual([['status'], ['checks', 0, 'healthy']]);
    expect(gate).toMatchObject({ samples: 20, minSuccessRate: 0.95 });
  });

  it('reads checks from inline YAML and from a file, entries overriding the inputs', () => {
    const yaml = [
      '- name: api',
      '  url: http://api.test/health',
      '  expect-json: { status: ok, replicas: 3 }',
      '  headers: { Authorization: Bearer t0ken-from-yaml }',
      '- http://web.test/',
    ].join('\n');
    const inline = read({ checks: yaml, 'expect-body': 'fallback' });
    expect(inline.gate.checks.map((c) => [c.name, c.expectBody])).toEqual([
      ['api', { kind: 'substring', text: 'fallback' }],
      ['http://web.test/', { kind: 'substring', text: 'fallback' }],
    ]);
    expect(inline.gate.checks[0].expectJson.map((j) => j.expected)).toEqual([
      { kind: 'value', value: 'ok' },
      { kind: 'value', value: 3 },
    ]);
    expect(registeredSecrets()).toContain('Bearer t0ken-from-yaml');

    writeFileSync(join(workspace, 'checks.yml'), `checks:\n${yaml.replace(/^/gm, '  ')}\n`);
    expect(read({ checks: 'checks.yml' }).gate.checks.map((c) => c.name)).toEqual([
      'api',
      'http://web.test/',
    ]);
  });

  it('adds an entry\'s headers to the "headers" input, the entry winning', () => {
    const { gate } = read({
      checks: '- url: http://a.test\n  headers: { X-Env: staging }\n- http://b.test',
      headers: 'X-Env: prod\nAccept: text/plain',
    });
    expect(gate.checks.map((c) => c.headers)).toEqual([
      { 'x-env': 'staging', accept: 'text/plain' },
      { 'x-env': 'prod', accept: 'text/plain' },
    ]);
  });

  it('registers header values and URL passwords as secrets, but not plain headers', () => {
    const { gate } = read({
      url: 'https://deploy:pa55word-xyz@app.example.com/health',
      headers: 'X-Api-Key: k3y-abcdef\nAccept: application/json',
    });
    expect(registeredSecrets()).toEqual(expect.arrayContaining(['k3y-abcdef', 'pa55word-xyz']));
    expect(registeredSecrets()).not.toContain('application/json');
    expect(gate.checks[0].url.href).toBe('https://app.example.com/health');
    expect(gate.checks[0].headers.authorization).toBe(
      `Basic ${Buffer.from('deploy:pa55word-xyz').toString('base64')}`,
    );
  });

  it('takes an HTTP method token in any case, as the input and per check', () => {
    expect(read({ url: 'http://a.test', method: 'head' }).gate.checks[0].method).toBe('HEAD');
    const { gate } = read({
      method: 'put',
      checks:
        '- url: http://a.test\n  method: m-search\n- url: http://b.test\n- url: http://c.test\n  method: PROPFIND',
    });
    expect(gate.checks.map((c) => c.method)).toEqual(['M-SEARCH', 'PUT', 'PROPFIND']);
  });

  it('reads a CA as PEM text or a file', () => {
    const { caPem } = createTestCertificates();
    writeFileSync(join(workspace, 'ca.pem'), caPem);
    expect(read({ url: 'https://x.test', ca: caPem }).gate.tls.ca).toBe(caPem.trim());
    expect(read({ url: 'https://x.test', ca: 'ca.pem' }).gate.tls.ca).toBe(caPem);
  });

  it.each([
    [{}, 'url', 'Input "url" is required (or "checks"'],
    [{ url: 'http://x', checks: '- http://y' }, 'checks', 'Inputs "url" and "checks" both'],
    [{ url: 'app.example.com' }, 'url', 'Input "url" must be an absolute http(s) URL'],
    [{ url: 'ftp://app.example.com' }, 'url', 'Input "url" must use http or https'],
    [{ url: 'http://a.test\nnot-a-url' }, 'url', 'Input "url" (entry 2) must be an absolute http(s) URL'],
    [{ checks: '- url: nope' }, 'checks', 'Input "checks": "url" must be an absolute http(s) URL'],
    [{ url: 'http://x', timeout: 'soon' }, 'timeout', 'Input "timeout" must be a duration'],
    [
      { url: 'http://x', 'expect-status': '200-2xx' },
      'expect-status',
      'Input "expect-status" must be HTTP statuses and ranges such as 200-299,304; "200-2xx" is not one',
    ],
    [{ url: 'http://x', 'expect-status': '299-200' }, 'expect-status', '"299-200" is not one'],
    [
      { url: 'http://x', 'expect-body': '/(/' },
      'expect-body',
      'Input "expect-body" must be a substring or a valid /regular expression/',
    ],
    [
      { url: 'http://x', 'expect-json': 'status: ok' },
      'expect-json',
      'Input "expect-json" takes "path = value" pairs',
    ],
    [
      { url: 'http://x', 'expect-json': 'a..b = 1' },
      'expect-json',
      'Input "expect-json" takes "path = value" pairs',
    ],
    [
      { url: 'http://x', 'expect-header': 'bad header: x' },
      'expect-header',
      'Input "expect-header" takes "Name: value" lines',
    ],
    [
      { url: 'http://x', headers: 'Authorization Bearer s3cret-value' },
      'headers',
      'Input "headers" takes "Name: value" lines',
    ],
    [
      { url: 'http://x', 'version-field': 'xml:/a' },
      'version-field',
      'Input "version-field" must be body, header:<name> or json:<path>',
    ],
    [{ url: 'http://x', 'max-latency': 'fast' }, 'max-latency', 'Input "max-latency" must be a duration'],
    [{ url: 'http://x', method: 'GET /' }, 'method', 'Input "method" must be an HTTP method'],
    [{ url: 'http://x', method: 'GET\r\nX: y' }, 'method', 'Input "method" must be an HTTP method'],
    [
      { checks: '- url: http://x\n  method: "GET\\r\\nX: y"' },
      'checks',
      'Input "checks": "method" must be an HTTP method such as GET or POST',
    ],
    [
      { checks: '- http://a\n- { url: http://b, method: "POST /x" }' },
      'checks',
      'Input "checks" (entry 2): "method" must be an HTTP method such as GET or POST',
    ],
    [{ url: 'http://x', samples: '0' }, 'samples', 'Input "samples" must be a whole number from 1 to 100000'],
    [{ url: 'http://x', samples: '5', duration: '1m' }, 'duration', 'Inputs "samples" and "duration" both'],
    [
      { url: 'http://x', duration: '1m', interval: '0' },
      'duration',
      'Input "duration" needs an "interval" above 0',
    ],
    [
      { url: 'http://x', concurrency: '1000' },
      'concurrency',
      'Input "concurrency" must be a whole number from 1 to 256',
    ],
    [
      { url: 'http://x', 'min-success-rate': '120%' },
      'min-success-rate',
      'Input "min-success-rate" must be a number from 0 to 1',
    ],
    [
      { url: 'http://x', 'ready-status': '5xx' },
      'ready-status',
      'Input "ready-status" must be HTTP statuses',
    ],
    [
      { url: 'http://x', 'ready-backoff': '10s', 'ready-backoff-max': '1s' },
      'ready-backoff-max',
      'Input "ready-backoff-max" must be a duration of at least 10.0s; got 1.0s.',
    ],
    [{ url: 'http://x', insecure: 'maybe' }, 'insecure', 'Input "insecure" must be true or false'],
    [{ url: 'http://x', ca: 'missing.pem' }, 'ca', 'Input "ca" must be PEM text or the path of a PEM file'],
    [
      { url: 'http://x', ca: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' },
      'ca',
      'Input "ca" must hold a PEM certificate',
    ],
    [{ checks: 'no-such-file.yml' }, 'checks', 'Input "checks" is neither a YAML list nor an existing file'],
    [{ checks: '- url: http://x\n  bogus: 1' }, 'checks', 'Input "checks" has unknown keys "bogus"'],
    [{ checks: 'url: http://x' }, 'checks', 'Input "checks" must be a YAML list of checks'],
    [{ checks: '- url: [http://x' }, 'checks', 'Input "checks" must be valid YAML'],
    [
      { checks: '- http://a\n- { url: http://b, expect-status: abc }' },
      'checks',
      'Input "checks" (entry 2): "expect-status" must be HTTP statuses',
    ],
    [
      { checks: '- { name: a, url: http://a }\n- { name: a, url: http://b }' },
      'checks',
      'two checks named "a"',
    ],
  ])('refuses %j, naming the input', (values, input, message) => {
    expect(() => read(values)).toThrow(message);
    try {
      read(values);
    } catch (error) {
      expect((error as { input: string }).input).toBe(input);
    }
  });

  it('never shows a header value in an error', () => {
    expect(() =>
      read({ checks: '- url: http://x\n  headers: { Authorization: [s3cret-in-a-list] }' }),
    ).toThrow(/^Input "checks": "headers" takes "Name: value" lines .*\(its value is not shown\)\.$/);
    expect(() => read({ checks: '- url: http://x\n  headers: { "bad key": s3cret-value }' })).not.toThrow(
      /s3cret-value/,
    );
    expect(() =>
      read({ checks: '- url: http://x\n  headers:\n    Authorization: s3cret-value\n  oops' }),
    ).not.toThrow(/s3cret-value/);
  });
});

// issue 17, class 12: a CR, LF or NUL in a header value was accepted, and then every request failed (undici
// refuses such a value) and was retried as "not up yet" until ready-timeout.
describe('smoke-test inputs: header values that no request can carry', () => {
  it.each([
    ['a CR in the "headers" input', { url: 'http://x', headers: 'X-Api-Key: k3y\rInjected: yes' }, 'headers'],
    ['a NUL in the "headers" input', { url: 'http://x', headers: 'X-Api-Key: k3y\u0000tail' }, 'headers'],
    [
      'a CR LF in a check entry',
      { checks: '- url: http://x\n  headers: { X-Api-Key: "k3y\\r\\nInjected: yes" }' },
      'checks',
    ],
    [
      'a LF in a check entry',
      { checks: '- url: http://x\n  headers: { X-Api-Key: "k3y\\nmore" }' },
      'checks',
    ],
    ['a NUL in a check entry', { checks: '- url: http://x\n  headers: { X-Api-Key: "k3y\\0" }' }, 'checks'],
  ])('refuses %s as an input error, without showing the value', (_what, values, input) => {
    let error: unknown;
    try {
      read(values);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ input });
    expect((error as Error).message).toMatch(/header values may not hold a CR, LF or NUL character/);
    expect((error as Error).message).not.toMatch(/k3y/);
  });
});

// issue 17, class 5: an unparsable URL with a password was shown whole in the input error.
describe('smoke-test inputs: secrets in input errors', () => {
  it.each([
    ['url', { url: 'http://user:pw-s3cret@host:99999/' }],
    ['checks', { checks: '- url: "http://user:pw-s3cret@host:99999/"' }],
    [
      'checks',
      { checks: '- url: http://user:pw-s3cret@host:99999/\n  headers: { X-Api-Key: "hdr-s3cret\\r" }' },
    ],
  ])('names %s without its password or header values', (input, values) => {
    let error: Error | undefined;
    try {
      read(values);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toMatchObject({ input });
    expect(error?.message).not.toMatch(/pw-s3cret|hdr-s3cret/);
  });
});

// issue 17, classes 1 and 2: path inputs read through links out of the workspace, and files of any size.
describe('smoke-test inputs: files of "checks" and "ca"', () => {
  const outside = mkdtempSync(join(tmpdir(), 'smoke-test-outside-'));
  afterAll(() => rmSync(outside, { recursive: true, force: true }));
  beforeAll(() => {
    writeFileSync(
      join(outside, 'checks.yml'),
      '- url: http://outside.test/\n  headers: { X-Api-Key: outside-s3cret }\n',
    );
    symlinkSync(join(outside, 'checks.yml'), join(workspace, 'linked-checks.yml'));
    writeFileSync(join(workspace, 'big.pem'), '');
    truncateSync(join(workspace, 'big.pem'), 9 * 2 ** 20);
  });

  it.each([
    ['checks', { checks: 'linked-checks.yml' }, /linked-checks\.yml leads outside the workspace/],
    ['ca', { url: 'http://x', ca: 'linked-checks.yml' }, /linked-checks\.yml leads outside the workspace/],
    ['ca', { url: 'http://x', ca: 'big.pem' }, /big\.pem is larger than 8 MiB/],
  ])('refuses %s %j', (input, values, message) => {
    let error: Error | undefined;
    try {
      read(values);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toMatchObject({ input });
    expect(error?.message).toMatch(message);
  });

  it('reads a file the user names by its absolute path, wherever it is', () => {
    expect(read({ checks: join(outside, 'checks.yml') }).gate.checks[0].url.href).toBe(
      'http://outside.test/',
    );
  });
});

describe('smoke-test inputs: analysis', () => {
  const ANALYSIS =
    'metrics:\n  - name: errors\n    query: rate(errors{version="{{ version }}",colour="{{ colour }}"}[1m])\n    success-condition: result < 0.01\n    interval: 30s\n';
  const base = {
    url: 'https://app.example.com/health',
    'prometheus-url': 'https://ops:pr0m-s3cret@prom.example.com',
  };

  it('reads the analysis inline or from a workspace file, with the bake and the release values', () => {
    writeFileSync(join(workspace, 'analysis.yml'), ANALYSIS);
    for (const analysis of [ANALYSIS, 'analysis.yml']) {
      const inputs = read({
        ...base,
        analysis,
        bake: '10m',
        'expect-version': 'v2',
        'analysis-vars': 'colour=green\nrelease = 42',
      });
      expect(inputs.analysis).toMatchObject({
        bakeMs: 600_000,
        prometheus: { address: new URL('https://ops:pr0m-s3cret@prom.example.com') },
        metrics: [
          {
            name: 'errors',
            query: 'rate(errors{version="v2",colour="green"}[1m])',
            intervalMs: 30_000,
            count: undefined,
          },
        ],
      });
    }
    expect(registeredSecrets()).toContain('pr0m-s3cret');
  });

  it('deployed-at (ISO 8601 or epoch seconds) is when alarms start to count against the release', () => {
    const withAnalysis = { ...base, analysis: ANALYSIS, 'analysis-vars': 'version=v2\ncolour=g' };
    const at = new Date(Date.now() - 300_000);
    at.setMilliseconds(0);
    expect(read({ ...withAnalysis, 'deployed-at': at.toISOString() }).analysis?.since).toBe(at.getTime());
    expect(read({ ...withAnalysis, 'deployed-at': String(at.getTime() / 1000) }).analysis?.since).toBe(
      at.getTime(),
    );
    expect(read(withAnalysis).analysis?.since).toBeUndefined();
    for (const value of ['yesterday', '2026-12-06 21:00', '2099-01-01T00:00:00Z', '1000000000']) {
      expect(() => read({ ...withAnalysis, 'deployed-at': value })).toThrow(
        /^Input "deployed-at" must be when the release began to deploy, within the last 24h/,
      );
    }
  });

  it('has no analysis without the input, even with prometheus-url set for every environment', () => {
    expect(read(base).analysis).toBeUndefined();
  });

  it.each([
    ['bake', { bake: '5m' }, /Input "bake" needs an "analysis"/],
    [
      'bake',
      { analysis: ANALYSIS, 'analysis-vars': 'version=1\ncolour=g', bake: 'soon' },
      /"bake" must be a duration/,
    ],
    ['analysis-vars', { analysis: ANALYSIS, 'analysis-vars': 'colour green' }, /"name=value" lines/],
    ['analysis', { analysis: ANALYSIS }, /uses \{\{ version \}\}, which has no value/],
    ['analysis', { analysis: 'missing.yml' }, /neither YAML nor an existing file/],
    ['analysis', { analysis: 'metrics: [' }, /must be valid YAML/],
    [
      'analysis',
      { analysis: 'metrics:\n  - name: x\n    query: up\n', 'prometheus-url': '' },
      /needs a "success-condition"/,
    ],
    ['prometheus-url', { analysis: ANALYSIS, 'prometheus-url': 'prom:9090' }, /an http\(s\) URL/],
  ])('refuses a bad %s with one error naming it', (input, values, message) => {
    let error: unknown;
    try {
      read({ ...base, ...values } as Record<string, string>);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ input });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('pr0m-s3cret');
  });
});
