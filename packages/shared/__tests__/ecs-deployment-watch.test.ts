import type { DeploymentRolloutState, Service } from '@aws-sdk/client-ecs';
import { type EcsDeploymentReader, watchEcsDeployment } from '../src/ecs/ecs-deployment-watch';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const service = (rolloutState: DeploymentRolloutState): Service => ({
  serviceName: 'web',
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState, desiredCount: 1, runningCount: 1 }],
});

/** A reader that answers from a script of services or errors, and a virtual clock moved by sleep. */
function scripted(script: Array<Service | Error>) {
  let clock = 0;
  const calls: number[] = [];
  const reader: EcsDeploymentReader = {
    async describeServices() {
      calls.push(clock);
      const next = script.length > 1 ? script.shift()! : script[0];
      if (next instanceof Error) throw next;
      return [next];
    },
    async describeServiceDeployment() {
      return undefined;
    },
  };
  const options = {
    cluster: 'default',
    service: 'web',
    pollIntervalMs: 1000,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
  };
  const target = { deploymentId: 'ecs-svc/1', taskDefinitionArn: 'td', startedAt: 0, deadline: 10_000 };
  return { reader, options, target, calls };
}

describe('watchEcsDeployment', () => {
  it('polls at the interval until ECS decides', async () => {
    const { reader, options, target, calls } = scripted([
      service('IN_PROGRESS'),
      service('IN_PROGRESS'),
      service('COMPLETED'),
    ]);
    const result = await watchEcsDeployment(reader, target, options);
    expect(result).toMatchObject({ outcome: 'succeeded', polls: 3 });
    expect(calls).toEqual([0, 1000, 2000]);
  });

  it('backs off on throttling and still gets the verdict', async () => {
    const retries: number[] = [];
    const { reader, options, target } = scripted([throttled(), throttled(), service('COMPLETED')]);
    const result = await watchEcsDeployment(reader, target, {
      ...options,
      onRetry: (_e, delay) => retries.push(delay),
    });
    expect(result.outcome).toBe('succeeded');
    expect(retries).toHaveLength(2);
  });

  it('ends as timed-out, saying why, when ECS throttles until the deadline', async () => {
    const { reader, options, target } = scripted([throttled()]);
    const result = await watchEcsDeployment(reader, target, options);
    expect(result.outcome).toBe('timed-out');
    expect(result.reason).toMatch(
      /could not be polled until wait-timeout ran out \(last error: ThrottlingException/,
    );
  });

  it('polls one last time at the deadline', async () => {
    const { reader, options, target, calls } = scripted([service('IN_PROGRESS')]);
    const result = await watchEcsDeployment(reader, { ...target, deadline: 2500 }, options);
    expect(result.outcome).toBe('timed-out');
    expect(calls).toEqual([0, 1000, 2000, 2500]);
  });

  it('rethrows errors that are not transient (a permission error is not a timeout)', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    const { reader, options, target } = scripted([denied]);
    await expect(watchEcsDeployment(reader, target, options)).rejects.toBe(denied);
  });
});
