import { InputError } from '../src/errors';
import {
  type AnalysisDeps,
  analyseRelease,
  analysisSummaryMarkdown,
  buildAnalysisConfig,
  joinVerdicts,
  type MetricConfig,
  runAnalysis,
  type Series,
} from '../src/gate/analysis';
import { holds, parseCondition } from '../src/gate/analysis/condition';

/** Virtual time: sleeping moves the clock; the provider answers from a script, one entry per call. */
function fakeDeps(script: (call: number, metric: MetricConfig, at: number) => Series[] | Error) {
  let t = 0;
  const calls: { metric: string; at: number; query: string }[] = [];
  const log: string[] = [];
  const deps: AnalysisDeps = {
    now: () => t,
    sleep: async (ms, signal) => {
      if (!signal.aborted && ms > 0) t += ms;
    },
    log: (line) => log.push(line),
    providers: {
      prometheus: {
        measure: async (metric) => {
          calls.push({ metric: metric.name, at: t, query: metric.query });
          const answer = script(calls.filter((c) => c.metric === metric.name).length, metric, t);
          if (answer instanceof Error) throw answer;
          return answer;
        },
      },
    },
  };
  return { deps, calls, log };
}

const one = (value: number, labels: Record<string, string> = {}): Series[] => [{ labels, values: [value] }];
const PROM = { address: 'http://127.0.0.1:1' };
const metric = (extra: Record<string, unknown> = {}) => ({
  name: 'error-rate',
  query: 'sum(rate(errors{version="{{ version }}"}[1m]))',
  'success-condition': 'result < 0.01',
  interval: '10s',
  ...extra,
});
const config = (metrics: unknown[], bakeMs?: number) =>
  buildAnalysisConfig({ prometheus: PROM, metrics }, { bakeMs, vars: { version: 'v2' } });

describe('conditions', () => {
  it.each([
    ['result < 0.01', 0.001, true],
    ['result < 0.01', 0.01, false],
    ['result == 0', 0, true],
    ['result == 0', 1, false],
    ['result != 0', 0, false],
    ['0.95 <= result <= 1', 0.97, true],
    ['0.95 <= result <= 1', 0.9, false],
    ['result >= 0.9 and result < 2', 2, false],
    ['result > 1e-3 && result <= .5', 0.5, true],
    ['0.5 > result', 0.4, true],
  ])('%s with %d is %s', (text, value, expected) => {
    expect(holds(parseCondition(text), value)).toBe(expected);
  });

  it('NaN meets no condition', () => {
    expect(holds(parseCondition('result != 0'), Number.NaN)).toBe(false);
  });

  it.each(['', 'result <', 'result < abc', 'len(result) > 0', 'result < 1 or result > 2', 'x == 1'])(
    'refuses %j, naming the metric and the key',
    (text) => {
      expect(() => config([metric({ 'success-condition': text })])).toThrow(
        /Input "analysis".*metric "error-rate".*success-condition|needs a "success-condition"/,
      );
    },
  );
});

