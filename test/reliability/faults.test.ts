import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubLocal } from '@slipway/github-local';
import { RegistryClient } from '@slipway/shared';
import {
  type ActionRun,
  deleteRegistryRepository,
  describeWithInfra,
  findLeaks,
  type RunOptions,
  repoRoot,
  runBundle,
  startProxy,
} from '@slipway/testing';
import { CREDENTIALS, Fixture } from '../../actions/deploy-ecs/__tests__/ecs-local-fixture';
import { startSentinels } from './sentinels';

// Faults no action's own tests covered through the bundle. The README's "Reliability" table lists these beside
// the fault tests that live next to each action (readme-index.test.ts keeps that table true).
jest.setTimeout(120_000);

const tag = randomBytes(4).toString('hex');
const errorsOf = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

// The runner folders stay until the test ends, for findLeaks to search the files left in them.
const runnerRoots: string[] = [];
afterEach(() => {
  for (const root of runnerRoots.splice(0)) rmSync(root, { recursive: true, force: true });
});

async function run(action: string, options: Omit<RunOptions, 'action'>): Promise<ActionRun> {
  const result = await runBundle({ action: `${repoRoot}/actions/${action}`, timeoutMs: 90_000, ...options });
  runnerRoots.push(result.dirs.root);
  return result;
}

