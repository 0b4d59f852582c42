import { join } from 'node:path';
import {
  ContinueServiceDeploymentCommand,
  type CreateServiceCommandInput,
  DescribeServiceDeploymentsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { sleep } from '@slipway/shared';
import { describeWithInfra, expectCancelledThenWarned, runBundle } from '@slipway/testing';
import { EcsWorld, FAST_INPUTS, TOKEN } from './ecs-fixture';

// A blue/green service whose deployments pause (PAUSE lifecycle hooks): the rollback is itself the decision, so it
// answers each pause of its own deployment with CONTINUE, then its health checks prove the restored release.
const action = join(__dirname, '..');
const world = new EcsWorld();

const PAUSES = {
  strategy: 'BLUE_GREEN',
  bakeTimeInMinutes: 0,
  lifecycleHooks: [
    { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] },
  ],
} satisfies CreateServiceCommandInput['deploymentConfiguration'];

beforeAll(() => world.start(), 60_000);
afterAll(() => world.stop(), 60_000);

/** deploy-ecs's deploy of v2 as it would answer it (every pause continued), to COMPLETED, recorded success. */
async function deployAnswering(service: string, environment: string) {
  const arn = await world.register(service, { version: 'v2' });
  const id = await world.record(environment, { [service]: arn }, { version: 'v2' });
  const updated = await world.client.send(new UpdateServiceCommand({ service, taskDefinition: arn }));
  const sdArn = updated.service!.currentServiceDeployment!;
  const answered = new Set<string>();
  for (let i = 0; i < 600; i++) {
    const out = await world.client.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [sdArn] }),
    );
    const sd = out.serviceDeployments![0];
    if (sd.status === 'SUCCESSFUL') break;
    const hook = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION');
    if (hook?.hookId && !answered.has(hook.hookId)) {
      answered.add(hook.hookId);
      await world.client.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: sdArn,
          hookId: hook.hookId,
          action: 'CONTINUE',
        }),
      );
    }
    await sleep(50);
  }
  expect(answered.size).toBe(2);
  await world.settle(service, arn, 'completed');
  await world.records.finish(id, 'success');
  return { arn, id };
}

/** The last status of the rollback's own GitHub Deployment (the newest record of the environment). */
async function rollbackRecord(environment: string) {
  const [newest] = await world.records.history(environment);
  expect(newest.payload?.rollback).toBeDefined();
  const { state, description } = newest.statuses.at(-1)!;
  return { state, description };
}

/** A service on v1 whose deployments pause (PAUSES), then v2 deployed over it and answered: what a rollback undoes. */
async function pausingService(prefix: string, v1: { startSeconds?: number } = {}) {
  const id = Date.now().toString(36);
  const service = `rb-${prefix}-${id}`;
  const environment = `${prefix}-${id}`;
  const good = await world.service(
    service,
    environment,
    { version: 'v1', ...v1 },
    { deploymentConfiguration: PAUSES },
  );
  const bad = await deployAnswering(service, environment);
  const lb = await world.balancer(service);
  world.ecs.calls.length = 0;
  return { service, environment, good, bad, lb };
}

/** The rollback's bundle, run as the runner runs it, health-checking `healthUrl` for `version`. */
const rollback = (
  target: { service: string; environment: string; healthUrl: string; version: string },
  more: { inputs?: Record<string, string>; cancelWhen?: (stdout: string) => boolean } = {},
) =>
  runBundle({
    action,
    inputs: {
      target: 'ecs',
      'github-token': TOKEN,
      ...FAST_INPUTS,
      ...more.inputs,
      service: target.service,
      environment: target.environment,
      'health-url': target.healthUrl,
      'expect-version': target.version,
    },
    env: { ...world.env(), AWS_ENDPOINT_URL_ECS: world.ecs.url },
    cancelWhen: more.cancelWhen,
    timeoutMs: 90_000,
  });

