import { join } from 'node:path';
import {
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { RegistryClient } from '@slipway/shared';
import { describeWithInfra, runBundle } from '@slipway/testing';
import { EcsWorld, FAST_INPUTS, type Release, TOKEN } from './ecs-fixture';

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
  return runBundle({
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

/**
 * One deploy as deploy-ecs records it: each service on a new revision of its own family, recorded as one
 * deployment (service -> task definition) that succeeded. `create` makes the services.
 */
async function stack(environment: string, releases: Record<string, Release>, create = false) {
  const arns: Record<string, string> = {};
  for (const [service, release] of Object.entries(releases))
    arns[service] = await world.register(service, release);
  const id = await world.record(environment, arns, Object.values(releases)[0]);
  for (const [service, arn] of Object.entries(arns)) {
    if (create) {
      await world.client.send(
        new CreateServiceCommand({ serviceName: service, taskDefinition: arn, desiredCount: 1 }),
      );
    } else {
      await world.client.send(new UpdateServiceCommand({ service, taskDefinition: arn }));
    }
  }
  await Promise.all(Object.entries(arns).map(([service, arn]) => world.settle(service, arn, 'completed')));
  await world.records.finish(id, 'success');
  return arns;
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

  it('one service whose rollback deployment fails at run time fails the run, naming it; the others are rolled back', async () => {
    const { a: web, b: worker, environment } = names();
    // The worker's v1 passed when it was deployed, but no longer starts healthy (say, a secret it reads was
    // rotated since): only running it can tell. ECS's circuit breaker fails that deployment (no rollback).
    const v0 = await world.register(worker, { version: 'v0' });
    await world.client.send(
      new CreateServiceCommand({
        serviceName: worker,
        taskDefinition: v0,
        desiredCount: 1,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
      }),
    );
    await world.settle(worker, v0, 'completed');
    const v1 = {
      [web]: await world.register(web, { version: 'v1' }),
      [worker]: await world.register(worker, { version: 'v1', healthy: false }),
    };
    await world.client.send(
      new CreateServiceCommand({ serviceName: web, taskDefinition: v1[web], desiredCount: 1 }),
    );
    await world.settle(web, v1[web], 'completed');
    await world.records.finish(await world.record(environment, v1, { version: 'v1' }), 'success');
    const v2 = await stack(environment, { [web]: { version: 'v2' }, [worker]: { version: 'v2' } });
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
          `FAILED: ${worker} failed \\(.*[^.]\\)\\. On the restored release: ${web}\\. It was tried once`,
        ),
      ),
    ]);
    expect(errors(run)[0]).not.toContain('.).');
    expect(world.changes()).toEqual(['UpdateService', 'UpdateService']);
    // What is left: web back on v1, the worker's failed deployment of v1 stopped by ECS; no health check of a
    // half-restored release.
    expect((await world.describe(web)).taskDefinition).toBe(v1[web]);
    const workerNow = await world.describe(worker);
    expect(workerNow.deployments?.find((d) => d.taskDefinition === v1[worker])?.rolloutState).toBe('FAILED');
    expect(run.summary).toContain(`| ${web} | ${v2[web]} | ${v1[web]} | succeeded |`);
    expect(run.summary).toContain(`| ${worker} | ${v2[worker]} | ${v1[worker]} | failed |`);
    expect(run.summary).toContain('#### Health checks: not run (the rollback itself failed)');
    expect(lb.requests).toBe(0);
    const history = await world.records.history(environment);
    expect(history[0].statuses.at(-1)?.state).toBe('failure');
  }, 180_000);

  it('a deregistered (INACTIVE) task definition to restore refuses the whole rollback up front, naming it', async () => {
    const { a: web, b: worker, environment } = names();
    const v1 = await stack(environment, { [web]: { version: 'v1' }, [worker]: { version: 'v1' } }, true);
    const v2 = await stack(environment, { [web]: { version: 'v2' }, [worker]: { version: 'v2' } });
    // A clean-up job deregistered the worker's old revision since: ECS would refuse to move the worker to it.
    await world.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: v1[worker] }));
    const before = await world.records.history(environment);
    world.ecs.calls.length = 0;

    const run = await rollback({
      services: `${web}\n${worker}`,
      environment,
      'health-url': 'http://127.0.0.1:9/',
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ result: 'refused' });
    expect(errors(run)).toEqual([
      `Cannot roll back: the task definition to restore is deregistered (INACTIVE), and ECS cannot run it - ` +
        `${worker}: ${v1[worker]}. Nothing was changed. Register that revision again and name it with "to", or ` +
        'choose another release.',
    ]);
    expect(world.changes()).toEqual([]);
    expect((await world.describe(web)).taskDefinition).toBe(v2[web]);
    expect((await world.describe(worker)).taskDefinition).toBe(v2[worker]);
    // Nothing marked bad, no rollback recorded.
    expect(await world.records.history(environment)).toEqual(before);
  }, 180_000);

  it("a record of some services only: each service goes back to its own task definition, the others to ECS's history", async () => {
    const { a: web, b: worker, environment } = names();
    const v1 = await stack(environment, { [web]: { version: 'v1' }, [worker]: { version: 'v1' } }, true);
    const worker2 = await stack(environment, { [worker]: { version: 'w2' } });
    const web3 = await stack(environment, { [web]: { version: 'v3' } }); // later found bad
    const lb = await world.balancer(web);
    world.ecs.calls.length = 0;

    const run = await rollback({
      services: `${web}\n${worker}`,
      environment,
      'health-url': lb.url,
      'expect-version': 'v1',
    });

    // The last good record is the worker's w2 deploy; it says nothing about web, which must not get w2.
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toEqual({
      'rolled-back-to': `${v1[web]},${worker2[worker]}`,
      'rolled-back-from': `${web3[web]},${worker2[worker]}`,
      result: 'rolled-back',
    });
    expect(run.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Deployment #\\d+, the release to restore, recorded no task definition for ${web} \\(it covers ` +
            `${worker}\\): ${web} goes back to its own last successful task definition in ECS's history, ` +
            `${v1[web].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.$`,
        ),
      ),
    );
    expect(world.changes()).toEqual(['UpdateService']); // the worker is already on w2
    expect((await world.describe(web)).taskDefinition).toBe(v1[web]);
    expect((await world.describe(worker)).taskDefinition).toBe(worker2[worker]);
    const history = await world.records.history(environment);
    expect(history[0]).toMatchObject({
      payload: { taskDefinitions: { [web]: v1[web], [worker]: worker2[worker] } },
      statuses: [{ state: 'in_progress' }, { state: 'success' }],
    });
    expect(run.summary).toContain(`| ${worker} | ${worker2[worker]} | ${worker2[worker]} | unchanged |`);
  }, 180_000);

  it('a service neither the record nor ECS can take back refuses the rollback up front, naming it', async () => {
    const { a: web, b: worker, environment } = names();
    const web1 = await stack(environment, { [web]: { version: 'v1' } }, true);
    await stack(environment, { [worker]: { version: 'w1' } }, true);
    const worker2 = await stack(environment, { [worker]: { version: 'w2' } });
    world.ecs.calls.length = 0;

    const run = await rollback({
      services: `${web}\n${worker}`,
      environment,
      'health-url': 'http://127.0.0.1:9/',
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ result: 'refused' });
    expect(errors(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Deployment #\\d+, the release to restore, recorded no task definition for ${web} \\(it covers ` +
            `${worker}\\), and ECS remembers no successful deployment of ${web} .*Nothing was changed\\. ` +
            `Leave ${web} out of "services"`,
        ),
      ),
    ]);
    expect(world.changes()).toEqual([]);
    expect((await world.describe(web)).taskDefinition).toBe(web1[web]);
    expect((await world.describe(worker)).taskDefinition).toBe(worker2[worker]);
  }, 180_000);

  describeWithInfra('bad marks (a digest pinned in the local registry)', (infra) => {
    it('ECS\'s history never restores what a record marked bad, though ECS lists it SUCCESSFUL; nor does "to"', async () => {
      const { a: web, b: worker, environment } = names();
      const head = await new RegistryClient({ registry: infra.registry.open }).headManifest(
        'slipway/busybox',
        '1',
      );
      const pinned = `${infra.registry.open}/slipway/busybox@${head!.digest}`;
      const v1 = await stack(environment, { [web]: { version: 'v1' }, [worker]: { version: 'v1' } }, true);
      // A deploy that ran the pinned digest, marked bad by an earlier rollback (no ECS side needed).
      const digestBad = await world.records.start({
        environment,
        sha: 'f'.repeat(40),
        description: 'deploy pinned',
        payload: { slipway: 1, target: 'ecs', images: { web: pinned }, taskDefinitions: {}, sha: '' },
      });
      await world.records.finish(digestBad, 'success');
      await world.records.markBad(digestBad, 'crashes under load.');
      const worker2 = await stack(environment, { [worker]: { version: 'w2' } });
      // web hot-fixed by hand onto that digest (no record): ECS lists it SUCCESSFUL.
      const hotfix = await world.register(web, { version: 'hotfix', image: pinned });
      await world.client.send(new UpdateServiceCommand({ service: web, taskDefinition: hotfix }));
      await world.settle(web, hotfix, 'completed');
      // web v3, recorded, completed in ECS, then marked bad.
      const web3 = await stack(environment, { [web]: { version: 'v3' } });
      const web3Id = (await world.records.history(environment))[0].id;
      await world.records.markBad(web3Id, 'leaks memory');
      const web4 = await stack(environment, { [web]: { version: 'v4' } });
      const lb = await world.balancer(web);
      world.ecs.calls.length = 0;

      const run = await rollback({
        services: `${web}\n${worker}`,
        environment,
        'health-url': lb.url,
        'expect-version': 'v1',
      });

      // The last good record is the worker's w2 deploy; web is not in it, and ECS's two newest successful
      // task definitions of web are forbidden by the records: the third, v1, is restored.
      expect(errors(run)).toEqual([]);
      expect(run.outputs).toEqual({
        'rolled-back-to': `${v1[web]},${worker2[worker]}`,
        'rolled-back-from': `${web4[web]},${worker2[worker]}`,
        result: 'rolled-back',
      });
      const notice = run.annotations.find((a) => a.level === 'notice' && a.message.includes('Skipped'));
      expect(notice?.message).toContain(
        `${web} goes back to its own last successful task definition in ECS's history, ${v1[web]}. ` +
          `Skipped, as the deployment records forbid them: ${web3[web]}: ran in deployment #${web3Id}, marked ` +
          `bad (leaks memory); ${hotfix}: its image ${pinned} ran in deployment #${digestBad}, marked bad ` +
          '(crashes under load).',
      );
      expect(world.changes()).toEqual(['UpdateService']);
      expect((await world.describe(web)).taskDefinition).toBe(v1[web]);
      expect(lb.requests).toBeGreaterThanOrEqual(3);

      // "to" naming the hot-fix is refused too, before anything changes.
      world.ecs.calls.length = 0;
      const before = await world.records.history(environment);
      const named = await rollback({
        services: web,
        environment,
        to: hotfix,
        cooldown: '0',
        'health-url': lb.url,
      });
      expect(named.exitCode).toBe(1);
      expect(named.outputs).toEqual({ result: 'refused' });
      expect(errors(named)).toEqual([
        `Input "to" names a task definition the deployment records forbid - ${hotfix}: its image ${pinned} ran ` +
          `in deployment #${digestBad}, marked bad (crashes under load). Nothing was changed; choose another release.`,
      ]);
      expect(world.changes()).toEqual([]);
      expect((await world.describe(web)).taskDefinition).toBe(v1[web]);
      expect(await world.records.history(environment)).toEqual(before);
    }, 240_000);
  });
});
