import { freePort, type TestServer } from '@slipway/testing';
import { json, runChecks, useServers } from './gate-helpers';

// The gate library against real HTTP servers on loopback, one scenario of the issue per test.
const serve = useServers();

describe('readiness: "not up yet" is retried', () => {
  it('waits for a service that is down, then up', async () => {
    const port = await freePort();
    let up: Promise<TestServer> | undefined;
    // The server starts when the gate has seen it refuse a connection twice: no timing involved.
    const result = await runChecks([`http://127.0.0.1:${port}/health`], {}, (line) => {
      if (!up && line.includes('attempt 2: ')) up = serve((_req, res) => res.end('ok'), { port });
    });
    expect(result.log[0]).toMatch(/not up yet \(attempt 1: .*ECONNREFUSED/);
    expect(result.result).toBe('passed');
    const [check] = result.checks;
    expect(check.readiness).toMatchObject({ ready: true, broken: false });
    expect(check.readiness.statusCounts.ECONNREFUSED).toBeGreaterThanOrEqual(2);
    expect(check.readiness.statusCounts['200']).toBe(1);
    expect(check.verification).toMatchObject({ valid: 5, passes: 5, failures: 0, errors: 0, successRate: 1 });
  });

  it('waits for the new version while the old one still answers', async () => {
    const server = await serve((_req, res, n) =>
      json(res, 200, { build: { sha: n <= 3 ? 'old1111' : 'new2222' } }),
    );
    const result = await runChecks([
      { url: `${server.url}/version`, 'expect-version': 'new2222', 'version-field': 'json:build.sha' },
    ]);
    expect(result.result).toBe('passed');
    expect(result.checks[0].readiness).toMatchObject({
      ready: true,
      attempts: 4,
      statusCounts: { '200': 4 },
    });
    expect(result.log[0]).toContain('version new2222 not in JSON field build.sha (got old1111)');
    expect(server.requests).toBe(4 + 5);
  });

  it('reads the version from a header (version-field header:<name>), waiting while the old one answers', async () => {
    const server = await serve((_req, res, n) => {
      res.setHeader('X-App-Version', n <= 2 ? '1.4.0' : '1.5.0');
      res.end('ok');
    });
    const result = await runChecks([
      { url: server.url, 'expect-version': '1.5.0', 'version-field': 'header:X-App-Version' },
    ]);
    expect(result.result).toBe('passed');
    expect(result.checks[0].readiness).toMatchObject({ ready: true, attempts: 3 });
    expect(result.log[0]).toContain('version 1.5.0 not in header x-app-version (got "1.4.0")');
  });

  it('retries a reset, 503 and 404 but gives up at once on a 500 (not a status of a starting service)', async () => {
    const starting = await serve((req, res, n) => {
      if (n === 1) return req.socket.destroy();
      res.statusCode = n === 2 ? 503 : n === 3 ? 404 : 200;
      res.end();
    });
    const started = await runChecks([starting.url]);
    expect(started.result).toBe('passed');
    expect(started.checks[0].readiness.statusCounts).toEqual({
      UND_ERR_SOCKET: 1,
      '503': 1,
      '404': 1,
      '200': 1,
    });
    const erroring = await serve((_req, res) => {
      res.statusCode = 500;
      res.end('NullPointerException at Health.check');
    });
    const result = await runChecks([erroring.url]);
    expect(result.result).toBe('failed');
    expect(erroring.requests).toBe(1);
    expect(result.checks[0].reason).toBe('broken: status 500 (expected 200-299)');
    expect(result.checks[0].firstFailure?.evidence.excerpt).toBe('NullPointerException at Health.check');
  });

  it('fails at once with the evidence when a 2xx has the wrong body (broken, not "not up yet")', async () => {
    const server = await serve((_req, res) => json(res, 200, { status: 'degraded', db: 'down' }));
    const result = await runChecks([server.url], {
      defaults: { 'expect-json': 'status = ok', 'expect-body': '"db"' },
    });
    expect(result.result).toBe('failed');
    expect(server.requests).toBe(1);
    const [check] = result.checks;
    expect(check.readiness).toMatchObject({ ready: false, broken: true, attempts: 1 });
    expect(check.reason).toBe('broken: JSON status is "degraded" (expected status = ok)');
    expect(check.firstFailure).toMatchObject({
      phase: 'readiness',
      evidence: { status: 200, excerpt: '{"status":"degraded","db":"down"}' },
    });
    expect(check.verification).toBeUndefined();
  });

  it('gives up after ready-timeout, saying what the last answer was', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 503;
      res.end('warming up');
    });
    const result = await runChecks([server.url], { 'ready-timeout': 300 });
    expect(result.result).toBe('failed');
    expect(result.checks[0].reason).toMatch(
      /^not ready within ready-timeout 300ms \(\d+ attempts\): status 503/,
    );
    expect(server.requests).toBeGreaterThan(1);
  });

  it('counts a slow answer as not up yet (a cold start), then fails it by max-latency', async () => {
    const server = await serve((_req, res) => setTimeout(() => res.end('ok'), 150));
    const result = await runChecks([{ url: server.url, 'max-latency': '50ms' }], { 'ready-timeout': 500 });
    expect(result.result).toBe('failed');
    expect(result.checks[0].reason).toMatch(/^not ready within .*: took \d+ms \(max-latency 50ms\)$/);
    expect(server.requests).toBeGreaterThan(1);
  });

  it('retries a name that does not resolve (DNS not there yet), then gives up at ready-timeout', async () => {
    // `.invalid` never resolves (RFC 2606); a resolver slower than `timeout` shows as a timeout, also "not up yet".
    const result = await runChecks(['http://slipway-gate-check.invalid/health'], { 'ready-timeout': 600 });
    expect(result.result).toBe('failed');
    const [check] = result.checks;
    expect(check.readiness.broken).toBe(false);
    expect(check.readiness.attempts).toBeGreaterThan(1);
    expect(check.reason).toMatch(
      /^not ready within ready-timeout 600ms \(\d+ attempts\): .*(ENOTFOUND|EAI_AGAIN|no answer)/,
    );
    expect(result.log[0]).toMatch(/not up yet \(attempt 1: /);
  });

  it('times out a request that never answers', async () => {
    const server = await serve(() => undefined);
    const result = await runChecks([server.url], { timeout: 100, 'ready-timeout': 300 });
    expect(result.checks[0].reason).toMatch(/: no answer within \d+ms$/);
    expect(result.checks[0].readiness.statusCounts.TIMEOUT).toBeGreaterThan(0);
  });
});

