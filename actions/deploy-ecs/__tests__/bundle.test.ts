import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ActionRun, describeWithInfra, runBundle } from '@slipway/testing';
import { CREDENTIALS, Fixture } from './ecs-local-fixture';

const action = join(__dirname, '..');
jest.setTimeout(120_000);

describeWithInfra('deploy-ecs bundle (runner contract) against ecs-local', () => {
  const fx = new Fixture();
  const runs: ActionRun[] = [];
  beforeAll(() => fx.start());
  afterAll(async () => {
    for (const r of runs) rmSync(r.dirs.root, { recursive: true, force: true });
    await fx.stop();
  });

  /** The bundle, as the runner starts it: the endpoint only through AWS_ENDPOINT_URL_ECS, keys in the env. */
  async function bundle(inputs: Record<string, string>): Promise<ActionRun> {
    fx.resetFiles();
    const run = await runBundle({
      action,
      inputs: { 'poll-interval': '200ms', ...inputs },
      env: { ...CREDENTIALS, AWS_ENDPOINT_URL_ECS: fx.ecs.url },
    });
    runs.push(run);
    return run;
  }

  function expectNoSecret(run: ActionRun): void {
    const secret = CREDENTIALS.AWS_SECRET_ACCESS_KEY;
    expect(run.masks).toContain(secret);
    for (const text of [
      run.stdout,
      run.stderr,
      run.summary,
      JSON.stringify(run.outputs),
      JSON.stringify(run.state),
    ]) {
      expect(text).not.toContain(secret);
    }
  }

  it('deploys through AWS_ENDPOINT_URL_ECS, sets the outputs and writes the summary', async () => {
    const { name, first, file } = await fx.prepare('healthy');
    const run = await bundle({ service: name, 'task-definition': file, environment: 'RELEASE=2' });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'succeeded',
      'task-definition-arn': first.replace(/:1$/, ':2'),
      'previous-task-definition-arn': first,
      'rolled-back': 'false',
    });
    expect(run.summary).toContain('deploy-ecs: succeeded');
    expect(run.summary).toContain('`containerDefinitions[web].environment[RELEASE].value`');
    expect(fx.ecs.calls).toContain('AmazonEC2ContainerServiceV20141113.UpdateService');
    expectNoSecret(run);
  });

  it('fails with rolled-back when the circuit breaker rolls back', async () => {
    const { name, file } = await fx.prepare('unhealthy', {
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    const run = await bundle({ service: name, 'task-definition': file, 'wait-timeout': '10m' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([expect.stringMatching(/^ECS deploy rolled-back: .*circuit breaker/)]);
    expect(run.summary).toContain('Stopped tasks of');
    expectNoSecret(run);
  });

  it.each([
    [{ service: 'web', images: 'web=repo@sha256:123' }, /^Input "images" takes container=image lines/],
    [{ service: 'web', 'poll-interval': 'fast' }, /^Input "poll-interval" must be a duration/],
    [{ service: '' }, /^Input "service" \(or "services", one per line\) is required/],
  ])('refuses %j with a clear error and no API call', async (inputs, message) => {
    const run = await bundle(inputs);
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(message),
    ]);
    expect(fx.ecs.calls).toEqual([]);
  });
});
