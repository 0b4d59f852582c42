import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Endpoint, ecrService, startEndpoint } from '@slipway/ecs-local';
import { RegistryClient } from '@slipway/shared';
import { type ActionRun, deleteRegistryRepository, describeWithInfra, runBundle } from '@slipway/testing';
import { TRIVY_VERSION } from '../src/scan/trivy-checksums';
import { pathWithoutBuildx, requireBuildx } from './helpers/no-buildx';
import { FIXTURES, writeStandinTrivy } from './helpers/standin-trivy';
import { randomSha, removeImages } from './helpers/workspace';

const action = join(__dirname, '..');
// Real builds and pushes on a shared, busy machine: a generous limit so load never fails a test (no assertion
// depends on time).
jest.setTimeout(180_000);

/** Every file under a folder, as text (what a run leaves behind). */
function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) return filesUnder(path);
    return stat.size < 5_000_000 ? [[path, readFileSync(path, 'latin1')] as [string, string]] : [];
  });
}

function expectNoLeak(run: ActionRun, secrets: string[]) {
  const places: Array<[string, string]> = [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
    ['post stdout', run.post?.stdout ?? ''],
    ['post stderr', run.post?.stderr ?? ''],
    ['outputs', JSON.stringify(run.outputs)],
    ['summary', run.summary],
    ['state', JSON.stringify(run.state)],
    ...filesUnder(run.dirs.root),
  ];
  for (const secret of secrets) {
    const leaks = places.filter(([, text]) => text.includes(secret)).map(([where]) => where);
    expect(leaks).toEqual([]);
  }
}

