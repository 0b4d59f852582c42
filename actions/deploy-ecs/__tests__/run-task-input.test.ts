import type { Service } from '@aws-sdk/client-ecs';
import type { PreDeploySettings } from '../src/pre-deploy/pre-deploy-inputs';
import { logStreamOf, runTaskInput } from '../src/pre-deploy/run-pre-deploy';

const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:8';
const settings = (extra: Partial<PreDeploySettings> = {}): PreDeploySettings => ({
  command: ['bin/migrate'],
  overrides: {},
  timeoutMs: 60_000,
  ...extra,
});
const network = { awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-a'] } };

describe('the pre-deploy RunTask input', () => {
  it.each<[string, Service, Partial<PreDeploySettings>, Record<string, unknown>]>([
    [
      "the service's capacity provider strategy, network and platform version",
      {
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        networkConfiguration: network,
        platformVersion: '1.4.0',
      },
      {},
      {
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        networkConfiguration: network,
        platformVersion: '1.4.0',
      },
    ],
    ["the service's launch type", { launchType: 'EC2' }, {}, { launchType: 'EC2' }],
    [
      'the inputs over the service',
      { capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }], networkConfiguration: network },
      {
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-migrate'] } },
      },
      {
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-migrate'] } },
      },
    ],
  ])('takes %s', (_what, service, extra, expected) => {
    const input = runTaskInput(settings(extra), 'web', ARN, 'prod', service);
    expect(input).toMatchObject({
      cluster: 'prod',
      taskDefinition: ARN,
      count: 1,
      startedBy: 'slipway-pre-deploy',
      ...expected,
    });
    if (!('capacityProviderStrategy' in expected)) expect(input.capacityProviderStrategy).toBeUndefined();
    if (!('launchType' in expected)) expect(input.launchType).toBeUndefined();
  });

  it("merges the overrides: the command replaces the container's, its environment and the task role are kept", () => {
    const input = runTaskInput(
      settings({
        overrides: {
          taskRoleArn: 'arn:aws:iam::123456789012:role/migrate',
          containerOverrides: [
            { name: 'web', environment: [{ name: 'MODE', value: 'migrate' }], command: ['ignored'] },
            { name: 'sidecar', environment: [{ name: 'QUIET', value: '1' }] },
          ],
        },
      }),
      'web',
      ARN,
      'prod',
      {},
    );
    expect(input.overrides).toEqual({
      taskRoleArn: 'arn:aws:iam::123456789012:role/migrate',
      containerOverrides: [
        { name: 'sidecar', environment: [{ name: 'QUIET', value: '1' }] },
        { name: 'web', environment: [{ name: 'MODE', value: 'migrate' }], command: ['bin/migrate'] },
      ],
    });
  });

  it('names the awslogs stream as ECS does, and none without the driver or a prefix', () => {
    const def = (options: Record<string, string> | undefined, driver = 'awslogs') => ({
      containerDefinitions: [
        { name: 'web', logConfiguration: options ? { logDriver: driver as 'awslogs', options } : undefined },
      ],
    });
    const task = 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0123abcd';
    expect(
      logStreamOf(
        def({ 'awslogs-group': '/ecs/app', 'awslogs-stream-prefix': 'app' }),
        'web',
        task,
        'eu-west-1',
      ),
    ).toEqual({
      group: '/ecs/app',
      stream: 'app/web/0123abcd',
      region: 'eu-west-1',
    });
    expect(
      logStreamOf(
        def({ 'awslogs-group': '/ecs/app', 'awslogs-stream-prefix': 'app', 'awslogs-region': 'us-east-1' }),
        'web',
        task,
        'eu-west-1',
      )?.region,
    ).toBe('us-east-1');
    expect(logStreamOf(def({ 'awslogs-group': '/ecs/app' }), 'web', task, 'eu-west-1')).toBeUndefined();
    expect(
      logStreamOf(
        def({ 'awslogs-group': '/ecs/app', 'awslogs-stream-prefix': 'app' }, 'json-file'),
        'web',
        task,
        'eu-west-1',
      ),
    ).toBeUndefined();
  });
});
