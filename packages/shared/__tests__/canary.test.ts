import { startHttpServer, type TestServer } from '@slipway/testing';
import {
  type AnalysisDeps,
  buildGateConfig,
  type CanaryAnalysis,
  type CanaryStep,
  canaryPlan,
  canaryWeightPlan,
  describeStep,
  entryCanaryJudge,
  InputError,
  joinCanaryAnalyses,
  metricsCanaryAnalysis,
  nearestWeights,
  parseCanarySteps,
  shareMechanism,
} from '../src';

// The canary's pure parts (steps, the replica ratio) as tables; its judge against a real HTTP server that answers
// as an entry point in front of old and new containers would.

describe('canary-steps', () => {
  it.each([
    ['5%,25%,100%', [5, 25, 100]],
    ['10 50', [10, 50, 100]],
    ['1%, 2.5%, 100', [1, 2.5, 100]],
    ['100%', [100]],
  ])('reads %j as %j (ending at 100%% as Argo Rollouts does)', (text, steps) => {
    expect(parseCanarySteps(text)).toEqual(steps);
  });

  it.each([
    ['5%,2%', /"canary-steps".*2% after 5% does not rise/],
    ['150%', /"canary-steps".*"150%" is not a share above 0% and at most 100%/],
    ['0%', /"0%" is not a share/],
    ['five', /"five" is not a share/],
    ['5%;25%', /"5%;25%" is not a share/],
    ['', /got nothing/],
    ['10%,10%', /10% after 10% does not rise/],
  ])('refuses %j with an input error naming canary-steps', (text, message) => {
    const error = (() => {
      try {
        parseCanarySteps(text);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error?.input).toBe('canary-steps');
    expect(error?.message).toMatch(message);
  });
});

describe('the replica ratio of each step', () => {
  it.each([
    // old containers, declared steps -> [new, effective] per step
    [
      1,
      [5, 25, 100],
      [
        [1, 50],
        [1, 50],
        [1, 100],
      ],
    ],
    [
      2,
      [5, 25, 50, 100],
      [
        [1, 33.3],
        [1, 33.3],
        [2, 50],
        [2, 100],
      ],
    ],
    [
      3,
      [5, 25, 40, 100],
      [
        [1, 25],
        [1, 25],
        [2, 40],
        [3, 100],
      ],
    ],
    [
      4,
      [10, 30, 100],
      [
        [1, 20],
        [2, 33.3],
        [4, 100],
      ],
    ],
  ])('%i old, steps %j: %j', (old, steps, expected) => {
    expect(canaryPlan(steps, old).map((s) => [s.newCount, s.effective])).toEqual(expected);
  });

  it('says what each step really gives', () => {
    const [first, last] = canaryPlan([5, 100], 1);
    expect(describeStep(first)).toBe('declared 5%, effective 50% (1 new beside 1 old)');
    expect(describeStep(last)).toBe('declared 100%, effective 100% (1 new, the 1 old out of rotation)');
  });
});

describe('the weights of each step (HAProxy runtime API)', () => {
  it.each([
    // declared, old servers -> old weight, new weight, effective
    [5, 1, 19, 1, 5],
    [10, 1, 9, 1, 10],
    [25, 1, 3, 1, 25],
    [30, 1, 7, 3, 30],
    [33.3, 1, 2, 1, 33.3],
    [50, 1, 1, 1, 50],
    [95, 1, 1, 19, 95],
    [1, 1, 99, 1, 1],
    [0.1, 1, 256, 1, 0.4],
    [10, 2, 9, 2, 10],
    [5, 3, 19, 3, 5],
  ])(
    'declared %d%% beside %d old server(s): %d : %d, effective %d%%',
    (declared, servers, old, nw, effective) => {
      expect(nearestWeights(declared, servers)).toEqual({ old, new: nw });
      const [step] = canaryWeightPlan([declared, 100], 2, 'HAProxy', servers);
      expect([step.newCount, step.effective]).toEqual([1, effective]);
    },
  );

  it('says the weights; the 100% step is the switch, as with the replica ratio', () => {
    const [first, last] = canaryWeightPlan([10, 100], 1, 'HAProxy', 1);
    expect(describeStep(first)).toBe(
      'declared 10%, effective 10% (HAProxy weights: 1 new container at 1, 1 old server at 9)',
    );
    expect(describeStep(last)).toBe('declared 100%, effective 100% (1 new, the 1 old out of rotation)');
    expect(last.weights).toBeUndefined();
    const [two] = canaryWeightPlan([5], 2, 'HAProxy', 2);
    expect(describeStep(two)).toBe(
      'declared 5%, effective 5% (HAProxy weights: 1 new container at 2, 2 old servers at 19 each)',
    );
  });

  it.each([
    ['old 1\nservers 1 haproxy\n', { kind: 'weights', proxy: 'HAProxy', oldServers: 1 }],
    [
      'old 2\nservers 2 nginx\nservers 2 haproxy\n',
      { kind: 'weights', proxy: 'Nginx and HAProxy', oldServers: 2 },
    ],
    [
      'old 2\nreplicas proxy nginx\n',
      {
        kind: 'replicas',
        why: 'proxy (nginx) spreads requests over the addresses of web\'s DNS name (Nginx takes weights when its upstream includes a file named slipway-web.conf: see "Canary" in the README)',
        notice: false,
      },
    ],
    [
      'old 1\nreplicas lb its container has no socat to reach the runtime API at /run/a.sock\n',
      {
        kind: 'replicas',
        why: "lb cannot take the canary's weights: its container has no socat to reach the runtime API at /run/a.sock",
        notice: true,
      },
    ],
    [
      'old 1\nreplicas - the project has no proxy in front of web\n',
      { kind: 'replicas', why: 'the project has no proxy in front of web', notice: false },
    ],
    [
      'old 2\nservers 1 haproxy\nservers 2 nginx\n',
      {
        kind: 'replicas',
        why: 'the proxies hold different numbers of servers of web (1, 2): one set of weights cannot give each the same share',
        notice: true,
      },
    ],
  ])('canary-open said %j: %j', (stdout, mechanism) => {
    expect(shareMechanism(stdout, 'web')).toEqual(mechanism);
  });
});

describe('the entry point judge of a canary step (real HTTP)', () => {
  let server: TestServer;
  /** What the entry point answers for request n: a version (`v1` old, `v2` new) or a failure. */
  let answer: (n: number) => { status: number; body: string };
  beforeAll(async () => {
    server = await startHttpServer((_req, res, n) => {
      const { status, body } = answer(n);
      res.statusCode = status;
      res.end(body);
    });
  });
  afterAll(() => server.close());

  const step = (effective: number, durationMs = 1000): CanaryStep => ({
    number: 2,
    of: 3,
    declared: effective,
    effective,
    durationMs,
    what: 'h1: web',
  });
  const judge = (options: Record<string, unknown> = {}) => {
    const log: string[] = [];
    const config = buildGateConfig({
      checks: [server.url],
      defaults: { 'expect-version': 'v2' },
      timeout: 2000,
      ...options,
    });
    return { hook: entryCanaryJudge(config, { log: (l) => log.push(l), intervalMs: 20 }), log };
  };

  it('passes a healthy canary, attributing each answer to its version: the observed share', async () => {
    answer = (n) => ({ status: 200, body: n % 2 ? 'v1' : 'v2' });
    const { hook } = judge();
    const result = await hook(step(50), new AbortController().signal);
    expect(result.verdict).toBe('passed');
    expect(result.observed?.unattributed).toBe(0);
    expect(result.observed?.observedShare).toBeGreaterThan(35);
    expect(result.observed?.observedShare).toBeLessThan(65);
    // 2 workers every 20 ms for 1 s: up to 100 (fewer on a loaded machine)
    expect(result.observed!.newAnswers + result.observed!.oldAnswers).toBeGreaterThan(10);
  });

  it('fails at the first answer past the budget (500 without a version counts against the canary), long before the interval ends', async () => {
    answer = (n) => (n < 10 ? { status: 200, body: n % 2 ? 'v1' : 'v2' } : { status: 500, body: 'oops' });
    const { hook, log } = judge();
    const started = Date.now();
    const result = await hook(step(50, 20_000), new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.verdict).toBe('failed');
    expect(result.reason).toMatch(
      /^1 failing answer\(s\) where min-success-rate 100% allows 0 \(first: .*HTTP 500 \(not attributable: counted against the canary\): status 500/,
    );
    expect(log[0]).toContain('h1: web: step 2: ');
  });

  it('answers of the old version that fail are not attributable either; a 90% min-success-rate allows some', async () => {
    answer = (n) => (n % 25 === 0 ? { status: 503, body: 'v1' } : { status: 200, body: n % 2 ? 'v1' : 'v2' });
    const { hook } = judge({ 'min-success-rate': 0.9 });
    const result = await hook(step(50), new AbortController().signal);
    expect(result.verdict).toBe('passed');
    expect(result.observed?.unattributed).toBeGreaterThan(0);
  });

  it('is inconclusive when the new version gives fewer answers than it needs', async () => {
    answer = () => ({ status: 200, body: 'v1' });
    const { hook } = judge();
    const result = await hook(step(5, 500), new AbortController().signal);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/the new version gave 0 answer\(s\) in 500ms, fewer than the 5 needed/);
    expect(result.observed?.observedShare).toBe(0);
  });

  it('fails on the new version p95 above max-p95', async () => {
    answer = () => ({ status: 200, body: 'v2' });
    const slow: CanaryAnalysis = async (s, signal) => {
      const config = buildGateConfig({
        checks: [server.url],
        defaults: { 'expect-version': 'v2' },
        'max-p95': 1,
      });
      // A judge whose clock makes every request take 5 ms.
      let clock = 0;
      const hook = entryCanaryJudge(config, {
        log: () => {},
        intervalMs: 20,
        deps: () => ({
          client: {
            send: async (request) => {
              clock += 5;
              return {
                status: 200,
                headers: {},
                body: 'v2',
                truncated: false,
                finalUrl: request.url.href,
                redirects: 0,
              };
            },
            close: async () => {},
          },
          now: () => clock,
          sleep: async (ms) => {
            clock += Math.max(0, ms);
          },
          random: () => 1,
          log: () => {},
        }),
      });
      return hook(s, signal);
    };
    const result = await slow(step(100, 400), new AbortController().signal);
    expect(result.verdict).toBe('failed');
    expect(result.reason).toMatch(/^p95 \d+ms above max-p95 1ms/);
  });

  it('joins other gates: the first to fail stops the others, failed wins', async () => {
    answer = () => ({ status: 200, body: 'v2' });
    const { hook } = judge();
    const metrics: CanaryAnalysis = async () => ({ verdict: 'failed', reason: 'error rate 0.2 > 0.05' });
    const started = Date.now();
    const result = await joinCanaryAnalyses(hook, metrics)(step(50, 20_000), new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ verdict: 'failed', reason: 'error rate 0.2 > 0.05' });
    expect(result.observed?.newAnswers).toBeGreaterThanOrEqual(0);
  });
});

describe('the metrics analysis as a canary hook', () => {
  it('measures for the step and fails it at the crossing, joined with another gate', async () => {
    let t = 0;
    const deps: AnalysisDeps = {
      now: () => t,
      sleep: async (ms, signal) => {
        if (!signal.aborted && ms > 0) t += ms;
      },
      log: () => {},
      providers: {
        prometheus: {
          // the error rate crosses 0.01 at the third measurement
          measure: async () => [{ labels: {}, values: [t >= 20_000 ? 0.2 : 0.001] }],
        },
      },
    };
    const analysis = {
      prometheus: { address: 'http://127.0.0.1:1' },
      metrics: [
        {
          name: 'error-rate',
          query: 'rate(errors[1m])',
          'success-condition': 'result < 0.01',
          interval: '10s',
        },
      ],
    };
    const metrics = metricsCanaryAnalysis(analysis, { vars: { version: 'v2' }, bakeMs: 60_000 }, { deps });
    const healthy: CanaryAnalysis = async () => ({ verdict: 'passed', reason: 'entry point fine' });
    const step: CanaryStep = {
      number: 1,
      of: 2,
      declared: 5,
      effective: 50,
      durationMs: 60_000,
      what: 'h1: web',
    };
    const result = await joinCanaryAnalyses(healthy, metrics)(step, new AbortController().signal);
    expect(result.verdict).toBe('failed');
    expect(result.reason).toMatch(/^metrics: error-rate: /);
    expect(t).toBeLessThan(60_000);
  });
});
