import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import {
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { type EcsLocal, startEcsLocal } from '@slipway/ecs-local';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import {
  createDeploymentRecords,
  createGitHubClient,
  type DeploymentRecords,
  type FinalState,
  sleep,
} from '@slipway/shared';
import { startHttpServer, type TestServer } from '@slipway/testing';

export const REPO = 'acme/app';
export const TOKEN = `ghs_rb${randomBytes(12).toString('hex')}`;
export const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDROLLBACKLOCAL',
  AWS_SECRET_ACCESS_KEY: `rb-secret-${randomBytes(10).toString('hex')}`,
  AWS_REGION: 'eu-west-1',
};

/** The rollback's waits and health checks scaled down to ecs-local's timings. */
export const FAST_INPUTS = {
  'health-request-timeout': '5s', // one answer may take seconds on a loaded machine (2 s once failed a restored release)
  'ready-timeout': '20s',
  'health-samples': '3',
  'health-interval': '50ms',
  'poll-interval': '100ms',
  'wait-timeout': '60s',
};

/** ECS's minutes scaled down (ecs-local's timings), containers named with this area's prefix. */
const FAST = {
  namePrefix: `rb-${randomBytes(2).toString('hex')}-`,
  timings: {
    tickMs: 50,
    steadyStateMs: 150,
    // A probe is a `docker exec`: on a saturated machine dockerd may take seconds to start one, and a task marked
    // unhealthy is replaced (its balancer then has no task for a while), so a healthy task's probe gets 10 s, 3 tries.
    healthCheck: { intervalMs: 100, timeoutMs: 10_000, retries: 3 },
    stopTimeoutSeconds: 0,
  },
  failureThreshold: 2,
};

/** A release: what it answers on / (its version), and whether its container health check passes. */
export interface Release {
  version: string;
  healthy?: boolean;
  migration?: string;
  /** The container image (default: a local busybox tag, no digest); it must offer busybox's httpd. */
  image?: string;
  /** Seconds each task takes before it serves (its health check's startPeriod covers them). */
  startSeconds?: number;
}

export const digestOf = (version: string) => `sha256:${createHash('sha256').update(version).digest('hex')}`;

/**
 * ecs-local (real containers), github-local (deployment records through the real @actions/github), and a
 * "load balancer": a real HTTP server that forwards each request to a RUNNING task of the service, at the
 * port Docker published, so the health checks see whatever release ECS really runs.
 */
export class EcsWorld {
  ecs!: EcsLocal;
  github!: GitHubLocal;
  client!: ECSClient;
  records!: DeploymentRecords;
  balancers: TestServer[] = [];

  async start(): Promise<void> {
    this.ecs = await startEcsLocal(FAST);
    this.github = await startGitHubLocal({ token: TOKEN, wallClock: true });
    this.client = new ECSClient({
      endpoint: this.ecs.url,
      region: CREDENTIALS.AWS_REGION,
      credentials: { accessKeyId: 'AKIDSETUP', secretAccessKey: 'setup' },
      maxAttempts: 1,
    });
    this.records = createDeploymentRecords(createGitHubClient(TOKEN, this.github.url), REPO);
  }

  async stop(): Promise<void> {
    await Promise.all(this.balancers.map((b) => b.close()));
    this.client?.destroy();
    await this.ecs?.close();
    await this.github?.close();
  }

  /** The environment the action runs with. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return { ...CREDENTIALS, GITHUB_API_URL: this.github.url, GITHUB_REPOSITORY: REPO, ...extra };
  }

  async register(family: string, release: Release): Promise<string> {
    const delay = release.startSeconds ? `sleep ${release.startSeconds} && ` : '';
    const serve = `${delay}echo '{"version":"${release.version}"}' > /www/index.html && exec httpd -f -p 8080 -h /www`;
    const probe = `wget -qO- http://127.0.0.1:${release.healthy === false ? 9999 : 8080}/ || exit 1`;
    const out = await this.client.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [
          {
            name: 'web',
            image: release.image ?? 'local/busybox:1',
            command: ['sh', '-c', serve],
            portMappings: [{ containerPort: 8080 }],
            healthCheck: {
              command: ['CMD-SHELL', probe],
              ...(release.startSeconds ? { startPeriod: release.startSeconds + 60 } : {}),
            },
          },
        ],
      }),
    );
    return out.taskDefinition!.taskDefinitionArn!;
  }

  /**
   * Services on their first release (one task definition, of the first service's family), COMPLETED, with that
   * deploy recorded as one successful deployment.
   */
  async service(
    names: string | string[],
    environment: string,
    release: Release,
    extra: Partial<CreateServiceCommandInput> = {},
  ): Promise<{ arn: string; id: number }> {
    const list = [names].flat();
    const arn = await this.register(list[0], release);
    const id = await this.record(environment, Object.fromEntries(list.map((n) => [n, arn])), release);
    for (const name of list) {
      await this.client.send(
        new CreateServiceCommand({ serviceName: name, taskDefinition: arn, desiredCount: 1, ...extra }),
      );
    }
    await Promise.all(
      list.map((name) => this.until(name, (s) => s.deployments?.[0]?.rolloutState === 'COMPLETED')),
    );
    await this.records.finish(id, 'success');
    return { arn, id };
  }

