// The staged pipeline end to end on ECS: the example application repository's workflows (examples/ecs) call
// the suite's pipeline.yml / promote.yml, which call build.yml and deploy-ecs.yml, each file executed as written
// by workflow-runner and each of our actions run from its bundle. ecs-local (tasks are real containers) with a
// load balancer per environment, the real local registry, github-local for the deployments API.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithInfra } from '@slipway/testing';
import {
  type Commit,
  type EcsPipelineWorld,
  failures,
  inner,
  ROLE,
  startEcsWorld,
  stepsOf,
} from './e2e/ecs-world';
import { oneRecordPerDeploy, shownSecrets } from './e2e/world';

jest.setTimeout(900_000);

const DEPLOY_STEPS = ['__step0', '__step1', 'deploy', 'smoke', 'rollback'];

describeWithInfra('the staged pipeline on ECS (workflow files as written)', (infra) => {
  let world: EcsPipelineWorld;
  let good: Commit;
  let goodRef = '';
  let goodTaskDefinition = '';

  beforeAll(async () => {
    world = await startEcsWorld(infra);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('builds once, deploys to the staging service, waits for approval, deploys the same digest to production', async () => {
    good = world.commit();
    const before = await world.running('production');
    const asked: string[] = [];
    const result = await world.run('deploy', good, {
      // The approval gate: production is approved only once staging answers with the new release.
      approve: async (environment) => {
        asked.push(environment);
        if (environment !== 'production') return true;
        expect(await world.version('staging')).toEqual({
          commit: good.sha,
          environment: 'staging',
          status: 'ok',
        });
        expect(await world.version('production')).toMatchObject({ commit: 'first' });
        return true;
      },
    });
    const pipeline = result.jobs.pipeline;
    expect({ result: result.result, failed: failures(pipeline) }).toEqual({ result: 'success', failed: [] });
    expect(asked).toEqual(['staging', 'production']);
    expect(shownSecrets(result.jobs, world.secrets)).toEqual([]);

    goodRef = pipeline.outputs['image-ref'];
    expect(goodRef).toMatch(new RegExp(`^${world.image}@sha256:[a-f0-9]{64}$`));
    expect(await world.pushed(good)).toBe(goodRef.split('@')[1]);

    const production = inner(pipeline, 'production-ecs', 'deploy');
    expect(stepsOf(production)).toEqual(
      DEPLOY_STEPS.map((s) => `${s}:${s === 'rollback' ? 'skipped' : 'success'}`),
    );
    goodTaskDefinition = production?.outputs['task-definition-arn'] ?? '';
    // SLIPWAY_ECS_POLL_INTERVAL (POLL_INTERVAL, 2s) reached deploy-ecs through pipeline.yml and deploy-ecs.yml
    expect(production?.steps.find((s) => s.id === 'deploy')?.log).toContain('asking every 2.0s (less often');
    // a new revision of the service's own family: APP_ENV kept, only the image swapped
    expect(goodTaskDefinition).toMatch(new RegExp(`:task-definition/${world.services.production}:2$`));
    expect(goodTaskDefinition).not.toBe(before.taskDefinition);
    for (const environment of ['staging', 'production'] as const) {
      const running = await world.running(environment);
      expect(running.image).toBe(goodRef);
      expect(running.tasks).toEqual([running.taskDefinition]);
      expect(await world.version(environment)).toEqual({ commit: good.sha, environment, status: 'ok' });
    }
    expect((await world.running('production')).taskDefinition).toBe(goodTaskDefinition);
    expect(inner(pipeline, 'staging-compose')?.result).toBe('skipped');
    // the credentials came from configure-aws-credentials, with the repository's role and region, per job
    expect(new Set(world.assumed)).toEqual(new Set([`${ROLE} eu-west-1`]));
    expect(world.assumed).toHaveLength(3); // build, staging, production
    const records = world.github.store.list('acme/shop', { environment: 'production' });
    expect(records.map((d) => [d.payload, d.statuses.at(-1)?.state])).toEqual([
      [
        expect.objectContaining({
          images: { web: goodRef },
          taskDefinitions: { [world.services.production]: goodTaskDefinition },
        }),
        'success',
      ],
    ]);
    expect(records[0].statuses.at(-1)?.environment_url).toBe(world.urls.production);
    // One record per deploy: the action's; none from GitHub for the job (environment.deployment: false).
    expect(oneRecordPerDeploy(world.github.store.list('acme/shop'))).toEqual([
      ['staging', goodRef, 'success'],
      ['production', goodRef, 'success'],
    ]);
    expect(production?.environment).toEqual({ name: 'production', url: world.urls.production });
  });

  it('a release that breaks only in production: staging passes, the production gate fails, the rollback restores the previous task definition', async () => {
    // The release forgot its production configuration: its container is healthy (ECS's circuit breaker sees
    // nothing wrong, the deployment COMPLETES), but the app says so, and the smoke test's expect-json fails.
    const broken = world.commit((dir) => rmSync(join(dir, 'app/config/production.env')));
    const result = await world.run('deploy', broken);
    const pipeline = result.jobs.pipeline;
    expect(result.result).toBe('failure');
    expect(shownSecrets(result.jobs, world.secrets)).toEqual([]);
    const brokenRef = inner(pipeline, 'build')?.outputs['image-ref'];
    expect(brokenRef).toMatch(/@sha256:/);
    expect(brokenRef).not.toBe(goodRef);

    expect(inner(pipeline, 'staging-ecs')?.result).toBe('success');
    expect(await world.version('staging')).toMatchObject({ commit: broken.sha, status: 'ok' });
    expect((await world.running('staging')).image).toBe(brokenRef);

    const production = inner(pipeline, 'production-ecs', 'deploy');
    expect(stepsOf(production)).toEqual([
      '__step0:success',
      '__step1:success',
      'deploy:success',
      'smoke:failure',
      'rollback:success',
    ]);
    const deployed = production?.steps.find((s) => s.id === 'deploy')?.outputs['task-definition-arn'];
    expect(deployed).toMatch(new RegExp(`:task-definition/${world.services.production}:3$`));
    const rollback = production?.steps.find((s) => s.id === 'rollback');
    expect(rollback?.outputs.result).toBe('rolled-back');

    const running = await world.running('production');
    expect(running.taskDefinition).toBe(goodTaskDefinition);
    expect(running.tasks).toEqual([goodTaskDefinition]);
    expect(running.image).toBe(goodRef);
    expect(await world.version('production')).toEqual({
      commit: good.sha,
      environment: 'production',
      status: 'ok',
    });
    const record = world.github.store
      .list('acme/shop', { environment: 'production' })
      .find((d) => (d.payload as { sha?: string }).sha === broken.sha);
    expect(record?.statuses.at(-1)?.state).toBe('failure');
    expect(record?.statuses.map((s) => s.description).join('\n')).toMatch(/slipway: marked bad/);
  });

  it('promote refuses the digest the rollback marked bad, and changes nothing on ECS', async () => {
    // staging still runs the broken release: promoting "what staging runs" must not put it on production
    const before = world.aws.changes().length;
    const result = await world.run('promote', good, { inputs: { environment: 'production' } });
    expect(result.result).toBe('failure');
    const deploy = inner(result.jobs.promote, 'ecs', 'deploy');
    expect(stepsOf(deploy)).toEqual([
      '__step0:success',
      '__step1:success',
      'deploy:failure',
      'smoke:skipped',
      'rollback:skipped',
    ]);
    expect(deploy?.steps.find((s) => s.id === 'deploy')?.log).toMatch(/was marked bad by a rollback/);
    expect(world.aws.changes().length).toBe(before);
    expect((await world.running('production')).taskDefinition).toBe(goodTaskDefinition);
  });

  it('rollback by dispatch puts staging back on its last good release (the broken one is marked bad)', async () => {
    const result = await world.run('rollback', good, { inputs: { environment: 'staging' } });
    expect({ result: result.result, failed: failures(result.jobs.rollback) }).toEqual({
      result: 'success',
      failed: [],
    });
    const step = inner(result.jobs.rollback, 'rollback')?.steps.find((s) => s.id === 'rollback');
    expect(step?.outputs.result).toBe('rolled-back');
    expect(step?.log).toContain('asking every 2.0s (less often'); // SLIPWAY_ECS_POLL_INTERVAL, through rollback.yml
    const running = await world.running('staging');
    expect(running.image).toBe(goodRef);
    expect(running.tasks).toEqual([running.taskDefinition]);
    expect(running.taskDefinition).toMatch(new RegExp(`:task-definition/${world.services.staging}:2$`));
    expect(await world.version('staging')).toEqual({
      commit: good.sha,
      environment: 'staging',
      status: 'ok',
    });
    expect(shownSecrets(result.jobs, world.secrets)).toEqual([]);
  });

  it('rollback by dispatch passes cooldown and migrations-guard to the action (a bad cooldown is refused)', async () => {
    const before = world.aws.changes().length;
    const result = await world.run('rollback', good, {
      inputs: { environment: 'staging', cooldown: '8d', 'migrations-guard': 'refuse' },
    });
    expect(result.result).toBe('failure');
    const step = inner(result.jobs.rollback, 'rollback')?.steps.find((s) => s.id === 'rollback');
    expect(step?.log).toMatch(/Input "cooldown" must be a duration/);
    expect(world.aws.changes().length).toBe(before);
  });
});
