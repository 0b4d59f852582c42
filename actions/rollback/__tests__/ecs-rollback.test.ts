import { join } from 'node:path';
import { createDeploymentRecorder } from '@slipway/shared';
import { runBundle } from '@slipway/testing';
import { CREDENTIALS, digestOf, EcsWorld, FAST_INPUTS, TOKEN } from './ecs-fixture';

// The bundle as the runner runs it, against ecs-local (real containers), github-local (the real
// @actions/github client) and real HTTP health checks through a load balancer in front of the tasks.
const action = join(__dirname, '..');
const world = new EcsWorld();
let n = 0;
const names = () => {
  n++;
  return { service: `rb-app-${n}-${Date.now().toString(36)}`, environment: `production-${n}` };
};

beforeAll(() => world.start(), 60_000);
afterAll(() => world.stop(), 60_000);

function rollback(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runBundle({
    action,
    inputs: { target: 'ecs', 'github-token': TOKEN, ...FAST_INPUTS, ...inputs },
    env: { ...world.env(), AWS_ENDPOINT_URL_ECS: world.ecs.url, ...env },
    timeoutMs: 120_000,
  });
}

const messages = (run: Awaited<ReturnType<typeof rollback>>, level: string) =>
  run.annotations.filter((a) => a.level === level).map((a) => a.message);

function expectNoSecrets(run: Awaited<ReturnType<typeof rollback>>, awsUsed = true) {
  for (const text of [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)]) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(CREDENTIALS.AWS_SECRET_ACCESS_KEY);
  }
  expect(run.masks).toContain(TOKEN);
  if (awsUsed) expect(run.masks).toContain(CREDENTIALS.AWS_SECRET_ACCESS_KEY);
}