describeWithInfra('build-push bundle (runner contract)', (infra) => {
  const suffix = randomBytes(4).toString('hex');
  const { auth } = infra.registry ?? {};
  const repos: Array<[string, string]> = [];
  const image = (registry: string, name: string) => {
    repos.push([registry, `bp-${suffix}/${name}`]);
    return `${registry}/bp-${suffix}/${name}`;
  };
  const roots: string[] = [];
  const secrets = () => [auth.password, Buffer.from(`${auth.username}:${auth.password}`).toString('base64')];

  /**
   * A runner root with a workspace holding a Dockerfile and a stand-in trivy already in the tool cache; with
   * `buildx: false`, a runner without docker buildx (this machine has it: scripts/infra.sh installs it).
   */
  function runnerRoot(report = 'ubi-7-comprehensive.json.golden', { buildx = true } = {}) {
    const root = mkdtempSync(join(tmpdir(), 'bp-runner-'));
    roots.push(root);
    mkdirSync(join(root, 'workspace'));
    writeFileSync(
      join(root, 'workspace', 'Dockerfile'),
      `FROM local/busybox:1\nLABEL stamp=${randomSha()}\n`,
    );
    const cached = join(root, 'tool-cache', 'trivy', TRIVY_VERSION, process.arch);
    writeStandinTrivy(cached);
    writeFileSync(`${cached}.complete`, '');
    const env: Record<string, string> = {
      DOCKER_CONFIG: join(root, 'docker-config'),
      STANDIN_TRIVY_LOG: join(root, 'trivy.log'),
      STANDIN_TRIVY_REPORT: join(FIXTURES, report),
      GITHUB_SHA: randomSha(),
      ...(buildx ? {} : { PATH: pathWithoutBuildx(root) }),
    };
    return {
      dirs: { root },
      env,
      event: { repository: { default_branch: 'main' } },
    };
  }

  afterAll(async () => {
    removeImages(suffix);
    for (const [registry, name] of repos) {
      await deleteRegistryRepository(registry, name, registry === auth.host ? auth : undefined);
    }
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('builds, scans with the cached trivy, pushes to the basic-auth registry, logs out, leaks nothing', async () => {
    const target = image(auth.host, 'app');
    const run = await runBundle({
      action,
      ...runnerRoot(),
      inputs: {
        image: target,
        username: auth.username,
        password: auth.password,
        'trivy-db-repositories': 'mirror.local/db:2',
        'build-args': 'API_TOKEN=not-really-secret',
      },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const client = new RegistryClient({ registry: auth.host, credentials: auth });
    expect((await client.headManifest(`bp-${suffix}/app`, 'main'))!.digest).toBe(run.outputs.digest);
    expect(run.outputs['image-ref']).toBe(`${target}@${run.outputs.digest}`);
    expect(run.outputs['scan-result']).toBe('passed');
    expect(run.summary).toContain('### Vulnerability scan of');
    expect(run.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/^Build arg "API_TOKEN" looks like a secret/),
      }),
    ]);
    expect(run.masks).toEqual(expect.arrayContaining(secrets()));
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain(`Logged out of ${auth.host}`);
    expectNoLeak(run, secrets());
  });

  it('refuses a wrong password with a clear error, pushes nothing and shows no password', async () => {
    const target = image(auth.host, 'wrong');
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const run = await runBundle({
      action,
      ...runnerRoot(),
      inputs: { image: target, username: auth.username, password: wrong, scan: 'false' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^127\.0\.0\.1:5001 refused the credentials of "slipway" .*check the username and password/,
      ),
    ]);
    expect(run.stdout).not.toMatch(/\$ docker (buildx )?build/);
    const client = new RegistryClient({ registry: auth.host, credentials: auth });
    expect(await client.listTags(`bp-${suffix}/wrong`)).toEqual([]);
    expectNoLeak(run, [wrong, Buffer.from(`${auth.username}:${wrong}`).toString('base64')]);
  });

  it('keeps the login for later steps with logout: false (and the leak check sees where it went)', async () => {
    const target = image(auth.host, 'kept');
    const run = await runBundle({
      action,
      ...runnerRoot(),
      inputs: {
        image: target,
        username: auth.username,
        password: auth.password,
        scan: 'false',
        logout: 'false',
      },
    });
    expect(run.exitCode).toBe(0);
    const [, basic] = secrets();
    const holders = filesUnder(run.dirs.root).filter(([, text]) => text.includes(basic));
    expect(holders.map(([path]) => path)).toEqual([join(run.dirs.root, 'docker-config', 'config.json')]);
    expect(run.post?.stdout).not.toContain('Logged out');
  });

  describe('with Amazon ECR (ecs-local)', () => {
    let endpoint: Endpoint;
    const service = () =>
      ecrService({
        registry: { url: `http://${auth.host}`, username: auth.username, password: auth.password },
      });
    let ecr: ReturnType<typeof ecrService>;
    const awsEnv = () => ({
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });

    beforeAll(async () => {
      ecr = service();
      endpoint = await startEndpoint({ services: [ecr] });
    });
    afterAll(() => endpoint.close());

    it('logs in with a GetAuthorizationToken token, creates the repository, pushes, then promotes by digest', async () => {
      const target = image(auth.host, 'ecr-app');
      const root = runnerRoot();
      const run = await runBundle({
        action,
        ...root,
        env: { ...root.env, ...awsEnv() },
        inputs: {
          image: target,
          ecr: 'true',
          endpoint: endpoint.url,
          'create-repository': 'true',
          'immutable-tags': 'true',
          scan: 'false',
        },
      });
      // (the SDK warns about Node 20 on stderr here; the runner uses node24)
      expect({ exitCode: run.exitCode, errors: run.annotations }).toEqual({
        exitCode: 0,
        errors: [
          expect.objectContaining({
            level: 'warning',
            message: expect.stringMatching(
              /^"immutable-tags" is on, so the moving tags main, latest are not pushed/,
            ),
          }),
        ],
      });
      expect(endpoint.calls).toEqual(
        expect.arrayContaining([
          'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
          'AmazonEC2ContainerRegistry_V20150921.CreateRepository',
        ]),
      );
      expect(ecr.repositories.get(`bp-${suffix}/ecr-app`)).toMatchObject({
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: 'IMMUTABLE',
      });
      expect(run.outputs['scan-result']).toBe('skipped');
      expectNoLeak(run, secrets());

      // promote with the token found through AWS_ENDPOINT_URL_ECR this time
      const prod = image(auth.host, 'ecr-prod');
      const promoted = await runBundle({
        action,
        env: { ...awsEnv(), AWS_ENDPOINT_URL_ECR: endpoint.url },
        inputs: {
          image: prod,
          ecr: 'true',
          'source-image': run.outputs['image-ref'],
          tags: 'prod',
          'create-repository': 'true',
        },
      });
      roots.push(promoted.dirs.root);
      expect({ exitCode: promoted.exitCode, errors: promoted.annotations }).toEqual({
        exitCode: 0,
        errors: [],
      });
      expect(promoted.outputs.digest).toBe(run.outputs.digest);
      expect(ecr.repositories.has(`bp-${suffix}/ecr-prod`)).toBe(true);
      expect(promoted.stdout).not.toContain('$ docker');
      const client = new RegistryClient({ registry: auth.host, credentials: auth });
      expect((await client.headManifest(`bp-${suffix}/ecr-prod`, 'prod'))!.digest).toBe(run.outputs.digest);
      expectNoLeak(promoted, secrets());
    });
    it.each([
      ['with buildx', true],
      ['without buildx', false],
    ])(
      'with push false (%s), asks ECR for nothing, logs in nowhere and says what it did instead',
      async (_, buildx) => {
        if (buildx) requireBuildx();
        const target = image(auth.host, `ecr-fork-pr-${buildx ? 'buildx' : 'classic'}`);
        const root = runnerRoot(undefined, { buildx });
        const before = endpoint.calls.length;
        const run = await runBundle({
          action,
          ...root,
          env: { ...root.env, ...awsEnv() },
          inputs: {
            image: target,
            push: 'false',
            ecr: 'true',
            endpoint: endpoint.url,
            'create-repository': 'true',
          },
        });
        expect(run.exitCode).toBe(0);
        expect(endpoint.calls.slice(before)).toEqual([]);
        expect(ecr.repositories.has(target.slice(auth.host.length + 1))).toBe(false);
        expect(run.stdout).toMatch(buildx ? /^\$ docker buildx build /m : /^\$ docker build /m);
        expect(run.stdout).not.toMatch(/\$ docker (login|push)\b/);
        // No login, so no config.json. buildx keeps its own builder state in the Docker config on every build
        // (activity, a lock, the context's path under refs/): that folder and nothing else.
        const config = join(run.dirs.root, 'docker-config');
        expect(existsSync(config) ? readdirSync(config) : []).toEqual(buildx ? ['buildx'] : []);
        expectNoLeak(run, [awsEnv().AWS_SECRET_ACCESS_KEY]);
        expect(run.annotations).toEqual([
          expect.objectContaining({
            level: 'warning',
            message: expect.stringMatching(/^"create-repository" is ignored/),
          }),
          expect.objectContaining({
            level: 'notice',
            message: expect.stringMatching(
              /^"push" is false: nothing was pushed, so "image-ref" and "digest" are empty/,
            ),
          }),
        ]);
        expect(run.outputs).toMatchObject({ 'image-ref': '', digest: '', 'scan-result': 'passed' });
        expect(run.outputs['image-id']).toMatch(/^sha256:[a-f0-9]{64}$/);
        expect(run.post?.exitCode).toBe(0);
        expect(run.post?.stdout).not.toContain('Logged out');
      },
    );
  });

  it.each([
    [{ image: 'IMAGE' }, /^Input "image" "IMAGE" is not a valid image reference/],
    [{ tags: 'ok,bad tag' }, /^Input "tags" takes tags only/],
    [
      { severity: 'CRITICAL', 'fail-on': 'HIGH' },
      /^Input "fail-on" is HIGH, but "severity" \(CRITICAL\) does not report it/,
    ],
    [
      { 'source-image': '127.0.0.1:5000/slipway/busybox:1', tags: 'x' },
      /^Input "source-image" must name the image by digest/,
    ],
    [{ username: 'someone' }, /^Inputs "username" and "password" go together/],
    [{ context: 'missing-dir' }, /^Input "context" is "missing-dir", which does not exist/],
    [{ 'ignore-file': '.trivyignore' }, /^Input "ignore-file" is ".trivyignore", which does not exist/],
    [{ 'build-args': 'not a pair' }, /^Input "build-args" takes KEY=VALUE lines/],
  ])('refuses %j with a clear error and pushes nothing', async (bad, message) => {
    await expectRefused(runnerRoot(), bad, message);
  });

  // what buildx alone can do: without it, refused before any login or build
  it.each([
    [{ secrets: 'npm=token-value' }, /^Input "secrets" needs BuildKit, which comes with docker buildx/],
    [
      { platforms: 'linux/amd64,linux/arm64' },
      /^Input "platforms" lists 2 platforms; .* needs docker buildx/,
    ],
  ])(
    'without buildx, refuses %j with a clear error, logs in nowhere and pushes nothing',
    async (bad, message) => {
      const root = runnerRoot(undefined, { buildx: false });
      const run = await expectRefused(
        root,
        { ...bad, username: auth.username, password: auth.password },
        message,
      );
      expect(existsSync(join(run.dirs.root, 'docker-config', 'config.json'))).toBe(false);
    },
  );

  it('with buildx, takes secrets by environment only: builds and pushes, and the value is nowhere', async () => {
    requireBuildx();
    const target = image(infra.registry.open, 'buildx-secret');
    const value = `npm-${randomBytes(12).toString('hex')}`;
    const run = await runBundle({
      action,
      ...runnerRoot(),
      inputs: { image: target, secrets: `npm=${value}`, scan: 'false' },
    });
    expect({ exitCode: run.exitCode, annotations: run.annotations }).toEqual({
      exitCode: 0,
      annotations: [],
    });
    expect(run.stdout).toMatch(/^\$ docker buildx build .*--secret id=npm,env=SLIPWAY_BUILD_SECRET_0 /m);
    expect(run.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expectNoLeak(run, [value]);
  });

  it("with buildx's docker driver, refuses several platforms before logging in or building", async () => {
    requireBuildx();
    const root = runnerRoot();
    // the default builder of a Docker context always has the docker driver, whatever builder the runner uses
    const run = await expectRefused(
      { ...root, env: { ...root.env, BUILDX_BUILDER: 'default' } },
      { platforms: 'linux/amd64,linux/arm64', username: auth.username, password: auth.password },
      /^Input "platforms" lists 2 platforms, but the buildx builder "default" uses the docker driver/,
    );
    expect(run.stdout).not.toMatch(/\$ docker buildx build\b/);
    expect(existsSync(join(run.dirs.root, 'docker-config', 'config.json'))).toBe(false);
  });

  /** Runs the bundle with bad inputs: one error, no docker login, build or push, no tag in the registry. */
  async function expectRefused(
    root: ReturnType<typeof runnerRoot>,
    bad: Record<string, string>,
    message: RegExp,
  ) {
    const target = image(infra.registry.open, `bad-${repos.length}`);
    const run = await runBundle({ action, ...root, inputs: { image: target, ...bad } });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(message),
    ]);
    expect(run.stdout).not.toMatch(/\$ docker (login|build|push)\b/);
    const client = new RegistryClient({ registry: infra.registry.open });
    expect(await client.listTags(target.slice(infra.registry.open.length + 1))).toEqual([]);
    return run;
  }
});
