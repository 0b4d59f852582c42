import { join } from 'node:path';
import {
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { runAction } from '@slipway/testing';
import { EcsWorld, FAST_INPUTS, TOKEN } from './ecs-fixture';

// Several services in one rollback: the bundle as the runner runs it, against ecs-local (real containers) and
// github-local, each service behind its own load balancer.
const action = join(__dirname, '..');
const world = new EcsWorld();
let n = 0;
const names = () => {
  n++;
  const id = `${n}-${Date.now().toString(36)}`;
  return { a: `rb-multi-a-${id}`, b: `rb-multi-b-${id}`, environment: `multi-${id}` };
};

beforeAll(() => world.start(), 60_000);
afterAll(() => world.stop(), 60_000);

function rollback(inputs: Record<string, string>) {
  return runAction({
    action,
    inputs: {
      target: 'ecs',
      'github-token': TOKEN,
      ...FAST_INPUTS,
      ...inputs,
    },
    env: { ...world.env(), AWS_ENDPOINT_URL_ECS: world.ecs.url },
    timeoutMs: 120_000,
  });
}

const errors = (run: Awaited<ReturnType<typeof rollback>>) =>
  run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe('rollback of several ECS services (bundle, ecs-local, github-local)', () => {
  it('every service goes back to the same last good task definition; outputs list what differed', async () => {
    const { a, b, environment } = names();
    const v1 = await world.service([a, b], environment, { version: 'v1' });
    const v2 = await world.deploy(
      [a, b],
      environment,
      { version: 'v2' },
      { until: 'completed', state: 'success' },
    );
    // b was then hot-fixed by hand, outside the records: ECS's newest deployment of b runs v2.1.
    const hotfix = await world.register(a, { version: 'v2.1' });
    await world.client.send(new UpdateServiceCommand({ service: b, taskDefinition: hotfix }));
    await world.settle(b, hotfix, 'completed');
    const balancers = await Promise.all([a, b].map((s) => world.balancer(s)));
    world.ecs.calls.length = 0;

    const run = await rollback({
      services: `${a}\n${b}`,
      environment,
      'health-url': balancers.map((lb) => lb.url).join('\n'),
      'expect-version': 'v1',
    });

    expect(errors(run)).toEqual([]);
    expect(run.outputs).toEqual({
      'rolled-back-to': v1.arn,
      'rolled-back-from': `${v2.arn},${hotfix}`,
      result: 'rolled-back',
    });
    expect(world.changes()).toEqual(['UpdateService', 'UpdateService']);
    for (const service of [a, b]) expect((await world.describe(service)).taskDefinition).toBe(v1.arn);
    for (const lb of balancers) expect(lb.requests).toBeGreaterThanOrEqual(3);
    const history = await world.records.history(environment);
    expect(history.find((d) => d.id === v2.id)?.badReason).toBe('rolled back');
    expect(history[0]).toMatchObject({
      payload: { taskDefinitions: { [a]: v1.arn, [b]: v1.arn } },
      statuses: [{ state: 'in_progress' }, { state: 'success' }],
    });
    expect(run.summary).toContain(`| ${a} | ${v2.arn} | ${v1.arn} | succeeded |`);
    expect(run.summary).toContain(`| ${b} | ${hotfix} | ${v1.arn} | succeeded |`);
  }, 180_000);

  it('one service failing its rollback fails the run, naming it; the others are rolled back', async () => {
    const { a: web, b: worker, environment } = names();
    // Each service its own family, deployed together and recorded as one deployment.
    const stack = async (version: string, first: boolean) => {
      const arns = {
        [web]: await world.register(web, { version }),
        [worker]: await world.register(worker, { version }),
      };
      const id = await world.record(environment, arns, { version });
      for (const [service, arn] of Object.entries(arns)) {
        if (first) {
          await world.client.send(
            new CreateServiceCommand({ serviceName: service, taskDefinition: arn, desiredCount: 1 }),
          );
        } else {
          await world.client.send(new UpdateServiceCommand({ service, taskDefinition: arn }));
        }
      }
      await Promise.all(
        Object.entries(arns).map(([service, arn]) => world.settle(service, arn, 'completed')),
      );
      await world.records.finish(id, 'success');
      return arns;
    };
    const v1 = await stack('v1', true);
    const v2 = await stack('v2', false);
    // A clean-up job deregistered the worker's old revision since: ECS refuses to update a service to it.
    await world.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: v1[worker] }));
    const lb = await world.balancer(web);
    world.ecs.calls.length = 0;

    const run = await rollback({
      services: `${web}\n${worker}`,
      environment,
      'health-url': lb.url,
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({
      'rolled-back-to': `${v1[web]},${v1[worker]}`,
      'rolled-back-from': `${v2[web]},${v2[worker]}`,
      result: 'failed',
    });
    expect(errors(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `FAILED: ${worker} failed \\(ECS refused ecs:UpdateService \\(ClientException: TaskDefinition is ` +
            `inactive: .*\\)\\. On the restored release: ${web}\\. It was tried once`,
        ),
      ),
    ]);
    // What is left: web back on v1, worker still on v2; no health check of a half-restored release.
    expect((await world.describe(web)).taskDefinition).toBe(v1[web]);
    expect((await world.describe(worker)).taskDefinition).toBe(v2[worker]);
    expect(run.summary).toContain(`| ${web} | ${v2[web]} | ${v1[web]} | succeeded |`);
    expect(run.summary).toContain(`| ${worker} | ${v2[worker]} | ${v1[worker]} | failed |`);
    expect(run.summary).toContain('#### Health checks: not run (the rollback itself failed)');
    expect(lb.requests).toBe(0);
    const history = await world.records.history(environment);
    expect(history[0].statuses.at(-1)?.state).toBe('failure');
  }, 180_000);
});
