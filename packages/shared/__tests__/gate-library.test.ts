import { buildGateConfig, type GateDeps, runGate } from '../src';
import type { ProbeRequest, ProbeResponse } from '../src/gate/http-client';
import { runChecks, useServers } from './gate-helpers';

// The library as the rollback action uses it: plain data in, a typed result out, the world behind GateDeps.
function fakeDeps(answers: (n: number, request: ProbeRequest) => Partial<ProbeResponse>) {
  let clock = 0;
  let sent = 0;
  const sleeps: number[] = [];
  const deps: GateDeps = {
    client: {
      send: async (request) => ({
        status: 200,
        headers: {},
        body: '',
        truncated: false,
        finalUrl: request.url.href,
        redirects: 0,
        ...answers(++sent, request),
      }),
      close: async () => {},
    },
    now: () => clock,
    sleep: async (ms) => {
      if (ms > 0) sleeps.push(ms);
      clock += Math.max(0, ms);
    },
    random: () => 1,
    log: () => {},
  };
  return { deps, sleeps };
}

describe('the gate library', () => {
  it('backs off exponentially up to ready-backoff-max while not up yet, then samples at the interval', async () => {
    const config = buildGateConfig({
      checks: [{ url: 'https://app.test/health', 'expect-version': 'v2' }],
      'ready-backoff': 100,
      'ready-backoff-max': 400,
      samples: 3,
      interval: 1000,
    });
    const { deps, sleeps } = fakeDeps((n) => (n <= 5 ? { status: 503 } : { body: 'v2' }));
    const result = await runGate(config, deps);
    expect(result.result).toBe('passed');
    // random() = 1 takes the top of each full-jitter window: 100, 200, 400, then capped at 400.
    expect(sleeps).toEqual([100, 200, 400, 400, 400, 1000, 1000]);
    expect(result.checks[0].readiness).toMatchObject({
      attempts: 6,
      statusCounts: { '503': 5, '200': 1 },
      timeToReadyMs: 1500,
    });
  });

  it('gives up readiness at ready-timeout measured on the given clock', async () => {
    const config = buildGateConfig({
      checks: ['https://app.test/'],
      'ready-backoff': 100,
      'ready-timeout': 1000,
    });
    const { deps, sleeps } = fakeDeps(() => ({ status: 502 }));
    const result = await runGate(config, deps);
    expect(result.checks[0].reason).toBe(
      'not ready within ready-timeout 1.0s (4 attempts): status 502 (expected 200-299)',
    );
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(1000);
  });

  it('sends what the check says and masks its secrets in the result', async () => {
    const seen: ProbeRequest[] = [];
    const config = buildGateConfig({
      checks: [
        { url: 'https://u:pw-secret-1@app.test/', headers: { 'X-Token': 'tok-secret-2' }, body: { ping: 1 } },
      ],
      samples: 1,
    });
    const { deps } = fakeDeps((_n, request) => {
      seen.push(request);
      return { status: 500, body: `echo ${request.headers['x-token']} ${request.headers.authorization}` };
    });
    const result = await runGate(config, deps);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      body: '{"ping":1}',
      headers: {
        'x-token': 'tok-secret-2',
        'content-type': 'application/json',
        authorization: expect.stringMatching(/^Basic /),
      },
    });
    expect(seen[0].url.href).toBe('https://app.test/');
    expect(result.checks[0].firstFailure?.evidence.excerpt).toBe('echo *** ***');
    expect(JSON.stringify(result)).not.toMatch(/pw-secret-1|tok-secret-2/);
  });
});

// issue 17, class 6: the excerpt was cut at 500 characters before masking, so a secret across the cut
// leaked in part. Mask, then cut; and never end on the start of a secret.
describe('excerpts and clipped values: masked, then cut', () => {
  const SECRET = 'tok-straddle-0123456789abcdef';
  const config = () =>
    buildGateConfig({
      checks: [{ url: 'https://app.test/', headers: { 'X-Token': SECRET }, 'expect-header': 'x-echo: fine' }],
      samples: 1,
    });
  const partials = (text: string) =>
    [8, 12, 20].map((n) => SECRET.slice(0, n)).filter((part) => text.includes(part));

  it.each([490, 495, 499])('masks a secret that starts at %d, across the 500-character cut', async (at) => {
    const body = `${'x'.repeat(at)}${SECRET}${'y'.repeat(600)}`;
    const { deps } = fakeDeps(() => ({ status: 500, body }));
    const result = await runGate(config(), deps);
    const excerpt = result.checks[0].firstFailure?.evidence.excerpt ?? '';
    expect(excerpt.startsWith(`${'x'.repeat(at)}*`)).toBe(true);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(partials(JSON.stringify(result))).toEqual([]);
  });

  it('never ends on the start of a secret the server cut short (a body read to its limit)', async () => {
    const body = `${'x'.repeat(480)}${SECRET.slice(0, 15)}`;
    const { deps } = fakeDeps(() => ({ status: 500, body, truncated: true }));
    const result = await runGate(config(), deps);
    expect(result.checks[0].firstFailure?.evidence.excerpt).toBe(`${'x'.repeat(480)}…`);
    expect(partials(JSON.stringify(result))).toEqual([]);
  });

  it('masks, then clips, a response header value shown in a reason', async () => {
    const { deps } = fakeDeps(() => ({ status: 200, headers: { 'x-echo': `${'h'.repeat(110)}${SECRET}` } }));
    const result = await runGate(config(), deps);
    expect(result.checks[0].reason).toBeDefined();
    expect(partials(JSON.stringify(result))).toEqual([]);
  });
});

describe('the deadline', () => {
  const serve = useServers();
  it('fails a check that was never ready before the deadline', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const result = await runChecks([server.url], { deadline: 1000, 'ready-timeout': 60_000 });
    expect(result.result).toBe('failed');
    expect(result.checks[0].reason).toMatch(/^not ready before the deadline \(1.0s\): status 503/);
  });
});
