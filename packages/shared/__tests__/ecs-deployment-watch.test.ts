import type { DeploymentRolloutState, Service } from '@aws-sdk/client-ecs';
import { type EcsDeploymentReader, watchEcsDeployment } from '../src/ecs/ecs-deployment-watch';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const service = (rolloutState: DeploymentRolloutState, runningCount = 1): Service => ({
  serviceName: 'web',
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState, desiredCount: 1, runningCount }],
});

/**
 * A reader that answers from a script of services or errors (or from a function of the virtual clock), and a
 * virtual clock moved by sleep.
 */
function scripted(script: Array<Service | Error> | ((at: number) => Service | Error)) {
  let clock = 0;
  const calls: number[] = [];
  const reader: EcsDeploymentReader = {
    async describeServices() {
      calls.push(clock);
      const next =
        typeof script === 'function' ? script(clock) : script.length > 1 ? script.shift()! : script[0];
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

  describe('the pace (poll-schedule)', () => {
    const S = 1000;
    const MIN = 60 * S;
    const gaps = (calls: number[]) => calls.slice(1).map((at, i) => at - calls[i]);
    const slow = { pollIntervalMs: 5 * S };

    it('polls at poll-interval for the first 2 minutes, then slower while nothing moves, up to 30s', async () => {
      const { reader, options, target, calls } = scripted([service('IN_PROGRESS', 0)]);
      const result = await watchEcsDeployment(
        reader,
        { ...target, deadline: 10 * MIN },
        { ...options, ...slow },
      );
      expect(result.outcome).toBe('timed-out');
      expect(calls.at(-1)).toBe(10 * MIN); // the last poll still at the deadline
      const early = calls.filter((at) => at < 2 * MIN);
      expect(early).toHaveLength(24);
      expect(new Set(gaps(early))).toEqual(new Set([5 * S]));
      expect(gaps(calls).slice(24, 30)).toEqual([7500, 11_250, 16_875, 25_313, 30 * S, 30 * S]);
      expect(Math.max(...gaps(calls))).toBe(30 * S);
      expect(result.polls).toBe(calls.length);
      expect(calls.length).toBeLessThan(10 * 12 + 1); // what a fixed 5s made: 121
    });

    it('drops back to poll-interval when task counts move, then slows down again', async () => {
      // One more task running from 5 minutes on; COMPLETED at 9 minutes.
      const { reader, options, target, calls } = scripted((at) =>
        at >= 9 * MIN ? service('COMPLETED', 2) : service('IN_PROGRESS', at >= 5 * MIN ? 1 : 0),
      );
      const result = await watchEcsDeployment(
        reader,
        { ...target, deadline: 20 * MIN },
        { ...options, ...slow },
      );
      expect(result.outcome).toBe('succeeded');
      const moved = calls.findIndex((at) => at >= 5 * MIN);
      expect(calls[moved] - calls[moved - 1]).toBe(30 * S); // quiet until then
      expect(gaps(calls).slice(moved, moved + 3)).toEqual([5 * S, 7500, 11_250]);
      expect(calls.at(-1)! - 9 * MIN).toBeLessThan(30 * S); // the verdict within one capped interval
    });

    it('a throttled poll keeps the pace from dropping back, even with news', async () => {
      const retries: number[] = [];
      let throttledOnce = false;
      const { reader, options, target, calls } = scripted((at) => {
        if (at >= 5 * MIN && !throttledOnce) {
          throttledOnce = true;
          return throttled();
        }
        return service('IN_PROGRESS', at >= 5 * MIN ? 1 : 0); // and the throttled poll brings news
      });
      await watchEcsDeployment(
        reader,
        { ...target, deadline: 8 * MIN },
        {
          ...options,
          ...slow,
          onRetry: (_e, delay) => retries.push(delay),
        },
      );
      expect(retries).toHaveLength(1);
      const retried = calls.findIndex((at) => at >= 5 * MIN) + 1; // the retry that got through
      expect(calls[retried] - calls[retried - 1]).toBe(retries[0]);
      expect(calls[retried + 1] - calls[retried]).toBe(30 * S); // not back to 5s
    });

    it('so does throttling the reader absorbed with its own retries (the ECS client retries too)', async () => {
      // A task more at 5 minutes (seen by a throttled poll), another 10s later (seen by one that is not).
      const { reader, options, target, calls } = scripted((at) =>
        service('IN_PROGRESS', at >= 5 * MIN + 10 * S ? 2 : at >= 5 * MIN ? 1 : 0),
      );
      let retried = 0;
      const describe = reader.describeServices.bind(reader);
      const absorbing: EcsDeploymentReader = {
        ...reader,
        describeServices: async (cluster, names) => {
          if (options.now() >= 5 * MIN && retried === 0) retried++; // a ThrottlingException retried inside
          return describe(cluster, names);
        },
        retries: () => retried,
      };
      await watchEcsDeployment(absorbing, { ...target, deadline: 8 * MIN }, { ...options, ...slow });
      const moved = calls.findIndex((at) => at >= 5 * MIN);
      expect(calls[moved + 1] - calls[moved]).toBe(30 * S); // news, but throttled: not back to 5s
      expect(calls[moved + 2] - calls[moved + 1]).toBe(5 * S); // news, not throttled: back to 5s
    });
  });

  it('rethrows errors that are not transient (a permission error is not a timeout)', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    const { reader, options, target } = scripted([denied]);
    await expect(watchEcsDeployment(reader, target, options)).rejects.toBe(denied);
  });
});
