import { randomBytes } from 'node:crypto';
import {
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DescribeServicesCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  createDockerEngine,
  type EcsLocal,
  type EcsLocalOptions,
  INSTANCE_LABEL,
  startEcsLocal,
} from '../src';
import { localEcsClient, waitFor } from './ecs-client';

/** Timings that keep a deploy to a second or two: ECS's minutes, scaled down. */
export const FAST = {
  timings: {
    tickMs: 50,
    steadyStateMs: 150,
    alarmBakeMs: 150,
    // A start period so a web server that is slow to start on a loaded machine is not failed early; a long
    // timeout because a probe that hangs is only load (a failing probe here is refused at once).
    healthCheck: { intervalMs: 200, timeoutMs: 10_000, retries: 2, startPeriodMs: 1000 },
    stopTimeoutSeconds: 0,
  },
  failureThreshold: 2,
};

/**
 * Starts ecs-local with FAST timings for the suite and closes it after, checking that no container of it is
 * left behind. The returned object is filled in by beforeAll.
 */
export function useEcsLocal(options: () => EcsLocalOptions = () => ({})): {
  ecs: EcsLocal;
  client: ECSClient;
} {
  const ctx = {} as { ecs: EcsLocal; client: ECSClient };
  beforeAll(async () => {
    ctx.ecs = await startEcsLocal({ ...FAST, ...options() });
    ctx.client = localEcsClient(ctx.ecs.url);
  });
  afterAll(async () => {
    ctx.client.destroy();
    await ctx.ecs.close();
    expect(await createDockerEngine().listByLabel(`${INSTANCE_LABEL}=${ctx.ecs.ecs.instance}`)).toEqual([]);
  });
  return ctx;
}

const SERVE = 'echo ok > /www/index.html && exec httpd -f -p 8080 -h /www';
const PROBE = (port: number) => `wget -qO- http://127.0.0.1:${port}/ || exit 1`;

/** A web server on busybox; `unhealthy` probes a port nothing listens on, `exits` quits with code 3. */
export type Behaviour = 'healthy' | 'unhealthy' | 'exits';

export async function registerWeb(client: ECSClient, family: string, behaviour: Behaviour = 'healthy') {
  const out = await client.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'bridge',
      containerDefinitions: [
        {
          name: 'web',
          image: 'local/busybox:1',
          command: ['sh', '-c', behaviour === 'exits' ? 'sleep 0.2; exit 3' : SERVE],
          environment: [{ name: 'BEHAVIOUR', value: behaviour }],
          portMappings: [{ containerPort: 8080 }],
          healthCheck: { command: ['CMD-SHELL', PROBE(behaviour === 'unhealthy' ? 9999 : 8080)] },
        },
      ],
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

export async function createService(
  client: ECSClient,
  serviceName: string,
  taskDefinition: string,
  extra: Partial<CreateServiceCommandInput> = {},
) {
  const out = await client.send(
    new CreateServiceCommand({ serviceName, taskDefinition, desiredCount: 1, ...extra }),
  );
  return out.service!;
}

export async function describeService(client: ECSClient, name: string): Promise<Service> {
  const out = await client.send(new DescribeServicesCommand({ services: [name] }));
  return out.services![0];
}

/** Waits until the deployment with this id (or the primary) reaches `state`. */
export function waitForRollout(client: ECSClient, name: string, state: string, id?: string) {
  return waitFor(
    () => describeService(client, name),
    (s) => s.deployments?.find((d) => (id ? d.id === id : d.status === 'PRIMARY'))?.rolloutState === state,
    `${name} deployment ${id ?? 'PRIMARY'} ${state}`,
  );
}

export async function tasksOf(client: ECSClient, serviceName: string, desiredStatus: 'RUNNING' | 'STOPPED') {
  const list = await client.send(new ListTasksCommand({ serviceName, desiredStatus }));
  if (!list.taskArns?.length) return [];
  const out = await client.send(new DescribeTasksCommand({ tasks: list.taskArns }));
  return out.tasks!;
}
