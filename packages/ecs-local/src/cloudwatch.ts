import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError, callerOf, readBody } from './protocol';

/**
 * CloudWatch as `@aws-sdk/client-cloudwatch` 3.11xx speaks it: AWS JSON 1.0 (`X-Amz-Target:
 * GraniteServiceVersion20100801.<Operation>`, `application/x-amz-json-1.0`, timestamps as epoch seconds) in its
 * Query-compatible mode (errors also carry `x-amzn-query-error: Code;Sender`). DescribeAlarms, GetMetricData and
 * ListTagsForResource (an alarm's tags, by its ARN), with alarm states, tags and metric values the test sets, and
 * faults (throttling, access denied) it injects.
 */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface CloudWatchLocal {
  url: string;
  /** Every call, in order, as operation names. */
  calls: string[];
  /** Creates or changes an alarm; its StateUpdatedTimestamp becomes now (or `since`). */
  setAlarm(name: string, state: AlarmState, since?: Date): void;
  /** Sets an alarm's tags (as TagResource would, replacing them); the alarm must exist. */
  tagAlarm(name: string, tags: Record<string, string>): void;
  /** The values GetMetricData returns for a query Id (in its window, one per period, newest last). */
  setMetricValues(id: string, values: number[]): void;
  /** The next `count` calls of `operation` are throttled. */
  throttle(operation: string, count: number): void;
  /** Every call of `operation` is refused with AccessDenied (undefined: none). */
  deny(operation: string | undefined): void;
  close(): Promise<void>;
}

const TARGET = 'GraniteServiceVersion20100801';
const PAGE = 2;
const ARN_PREFIX = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:';

export async function startCloudWatchLocal(): Promise<CloudWatchLocal> {
  const alarms = new Map<string, { state: AlarmState; since: Date; tags: Record<string, string> }>();
  const values = new Map<string, number[]>();
  const throttled = new Map<string, number>();
  let denied: string | undefined;
  const calls: string[] = [];

  const describeAlarms = (input: Record<string, unknown>) => {
    const names = input.AlarmNames as string[] | undefined;
    const prefix = input.AlarmNamePrefix as string | undefined;
    if (names && prefix)
      throw new AwsError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix are exclusive');
    const matching = [...alarms]
      .filter(([name]) => (names ? names.includes(name) : prefix ? name.startsWith(prefix) : true))
      .sort(([a], [b]) => a.localeCompare(b));
    // Small pages, so clients must follow NextToken as they must against the real service.
    const start = Number(input.NextToken ?? 0);
    const page = matching.slice(start, start + PAGE);
    return {
      MetricAlarms: page.map(([name, alarm]) => ({
        AlarmName: name,
        AlarmArn: `${ARN_PREFIX}${name}`,
        StateValue: alarm.state,
        StateReason: `set by the test to ${alarm.state}`,
        StateUpdatedTimestamp: alarm.since.getTime() / 1000,
        MetricName: 'Errors',
        Namespace: 'Slipway/Test',
      })),
      CompositeAlarms: [],
      ...(start + PAGE < matching.length ? { NextToken: String(start + PAGE) } : {}),
    };
  };

  const getMetricData = (input: Record<string, unknown>) => {
    const queries = input.MetricDataQueries as
      | { Id: string; Label?: string; ReturnData?: boolean }[]
      | undefined;
    if (!Array.isArray(queries) || !queries.length)
      throw new AwsError('InvalidParameterValue', 'MetricDataQueries is required');
    const start = Number(input.StartTime);
    const end = Number(input.EndTime);
    if (!(start < end))
      throw new AwsError(
        'InvalidParameterValue',
        'The parameter StartTime must be less than the parameter EndTime.',
      );
    return {
      MetricDataResults: queries
        .filter((q) => q.ReturnData !== false)
        .map((q) => {
          const series = values.get(q.Id) ?? [];
          return {
            Id: q.Id,
            Label: q.Label ?? q.Id,
            Timestamps: series.map((_, i) => end - (series.length - 1 - i) * 60),
            Values: series,
            StatusCode: 'Complete',
          };
        }),
      Messages: [],
    };
  };

  // As AWS answers: a malformed ARN is a bad parameter, an alarm that does not exist is not found.
  const listTagsForResource = (input: Record<string, unknown>) => {
    const arn = input.ResourceARN;
    if (
      typeof arn !== 'string' ||
      !/^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:(alarm|insight-rule):.+$/.test(arn)
    )
      throw new AwsError('InvalidParameterValue', `Invalid ARN: ${String(arn)}`);
    const alarm = arn.startsWith(ARN_PREFIX) ? alarms.get(arn.slice(ARN_PREFIX.length)) : undefined;
    if (!alarm) throw new AwsError('ResourceNotFoundException', `${arn} not found`, 404);
    return { Tags: Object.entries(alarm.tags).map(([Key, Value]) => ({ Key, Value })) };
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeAlarms: describeAlarms,
    GetMetricData: getMetricData,
    ListTagsForResource: listTagsForResource,
  };

  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': `cloudwatch-local-${Date.now().toString(36)}`,
        ...headers,
      });
      res.end(text);
    };
    try {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const name = target.startsWith(`${TARGET}.`) ? target.slice(TARGET.length + 1) : '';
      const operation = operations[name];
      if (
        req.method !== 'POST' ||
        !operation ||
        !String(req.headers['content-type']).includes('x-amz-json-1.0')
      ) {
        throw new AwsError(
          'UnknownOperationException',
          `cloudwatch-local does not implement ${target || req.url}`,
        );
      }
      calls.push(name);
      if (!callerOf(req))
        throw new AwsError('MissingAuthenticationTokenException', 'Request is not signed.', 403);
      const left = throttled.get(name) ?? 0;
      if (left > 0) {
        throttled.set(name, left - 1);
        throw new AwsError('Throttling', 'Rate exceeded', 400);
      }
      if (denied === name) {
        throw new AwsError(
          'AccessDenied',
          `User: arn:aws:sts::000000000000:assumed-role/deploy is not authorized to perform: cloudwatch:${name}`,
          403,
        );
      }
      send(200, operation(body ? (JSON.parse(body) as Record<string, unknown>) : {}));
    } catch (error) {
      const e = error instanceof AwsError ? error : new AwsError('InternalFailure', String(error), 500);
      send(
        e.status,
        { __type: `com.amazonaws.cloudwatch#${e.type}`, message: e.message },
        { 'x-amzn-query-error': `${e.type};Sender` },
      );
    }
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    setAlarm: (name, state, since = new Date()) =>
      alarms.set(name, { state, since, tags: alarms.get(name)?.tags ?? {} }),
    tagAlarm: (name, tags) => {
      const alarm = alarms.get(name);
      if (!alarm) throw new Error(`no alarm ${name} to tag: setAlarm it first`);
      alarm.tags = { ...tags };
    },
    setMetricValues: (id, list) => values.set(id, list),
    throttle: (operation, count) => throttled.set(operation, count),
    deny: (operation) => {
      denied = operation;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
