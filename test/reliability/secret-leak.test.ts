import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import {
  type ActionRun,
  deleteRegistryRepository,
  describeWithInfra,
  findLeaks,
  type RunOptions,
  repoRoot,
  runBundle,
  startHttpServer,
} from '@slipway/testing';
import { FIXTURES, writeStandinTrivy } from '../../actions/build-push/__tests__/helpers/standin-trivy';
import { TRIVY_VERSION } from '../../actions/build-push/src/scan/trivy-checksums';
import { writeWebCompose } from '../../actions/deploy-compose/__tests__/fixtures/app';
import { cleanHost, hostName, REMOTE_DIR } from '../../actions/deploy-compose/__tests__/fixtures/hosts';
import { buildWebImage } from '../../actions/deploy-compose/__tests__/fixtures/web-image';
import { Fixture } from '../../actions/deploy-ecs/__tests__/ecs-local-fixture';
import { FAST_INPUTS } from '../../actions/rollback/__tests__/ecs-fixture';

// One run of every action with recognisable secrets in every secret-typed input (and AWS keys and the job's
// token in the environment), each going as far as it can: a real push, a real deploy, requests answered. The
// harness's findLeaks then searches stdout, stderr, outputs, state, exported env, the job summary, the post step
// and every file left in the runner's folders, in clear and in base64. The actions' own tests check more of
// each path (e.g. build-push's logout, deploy-compose's mode-0600 env file on the host); this is the one place
// that holds all five to the same rule.
jest.setTimeout(240_000);

const tag = randomBytes(4).toString('hex');
const secret = (name: string) => `LEAK-${name}-${tag}-${randomBytes(6).toString('hex')}`;
const GITHUB_TOKEN = `ghs_${secret('github-token').replace(/-/g, '')}`;
const AWS_SECRET = secret('aws-secret-key');
const AWS_SESSION = secret('aws-session-token');
const HEADER_TOKEN = secret('header-token');
const URL_PASSWORD = secret('url-password');
const ENV_VALUE = secret('env-value');

/** Lines of a PEM/OpenSSH key long enough to be recognisable: none may show anywhere. */
const keyLines = (key: string) => key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));

