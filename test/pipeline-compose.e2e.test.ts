// The staged pipeline end to end on Docker Compose hosts: the example application repository's workflows call
// the suite's pipeline.yml / promote.yml, which call build.yml and deploy-compose.yml, each file executed as
// written by workflow-runner and each of our actions run from its bundle. Real registry, real SSH hosts with
// their own Docker daemons, github-local for the deployments API.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithInfra } from '@slipway/testing';
import { hostName, sh } from '../actions/deploy-compose/__tests__/fixtures/hosts';
import {
  type Commit,
  type ComposeWorld,
  failures,
  inner,
  startComposeWorld,
  stepsOf,
} from './e2e/compose-world';
import { oneRecordPerDeploy, shownSecrets } from './e2e/world';

jest.setTimeout(900_000);

describeWithInfra('the staged pipeline on Compose hosts (workflow files as written)', (infra) => {
  let world: ComposeWorld;
  let good: Commit;
  let goodRef = '';
  let brokenRef = '';

  beforeAll(async () => {
    world = await startComposeWorld(infra);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('builds once, deploys to staging (Compose v1), waits for approval, deploys the same digest to both production hosts (Compose v2)', async () => {
    good = world.commit();
    const asked: string[] = [];
    const result = await world.run('deploy', good, {
      // The approval gate: production is approved only once staging is seen running the new release.
      approve: async (environment) => {
        asked.push(environment);
        if (environment !== 'production') return true;
        const [staging] = world.staging;
        expect(await world.version(staging)).toEqual({
          commit: good.sha,
          environment: 'staging',
          status: 'ok',
        });
        for (const host of world.production) expect(await world.running(host)).toBe('');
        return true;
      },
    });
    const pipeline = result.jobs.pipeline;
    expect({ result: result.result, failed: failures(pipeline) }).toEqual({ result: 'success', failed: [] });
    expect(asked).toEqual(['staging', 'production']);

    goodRef = pipeline.outputs['image-ref'];
    expect(goodRef).toMatch(new RegExp(`^${world.image}@sha256:[a-f0-9]{64}$`));
    expect(await world.pushed(good)).toBe(goodRef.split('@')[1]);
    // scanned (stand-in Trivy, a real report from fixtures: Trivy cannot download here) before the push
    expect(inner(pipeline, 'build', 'build')?.steps.find((s) => s.id === 'build')?.log).toMatch(
      new RegExp(`Scan of ${world.image}:main: .*CRITICAL 0\\.[^]*docker push`),
    );

    for (const host of [...world.staging, ...world.production])
      expect(await world.running(host)).toBe(goodRef);
    for (const host of world.production) {
      expect(await world.version(host)).toEqual({
        commit: good.sha,
        environment: 'production',
        status: 'ok',
      });
    }
    // production runs on Compose v2 hosts, staging on a v1 host: each container says which Compose made it
    for (const host of [...world.staging, ...world.production]) {
      const made = await sh(
        infra,
        host,
        `docker ps --filter label=com.docker.compose.project=${world.project} --format '{{.Label "com.docker.compose.version"}}' | sort -u`,
      );
      // (Compose writes its version without Debian's package revision: 2.26.1 for 2.26.1-4)
      expect({ host: host.name, compose: made.trim() }).toEqual({
        host: host.name,
        compose: host.composeVersion?.split('-')[0],
      });
    }
    expect(world.production.map((h) => h.compose)).toEqual(['v2', 'v2']);
    expect(stepsOf(inner(pipeline, 'production-compose', 'deploy'))).toEqual([
      '__step0:success',
      'deploy:success',
      'smoke:success',
      'rollback:skipped',
    ]);
    expect(inner(pipeline, 'staging-ecs')?.result).toBe('skipped');
    const production = world.github.store.list('acme/shop', { environment: 'production' });
    expect(production.map((d) => [d.payload, d.statuses.at(-1)?.state])).toEqual([
      [expect.objectContaining({ images: { web: goodRef } }), 'success'],
    ]);
    // One record per deploy on the Deployments page: the action's, with the release; none from GitHub for the
    // job (environment.deployment: false), whose later success would otherwise mark the action's inactive.
    expect(oneRecordPerDeploy(world.github.store.list('acme/shop'))).toEqual([
      ['staging', goodRef, 'success'],
      ['production', goodRef, 'success'],
    ]);
  });

  it('a second good release rolls through production behind Caddy: web rolled, the proxy left running, no request through it failed', async () => {
    const proxies = await Promise.all(world.production.map((h) => world.proxyContainer(h)));
    expect(proxies.every(Boolean)).toBe(true);
    const next = world.commit();
    let load: ReturnType<ComposeWorld['loadThrough']> | undefined;
    const result = await world.run('deploy', next, {
      // from the approval on, users keep arriving at production's entry points
      approve: (environment) => {
        if (environment === 'production') load = world.loadThrough(world.production);
        return true;
      },
    });
    const through = await load?.stop();
    const pipeline = result.jobs.pipeline;
    expect({ result: result.result, failed: failures(pipeline) }).toEqual({ result: 'success', failed: [] });
    good = next;
    goodRef = pipeline.outputs['image-ref'];
    for (const host of world.production) expect(await world.running(host)).toBe(goodRef);
    const deploy = inner(pipeline, 'production-compose', 'deploy')?.steps.find((s) => s.id === 'deploy');
    for (const host of world.production) expect(deploy?.log).toContain(`${hostName(host)}: web: rolling.`);
    expect(deploy?.log).not.toMatch(/recreat/);
    // the proxy's Caddyfile did not change: the same container, never restarted
    expect(await Promise.all(world.production.map((h) => world.proxyContainer(h)))).toEqual(proxies);
    expect({ failed: through?.failed, causes: through?.causes }).toEqual({ failed: 0, causes: '' });
    expect(through?.sent).toBeGreaterThan(100);
    expect(through?.commits.get(next.sha)).toBeGreaterThan(0);
  });

  it('a release that breaks only in production: staging passes; in production the entry point refuses the switch, the old containers serve on', async () => {
    // The release forgot its production configuration: it starts and is healthy for Docker, but says so.
    const broken = world.commit((dir) => rmSync(join(dir, 'app/config/production.env')));
    let load: ReturnType<ComposeWorld['loadThrough']> | undefined;
    const result = await world.run('deploy', broken, {
      approve: (environment) => {
        if (environment === 'production') load = world.loadThrough(world.production);
        return true;
      },
    });
    const through = await load?.stop();
    const pipeline = result.jobs.pipeline;
    expect(result.result).toBe('failure');
    brokenRef = pipeline.outputs['image-ref'] || (inner(pipeline, 'build')?.outputs['image-ref'] ?? '');
    expect(brokenRef).not.toBe(goodRef);

    expect(inner(pipeline, 'staging-compose')?.result).toBe('success');
    const [staging] = world.staging;
    expect(await world.version(staging)).toMatchObject({ commit: broken.sha, status: 'ok' });

    const production = inner(pipeline, 'production-compose', 'deploy');
    // The deploy itself judged the switch at the entry point (public-url, expect-json): nothing to roll back.
    expect(stepsOf(production)).toEqual([
      '__step0:success',
      'deploy:failure',
      'smoke:skipped',
      'rollback:skipped',
    ]);
    const deploy = production?.steps.find((s) => s.id === 'deploy');
    expect(deploy?.log).toMatch(/the entry point .*status.*no configuration for production/);
    expect(deploy?.log).toMatch(/The switch was undone; the old containers serve on/);
    for (const host of world.production) {
      expect(await world.running(host)).toBe(goodRef);
      expect(await world.version(host)).toEqual({
        commit: good.sha,
        environment: 'production',
        status: 'ok',
      });
    }
    // nobody arriving at production noticed: the old containers answered throughout
    expect({ failed: through?.failed, causes: through?.causes }).toEqual({ failed: 0, causes: '' });
    expect(through?.sent).toBeGreaterThan(100);
    const records = world.github.store.list('acme/shop', { environment: 'production' });
    expect(
      records.find((d) => (d.payload as { sha?: string }).sha === broken.sha)?.statuses.at(-1)?.state,
    ).toBe('failure');
  });

  it('rollback by dispatch puts staging back on its last good release over SSH (the broken one is marked bad)', async () => {
    const result = await world.run('rollback', good, { inputs: { environment: 'staging' } });
    expect({ result: result.result, failed: failures(result.jobs.rollback) }).toEqual({
      result: 'success',
      failed: [],
    });
    const step = inner(result.jobs.rollback, 'rollback')?.steps.find((s) => s.id === 'rollback');
    expect(step?.outputs.result).toBe('rolled-back');
    const [staging] = world.staging;
    expect(await world.running(staging)).toBe(goodRef);
    expect(await world.version(staging)).toEqual({ commit: good.sha, environment: 'staging', status: 'ok' });
    const left = world.github.store
      .list('acme/shop', { environment: 'staging' })
      .find((d) => (d.payload as { images?: { web?: string } }).images?.web !== goodRef);
    expect(left?.statuses.map((s) => s.description).join('\n')).toMatch(/slipway: marked bad/);
    expect(shownSecrets(result.jobs, world.secrets)).toEqual([]);
  });

  it('promote refuses the digest the rollback marked bad, and changes nothing on the hosts', async () => {
    // The rollback of staging marked the broken digest bad: promoting it by name is refused before any host changes.
    const result = await world.run('promote', good, {
      inputs: { environment: 'production', 'image-ref': brokenRef },
    });
    expect(result.result).toBe('failure');
    const deploy = inner(result.jobs.promote, 'compose', 'deploy');
    expect(stepsOf(deploy)).toEqual([
      '__step0:success',
      'deploy:failure',
      'smoke:skipped',
      'rollback:skipped',
    ]);
    expect(deploy?.steps.find((s) => s.id === 'deploy')?.log).toMatch(/was marked bad by a rollback/);
    for (const host of world.production) expect(await world.running(host)).toBe(goodRef);
  });

  it('promote by dispatch takes what staging runs now to production: deployed, gated, not rolled back', async () => {
    const result = await world.run('promote', good, { inputs: { environment: 'production' } });
    expect({ result: result.result, failed: failures(result.jobs.promote) }).toEqual({
      result: 'success',
      failed: [],
    });
    expect(result.jobs.promote && inner(result.jobs.promote, 'resolve')?.outputs['image-ref']).toBe(goodRef);
    const deploy = inner(result.jobs.promote, 'compose', 'deploy');
    expect(stepsOf(deploy)).toEqual([
      '__step0:success',
      'deploy:success',
      'smoke:success',
      'rollback:skipped',
    ]);
    for (const host of world.production) expect(await world.running(host)).toBe(goodRef);
    const records = world.github.store.list('acme/shop', { environment: 'production' });
    expect(records[0]?.payload).toMatchObject({ images: { web: goodRef } }); // newest first
    expect(records[0]?.statuses.at(-1)?.state).toBe('success');
    expect(shownSecrets(result.jobs, world.secrets)).toEqual([]);
  });
});
