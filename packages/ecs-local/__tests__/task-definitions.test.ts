import {
  CreateClusterCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { createEcsService, type DockerEngine, type EcsService, type Endpoint, startEndpoint } from '../src';
import { localEcsClient } from './ecs-client';

// No container runs in these tests: a Docker engine that fails every call proves it.
const noDocker = new Proxy({} as DockerEngine, {
  get: (_target, name) => () => Promise.reject(new Error(`docker ${String(name)} called`)),
});

describe('ecs-local task definitions and clusters (through @aws-sdk/client-ecs)', () => {
  let ecs: EcsService;
  let endpoint: Endpoint;
  let client: ECSClient;

  beforeAll(async () => {
    ecs = createEcsService({ docker: noDocker, timings: { tickMs: 20 } });
    endpoint = await startEndpoint({ services: [ecs.service] });
    client = localEcsClient(endpoint.url);
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
    await ecs.close();
  });

  const register = (family: string, image = 'local/busybox:1') =>
    client.send(
      new RegisterTaskDefinitionCommand({
        family,
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            name: 'web',
            image,
            portMappings: [{ containerPort: 8080 }],
            healthCheck: { command: ['CMD-SHELL', 'true'] },
          },
        ],
        tags: [{ key: 'team', value: 'slipway' }],
      }),
    );

  it('registers revisions with ARNs and the fields ECS fills in', async () => {
    const first = await register('app');
    const second = await register('app', 'local/busybox:2');
    expect(first.taskDefinition).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:1',
      family: 'app',
      revision: 1,
      status: 'ACTIVE',
      networkMode: 'awsvpc',
      compatibilities: ['EC2', 'FARGATE'],
      containerDefinitions: [
        {
          name: 'web',
          essential: true,
          portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
        },
      ],
    });
    expect(first.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    expect(first.taskDefinition?.requiresAttributes).toContainEqual({
      name: 'ecs.capability.container-health-check',
    });
    expect(second.taskDefinition?.taskDefinitionArn).toMatch(/:task-definition\/app:2$/);
  });

  it('describes by family, family:revision and ARN, with tags on request', async () => {
    const latest = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'app' }));
    expect(latest.taskDefinition?.revision).toBe(2);
    expect(latest.tags).toBeUndefined();
    const one = await client.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'app:1', include: ['TAGS'] }),
    );
    expect(one.taskDefinition?.containerDefinitions?.[0].image).toBe('local/busybox:1');
    expect(one.tags).toEqual([{ key: 'team', value: 'slipway' }]);
    const byArn = await client.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: one.taskDefinition?.taskDefinitionArn }),
    );
    expect(byArn.taskDefinition?.revision).toBe(1);
    await expect(
      client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' })),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: 'Unable to describe task definition.',
    });
  });

  it('lists and deregisters', async () => {
    await register('other');
    const all = await client.send(new ListTaskDefinitionsCommand({}));
    expect(all.taskDefinitionArns).toHaveLength(3);
    const app = await client.send(new ListTaskDefinitionsCommand({ familyPrefix: 'app', sort: 'DESC' }));
    expect(app.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['app:2', 'app:1']);
    const paged = await client.send(new ListTaskDefinitionsCommand({ maxResults: 2 }));
    expect(paged.taskDefinitionArns).toHaveLength(2);
    const rest = await client.send(
      new ListTaskDefinitionsCommand({ maxResults: 2, nextToken: paged.nextToken }),
    );
    expect(rest.taskDefinitionArns).toHaveLength(1);

    const gone = await client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'app:2' }));
    expect(gone.taskDefinition).toMatchObject({ status: 'INACTIVE' });
    const latest = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'app' }));
    expect(latest.taskDefinition?.revision).toBe(1);
    const inactive = await client.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns).toEqual([gone.taskDefinition?.taskDefinitionArn]);
  });

  it('rejects a definition without containers the way ECS does', async () => {
    await expect(
      client.send(new RegisterTaskDefinitionCommand({ family: 'bad', containerDefinitions: [] })),
    ).rejects.toMatchObject({ name: 'ClientException', message: 'Container list cannot be empty.' });
    await expect(
      client.send(
        new RegisterTaskDefinitionCommand({
          family: 'bad name',
          containerDefinitions: [{ name: 'a', image: 'b' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ClientException' });
  });

  it('has an implicit default cluster and creates others', async () => {
    const described = await client.send(new DescribeClustersCommand({}));
    expect(described.clusters?.[0]).toMatchObject({ clusterName: 'default', status: 'ACTIVE' });
    const created = await client.send(new CreateClusterCommand({ clusterName: 'prod' }));
    expect(created.cluster?.clusterArn).toBe('arn:aws:ecs:eu-west-1:123456789012:cluster/prod');
    const both = await client.send(new DescribeClustersCommand({ clusters: ['prod', 'missing'] }));
    expect(both.clusters).toHaveLength(1);
    expect(both.failures).toEqual([{ arn: 'missing', reason: 'MISSING' }]);
  });
});