/** A port nothing listens on: taken from the kernel, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeWithInfra('faults, through the bundles', (infra) => {
  it('registry 5xx that never ends: the promote fails after its retries, naming the status; no tag is written', async () => {
    const open = new RegistryClient({ registry: infra.registry.open });
    const source = await open.headManifest('slipway/busybox', '1');
    let refused = 0;
    const proxy = await startProxy(infra.registry.open, {
      intercept: (req, res) => {
        if (req.method !== 'PUT' || !req.url?.includes('/manifests/')) return false;
        refused++;
        req.resume();
        res.writeHead(503).end('registry overloaded');
        return true;
      },
    });
    const repository = `rel-${tag}/promoted`;
    try {
      const result = await run('build-push', {
        inputs: {
          image: `127.0.0.1:${proxy.port}/${repository}`,
          'source-image': `127.0.0.1:${proxy.port}/slipway/busybox@${source!.digest}`,
          tags: 'prod',
        },
      });
      expect(result.exitCode).toBe(1);
      expect(errorsOf(result)).toEqual([expect.stringMatching(/503/)]);
      expect(refused).toBeGreaterThan(1);
      expect(result.outputs).toEqual({});
      expect(await open.listTags(repository)).toEqual([]);
    } finally {
      await proxy.close();
      await deleteRegistryRepository(infra.registry.open, repository);
    }
  });

  it('sshd down: the deploy fails after its connection retries, naming the host; no lock or release is left', async () => {
    const port = await closedPort();
    const workspace = mkdtempSync(join(tmpdir(), 'rel-faults-'));
    writeFileSync(join(workspace, 'docker-compose.yml'), 'services:\n  web:\n    image: local/busybox:1\n');
    const result = await run('deploy-compose', {
      inputs: {
        hosts: `slipway@127.0.0.1:${port} SHA256:${'A'.repeat(43)}`,
        'ssh-key': readFileSync(infra.ssh.clientKey, 'utf8'),
        project: `rel${tag}`,
        images: `web=127.0.0.1:5000/app@sha256:${'a'.repeat(64)}`,
        'lock-wait': '0s',
      },
      dirs: { workspace },
    });
    rmSync(workspace, { recursive: true, force: true });
    expect(result.exitCode).toBe(1);
    expect(errorsOf(result).join('\n')).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${port}.*(ECONNREFUSED|refused)`, 's'),
    );
    expect(result.stdout).toMatch(/try 2 in \d+ms/);
    expect(result.state.locks ?? '{}').toBe('{}');
    expect(JSON.parse(result.outputs['hosts-result'])).toEqual({
      [`slipway@127.0.0.1:${port}`]: expect.objectContaining({ status: 'failed' }),
    });
    expect(result.outputs['previous-release-id']).toBe('');
    expect(result.post?.exitCode).toBe(0);
  });

  it('AWS throttling: the deploy backs off, logging each throttled call, and succeeds on the new revision', async () => {
    const fx = new Fixture();
    await fx.start();
    try {
      const { name, file } = await fx.prepare('healthy');
      // Throttled before anything changes (the first DescribeServices) and while following the deployment.
      fx.ecs.faults.add({ operation: 'DescribeServices', error: 'ThrottlingException', times: 2 });
      fx.ecs.faults.add({ operation: 'DescribeServiceDeployments', error: 'ThrottlingException', times: 3 });
      const result = await run('deploy-ecs', {
        env: { ...CREDENTIALS, AWS_ENDPOINT_URL_ECS: fx.ecs.url },
        inputs: { service: name, 'task-definition': file, environment: 'X=1', 'poll-interval': '200ms' },
      });
      expect(errorsOf(result)).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.outputs.status).toBe('succeeded');
      const throttled = (call: string) =>
        result.stdout.match(new RegExp(`^ecs:${call} - ThrottlingException; try \\d in \\d+ms$`, 'gm')) ?? [];
      expect(throttled('DescribeServices')).toHaveLength(2);
      expect(throttled('DescribeServiceDeployments')).toHaveLength(3);
      const service = await fx.describe(name);
      expect(service.taskDefinition).toBe(result.outputs['task-definition-arn']);
      expect(service.deployments).toEqual([
        expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 1 }),
      ]);
    } finally {
      await fx.stop();
    }
  });

  it('cancelled run mid-wait (ECS): ECS carries on; the post step reports where it stands and closes the GitHub Deployment', async () => {
    const fx = new Fixture();
    await fx.start();
    const token = `ghs_rel${tag}`;
    const github = await startGitHubLocal({ token });
    try {
      // A revision whose tasks never get healthy, and no circuit breaker: the deployment stays in progress.
      const { name, first, file } = await fx.prepare('unhealthy');
      fx.ecs.calls.length = 0;
      const result = await run('deploy-ecs', {
        env: { ...CREDENTIALS, AWS_ENDPOINT_URL_ECS: fx.ecs.url, GITHUB_API_URL: github.url },
        githubToken: token,
        inputs: {
          service: name,
          'task-definition': file,
          'poll-interval': '200ms',
          'deployment-environment': 'staging',
        },
        cancelWhen: (stdout) => new RegExp(`^${name}: deployment ecs-svc/\\d+ started`, 'm').test(stdout),
      });
      const arn = result.outputs['task-definition-arn'];
      expect(arn).toMatch(new RegExp(`task-definition/${name}:2$`));
      // The main step died on SIGINT before an outcome: no status, nothing failed by the action itself.
      expect({ cancelled: result.cancelled, signal: result.signal, exitCode: result.exitCode }).toEqual({
        cancelled: true,
        signal: 'SIGINT',
        exitCode: null,
      });
      expect(result.outputs.status).toBeUndefined();
      expect(errorsOf(result)).toEqual([]);

      // The post step only looked (one DescribeServices) and warned; it changed nothing in ECS.
      expect(result.post?.exitCode).toBe(0);
      expect(result.post?.annotations).toEqual([
        expect.objectContaining({
          level: 'warning',
          message: expect.stringMatching(
            new RegExp(`^The main step stopped while following the deployment of ${name}:2 to ${name} `),
          ),
        }),
      ]);
      expect(result.post?.stdout).toMatch(
        new RegExp(`^${name}: ECS deployment ecs-svc/\\d+ of ${arn} is PRIMARY IN_PROGRESS: `, 'm'),
      );
      const changes = fx.ecs.calls.filter((c) => /\.(UpdateService|StopServiceDeployment)$/.test(c));
      expect(changes).toEqual([expect.stringMatching(/\.UpdateService$/)]);

      // ECS goes on with the deployment; the old revision keeps serving.
      const service = await fx.describe(name);
      expect(service.deployments).toEqual([
        expect.objectContaining({ status: 'PRIMARY', taskDefinition: arn, rolloutState: 'IN_PROGRESS' }),
        expect.objectContaining({ status: 'ACTIVE', taskDefinition: first, runningCount: 1 }),
      ]);
      // The GitHub Deployment is not left in progress: error, with the reason.
      const [recorded] = github.store.list('acme/app', { environment: 'staging' });
      expect(recorded.statuses.map((st) => st.state)).toEqual(['in_progress', 'error']);
      expect(recorded.statuses[1].description).toMatch(/^The run stopped while ECS was deploying/);
      expect(result.post?.stdout).toContain(`GitHub Deployment ${recorded.id} set to error`);
      expect(findLeaks(result, [CREDENTIALS.AWS_SECRET_ACCESS_KEY, token])).toEqual([]);
    } finally {
      await github.close();
      await fx.stop();
    }
  });

  it('AWS access denied: the deploy stops at the first refused call, saying which permission to add', async () => {
    const s = await startSentinels();
    try {
      const result = await run('deploy-ecs', {
        env: s.env,
        inputs: { service: 'web', images: `web=127.0.0.1:5000/app@sha256:${'a'.repeat(64)}` },
      });
      expect(result.exitCode).toBe(1);
      expect(errorsOf(result)).toEqual([
        expect.stringMatching(
          /^Access denied on ecs:DescribeServices .*add ecs:DescribeServices to the role's policy/,
        ),
      ]);
      // one call, not retried: nothing was registered or updated
      expect(s.aws.requests).toBe(1);
      expect(result.outputs).toEqual({});
    } finally {
      await s.close();
    }
  });
});