describe('analysis config', () => {
  it('fills the release into the query, escaped for a PromQL string', () => {
    const c = buildAnalysisConfig(
      {
        prometheus: PROM,
        metrics: [metric({ query: 'up{version="{{version}}",colour="{{ colour }}",r="{{release}}"}' })],
      },
      { vars: { version: 'v"2\\', color: 'green', release: '42' } },
    );
    expect(c.metrics[0].query).toBe('up{version="v\\"2\\\\",colour="green",r="42"}');
  });

  it('refuses a placeholder without a value instead of widening the query to every version', () => {
    expect(() => buildAnalysisConfig({ prometheus: PROM, metrics: [metric()] }, { vars: {} })).toThrow(
      /uses \{\{ version \}\}, which has no value/,
    );
  });

  it.each([
    ['no metrics', { metrics: [] }, /at least one metric/],
    ['an unknown key', { prometheus: PROM, metrics: [metric({ typo: 1 })] }, /"typo" in metric "error-rate"/],
    [
      'two metrics of one name',
      { prometheus: PROM, metrics: [metric(), metric()] },
      /two metrics named "error-rate"/,
    ],
    [
      'an unknown provider',
      { prometheus: PROM, metrics: [metric({ provider: 'datadog' })] },
      /provider "datadog"; accepted: prometheus/,
    ],
    ['no Prometheus address', { metrics: [metric()] }, /no address is given/],
    [
      'a zero interval',
      { prometheus: PROM, metrics: [metric({ interval: '0s' })] },
      /"interval" must be a duration/,
    ],
    [
      'a fractional count',
      { prometheus: PROM, metrics: [metric({ count: 1.5 })] },
      /"count" must be a whole number/,
    ],
    [
      'failure-limit -2',
      { prometheus: PROM, metrics: [metric({ 'failure-limit': -2 })] },
      /"failure-limit" must be a whole number of at least -1/,
    ],
    [
      'count without interval',
      { prometheus: PROM, metrics: [metric({ interval: undefined, count: 3 })] },
      /no "interval"/,
    ],
    ['an ftp address', { prometheus: { address: 'ftp://x' }, metrics: [metric()] }, /not http/],
    ['plain text', 'just text', /must be a YAML map/],
    [
      'a CloudWatch metric with a query',
      { metrics: [{ name: 'a', provider: 'cloudwatch', query: 'up', count: 1 }] },
      /instead of "query"/,
    ],
    [
      'a CloudWatch metric with alarms and a prefix',
      { metrics: [{ name: 'a', provider: 'cloudwatch', alarms: ['x'], 'alarm-prefix': 'y' }] },
      /exactly one of "alarms"/,
    ],
    [
      'alarm-tags with named alarms',
      { metrics: [{ name: 'a', provider: 'cloudwatch', alarms: ['x'], 'alarm-tags': { team: 'shop' } }] },
      /"alarm-tags" selects alarms by tag, alone or with "alarm-prefix"; not with "alarms"/,
    ],
    [
      'alarm-tags that are a list',
      { metrics: [{ name: 'a', provider: 'cloudwatch', 'alarm-tags': ['team=shop'] }] },
      /"alarm-tags" must be a map of tag keys to values/,
    ],
    [
      'an empty alarm-tags',
      { metrics: [{ name: 'a', provider: 'cloudwatch', 'alarm-tags': {} }] },
      /"alarm-tags" must be a map of tag keys to values/,
    ],
    [
      'alarm-tags on a Prometheus metric',
      { prometheus: PROM, metrics: [metric({ 'alarm-tags': { team: 'shop' } })] },
      /has "alarm-tags", which only a "provider: cloudwatch" metric takes/,
    ],
    [
      'an unknown insufficient-data policy',
      { metrics: [{ name: 'a', provider: 'cloudwatch', alarms: ['x'], 'insufficient-data': 'ignore' }] },
      /"insufficient-data" must be ok, inconclusive or failed/,
    ],
    [
      'queries without Id',
      {
        metrics: [
          {
            name: 'a',
            provider: 'cloudwatch',
            'metric-data-queries': [{ Expression: 'x' }],
            'success-condition': 'result < 1',
          },
        ],
      },
      /each a map with "Id"/,
    ],
    [
      'alarms on a Prometheus metric',
      { prometheus: PROM, metrics: [metric({ alarms: ['x'] })] },
      /only a "provider: cloudwatch" metric takes/,
    ],
    [
      'a bad region',
      { cloudwatch: { region: 'Europe' }, metrics: [{ name: 'a', provider: 'cloudwatch', alarms: ['x'] }] },
      /not an AWS region/,
    ],
  ])('refuses %s with one input error', (_label, spec, message) => {
    let error: unknown;
    try {
      buildAnalysisConfig(spec, { vars: { version: 'v2' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('analysis');
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a metric the bake would end before measuring once', () => {
    expect(() => config([metric({ interval: '1m' })], 30_000)).toThrow(
      /metric "error-rate" would never be measured: its first measurement \(initial-delay \+ interval, 1m00s\) comes after the bake ends \(30.0s\)/,
    );
  });

  it('keeps the password of the address as a secret', () => {
    const c = buildAnalysisConfig(
      { prometheus: { address: 'https://u:s3cr%40t@prom:9090' }, metrics: [metric()] },
      { vars: { version: '1' } },
    );
    expect(c.secrets).toEqual(expect.arrayContaining(['s3cr%40t', 's3cr@t']));
  });
});

describe('runAnalysis', () => {
  it('passes a bake whose every measurement meets the condition, measuring every interval until the bake ends', async () => {
    const { deps, calls } = fakeDeps(() => one(0.001));
    const result = await runAnalysis(config([metric()], 60_000), deps);
    expect(result.result).toBe('passed');
    expect(calls.map((c) => c.at)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(calls[0].query).toBe('sum(rate(errors{version="v2"}[1m]))');
    expect(result.metrics[0].counts).toEqual({ successful: 6, failed: 0, inconclusive: 0, error: 0 });
  });

  it('fails at the first failed measurement with failure-limit 0, and stops the other metrics', async () => {
    const { deps, calls } = fakeDeps((n, m) => one(m.name === 'error-rate' && n >= 3 ? 0.2 : 0.001));
    const result = await runAnalysis(
      config([metric(), metric({ name: 'other', interval: '7s' })], 300_000),
      deps,
    );
    expect(result.result).toBe('failed');
    expect(result.metrics[0].reason).toMatch(
      /1 measurement\(s\) failed result < 0.01 \(failure-limit 0\); last: 0.2 fails/,
    );
    expect(result.durationMs).toBe(30_000);
    expect(calls.filter((c) => c.metric === 'other').every((c) => c.at <= 30_000)).toBe(true);
    expect(result.reason).toMatch(/^error-rate: /);
  });

  it('tolerates failure-limit failures, fails at one more; -1 never fails', async () => {
    const bad = () => one(0.5);
    const two = await runAnalysis(config([metric({ count: 5, 'failure-limit': 2 })]), fakeDeps(bad).deps);
    expect(two.result).toBe('failed');
    expect(two.metrics[0].measurements).toHaveLength(3);
    const mixed = fakeDeps((n) => one(n === 2 ? 0.5 : 0));
    expect((await runAnalysis(config([metric({ count: 4, 'failure-limit': 1 })]), mixed.deps)).result).toBe(
      'passed',
    );
    const never = await runAnalysis(
      config([metric({ count: 3, 'failure-limit': -1, 'failure-condition': 'result > 1' })]),
      fakeDeps(bad).deps,
    );
    expect(never.metrics[0].counts.failed).toBe(0);
  });

  it('an empty answer is inconclusive, never a success', async () => {
    const { deps } = fakeDeps(() => []);
    const result = await runAnalysis(config([metric({ count: 1 })]), deps);
    expect(result.result).toBe('inconclusive');
    expect(result.metrics[0].measurements[0].message).toMatch(/no data/);
  });

  it('all-inconclusive measurements within inconclusive-limit still give inconclusive, not passed', async () => {
    const { deps } = fakeDeps(() => one(Number.NaN));
    const result = await runAnalysis(config([metric({ count: 3, 'inconclusive-limit': 5 })]), deps);
    expect(result.result).toBe('inconclusive');
    expect(result.metrics[0].counts.inconclusive).toBe(3);
  });

  it('NaN is inconclusive; inconclusive-limit lets some through', async () => {
    const { deps } = fakeDeps((n) => one(n === 1 ? Number.NaN : 0));
    const result = await runAnalysis(config([metric({ count: 3, 'inconclusive-limit': 1 })]), deps);
    expect(result.result).toBe('passed');
    expect(result.metrics[0].measurements[0].message).toMatch(/NaN/);
  });

  it('judges every series: one failing series fails the measurement, naming its labels', async () => {
    const { deps } = fakeDeps(() => [
      { labels: { instance: 'a' }, values: [0] },
      { labels: { instance: 'b' }, values: [0.3] },
    ]);
    const result = await runAnalysis(config([metric({ count: 1 })]), deps);
    expect(result.result).toBe('failed');
    expect(result.metrics[0].measurements[0].message).toBe('0.3 in {instance="b"} fails result < 0.01');
  });

  it('with both conditions, a value meeting neither is inconclusive; the failure condition wins', async () => {
    const both = { 'success-condition': 'result < 0.01', 'failure-condition': 'result > 0.05', count: 1 };
    expect((await runAnalysis(config([metric(both)]), fakeDeps(() => one(0.03)).deps)).result).toBe(
      'inconclusive',
    );
    expect((await runAnalysis(config([metric(both)]), fakeDeps(() => one(0.06)).deps)).result).toBe('failed');
    expect((await runAnalysis(config([metric(both)]), fakeDeps(() => one(0)).deps)).result).toBe('passed');
  });

  it('provider errors: fails after consecutive-error-limit + 1 in a row; a good answer resets the streak', async () => {
    const down = fakeDeps(() => new Error('connect ECONNREFUSED'));
    const failed = await runAnalysis(config([metric({ 'consecutive-error-limit': 2 })], 600_000), down.deps);
    expect(failed.result).toBe('failed');
    expect(down.calls).toHaveLength(3);
    expect(failed.metrics[0].reason).toMatch(
      /3 provider errors in a row \(consecutive-error-limit 2\); last: connect ECONNREFUSED/,
    );
    const flaky = fakeDeps((n) => (n % 2 ? new Error('503') : one(0)));
    const passed = await runAnalysis(
      config([metric({ count: 6, 'consecutive-error-limit': 1 })]),
      flaky.deps,
    );
    expect(passed.result).toBe('passed');
    expect(passed.metrics[0].counts.error).toBe(3);
  });

  it('honours count over the bake and initial-delay', async () => {
    const { deps, calls } = fakeDeps(() => one(0));
    await runAnalysis(config([metric({ count: 2, 'initial-delay': '30s' })], 600_000), deps);
    expect(calls.map((c) => c.at)).toEqual([30_000, 40_000]);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const { deps } = fakeDeps((n) => {
      if (n === 2) controller.abort();
      return one(0);
    });
    const result = await runAnalysis(config([metric()], 600_000), deps, controller.signal);
    expect(result.metrics[0].measurements).toHaveLength(2);
  });

  it('analyseRelease masks the config secrets out of the result and the log', async () => {
    const c = buildAnalysisConfig(
      { prometheus: { address: 'http://u:hunter22@127.0.0.1:1' }, metrics: [metric({ count: 1 })] },
      { vars: { version: '1' } },
    );
    const lines: string[] = [];
    const { deps } = fakeDeps(() => new Error('refused for u:hunter22'));
    const result = await analyseRelease(c, { deps, log: (l) => lines.push(l) });
    expect(JSON.stringify(result)).not.toContain('hunter22');
    expect(lines.join('\n')).not.toContain('hunter22');
    expect(lines.join('\n')).toContain('u:***');
  });

  it('joinVerdicts: failed wins, then inconclusive', () => {
    expect(joinVerdicts('passed', 'inconclusive')).toBe('inconclusive');
    expect(joinVerdicts('inconclusive', 'failed')).toBe('failed');
    expect(joinVerdicts('passed', undefined)).toBe('passed');
  });

  it('the summary has a Mermaid xychart per metric with the threshold line', async () => {
    const { deps } = fakeDeps((n) => one(n / 100));
    const result = await runAnalysis(config([metric({ count: 3, 'failure-limit': -1 })]), deps);
    const md = analysisSummaryMarkdown(result);
    expect(md).toContain('```mermaid\nxychart-beta');
    expect(md).toContain('x-axis "seconds into the bake" [0, 10, 20]');
    expect(md).toContain('line [0.01, 0.02, 0.03]');
    expect(md).toContain('line [0.01, 0.01, 0.01]');
  });
});