describe('verification', () => {
  it('fails on a 500 after N requests, with the first failure and its excerpt', async () => {
    const server = await serve((_req, res, n) => {
      res.statusCode = n <= 3 ? 200 : 500;
      res.end(n <= 3 ? 'ok' : 'out of connections');
    });
    const result = await runChecks([server.url]);
    expect(result.result).toBe('failed');
    const [check] = result.checks;
    expect(check.reason).toBe('1 of 3 samples failed: the success rate can no longer reach 100%');
    expect(check.verification).toMatchObject({
      passes: 2,
      failures: 1,
      statusCounts: { '200': 2, '500': 1 },
    });
    expect(check.firstFailure).toMatchObject({
      phase: 'verification',
      reasons: ['status 500 (expected 200-299)'],
      evidence: { status: 500, excerpt: 'out of connections' },
    });
    expect(server.requests).toBe(4);
  });

  it('judges a flapping service by min-success-rate and failure-limit', async () => {
    const flapping = () =>
      serve((_req, res, n) => {
        res.statusCode = n % 2 === 1 ? 200 : 500;
        res.end();
      });
    const strict = await runChecks([(await flapping()).url]);
    expect(strict.result).toBe('failed');

    const tolerant = await runChecks([(await flapping()).url], { 'min-success-rate': 0.4 });
    expect(tolerant.result).toBe('passed');
    expect(tolerant.checks[0].verification).toMatchObject({ passes: 2, failures: 3, valid: 5 });
    expect(tolerant.successRate).toBe(0.4);

    const limited = await runChecks([(await flapping()).url], { 'min-success-rate': 0, 'failure-limit': 1 });
    expect(limited.checks[0].reason).toBe('2 samples failed their assertions (failure-limit 1)');
  });

  it('does not count requests without a response as samples, up to error-limit', async () => {
    const dropping = () =>
      serve((req, res, n) => {
        if (n === 3 || n === 5) req.socket.destroy();
        else res.end('ok');
      });
    const tolerant = await runChecks([(await dropping()).url], { 'error-limit': 2 });
    expect(tolerant.result).toBe('passed');
    expect(tolerant.checks[0].verification).toMatchObject({ requests: 7, valid: 5, errors: 2 });
    const strict = await runChecks([(await dropping()).url]);
    expect(strict.result).toBe('failed');
    expect(strict.checks[0].reason).toBe('1 requests got no response (error-limit 0)');
  });

  it('fails on a latency threshold over all samples (max-p95)', async () => {
    const server = await serve((_req, res, n) => setTimeout(() => res.end('ok'), n === 3 ? 200 : 0));
    const result = await runChecks([server.url], { 'max-p95': 100 });
    expect(result.result).toBe('failed');
    expect(result.checks[0].reason).toMatch(/^p95 \d+ms above max-p95 100ms$/);
    expect(result.checks[0].verification?.latency?.max).toBeGreaterThanOrEqual(200);
  });

  it('fails on max-p99 what max-p95 lets through: one slow answer in 40', async () => {
    // Request 1 is readiness; of the 40 samples one (request 10) is slow: rank 38 of 40 is fast, rank 40 slow.
    const server = await serve((_req, res, n) => setTimeout(() => res.end('ok'), n === 10 ? 250 : 0));
    const result = await runChecks([server.url], { samples: 40, 'max-p95': 150, 'max-p99': 150 });
    expect(result.result).toBe('failed');
    expect(result.checks[0].reason).toMatch(/^p99 \d+ms above max-p99 150ms$/);
    expect(result.p95Ms).toBeLessThan(150);
    expect(server.requests).toBe(41);
  });

  it('counts a sample over max-latency as an assertion failure, within failure-limit', async () => {
    const slowFourth = () => serve((_req, res, n) => setTimeout(() => res.end('ok'), n === 4 ? 250 : 0));
    const strict = await runChecks([{ url: (await slowFourth()).url, 'max-latency': '150ms' }]);
    expect(strict.result).toBe('failed');
    expect(strict.checks[0].firstFailure).toMatchObject({
      phase: 'verification',
      reasons: [expect.stringMatching(/^took \d+ms \(max-latency 150ms\)$/)],
    });
    const tolerant = await runChecks([{ url: (await slowFourth()).url, 'max-latency': '150ms' }], {
      'failure-limit': 1,
      'min-success-rate': 0.8,
    });
    expect(tolerant.result).toBe('passed');
    expect(tolerant.checks[0].verification).toMatchObject({ passes: 4, failures: 1, valid: 5 });
  });

  it('is inconclusive when the deadline comes before enough samples', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const result = await runChecks([server.url], { samples: 1000, interval: 50, deadline: 800 });
    expect(result.result).toBe('inconclusive');
    expect(result.checks[0].reason).toMatch(/^only \d+ of 1000 samples before the deadline$/);
  });

  it('passes early after consecutive-successes', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const result = await runChecks([server.url], { samples: 1000, 'consecutive-successes': 3 });
    expect(result.result).toBe('passed');
    expect(result.checks[0].reason).toBe('3 of 3 samples passed (3 consecutive successes)');
    expect(server.requests).toBe(1 + 3);
  });

  it('keeps at most `concurrency` requests in flight and takes every sample', async () => {
    let inFlight = 0;
    let most = 0;
    const server = await serve((_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 20);
    });
    const result = await runChecks([server.url], { samples: 24, concurrency: 4, interval: 0 });
    expect(result.result).toBe('passed');
    expect(result.checks[0].verification).toMatchObject({ valid: 24, requests: 24 });
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  });

  it('samples for a duration at the interval', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const result = await runChecks([server.url], { samples: undefined, duration: 100, interval: 20 });
    expect(result.checks[0].verification?.valid).toBe(5);
  });

  it('runs several checks and reports each, with rate and p95 over all samples', async () => {
    const good = await serve((_req, res) => res.end('ok'));
    const bad = await serve((_req, res, n) => {
      res.statusCode = n === 1 ? 200 : 500;
      res.end();
    });
    const result = await runChecks([
      { name: 'good', url: good.url },
      { name: 'bad', url: bad.url },
    ]);
    expect(result.result).toBe('failed');
    expect(result.checks.map((c) => [c.name, c.result])).toEqual([
      ['good', 'passed'],
      ['bad', 'failed'],
    ]);
    expect(result.successRate).toBe(5 / 6);
    expect(result.p95Ms).toEqual(expect.any(Number));
  });
});

