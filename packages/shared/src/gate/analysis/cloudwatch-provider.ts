import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandOutput,
  GetMetricDataCommand,
  ListTagsForResourceCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { awsClientConfig, explainAwsError } from '../../aws/client-config';
import { retry } from '../../retry';
import type { CloudWatchMetric, CloudWatchSettings, MetricConfig } from './analysis-config';
import type { MetricProvider, Series } from './run-analysis';

/** The window a GetMetricData metric judges when it sets no `range`. */
const DEFAULT_WINDOW_MS = 5 * 60_000;
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

export interface CloudWatchProviderOptions {
  /** When the analysis (or the deploy) began (wall clock, ms): an alarm in ALARM since before then is pre-existing. */
  startedAt: number;
  /** What `startedAt` is, for messages (default "the analysis began"). */
  startedWhat?: string;
  log: (message: string) => void;
  client?: Pick<CloudWatchClient, 'send' | 'destroy'>;
  clock?: () => number;
  /** Back-off of a throttled call (tests make it short). */
  retryBaseDelayMs?: number;
}

/**
 * CloudWatch through the real SDK client (the default credential chain, so OIDC roles work; the region from
 * the analysis, AWS_REGION or AWS_DEFAULT_REGION; AWS_ENDPOINT_URL_CLOUDWATCH honoured). Alarms give one series
 * per alarm, 1 when it counts as firing (alarms selected by tag: DescribeAlarms, then ListTagsForResource once per
 * alarm); GetMetricData gives every point of every returned query in the window.
 * Throttled calls are retried with back-off, each logged; access denied names the permission to add.
 */
export function createCloudWatchProvider(
  settings: CloudWatchSettings,
  options: CloudWatchProviderOptions,
): MetricProvider & { close(): Promise<void> } {
  const region = settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  const client = options.client ?? new CloudWatchClient(awsClientConfig({ region }));
  const clock = options.clock ?? Date.now;
  const call = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await retry(fn, {
        attempts: 4,
        baseDelayMs: options.retryBaseDelayMs ?? 1000,
        maxDelayMs: 10_000,
        retryable: (error) => THROTTLED.has((error as Error)?.name),
        onRetry: (error, n, delay) =>
          options.log(`cloudwatch:${name} throttled (${(error as Error).name}); try ${n + 1} in ${delay}ms`),
      });
    } catch (error) {
      const explained = explainAwsError(error, `cloudwatch:${name}`) as Error;
      throw new Error(
        explained === error
          ? `cloudwatch:${name}: ${(error as Error).name}: ${(error as Error).message}`
          : explained.message,
      );
    }
  };

  // An alarm's tags are asked once per analysis (ListTagsForResource, one call per alarm): a bake's alarms keep
  // their tags, and an alarm created during the bake is asked about when it first appears.
  const tagsByArn = new Map<string, Record<string, string>>();
  const withTags = async <A extends { AlarmArn?: string }>(
    found: A[],
    wanted: Record<string, string>,
  ): Promise<A[]> => {
    const kept: A[] = [];
    for (const alarm of found) {
      const arn = alarm.AlarmArn ?? '';
      let tags = tagsByArn.get(arn);
      if (!tags) {
        const answer = await call('ListTagsForResource', () =>
          client.send(new ListTagsForResourceCommand({ ResourceARN: arn })),
        );
        tags = Object.fromEntries((answer.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
        tagsByArn.set(arn, tags);
      }
      if (Object.entries(wanted).every(([key, value]) => tags[key] === value)) kept.push(alarm);
    }
    return kept;
  };

  const reported = new Set<string>();
  const before = `before ${options.startedWhat ?? 'the analysis began'}`;
  /** Once per alarm: an alarm in ALARM since before the analysis began is said so, with what it counts as. */
  const reportPreexisting = (name: string, since: number, counted: boolean) => {
    if (reported.has(name)) return;
    reported.add(name);
    options.log(
      `cloudwatch: alarm ${name} has been in ALARM since ${new Date(since).toISOString()}, ${before}: ${
        counted
          ? 'counted against this release (count-preexisting: true)'
          : 'reported, not counted against this release (count-preexisting: true counts it)'
      }`,
    );
  };

  const alarms = async (spec: CloudWatchMetric): Promise<Series[]> => {
    const found: NonNullable<DescribeAlarmsCommandOutput['MetricAlarms']> = [];
    let token: string | undefined;
    do {
      const page: DescribeAlarmsCommandOutput = await call('DescribeAlarms', () =>
        client.send(
          new DescribeAlarmsCommand({
            AlarmNames: spec.alarms,
            AlarmNamePrefix: spec.alarmPrefix,
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken: token,
          }),
        ),
      );
      found.push(...(page.MetricAlarms ?? []), ...((page.CompositeAlarms ?? []) as typeof found));
      token = page.NextToken;
    } while (token);
    const missing = (spec.alarms ?? []).filter((name) => !found.some((a) => a.AlarmName === name));
    if (missing.length) throw new Error(`no CloudWatch alarm named ${missing.join(', ')} (region ${region})`);
    const selected = spec.alarmTags ? await withTags(found, spec.alarmTags) : found;
    return selected.map((alarm) => {
      const since = alarm.StateUpdatedTimestamp ? new Date(alarm.StateUpdatedTimestamp).getTime() : 0;
      const preexisting = alarm.StateValue === 'ALARM' && since < options.startedAt;
      const labels: Record<string, string> = {
        alarm: alarm.AlarmName ?? '?',
        state: alarm.StateValue ?? '?',
      };
      if (preexisting) {
        labels.preexisting = `in ALARM ${before}`;
        reportPreexisting(labels.alarm, since, spec.countPreexisting);
      }
      let value = 0;
      if (alarm.StateValue === 'ALARM') value = preexisting && !spec.countPreexisting ? 0 : 1;
      if (alarm.StateValue === 'INSUFFICIENT_DATA') {
        value =
          spec.insufficientData === 'failed' ? 1 : spec.insufficientData === 'inconclusive' ? Number.NaN : 0;
      }
      return { labels, values: [value] };
    });
  };

  const metricData = async (metric: MetricConfig, queries: Record<string, unknown>[]): Promise<Series[]> => {
    const end = clock();
    const start = end - (metric.range?.windowMs ?? DEFAULT_WINDOW_MS);
    const series: Series[] = [];
    let token: string | undefined;
    do {
      const page = await call('GetMetricData', () =>
        client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries as unknown as MetricDataQuery[],
            StartTime: new Date(start),
            EndTime: new Date(end),
            ScanBy: 'TimestampAscending',
            NextToken: token,
          }),
        ),
      );
      for (const result of page.MetricDataResults ?? []) {
        const id = result.Id ?? '?';
        const existing = series.find((s) => s.labels.id === id);
        if (existing) existing.values.push(...(result.Values ?? []));
        else if (result.Values?.length)
          series.push({ labels: { id, label: result.Label ?? id }, values: [...result.Values] });
      }
      token = page.NextToken;
    } while (token);
    return series;
  };

  return {
    async measure(metric: MetricConfig): Promise<Series[]> {
      const spec = metric.cloudwatch;
      if (!spec) throw new Error(`${metric.name} is not a CloudWatch metric`);
      return spec.queries ? metricData(metric, spec.queries) : alarms(spec);
    },
    close: async () => client.destroy(),
  };
}
