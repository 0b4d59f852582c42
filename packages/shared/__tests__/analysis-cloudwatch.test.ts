import { type CloudWatchLocal, startCloudWatchLocal } from '@slipway/ecs-local';
import { analyseRelease, buildAnalysisConfig } from '../src/gate/analysis';

jest.setTimeout(60_000);

// The real @aws-sdk/client-cloudwatch (AWS JSON 1.0) through the default credential chain and
// AWS_ENDPOINT_URL_CLOUDWATCH, against cloudwatch-local driven by the test.
let cw: CloudWatchLocal;
const saved = { ...process.env };
beforeEach(async () => {
  cw = await startCloudWatchLocal();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CLOUDWATCH: cw.url,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_REGION: 'eu-west-1',
  });
});
afterEach(async () => {
  process.env = { ...saved };
  await cw.close();
});

const alarmMetric = (extra: Record<string, unknown> = {}) => ({
  name: 'alarms',
  provider: 'cloudwatch',
  interval: '1s',
  ...extra,
});
const config = (metrics: unknown[], bakeMs?: number, vars: Record<string, string> = {}) =>
  buildAnalysisConfig({ metrics }, { bakeMs, vars });
const later = (ms: number, fn: () => void) => setTimeout(fn, ms);

describe('CloudWatch alarms', () => {
  it('alarms selected by prefix that stay OK pass the bake; every page of DescribeAlarms is read', async () => {
    for (const name of ['web-5xx', 'web-p99', 'web-cpu']) cw.setAlarm(name, 'OK');
    cw.setAlarm('other-team', 'ALARM');
    const result = await analyseRelease(config([alarmMetric({ 'alarm-prefix': 'web-' })], 2_000));
    expect(result.result).toBe('passed');
    const series = result.metrics[0].measurements[0].series ?? [];
    expect(series.map((s) => s.labels)).toEqual([
      '{alarm="web-5xx", state="OK"}',
      '{alarm="web-cpu", state="OK"}',
      '{alarm="web-p99", state="OK"}',
    ]);
    expect(cw.calls).toEqual(['DescribeAlarms', 'DescribeAlarms', 'DescribeAlarms', 'DescribeAlarms']);
  });

  it('an alarm that enters ALARM mid-bake fails the analysis at the next measurement, naming it', async () => {
    cw.setAlarm('web-5xx-green', 'OK');
    const timer = later(1_500, () => cw.setAlarm('web-5xx-green', 'ALARM'));
    const started = Date.now();
    const result = await analyseRelease(
      config([alarmMetric({ alarms: ['web-5xx-{{ colour }}'] })], 60_000, { colour: 'green' }),
    ).finally(() => clearTimeout(timer));
    expect(result.result).toBe('failed');
    expect(result.metrics[0].reason).toMatch(
      /last: 1 in \{alarm="web-5xx-green", state="ALARM"\} fails result == 0/,
    );
    // One interval (1s) after the alarm fired, not at the end of the minute.
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('an alarm already in ALARM before the analysis is reported, not counted, unless count-preexisting', async () => {
    const since = new Date(Date.now() - 3_600_000);
    cw.setAlarm('web-5xx', 'ALARM', since);
    const lines: string[] = [];
    const lenient = await analyseRelease(
      config([alarmMetric({ alarms: ['web-5xx'], count: 2, interval: '1s' })], 5_000),
      { log: (line) => lines.push(line) },
    );
    expect(lenient.result).toBe('passed');
    // said once, in the log, with when it began
    expect(lines.filter((l) => l.includes('web-5xx has been in ALARM'))).toEqual([
      `cloudwatch: alarm web-5xx has been in ALARM since ${since.toISOString()}, before the analysis began: reported, not counted against this release (count-preexisting: true counts it)`,
    ]);
    expect(lenient.metrics[0].measurements[0].series?.[0].labels).toBe(
      '{alarm="web-5xx", state="ALARM", preexisting="in ALARM before the analysis began"}',
    );
    const strict = await analyseRelease(
      config([alarmMetric({ alarms: ['web-5xx'], count: 1, 'count-preexisting': true })]),
    );
    expect(strict.result).toBe('failed');
  });

  it("with the deploy's start (since), an alarm that fired during the deploy counts; one firing before it is pre-existing", async () => {
    const deployBegan = Date.now() - 120_000;
    cw.setAlarm('web-cpu', 'ALARM', new Date(deployBegan - 600_000));
    cw.setAlarm('web-5xx', 'ALARM', new Date(deployBegan + 30_000));
    const lines: string[] = [];
    const result = await analyseRelease(
      buildAnalysisConfig(
        { metrics: [alarmMetric({ 'alarm-prefix': 'web-', count: 1 })] },
        { since: deployBegan },
      ),
      { log: (line) => lines.push(line) },
    );
    expect(result.result).toBe('failed');
    expect(result.metrics[0].measurements[0].series?.map((s) => s.labels)).toEqual([
      '{alarm="web-5xx", state="ALARM"}',
      '{alarm="web-cpu", state="ALARM", preexisting="in ALARM before the deploy began"}',
    ]);
    expect(lines.join('\n')).toMatch(
      /alarm web-cpu has been in ALARM since \S+, before the deploy began: reported/,
    );
    // without it, both fired before the analysis: neither counts
    const lenient = await analyseRelease(config([alarmMetric({ 'alarm-prefix': 'web-', count: 1 })]));
    expect(lenient.result).toBe('passed');
  });

  it.each([
    ['ok', 'passed'],
    ['inconclusive', 'inconclusive'],
    ['failed', 'failed'],
  ])('INSUFFICIENT_DATA with insufficient-data: %s is %s', async (policy, verdict) => {
    cw.setAlarm('web-5xx', 'INSUFFICIENT_DATA');
    const result = await analyseRelease(
      config([alarmMetric({ alarms: ['web-5xx'], count: 1, 'insufficient-data': policy })]),
    );
    expect(result.result).toBe(verdict);
  });

  it('throttled calls are retried with back-off, each logged, and the bake goes on', async () => {
    cw.setAlarm('web-5xx', 'OK');
    cw.throttle('DescribeAlarms', 2);
    const lines: string[] = [];
    const result = await analyseRelease(config([alarmMetric({ alarms: ['web-5xx'], count: 1 })]), {
      log: (l) => lines.push(l),
    });
    expect(result.result).toBe('passed');
    expect(lines.filter((l) => l.includes('cloudwatch:DescribeAlarms throttled (Throttling)'))).toHaveLength(
      2,
    );
    expect(cw.calls).toHaveLength(3);
  });

  it('access denied is a provider error naming the permission to add; past consecutive-error-limit it fails', async () => {
    cw.setAlarm('web-5xx', 'OK');
    cw.deny('DescribeAlarms');
    const result = await analyseRelease(
      config([alarmMetric({ alarms: ['web-5xx'], 'consecutive-error-limit': 1 })], 60_000),
    );
    expect(result.result).toBe('failed');
    expect(result.metrics[0].reason).toMatch(
      /2 provider errors in a row \(consecutive-error-limit 1\); last: Access denied on cloudwatch:DescribeAlarms .*add cloudwatch:DescribeAlarms to the role's policy/,
    );
    expect(cw.calls).toEqual(['DescribeAlarms', 'DescribeAlarms']);
  });

  it("alarms selected by tag: only those carrying every tag count, each alarm's tags asked once; one entering ALARM fails, one already in ALARM is reported", async () => {
    const tag = (name: string, state: 'OK' | 'ALARM', tags: Record<string, string>, since?: Date) => {
      cw.setAlarm(name, state, since);
      cw.tagAlarm(name, tags);
    };
    tag('shop-5xx', 'OK', { team: 'shop', environment: 'production' });
    tag('shop-cpu', 'ALARM', { team: 'shop', environment: 'production' }, new Date(Date.now() - 600_000));
    tag('shop-p99-staging', 'ALARM', { team: 'shop', environment: 'staging' });
    tag('billing-5xx', 'ALARM', { team: 'billing', environment: 'production' });
    cw.setAlarm('untagged', 'ALARM');
    const timer = later(2_500, () => cw.setAlarm('shop-5xx', 'ALARM'));
    const lines: string[] = [];
    const result = await analyseRelease(
      config([alarmMetric({ 'alarm-tags': { team: 'shop', environment: '{{ environment }}' } })], 60_000, {
        environment: 'production',
      }),
      { log: (line) => lines.push(line) },
    ).finally(() => clearTimeout(timer));
    expect(result.result).toBe('failed');
    const { measurements, reason, query } = result.metrics[0];
    expect(query).toBe('alarms tagged team=shop, environment=production');
    expect(measurements[0].series?.map((s) => s.labels)).toEqual([
      '{alarm="shop-5xx", state="OK"}',
      '{alarm="shop-cpu", state="ALARM", preexisting="in ALARM before the analysis began"}',
    ]);
    expect(reason).toMatch(/last: 1 in \{alarm="shop-5xx", state="ALARM"\} fails result == 0/);
    expect(lines.filter((l) => /has been in ALARM since/.test(l))).toEqual([
      expect.stringMatching(/^cloudwatch: alarm shop-cpu has been in ALARM since .*: reported, not counted/),
    ]);
    // 5 alarms, each asked for its tags once, however many measurements
    const count = (op: string) => cw.calls.filter((c) => c === op).length;
    expect(measurements.length).toBeGreaterThanOrEqual(2);
    expect(count('ListTagsForResource')).toBe(5);
    // DescribeAlarms pages of 2: 3 calls per measurement
    expect(count('DescribeAlarms')).toBe(3 * measurements.length);
  });

  it('alarm-prefix and alarm-tags together: the prefix narrows DescribeAlarms, the tags narrow again; count-preexisting counts an old alarm', async () => {
    cw.setAlarm('shop-cpu', 'ALARM', new Date(Date.now() - 600_000));
    cw.tagAlarm('shop-cpu', { environment: 'production' });
    cw.setAlarm('shop-disk', 'ALARM', new Date(Date.now() - 600_000));
    cw.tagAlarm('shop-disk', { environment: 'staging' });
    cw.setAlarm('other-cpu', 'OK');
    cw.tagAlarm('other-cpu', { environment: 'production' });
    const metric = { 'alarm-prefix': 'shop-', 'alarm-tags': { environment: 'production' }, count: 1 };
    const lenient = await analyseRelease(config([alarmMetric(metric)]));
    expect(lenient.result).toBe('passed');
    expect(lenient.metrics[0].query).toBe('alarms named shop-* tagged environment=production');
    expect(cw.calls.filter((c) => c === 'ListTagsForResource')).toHaveLength(2);
    const strict = await analyseRelease(config([alarmMetric({ ...metric, 'count-preexisting': true })]));
    expect(strict.result).toBe('failed');
    expect(strict.metrics[0].reason).toMatch(/shop-cpu/);
  });

  it('access denied on ListTagsForResource names that permission', async () => {
    cw.setAlarm('shop-5xx', 'OK');
    cw.deny('ListTagsForResource');
    const result = await analyseRelease(
      config([alarmMetric({ 'alarm-tags': { team: 'shop' }, count: 1, 'consecutive-error-limit': 0 })]),
    );
    expect(result.result).toBe('failed');
    expect(result.metrics[0].reason).toMatch(
      /Access denied on cloudwatch:ListTagsForResource .*add cloudwatch:ListTagsForResource to the role's policy/,
    );
  });

  it('a named alarm that does not exist is a provider error, not a pass', async () => {
    const result = await analyseRelease(
      config([alarmMetric({ alarms: ['nope'], count: 1, 'consecutive-error-limit': 0 })]),
    );
    expect(result.result).toBe('failed');
    expect(result.metrics[0].reason).toMatch(/no CloudWatch alarm named nope \(region eu-west-1\)/);
  });
});

describe('CloudWatch GetMetricData', () => {
  const queries = [
    {
      Id: 'errors',
      Expression: 'SUM(METRICS())',
      Label: 'error rate of {{ version }}',
    },
  ];
  const dataMetric = (extra: Record<string, unknown> = {}) => ({
    name: 'error-rate',
    provider: 'cloudwatch',
    'metric-data-queries': queries,
    'success-condition': 'result < 0.01',
    interval: '1s',
    ...extra,
  });

  it('judges every point in the window; a value that climbs mid-bake fails', async () => {
    cw.setMetricValues('errors', [0.001, 0.002]);
    const timer = later(1_500, () => cw.setMetricValues('errors', [0.001, 0.002, 0.2]));
    const result = await analyseRelease(config([dataMetric()], 30_000, { version: 'v2' })).finally(() =>
      clearTimeout(timer),
    );
    expect(result.result).toBe('failed');
    const [first, last] = [result.metrics[0].measurements[0], result.metrics[0].measurements.at(-1)];
    expect(first.phase).toBe('successful');
    expect(first.series?.[0]).toEqual({
      labels: '{id="errors", label="error rate of v2"}',
      values: [0.001, 0.002],
    });
    expect(last?.message).toBe('0.2 in {id="errors", label="error rate of v2"} fails result < 0.01');
  });

  it('no datapoints is inconclusive', async () => {
    const result = await analyseRelease(config([dataMetric({ count: 1 })], undefined, { version: 'v2' }));
    expect(result.result).toBe('inconclusive');
    expect(cw.calls).toEqual(['GetMetricData']);
  });
});