describe('requests', () => {
  it('follows a redirect, and sends credentials only to the same origin', async () => {
    const seen: Array<string | undefined> = [];
    const other = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.end('ok');
    });
    const server = await serve((req, res) => {
      res.statusCode = 302;
      res.setHeader('location', req.url === '/old' ? '/health' : `${other.url}/elsewhere`);
      if (req.url === '/health') {
        res.statusCode = 200;
        res.removeHeader('location');
      }
      res.end();
    });
    const same = await runChecks([
      { url: `${server.url}/old`, headers: { authorization: 'Bearer s3cret-token' } },
    ]);
    expect(same.result).toBe('passed');
    expect(server.requests).toBe(12);

    const cross = await runChecks([
      { url: `${server.url}/away`, headers: { authorization: 'Bearer s3cret-token' } },
    ]);
    expect(cross.result).toBe('passed');
    expect(seen).toEqual(Array(6).fill(undefined));

    const loop = await serve((_req, res) => {
      res.statusCode = 307;
      res.setHeader('location', '/again');
      res.end();
    });
    const looping = await runChecks([loop.url]);
    expect(looping.checks[0].reason).toBe('broken: more than 5 redirects (the last to /again)');
    expect(loop.requests).toBe(6);

    const notFollowed = await runChecks([{ url: `${server.url}/old`, 'follow-redirects': false }]);
    expect(notFollowed.checks[0].reason).toBe('broken: status 302 (expected 200-299)');
    const asExpected = await runChecks([
      { url: `${server.url}/old`, 'follow-redirects': 'false', 'expect-status': 302 },
    ]);
    expect(asExpected.result).toBe('passed');
  });

  it('reads at most 1 MiB of a body, streamed or with a length', async () => {
    const big = `${'x'.repeat(2 * 1024 * 1024)}marker`;
    const chunked = await serve((_req, res) => {
      res.write(big.slice(0, 1000));
      res.end(big.slice(1000));
    });
    const sized = await serve((_req, res) => {
      res.setHeader('content-length', Buffer.byteLength(big));
      res.end(big);
    });
    const small = await serve((_req, res) => res.end('fits: marker'));
    const result = await runChecks(
      [chunked.url, sized.url, small.url].map((url) => ({ url, 'expect-body': 'marker' })),
      { samples: 1 },
    );
    expect(result.checks.map((c) => c.result)).toEqual(['failed', 'failed', 'passed']);
    expect(result.checks[0].firstFailure?.evidence.excerpt).toBe(`${'x'.repeat(500)}…`);
  });

  it('sends the method, headers and body, checks headers, and masks secret values in the result', async () => {
    const server = await serve(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      res.setHeader('x-served-by', 'api-7');
      json(res, 200, {
        method: req.method,
        body,
        key: req.headers['x-api-key'],
        type: req.headers['content-type'],
      });
    });
    const result = await runChecks([
      {
        url: server.url,
        method: 'post',
        headers: 'X-Api-Key: key-0123456789\nContent-Type: text/plain',
        body: 'ping',
        'expect-header': ['x-served-by: /^api-\\d+$/', 'content-type'],
        'expect-json': { method: 'POST', body: 'ping', type: 'text/plain', key: 'nope' },
      },
    ]);
    expect(result.checks[0].reason).toBe('broken: JSON key is "***" (expected key = nope)');
    expect(JSON.stringify(result)).not.toContain('key-0123456789');
    expect(JSON.stringify(result)).toContain('text/plain');
  });
});