describeWithInfra('rollback on ECS answers the pauses of its own deployment (bundle, ecs-local)', () => {
  it('a service pausing at POST_TEST_TRAFFIC_SHIFT and POST_PRODUCTION_TRAFFIC_SHIFT: each pause CONTINUE, back on v1, healthy', async () => {
    const { service, environment, good, bad, lb } = await pausingService('pause');
    // A short wait-timeout: unanswered, the deployment would sit at its first pause until then.
    const run = await rollback(
      { service, environment, healthUrl: lb.url, version: 'v1' },
      { inputs: { 'wait-timeout': '20s' } },
    );

    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([]);
    expect(run.outputs).toEqual({
      'rolled-back-to': good.arn,
      'rolled-back-from': bad.arn,
      result: 'rolled-back',
    });
    expect((await world.describe(service)).taskDefinition).toBe(good.arn);
    // Its own deployment, and nothing else: one UpdateService, one CONTINUE per pause, each logged.
    expect(world.changes()).toEqual(['UpdateService']);
    expect(world.ecs.calls.filter((c) => c.endsWith('ContinueServiceDeployment'))).toHaveLength(2);
    for (const stage of ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT']) {
      expect(run.stdout).toContain(
        `${service}: the rollback's own deployment paused at ${stage}: CONTINUE (ContinueServiceDeployment).`,
      );
    }
    expect(run.summary).toContain('#### Health checks: ✅ passed');
  }, 120_000);

  it('cancelled while its deployment heads for a pause it answers: the post step stops it, never left paused', async () => {
    // v1 takes a few seconds to serve: the run is cancelled while ECS scales the restored release up.
    const { service, environment, bad, lb } = await pausingService('cancel', { startSeconds: 5 });
    const run = await rollback(
      { service, environment, healthUrl: lb.url, version: 'v1' },
      { cancelWhen: (stdout) => /deployment ecs-svc\/\d+ started/.test(stdout) },
    );

    expectCancelledThenWarned(
      run,
      new RegExp(
        `^${service}: its deployment \\(now at \\w+\\) was to pause at POST_TEST_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT for this run; stopped it \\(StopServiceDeployment, ROLLBACK\\)`,
      ),
    );
    // The rollback's own deployment undone by ECS: production on what served before the run, nothing paused.
    expect(world.changes()).toEqual(['UpdateService', 'StopServiceDeployment']);
    await world.settle(service, bad.arn, 'completed');
    const [sd] = (
      await world.client.send(
        new DescribeServiceDeploymentsCommand({
          serviceDeploymentArns: [(await world.describe(service)).currentServiceDeployment!],
        }),
      )
    ).serviceDeployments!;
    expect(sd.status).toMatch(/^ROLLBACK_/);
    expect(sd.lifecycleHookDetails?.filter((h) => h.status === 'AWAITING_ACTION')).toEqual([]);
    // The rollback's own GitHub Deployment is closed with what ECS did: the restore undone, failure.
    expect(await rollbackRecord(environment)).toEqual({
      state: 'failure',
      description: expect.stringMatching(
        /^The run stopped at or before a pause it answers \(.*\); rolled back through ECS/,
      ),
    });
  }, 120_000);

  it('cancelled during its health checks, after ECS completed the restore: the post step records success', async () => {
    const id = Date.now().toString(36);
    const service = `rb-late-${id}`;
    const environment = `late-${id}`;
    const good = await world.service(service, environment, { version: 'v1' });
    await world.deploy(service, environment, { version: 'v2' }, { until: 'completed', state: 'success' });
    const lb = await world.balancer(service);

    // expect-version v3 never answers: the health checks wait (ready-timeout) while the run is cancelled.
    const run = await rollback(
      { service, environment, healthUrl: lb.url, version: 'v3' },
      { cancelWhen: (stdout) => stdout.includes('rollback: health checks') },
    );

    expect(run.cancelled).toBe(true);
    expect(run.post?.exitCode).toBe(0);
    expect((await world.describe(service)).taskDefinition).toBe(good.arn);
    expect(await rollbackRecord(environment)).toEqual({
      state: 'success',
      description: expect.stringMatching(/^ECS completed the rollback to rb-late-\w+:1\b/),
    });
  }, 120_000);
});
