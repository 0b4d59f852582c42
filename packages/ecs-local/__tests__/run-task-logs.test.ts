import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { describeWithInfra } from '@slipway/testing';
import { waitFor } from './ecs-client';
import { useEcsLocal } from './fixtures';

jest.setTimeout(60_000);

describeWithInfra('RunTask and CloudWatch Logs (real containers, real SDK clients)', () => {
  const ctx = useEcsLocal();
  const logs = () =>
    new CloudWatchLogsClient({
      endpoint: ctx.ecs.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });

  async function register(family: string, command: string) {
    const out = await ctx.client.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [
          {
            name: 'app',
            image: 'local/busybox:1',
            command: ['sh', '-c', command],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': `/ecs/${family}`,
                'awslogs-stream-prefix': 'ecs',
                'awslogs-region': 'eu-west-1',
              },
            },
          },
        ],
      }),
    );
    return out.taskDefinition!.taskDefinitionArn!;
  }

  const stopped = (arn: string) =>
    waitFor(
      async () => (await ctx.client.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks![0],
      (t: Task) => t.lastStatus === 'STOPPED',
      'the task to stop',
    );

  it('runs a one-off task with overrides; its exit code and awslogs lines are real, also after removal', async () => {
    const arn = await register('migrate-a', 'echo never');
    const run = await ctx.client.send(
      new RunTaskCommand({
        taskDefinition: arn,
        startedBy: 'slipway/pre-deploy',
        overrides: {
          containerOverrides: [
            {
              name: 'app',
              command: ['sh', '-c', 'echo "step 1 $STEP"; sleep 0.3; echo "step 2" >&2; exit 3'],
              environment: [{ name: 'STEP', value: 'one' }],
            },
          ],
        },
      }),
    );
    const task = run.tasks![0];
    expect(task).toMatchObject({
      group: 'family:migrate-a',
      startedBy: 'slipway/pre-deploy',
      taskDefinitionArn: arn,
    });
    const done = await stopped(task.taskArn!);
    expect(done).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(done.containers![0].exitCode).toBe(3);

    const client = logs();
    const stream = `ecs/app/${task.taskArn!.split('/').pop()}`;
    const got = await client.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/migrate-a', logStreamName: stream, startFromHead: true }),
    );
    expect(got.events!.map((e) => e.message)).toEqual(['step 1 one', 'step 2']);
    const again = await client.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/migrate-a',
        logStreamName: stream,
        nextToken: got.nextForwardToken,
      }),
    );
    expect(again.events).toEqual([]);
    expect(again.nextForwardToken).toBe(got.nextForwardToken);
    const filtered = await client.send(
      new FilterLogEventsCommand({
        logGroupName: '/ecs/migrate-a',
        logStreamNamePrefix: 'ecs/app/',
        filterPattern: '"step 2"',
      }),
    );
    expect(filtered.events!.map((e) => [e.logStreamName, e.message])).toEqual([[stream, 'step 2']]);
    await expect(
      client.send(new GetLogEventsCommand({ logGroupName: '/ecs/nothing', logStreamName: stream })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    client.destroy();
  });

  it('StopTask stops a one-off task that runs on; RunTask refuses what ECS refuses', async () => {
    const arn = await register('migrate-b', 'echo started; sleep 60');
    const run = await ctx.client.send(new RunTaskCommand({ taskDefinition: arn }));
    const taskArn = run.tasks![0].taskArn!;
    await waitFor(
      async () => (await ctx.client.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks![0],
      (t: Task) => t.lastStatus === 'RUNNING',
      'the task to run',
    );
    await ctx.client.send(new StopTaskCommand({ task: taskArn, reason: 'pre-deploy timed out' }));
    expect(await stopped(taskArn)).toMatchObject({
      stopCode: 'UserInitiated',
      stoppedReason: 'pre-deploy timed out',
    });
    await expect(
      ctx.client.send(
        new RunTaskCommand({
          taskDefinition: arn,
          overrides: { containerOverrides: [{ name: 'nope', command: ['x'] }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      ctx.client.send(
        new RunTaskCommand({
          taskDefinition: arn,
          launchType: 'FARGATE',
          capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