describe('rollback on ECS (bundle, ecs-local, github-local)', () => {
  it('after a failed deploy still in flight: stops it (ROLLBACK), restores the last good release, proves it healthy', async () => {
    const { service, environment } = names();
    const good = await world.service(service, environment, { version: 'v1' });
    const bad = await world.deploy(
      service,
      environment,
      { version: 'v2', healthy: false },
      { until: 'failed' },
    );
    const lb = await world.balancer(service);
    world.ecs.calls.length = 0;

    const run = await rollback({
      service,
      environment,
      'health-url': lb.url,
      'expect-version': 'v1',
      reason: 'v2 crashes',
    });

    expect(messages(run, 'error')).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      'rolled-back-to': good.arn,
      'rolled-back-from': bad.arn,
      result: 'rolled-back',
    });
    // ECS's own rollback put the service back on v1: no UpdateService of ours was needed.
    expect(world.changes()).toEqual(['StopServiceDeployment']);
    expect(run.stdout).toContain('(StopServiceDeployment, ROLLBACK)');
    const current = await world.describe(service);
    expect(current.taskDefinition).toBe(good.arn);
    expect(current.deployments?.filter((d) => d.status !== 'INACTIVE')).toHaveLength(1);
    // The bad release is marked; the rollback is recorded as a deployment of the restored release.
    const history = await world.records.history(environment);
    expect(history.find((d) => d.id === bad.id)?.badReason).toBe('v2 crashes');
    expect(history[0]).toMatchObject({
      payload: {
        taskDefinitions: { [service]: good.arn },
        rollback: { fromId: bad.id, reason: 'v2 crashes' },
      },
      statuses: [{ state: 'in_progress' }, { state: 'success' }],
    });
    expect(run.summary).toContain(`**${bad.arn}** → **${good.arn}**`);
    expect(run.summary).toContain('why: v2 crashes; rolled away from deployment #');
    expect(run.summary).toContain('#### Health checks: ✅ passed');
    expectNoSecrets(run);
  }, 120_000);

  it('after a "successful" deploy later found bad: deploys the last good release back, and the bad digest is refused from then on', async () => {
    const { service, environment } = names();
    const good = await world.service(service, environment, { version: 'v1' });
    await world.deploy(
      service,
      environment,
      { version: 'v2', healthy: false },
      { until: 'failed', state: 'failure' },
    );
    const v3 = await world.deploy(
      service,
      environment,
      { version: 'v3' },
      { until: 'completed', state: 'success' },
    );
    const lb = await world.balancer(service);
    world.ecs.calls.length = 0;

    const run = await rollback({ service, environment, 'health-url': lb.url, 'expect-version': 'v1' });

    expect(messages(run, 'error')).toEqual([]);
    // Never "the previous one": v2 failed, so v1 is restored.
    expect(run.outputs).toEqual({
      'rolled-back-to': good.arn,
      'rolled-back-from': v3.arn,
      result: 'rolled-back',
    });
    expect(world.changes()).toEqual(['UpdateService']); // nothing registered, nothing stopped
    expect((await world.describe(service)).taskDefinition).toBe(good.arn);
    const recorder = createDeploymentRecorder(
      { enabled: true, environment, force: false, sha: 'x' },
      { records: world.records, notice: () => {}, warning: () => {} },
    );
    await expect(recorder.guard([digestOf('v3')])).rejects.toThrow(
      /marked bad by a rollback \(rolled back\)/,
    );
    await expect(recorder.guard([digestOf('v1')])).resolves.toBeUndefined();

    // A second rollback within the cooldown is refused before anything changes.
    world.ecs.calls.length = 0;
    const again = await rollback({ service, environment, 'health-url': lb.url });
    expect(again.exitCode).toBe(1);
    expect(messages(again, 'error')[0]).toMatch(
      new RegExp(`^${environment} was rolled back .* ago \\(deployment #\\d+\\); the cooldown is 10m00s\\.`),
    );
    expect(again.outputs).toEqual({ result: 'refused' });
    expect(world.changes()).toEqual([]);

    // A new release deployed after that rollback and found bad too, still within the cooldown: rolling it back
    // is not flapping, and is not refused (the pipeline's automatic rollback of a second bad release).
    const v4 = await world.deploy(
      service,
      environment,
      { version: 'v4' },
      { until: 'completed', state: 'success' },
    );
    world.ecs.calls.length = 0;
    const second = await rollback({ service, environment, 'health-url': lb.url, 'expect-version': 'v1' });
    expect(messages(second, 'error')).toEqual([]);
    expect(second.outputs).toEqual({
      'rolled-back-to': good.arn,
      'rolled-back-from': v4.arn,
      result: 'rolled-back',
    });
    expect((await world.describe(service)).taskDefinition).toBe(good.arn);
    expect((await world.records.history(environment)).find((d) => d.id === v4.id)?.badReason).toBe(
      'rolled back',
    );
  }, 180_000);

  it('explicit "to" wins over the automatic choice; a health check that fails after the rollback fails loudly', async () => {
    const { service, environment } = names();
    const v1 = await world.service(service, environment, { version: 'v1' });
    await world.deploy(service, environment, { version: 'v2' }, { until: 'completed', state: 'success' });
    const v3 = await world.deploy(
      service,
      environment,
      { version: 'v3' },
      { until: 'completed', state: 'success' },
    );
    const lb = await world.balancer(service);
    const family = v1.arn.replace(/^.*task-definition\//, '');

    const run = await rollback({
      service,
      environment,
      to: family,
      'health-url': lb.url,
      'expect-version': 'v2',
      // v1 never answers v2: an old version is "not up yet", so the gate waits all of ready-timeout (20s here)
      'ready-timeout': '3s',
    });

    expect(run.outputs).toEqual({
      'rolled-back-to': v1.arn,
      'rolled-back-from': v3.arn,
      result: 'unhealthy',
    });
    expect((await world.describe(service)).taskDefinition).toBe(v1.arn);
    expect(run.exitCode).toBe(1);
    expect(messages(run, 'error').at(-1)).toMatch(
      new RegExp(`^Rolled ${environment} back to .*, but the restored release is NOT healthy: .*version`),
    );
    const history = await world.records.history(environment);
    expect(history[0].statuses.at(-1)?.state).toBe('failure');
    expect(run.summary).toContain('#### Health checks: ❌ failed');
  }, 120_000);

  it('a rollback deployment that does not finish fails loudly, once: no second rollback, no health check', async () => {
    const { service, environment } = names();
    await world.service(service, environment, { version: 'v1' });
    const v2 = await world.deploy(
      service,
      environment,
      { version: 'v2' },
      { until: 'completed', state: 'success' },
    );
    const broken = await world.register(service, { version: 'v0', healthy: false });
    const lb = await world.balancer(service);
    world.ecs.calls.length = 0;

    const run = await rollback({
      service,
      environment,
      to: broken,
      'health-url': lb.url,
      'wait-timeout': '3s',
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ 'rolled-back-to': broken, 'rolled-back-from': v2.arn, result: 'failed' });
    expect(messages(run, 'error').at(-1)).toMatch(
      new RegExp(
        `^Rollback of ${environment} to .* FAILED: ${service} timed-out \\(ECS had not finished .*It was tried once`,
        's',
      ),
    );
    expect(world.changes()).toEqual(['UpdateService']);
    expect(lb.requests).toBe(0);
    expect(run.summary).toContain('#### Health checks: not run (the rollback itself failed)');
    const history = await world.records.history(environment);
    expect(history[0]).toMatchObject({ payload: { taskDefinitions: { [service]: broken } } });
    expect(history[0].statuses.at(-1)?.state).toBe('failure');
  }, 120_000);

  it("without GitHub API access, falls back to ECS's own history with a notice", async () => {
    const { service, environment } = names();
    const v1 = await world.service(service, environment, { version: 'v1' });
    const v2 = await world.deploy(
      service,
      environment,
      { version: 'v2' },
      { until: 'completed', state: 'success' },
    );
    const lb = await world.balancer(service);
    const requests = world.github.requests.length;

    const run = await rollback({
      service,
      environment,
      'github-token': 'ghs_wrong_token_for_this_api',
      'health-url': lb.url,
      'expect-version': 'v1',
    });

    expect(messages(run, 'error')).toEqual([]);
    expect(messages(run, 'notice')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^The deployment records could not be read \(GitHub API: Bad credentials/),
      ]),
    );
    expect(run.outputs).toEqual({
      'rolled-back-to': v1.arn,
      'rolled-back-from': v2.arn,
      result: 'rolled-back',
    });
    expect(world.github.requests.length).toBe(requests + 1); // the one history query, refused
    expect(run.summary).toContain("the target's own history (no deployment records)");
  }, 120_000);

  it('migrations-guard: refuses when a newer deploy recorded a schema migration, warns and goes on with warn', async () => {
    const { service, environment } = names();
    const v1 = await world.service(service, environment, { version: 'v1' });
    await world.deploy(
      service,
      environment,
      { version: 'v2', migration: '2026-11-20-orders' },
      { until: 'completed', state: 'success' },
    );
    const lb = await world.balancer(service);
    world.ecs.calls.length = 0;

    const refused = await rollback({
      service,
      environment,
      'migrations-guard': 'refuse',
      'health-url': lb.url,
    });
    expect(refused.exitCode).toBe(1);
    expect(messages(refused, 'error')).toEqual([
      expect.stringMatching(
        /older than schema migration\(s\) 2026-11-20-orders \(deployment #\d+\).*set migrations-guard: warn/,
      ),
    ]);
    expect(refused.outputs).toEqual({ result: 'refused' });
    expect(world.changes()).toEqual([]);

    const warned = await rollback({ service, environment, 'health-url': lb.url, 'expect-version': 'v1' });
    expect(messages(warned, 'error')).toEqual([]);
    expect(messages(warned, 'warning')).toEqual([
      expect.stringContaining('older than schema migration(s) 2026-11-20-orders'),
    ]);
    expect(warned.outputs).toMatchObject({ 'rolled-back-to': v1.arn, result: 'rolled-back' });
  }, 120_000);

  it('nothing to roll back to: a clear error and no change', async () => {
    const { service, environment } = names();
    await world.service(service, environment, { version: 'v1' });
    const lb = await world.balancer(service);
    world.ecs.calls.length = 0;

    const run = await rollback({ service, environment, 'health-url': lb.url });

    expect(run.exitCode).toBe(1);
    expect(messages(run, 'error')).toEqual([
      expect.stringMatching(
        /^Nothing to roll back to: production-\d+ has no successful ecs deployment before #\d+ .*Name the release to restore with "to"\.$/,
      ),
    ]);
    expect(run.outputs).toEqual({ result: 'refused' });
    expect(world.changes()).toEqual([]);
    expect(lb.requests).toBe(0);
  }, 60_000);

  it.each([
    [{ target: 'k8s' }, 'Input "target" must be one of ecs, compose; got "k8s".'],
    [{ target: 'compose' }, 'Input "ssh-key" is required'],
    [{ target: 'compose', to: 'web:3' }, 'Input "to" must be a release id from the hosts\' history'],
    [{ 'health-url': '' }, 'Input "health-url" is required'],
    [{ to: 'web' }, 'Input "to" must be a task-definition ARN (or family:revision) or an image digest'],
    [{ cooldown: 'soon' }, 'Input "cooldown" must be a duration'],
    [
      { 'migrations-guard': 'maybe' },
      'Input "migrations-guard" must be one of off, warn, refuse; got "maybe".',
    ],
    [{ service: '' }, 'Input "service" (or "services", one per line) is required with target: ecs.'],
  ])(
    'refuses bad input %j with a clear error and no API call',
    async (bad, message) => {
      world.ecs.calls.length = 0;
      const requests = world.github.requests.length;
      const run = await rollback({
        service: 'rb-any',
        environment: 'production',
        'health-url': 'http://127.0.0.1:9/',
        ...bad,
      });
      expect(run.exitCode).toBe(1);
      expect(messages(run, 'error')).toEqual([expect.stringContaining(message)]);
      expect(run.outputs).toEqual({});
      expect(world.ecs.calls).toEqual([]);
      expect(world.github.requests.length).toBe(requests);
      expectNoSecrets(run, false);
    },
    30_000,
  );
});