describeWithInfra('secrets never leak (every action, through the runner contract)', (infra) => {
  const { auth } = infra.registry;
  const registryCredentials = [
    auth.password,
    Buffer.from(`${auth.username}:${auth.password}`).toString('base64'),
  ];
  const passphraseKey = readFileSync(infra.ssh.passphraseKey.path, 'utf8');
  const sshSecrets = [infra.ssh.passphraseKey.passphrase, ...keyLines(passphraseKey)];
  const project = `rel${tag}`;
  const h3 = infra.ssh.hosts[2];
  const cleanups: Array<() => unknown> = [];
  let github: GitHubLocal;

  beforeAll(async () => {
    github = await startGitHubLocal({ token: GITHUB_TOKEN });
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await github.close();
  });

  /** Runs an action with the job's token and AWS keys in the environment; the runner folders go afterwards. */
  async function run(action: string, options: Omit<RunOptions, 'action'>): Promise<ActionRun> {
    const result = await runBundle({
      action: join(repoRoot, 'actions', action),
      githubToken: GITHUB_TOKEN,
      timeoutMs: 180_000,
      ...options,
      env: {
        GITHUB_API_URL: github.url,
        AWS_ACCESS_KEY_ID: 'AKIDLEAKTEST',
        AWS_SECRET_ACCESS_KEY: AWS_SECRET,
        AWS_SESSION_TOKEN: AWS_SESSION,
        AWS_REGION: 'eu-west-1',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...options.env,
      },
    });
    cleanups.push(() => rmSync(result.dirs.root, { recursive: true, force: true }));
    return result;
  }
  const COMMON = [GITHUB_TOKEN, AWS_SECRET, AWS_SESSION];

  /** One ecs-local for the ECS rows (deploy-ecs, rollback), started by the first that needs it. */
  let ecs: Promise<Fixture> | undefined;
  function ecsLocal(): Promise<Fixture> {
    ecs ??= (async () => {
      const fx = new Fixture();
      cleanups.push(() => fx.stop());
      await fx.start();
      return fx;
    })();
    return ecs;
  }

  const hasBuildx = () => {
    try {
      execFileSync('docker', ['buildx', 'version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };

  /** A runner root whose workspace has a Dockerfile and whose tool cache has the stand-in trivy. */
  function buildPushRoot(steps = ''): string {
    const root = mkdtempSync(join(tmpdir(), 'rel-bp-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'workspace'));
    writeFileSync(
      join(root, 'workspace', 'Dockerfile'),
      `FROM local/busybox:1\nLABEL stamp=${tag}\n${steps}`,
    );
    const cached = join(root, 'tool-cache', 'trivy', TRIVY_VERSION, process.arch);
    writeStandinTrivy(cached);
    writeFileSync(`${cached}.complete`, '');
    return root;
  }

  it('build-push: a real build, scan and push to the basic-auth registry, then logout', async () => {
    const repository = `rel-${tag}/app`;
    const image = `${auth.host}/${repository}`;
    const login = { username: auth.username, password: auth.password };
    cleanups.push(() => deleteRegistryRepository(auth.host, repository, auth));
    cleanups.push(() =>
      execFileSync('sh', [
        '-c',
        `docker image ls --format '{{.Repository}}:{{.Tag}}' '${image}' | xargs -r docker rmi >/dev/null 2>&1 || true`,
      ]),
    );
    const build = (root: string, inputs: Record<string, string>) =>
      run('build-push', {
        dirs: { root },
        env: {
          DOCKER_CONFIG: join(root, 'docker-config'),
          STANDIN_TRIVY_REPORT: join(FIXTURES, 'ubi-7-comprehensive.json.golden'),
        },
        inputs: { image, ...login, 'trivy-db-repositories': 'mirror.local/db:2', ...inputs },
      });
    const result = await build(buildPushRoot(), {});
    expect({ exitCode: result.exitCode, post: result.post?.exitCode }).toEqual({ exitCode: 0, post: 0 });
    expect(result.outputs.digest).toMatch(/^sha256:/);
    expect(findLeaks(result, [...COMMON, ...registryCredentials])).toEqual([]);

    // BuildKit secrets: with buildx (scripts/infra.sh installs it, GitHub's runners have it) mounted into a RUN
    // step; without it refused after the login, once they were read and masked. Either way never shown.
    const secret = await build(buildPushRoot('RUN --mount=type=secret,id=npm test -s /run/secrets/npm\n'), {
      secrets: `npm=${ENV_VALUE}`,
      scan: 'false',
      'skip-existing': 'false',
    });
    if (hasBuildx()) {
      expect({ exitCode: secret.exitCode, annotations: secret.annotations }).toEqual({
        exitCode: 0,
        annotations: [],
      });
      expect(secret.log).toMatch(/build with docker buildx/);
    } else {
      expect(secret.annotations.map((a) => a.message)).toEqual([
        expect.stringMatching(/^Input "secrets" needs BuildKit/),
      ]);
    }
    expect(findLeaks(secret, [...COMMON, ...registryCredentials, ENV_VALUE])).toEqual([]);
  });

  it('deploy-ecs: a real deploy on ecs-local, recorded as a GitHub Deployment', async () => {
    const fx = await ecsLocal();
    const { name, file } = await fx.prepare('healthy');
    const result = await run('deploy-ecs', {
      env: { AWS_ENDPOINT_URL_ECS: fx.ecs.url },
      inputs: {
        service: name,
        'task-definition': file,
        'poll-interval': '200ms',
        environment: `API_KEY=${ENV_VALUE}`,
        'deployment-environment': 'staging',
      },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(github.store.list('acme/app', { environment: 'staging' }).length).toBeGreaterThan(0);
    // ENV_VALUE is not a secret input (task definitions carry environment in clear): not searched.
    expect(findLeaks(result, COMMON)).toEqual([]);
    // The session token reached the AWS client (it is registered as a secret when the client is configured).
    expect(result.masks).toEqual(expect.arrayContaining(COMMON));
  });

  it('deploy-compose: a real deploy over SSH with a passphrase-protected key, a registry login and secret env', async () => {
    const dockerConfig = mkdtempSync(join(tmpdir(), 'rel-docker-config-'));
    cleanups.push(() => rmSync(dockerConfig, { recursive: true, force: true }));
    execFileSync(
      'docker',
      ['--config', dockerConfig, 'login', auth.host, '-u', auth.username, '--password-stdin'],
      {
        input: auth.password,
        stdio: 'pipe',
      },
    );
    const repo = `${auth.host}/${project}/web`;
    const image = buildWebImage(repo, 'v1', { dockerConfig });
    cleanups.push(() => deleteRegistryRepository(auth.host, `${project}/web`, auth));
    const compose = writeWebCompose(repo, ['TOKEN']);
    cleanups.push(() => rmSync(dirname(compose), { recursive: true, force: true }));
    cleanups.push(() => cleanHost(infra, h3, project));
    const result = await run('deploy-compose', {
      inputs: {
        hosts: hostName(h3),
        'ssh-key': passphraseKey,
        passphrase: infra.ssh.passphraseKey.passphrase,
        'known-hosts': readFileSync(infra.ssh.knownHosts, 'utf8'),
        project,
        'compose-file': compose,
        'remote-dir': REMOTE_DIR,
        images: `web=${image}`,
        env: `TOKEN=${ENV_VALUE}`,
        registry: auth.host,
        'registry-username': auth.username,
        'registry-password': auth.password,
        'container-health-timeout': '60s',
        'drain-period': '1s',
        'deployment-environment': 'staging',
      },
    });
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect({ exitCode: result.exitCode, post: result.post?.exitCode }).toEqual({ exitCode: 0, post: 0 });
    expect(findLeaks(result, [...COMMON, ...sshSecrets, ...registryCredentials, ENV_VALUE])).toEqual([]);
  });

  it('smoke-test: header tokens and URL passwords, echoed back by a failing server', async () => {
    const server = await startHttpServer((req, res) => {
      res.end(
        JSON.stringify({ status: 'down', seen: req.headers['x-api-key'], auth: req.headers.authorization }),
      );
    });
    cleanups.push(() => server.close());
    const url = server.url.replace('http://', `http://probe:${URL_PASSWORD}@`);
    const result = await run('smoke-test', {
      inputs: {
        checks: [
          `- url: ${url}/health`,
          `  headers: { Authorization: "Bearer ${HEADER_TOKEN}" }`,
          `- url: ${server.url}/other`,
        ].join('\n'),
        headers: `X-Api-Key: ${HEADER_TOKEN}`,
        'expect-json': 'status = ok',
        'ready-timeout': '0',
      },
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('failed');
    expect(server.requests).toBeGreaterThan(0);
    expect(findLeaks(result, [...COMMON, HEADER_TOKEN, URL_PASSWORD])).toEqual([]);
  });

  it('smoke-test analysis: a Prometheus token and URL password, echoed back by a failing Prometheus', async () => {
    const app = await startHttpServer((_req, res) => res.end('{"status":"ok"}'));
    const prometheus = await startHttpServer((req, res) => {
      res.statusCode = 422;
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'execution',
          error: `bad auth ${req.headers.authorization}`,
        }),
      );
    });
    cleanups.push(
      () => app.close(),
      () => prometheus.close(),
    );
    const result = await run('smoke-test', {
      inputs: {
        url: app.url,
        samples: '1',
        'prometheus-url': prometheus.url.replace('http://', `http://ops:${URL_PASSWORD}@`),
        'prometheus-token': HEADER_TOKEN,
        analysis:
          'metrics:\n  - { name: errors, query: up, success-condition: result == 1, count: 2, interval: 1s, consecutive-error-limit: 1 }',
      },
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs['analysis-result']).toBe('failed');
    expect(prometheus.requests).toBe(2);
    expect(findLeaks(result, [...COMMON, HEADER_TOKEN, URL_PASSWORD])).toEqual([]);
  });

  it('rollback (compose): over SSH with the passphrase key and registry password, reading the GitHub records', async () => {
    const health = await startHttpServer((req, res) => res.end(`{"seen":"${req.headers['x-api-key']}"}`));
    cleanups.push(() => health.close());
    const result = await run('rollback', {
      inputs: {
        target: 'compose',
        environment: 'production',
        'health-checks': `- url: ${health.url}\n  headers: { X-Api-Key: ${HEADER_TOKEN} }`,
        hosts: hostName(h3),
        'ssh-key': passphraseKey,
        passphrase: infra.ssh.passphraseKey.passphrase,
        'known-hosts': readFileSync(infra.ssh.knownHostsHashed, 'utf8'),
        project: `${project}none`,
        'remote-dir': REMOTE_DIR,
        registry: auth.host,
        'registry-username': auth.username,
        'registry-password': auth.password,
      },
    });
    // No release to go back to on the host: refused after connecting and reading its history.
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('refused');
    expect(github.requests).toContain('POST /graphql');
    expect(findLeaks(result, [...COMMON, ...sshSecrets, ...registryCredentials, HEADER_TOKEN])).toEqual([]);
  });

  it('rollback (ecs): two real deploys on ecs-local, recorded on GitHub, then back to the first with a health check', async () => {
    const fx = await ecsLocal();
    const { name, file } = await fx.prepare('healthy');
    const environment = `ecs-${tag}`;
    const deploy = async (version: string) => {
      const result = await run('deploy-ecs', {
        env: { AWS_ENDPOINT_URL_ECS: fx.ecs.url },
        inputs: {
          service: name,
          'task-definition': file,
          'poll-interval': '200ms',
          environment: `VERSION=${version}`,
          'deployment-environment': environment,
        },
      });
      expect({ exitCode: result.exitCode, status: result.outputs.status }).toEqual({
        exitCode: 0,
        status: 'succeeded',
      });
      expect(findLeaks(result, COMMON)).toEqual([]);
      return result.outputs['task-definition-arn'];
    };
    const good = await deploy('v1');
    const bad = await deploy('v2');
    const health = await startHttpServer((req, res) => res.end(`{"seen":"${req.headers['x-api-key']}"}`));
    // The restored release's analysis: Prometheus echoes the credentials it got in its first (error) answer.
    let queries = 0;
    const prometheus = await startHttpServer((req, res) => {
      queries++;
      res.setHeader('content-type', 'application/json');
      if (queries === 1) {
        res.statusCode = 422;
        res.end(
          JSON.stringify({
            status: 'error',
            errorType: 'execution',
            error: `bad auth ${req.headers.authorization}`,
          }),
        );
        return;
      }
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, '1'] }] },
        }),
      );
    });
    cleanups.push(
      () => health.close(),
      () => prometheus.close(),
    );

    const result = await run('rollback', {
      env: { AWS_ENDPOINT_URL_ECS: fx.ecs.url },
      inputs: {
        ...FAST_INPUTS,
        target: 'ecs',
        environment,
        service: name,
        reason: 'v2 misbehaves',
        'health-checks': `- url: ${health.url}\n  headers: { X-Api-Key: ${HEADER_TOKEN} }`,
        'prometheus-url': prometheus.url.replace('http://', `http://ops:${URL_PASSWORD}@`),
        'prometheus-token': HEADER_TOKEN,
        analysis:
          'metrics:\n  - { name: up, query: up, success-condition: result == 1, count: 2, interval: 1s, consecutive-error-limit: 1 }',
      },
    });
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      'rolled-back-from': bad,
      'rolled-back-to': good,
      result: 'rolled-back',
      'analysis-result': 'passed',
    });
    expect(queries).toBe(2);
    expect(result.stdout).toContain('bad auth');
    // Real work was done: ECS runs the first revision again, and the health check was answered.
    expect((await fx.describe(name)).taskDefinition).toBe(good);
    expect(health.requests).toBeGreaterThan(0);
    expect(github.store.list('acme/app', { environment })).toHaveLength(3);
    expect(findLeaks(result, [...COMMON, HEADER_TOKEN, URL_PASSWORD])).toEqual([]);
    expect(result.masks).toEqual(expect.arrayContaining(COMMON));
  });

  // issue 17, classes 5 and 6: an unparsable URL with a password was printed whole; a YAML error quoted header
  // values; an excerpt cut before masking leaked the part of a secret before the cut.
  it('input errors and answer excerpts: URL passwords and header values, never whole nor in part', async () => {
    const badUrl = await run('smoke-test', {
      inputs: { url: `http://probe:${URL_PASSWORD}@127.0.0.1:99999/` },
    });
    expect(badUrl.exitCode).toBe(1);
    const badYaml = await run('rollback', {
      inputs: {
        target: 'ecs',
        environment: 'production',
        service: 'web',
        'health-checks': `- url: http://x\n  headers: { Authorization: Bearer ${HEADER_TOKEN} }\n  method: [`,
      },
    });
    expect(badYaml.exitCode).toBe(1);
    const server = await startHttpServer((_req, res) => {
      res.statusCode = 500;
      res.end(`${'x'.repeat(490)}${HEADER_TOKEN}${'y'.repeat(600)}`);
    });
    cleanups.push(() => server.close());
    const straddle = await run('smoke-test', {
      inputs: { url: server.url, headers: `X-Api-Key: ${HEADER_TOKEN}`, 'ready-timeout': '0', samples: '1' },
    });
    expect(straddle.outputs.result).toBe('failed');
    for (const result of [badUrl, badYaml, straddle]) {
      expect(findLeaks(result, [...COMMON, URL_PASSWORD, HEADER_TOKEN, HEADER_TOKEN.slice(0, 14)])).toEqual(
        [],
      );
    }
  });
});
