import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import { createDeploymentRecords, createGitHubClient, type DeploymentRecords } from '@slipway/shared';
import { describeWithInfra } from '@slipway/testing';
import { container, Fixture, uniqueName } from './ecs-local-fixture';

jest.setTimeout(90_000);

const TOKEN = 'ghs_deploy_ecs_guard';
const BAD = `sha256:${'b'.repeat(64)}`;
const SIDECAR = `127.0.0.1:5000/slipway-guard/log@${BAD}`;
const UPDATE = 'AmazonEC2ContainerServiceV20141113.UpdateService';
const REGISTER = 'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition';

describeWithInfra('deploy-ecs refuses every digest a rollback marked bad (ecs-local, github-local)', () => {
  const fx = new Fixture();
  let github: GitHubLocal;
  let records: DeploymentRecords;

  beforeAll(async () => {
    await fx.start();
    github = await startGitHubLocal({ token: TOKEN });
    // The deploy's own client reads these, as on a runner (the fixture restores the environment afterwards).
    Object.assign(process.env, { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/app' });
    records = createDeploymentRecords(createGitHubClient(TOKEN, github.url), 'acme/app');
    const id = await records.start({
      environment: 'production',
      sha: 'old',
      payload: { slipway: 1, target: 'ecs', images: { log: SIDECAR }, sha: 'old' },
      description: 'bad log sidecar',
    });
    await records.markBad(id, 'sidecar leaks memory');
  });
  afterAll(async () => {
    await github?.close();
    await fx.stop();
  });

  /** A steady service on a healthy revision, and a registered revision whose sidecar pins the bad digest. */
  async function serviceAndBadRevision() {
    const name = uniqueName('guard');
    const family = (sidecarImage: string) => ({
      family: name,
      networkMode: 'bridge' as const,
      containerDefinitions: [container('web'), { ...container('log'), image: sidecarImage }],
    });
    const good = await fx.register(family('local/busybox:1'));
    await fx.service(name, good);
    const bad = await fx.register(family(SIDECAR));
    return { name, good, bad, file: fx.writeJson(`${name}.json`, family(SIDECAR)) };
  }

  const deploy = (values: Record<string, string>) =>
    fx.deploy({ 'github-token': TOKEN, 'deployment-environment': 'production', ...values });

  it.each([
    ['a registered task-definition ARN', (s: Awaited<ReturnType<typeof serviceAndBadRevision>>) => s.bad],
    ['a family:revision', (s: Awaited<ReturnType<typeof serviceAndBadRevision>>) => s.bad.split('/').pop()!],
    ['a file', (s: Awaited<ReturnType<typeof serviceAndBadRevision>>) => s.file],
  ])(
    'refuses %s pinning a bad digest in a container the images input does not name, with no side effect',
    async (_, pick) => {
      const s = await serviceAndBadRevision();
      const historyBefore = await records.history();
      const r = await deploy({ service: s.name, 'task-definition': pick(s), images: 'web=local/busybox:1' });
      expect(r.error?.message).toBe(
        `container log: ${BAD} was marked bad by a rollback (sidecar leaks memory). ` +
          'Deploy a fixed image, or set force: true to deploy it anyway.',
      );
      expect(r.calls).not.toContain(REGISTER);
      expect(r.calls).not.toContain(UPDATE);
      expect((await fx.describe(s.name)).taskDefinition).toBe(s.good);
      // Nothing recorded either.
      expect((await records.history()).map((d) => d.id)).toEqual(historyBefore.map((d) => d.id));
    },
  );

  it('deploys it with force (the guard is the only thing in the way)', async () => {
    const s = await serviceAndBadRevision();
    const r = await deploy({
      service: s.name,
      'task-definition': s.bad,
      force: 'true',
      wait: 'false',
      'desired-count': '0',
    });
    expect(r.error).toBeUndefined();
    expect(r.calls).toContain(UPDATE);
    expect((await fx.describe(s.name)).taskDefinition).toBe(s.bad);
  });
});
