import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import { type EcsLocal, type EcsLocalOptions, startEcsLocal } from '@slipway/ecs-local';
import { InputReader, mapInputs } from '@slipway/shared';
import { getInputs } from '../src/inputs';
import { defaultDeps, run } from '../src/main';

/** ECS's minutes scaled down to a second or two (ecs-local's timings). */
export const FAST = {
  namePrefix: 'deploy-ecs-',
  timings: {
    tickMs: 50,
    steadyStateMs: 150,
    alarmBakeMs: 150,
    // Long enough for polls every 200ms to see BAKE_TIME of blue/green, linear and canary deployments.
    bakeMs: 1000,
    healthCheck: { intervalMs: 100, timeoutMs: 3000, retries: 2 },
    stopTimeoutSeconds: 0,
    // ECS starts its rollback deployment a moment after it fails ours: polls every 200ms see the gap.
    rollbackAfterMs: 1000,
  },
  failureThreshold: 2,
} satisfies EcsLocalOptions;

export const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDDEPLOYECSLOCAL',
  AWS_SECRET_ACCESS_KEY: `deploy-ecs-secret-${randomBytes(8).toString('hex')}`,
  AWS_REGION: 'eu-west-1',
};

const SERVE = 'echo ok > /www/index.html && exec httpd -f -p 8080 -h /www';
/** healthy: serves and its health check passes; unhealthy: its health check probes a closed port. */
export type Behaviour = 'healthy' | 'unhealthy';

export function container(name: string, behaviour: Behaviour = 'healthy') {
  return {
    name,
    image: 'local/busybox:1',
    command: ['sh', '-c', SERVE],
    portMappings: [{ containerPort: 8080 }],
    healthCheck: {
      command: [
        'CMD-SHELL',
        `wget -qO- http://127.0.0.1:${behaviour === 'healthy' ? 8080 : 9999}/ || exit 1`,
      ],
    },
  };
}

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** ecs-local, an SDK client for the test's own set-up calls, and temp files for the runner's files. */
export class Fixture {
  ecs!: EcsLocal;
  client!: ECSClient;
  dir = mkdtempSync(join(tmpdir(), 'deploy-ecs-it-'));
  private saved = { ...process.env };

  async start(): Promise<void> {
    this.ecs = await startEcsLocal(FAST);
    this.client = new ECSClient({
      endpoint: this.ecs.url,
      region: CREDENTIALS.AWS_REGION,
      credentials: { accessKeyId: 'AKIDSETUP', secretAccessKey: 'setup' },
      maxAttempts: 1,
    });
    Object.assign(process.env, CREDENTIALS);
  }

  async stop(): Promise<void> {
    process.env = { ...this.saved };
    this.client?.destroy();
    try {
      await this.ecs?.close();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** Forgets the calls ecs-local received so far (before a run whose calls a test counts). */
  resetFiles(): void {
    this.ecs.calls.length = 0;
  }

  writeJson(name: string, value: unknown): string {
    const path = join(this.dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  }

  async register(def: RegisterTaskDefinitionCommandInput): Promise<string> {
    const out = await this.client.send(new RegisterTaskDefinitionCommand(def));
    return out.taskDefinition!.taskDefinitionArn!;
  }

  /** A service that has reached a steady state on `taskDefinition`. */
  async service(name: string, taskDefinition: string, extra: Partial<CreateServiceCommandInput> = {}) {
    await this.client.send(
      new CreateServiceCommand({ serviceName: name, taskDefinition, desiredCount: 1, ...extra }),
    );
    for (let i = 0; i < 600; i++) {
      const out = await this.client.send(new DescribeServicesCommand({ services: [name] }));
      if (out.services?.[0].deployments?.[0].rolloutState === 'COMPLETED') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`service ${name} never reached COMPLETED`);
  }

  /** A steady service on a first revision, and the file of a second one whose health is `behaviour`. */
  async prepare(behaviour: Behaviour, extra: Partial<CreateServiceCommandInput> = {}) {
    const name = uniqueName('web');
    const def = (b: Behaviour) => ({
      family: name,
      networkMode: 'bridge' as const,
      containerDefinitions: [container('web', b)],
    });
    const first = await this.register(def('healthy'));
    await this.service(name, first, extra);
    return { name, first, file: this.writeJson(`${name}.json`, def(behaviour)) };
  }

  /**
   * run() with the real client factory and ecs-local as `endpoint`, a log, every DescribeServices answer, and the
   * outputs and summary as the step writes them (through deps, not the runner's files).
   */
  async deploy(values: Record<string, string>, onLog?: (line: string) => void) {
    this.resetFiles();
    const log: string[] = [];
    const snapshots: Service[][] = [];
    const outputs: Record<string, string> = {};
    const summaries: string[] = [];
    const deps = defaultDeps();
    const inputs = getInputs(
      new InputReader(mapInputs({ endpoint: this.ecs.url, 'poll-interval': '200ms', ...values })),
    );
    const error = await run(inputs, {
      ...deps,
      ecs: (given, say, notice) => {
        const api = deps.ecs(given, say, notice);
        return {
          ...api,
          describeServices: async (cluster, names) => {
            const out = await api.describeServices(cluster, names);
            snapshots.push(out);
            return out;
          },
        };
      },
      log: (line) => {
        log.push(line);
        onLog?.(line);
      },
      output: (name, value) => {
        outputs[name] = value;
      },
      summary: async (markdown) => {
        summaries.push(markdown);
      },
    }).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    return {
      error,
      log,
      snapshots,
      outputs: () => outputs,
      summary: () => summaries.join(''),
      calls: [...this.ecs.calls],
    };
  }

  /** The service's task definition once it is `arn` (ECS starts its own rollback a moment after failing ours). */
  async settlesOn(name: string, arn: string): Promise<string | undefined> {
    let current: string | undefined;
    for (let i = 0; i < 100; i++) {
      current = (await this.describe(name)).taskDefinition;
      if (current === arn) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return current;
  }

  async describe(name: string) {
    const out = await this.client.send(new DescribeServicesCommand({ services: [name] }));
    return out.services![0];
  }
}
