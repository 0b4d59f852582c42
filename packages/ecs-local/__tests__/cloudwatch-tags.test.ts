import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { type CloudWatchLocal, startCloudWatchLocal } from '../src';

// cloudwatch-local's ListTagsForResource through the real @aws-sdk/client-cloudwatch: what AWS answers for an
// alarm's ARN (as DescribeAlarms gives it), for an alarm that does not exist, and for a malformed ARN.
let cw: CloudWatchLocal;
let client: CloudWatchClient;
beforeAll(async () => {
  cw = await startCloudWatchLocal();
  client = new CloudWatchClient({
    endpoint: cw.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await cw.close();
});

it('gives the tags of the alarm an ARN from DescribeAlarms names', async () => {
  cw.setAlarm('shop-5xx', 'OK');
  cw.tagAlarm('shop-5xx', { team: 'shop', environment: 'production' });
  cw.setAlarm('shop-p99', 'OK');
  const described = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'shop-' }));
  const arns = (described.MetricAlarms ?? []).map((a) => a.AlarmArn ?? '');
  const tags = await Promise.all(
    arns.map(async (arn) => (await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags),
  );
  expect(tags).toEqual([
    [
      { Key: 'team', Value: 'shop' },
      { Key: 'environment', Value: 'production' },
    ],
    [],
  ]);
});

it.each([
  [
    'an alarm that does not exist',
    'arn:aws:cloudwatch:us-east-1:000000000000:alarm:gone',
    'ResourceNotFoundException',
    404,
  ],
  ['a malformed ARN', 'shop-5xx', 'InvalidParameterValueException', 400],
])('refuses %s as AWS does', async (_what, arn, name, status) => {
  const error = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn })).catch((e) => e);
  expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name, status });
});