  /**
   * A deploy as deploy-ecs makes one (of one or more services, to one new task definition of the first
   * service's family): recorded in_progress, UpdateService, then `settle` decides when it has an outcome
   * (`state` is recorded; undefined leaves the record in_progress, the deploy still running).
   */
  async deploy(
    names: string | string[],
    environment: string,
    release: Release,
    settle: { until: 'completed' | 'failed' | 'started'; state?: FinalState },
  ): Promise<{ arn: string; id: number }> {
    const list = [names].flat();
    const arn = await this.register(list[0], release);
    const id = await this.record(environment, Object.fromEntries(list.map((n) => [n, arn])), release);
    for (const name of list) {
      await this.client.send(new UpdateServiceCommand({ service: name, taskDefinition: arn }));
    }
    await Promise.all(list.map((name) => this.settle(name, arn, settle.until)));
    if (settle.state) await this.records.finish(id, settle.state);
    return { arn, id };
  }

  /** Waits until the service's deployment of `arn` has the outcome asked for. */
  async settle(name: string, arn: string, until: 'completed' | 'failed' | 'started'): Promise<void> {
    if (until === 'completed') {
      await this.until(
        name,
        (s) => s.deployments?.find((d) => d.taskDefinition === arn)?.rolloutState === 'COMPLETED',
      );
    } else if (until === 'failed') {
      await this.until(
        name,
        (s) => (s.deployments?.find((d) => d.taskDefinition === arn)?.failedTasks ?? 0) >= 2,
      );
    }
  }

  /** A deployment record in_progress, as deploy-ecs starts one: service -> task definition, the release's digest. */
  record(environment: string, taskDefinitions: Record<string, string>, release: Release) {
    return this.records.start({
      environment,
      sha: createHash('sha1').update(release.version).digest('hex'),
      description: `deploy ${release.version}`,
      payload: {
        slipway: 1,
        target: 'ecs',
        images: { web: `local/busybox@${digestOf(release.version)}` },
        taskDefinitions,
        sha: '',
        ...(release.migration ? { migration: release.migration } : {}),
      },
    });
  }

  async describe(name: string) {
    const out = await this.client.send(new DescribeServicesCommand({ services: [name] }));
    return out.services![0];
  }

  async until(name: string, done: (s: Awaited<ReturnType<EcsWorld['describe']>>) => boolean): Promise<void> {
    for (let i = 0; i < 600; i++) {
      if (done(await this.describe(name))) return;
      await sleep(50);
    }
    throw new Error(`service ${name} never got there`);
  }

  /**
   * The load balancer in front of a service: a forward to a healthy task, or, as an ALB fails open when no target
   * is healthy, to a running one; 503 while no task of it runs.
   */
  async balancer(service: string): Promise<TestServer> {
    const server = await startHttpServer(async (req, res) => {
      const port = await this.taskPort(service);
      if (!port) {
        res.statusCode = 503;
        res.end('no running task');
        return;
      }
      const upstream = request({ host: '127.0.0.1', port, path: req.url, method: req.method }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        res.statusCode = 502;
        res.end('bad gateway');
      });
      upstream.end();
    });
    this.balancers.push(server);
    return server;
  }

  private async taskPort(service: string): Promise<number | undefined> {
    const list = await this.client.send(
      new ListTasksCommand({ serviceName: service, desiredStatus: 'RUNNING' }),
    );
    if (!list.taskArns?.length) return undefined;
    const out = await this.client.send(new DescribeTasksCommand({ tasks: list.taskArns }));
    const running = (out.tasks ?? []).filter((t) => t.lastStatus === 'RUNNING');
    const target = running.find((t) => t.healthStatus === 'HEALTHY') ?? running[0];
    return target?.containers?.[0]?.networkBindings?.[0]?.hostPort;
  }

  /** ECS calls the action made that change something. */
  changes(): string[] {
    return this.ecs.calls
      .map((c) => c.replace(/^.*\./, ''))
      .filter((c) => /^(UpdateService|StopServiceDeployment|RegisterTaskDefinition|CreateService)$/.test(c));
  }
}
