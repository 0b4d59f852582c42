import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  checkAwsRegion,
  checkEcsName,
  type DeploySettings,
  InputError,
  InputReader,
  type RecordingSettings,
  resolveAwsRegion,
} from '@slipway/shared';
import { getPauseInputs, type PauseInputs } from './pauses/pause-inputs';
import {
  type BackupSettings,
  type PreDeploySettings,
  readBackup,
  readPreDeploy,
} from './pre-deploy/pre-deploy-inputs';

/** Where the base task definition comes from. */
export type TaskDefinitionSource =
  | { kind: 'service' }
  | { kind: 'file'; path: string }
  /** An ARN or `family[:revision]`, as DescribeTaskDefinition takes it. */
  | { kind: 'registered'; ref: string };

/** One `[container:]KEY=VALUE` line; without a container it applies to the only container there is. */
export interface ContainerSetting {
  container?: string;
  key: string;
  value: string;
}

/** A `cpu` or `memory` override: a bare number is the task's, `container=N` a container's. */
export interface SizeOverride {
  task?: number;
  containers: Array<{ container: string; value: number }>;
}

/** deploy-ecs's inputs; those of the deploy itself are named as deployService takes them. */
export interface Inputs extends DeploySettings {
  services: string[];
  taskDefinition: TaskDefinitionSource;
  images: Array<{ container: string; image: string }>;
  environment: ContainerSetting[];
  secrets: ContainerSetting[];
  dockerLabels: ContainerSetting[];
  cpu: SizeOverride;
  memory: SizeOverride;
  failOnEcsRollback: boolean;
  region: string;
  endpoint?: string;
  /** GitHub Deployments: the token (masked), and what to record. */
  githubToken?: string;
  recording: Omit<RecordingSettings, 'sha'>;
  /** The schema migration this release applies, recorded for rollback's migrations-guard. */
  migration?: string;
  /** `dry-run`: everything up to the first change, then the plan instead of the deploy. */
  dryRun: boolean;
  /** `pre-deploy-*`: a one-off task of the new revision before UpdateService. */
  preDeploy?: PreDeploySettings;
  /** `backup`, `backup-timeout`, `keep-backups`: RDS snapshots before anything changes. */
  backup?: BackupSettings;
  /** What answers the pauses (PAUSE lifecycle hooks) of a blue/green, linear or canary deployment. */
  pauses: PauseInputs;
}

const CONTAINER = /^[A-Za-z0-9_-]{1,255}$/;
const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;
const FAMILY = /^[A-Za-z0-9_-]{1,255}(:\d+)?$/;
const IMAGE = /^[^\s@]+(@sha256:[a-f0-9]{64})?$/;

export function getInputs(read = new InputReader()): Inputs {
  const service = read.string('service');
  const many = read.list('services');
  if (service && many.length) {
    throw new InputError('services', 'Set either "service" or "services", not both.');
  }
  const services = service ? [service] : many;
  if (!services.length) {
    throw new InputError('services', 'Input "service" (or "services", one per line) is required.');
  }
  const region = resolveAwsRegion(read.string('region'));
  if (!region) {
    throw new InputError('region', 'Input "region" is required when AWS_REGION is not set (e.g. us-east-1).');
  }
  checkAwsRegion(region, 'region');
  return {
    cluster: checkEcsName('cluster', read.string('cluster', { default: 'default' }), 'cluster'),
    services: unique('services', services).map((s) =>
      checkEcsName('service', s, service ? 'service' : 'services'),
    ),
    taskDefinition: taskDefinitionSource(read.string('task-definition')),
    images: images(read.keyValues('images', { keyPattern: CONTAINER })),
    environment: settings(read.keyValues('environment', { keyPattern: setting(/[A-Za-z_][A-Za-z0-9_.-]*/) })),
    secrets: settings(read.keyValues('secrets', { keyPattern: setting(/[A-Za-z_][A-Za-z0-9_.-]*/) })),
    dockerLabels: settings(read.keyValues('docker-labels', { keyPattern: setting(/[A-Za-z0-9_./-]+/) })),
    cpu: sizes('cpu', read.list('cpu')),
    memory: sizes('memory', read.list('memory')),
    desiredCount: read.string('desired-count') ? read.integer('desired-count', { min: 0 }) : undefined,
    forceNewDeployment: read.boolean('force-new-deployment', { default: false }),
    wait: read.boolean('wait', { default: true }),
    waitTimeoutMs: read.duration('wait-timeout', { default: '30m', min: 1000, max: 6 * 3_600_000 }),
    pollIntervalMs: read.duration('poll-interval', { default: '5s', min: 100, max: 300_000 }),
    rollbackOnFailure: read.boolean('rollback-on-failure', { default: true }),
    failOnEcsRollback: read.boolean('fail-on-ecs-rollback', { default: true }),
    dryRun: read.boolean('dry-run', { default: false }),
    region,
    endpoint: read.url('endpoint', { example: 'https://ecs.us-east-1.amazonaws.com' }),
    githubToken: read.secret('github-token'),
    recording: {
      enabled: read.boolean('record-deployment', { default: true }),
      environment: read.string('deployment-environment'),
      environmentUrl: read.url('deployment-url'),
      force: read.boolean('force', { default: false }),
    },
    migration: read.string('migration'),
    preDeploy: readPreDeploy(read),
    backup: readBackup(read),
    pauses: getPauseInputs(read),
  };
}

function unique(input: string, names: string[]): string[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new InputError(input, `Input "${input}" names ${JSON.stringify(name)} twice.`);
    seen.add(name);
  }
  return names;
}

const FILE_NAME = /\.(json|ya?ml)$/i;

/**
 * An ARN is an ARN. A value with a path separator, or ending in .json, .yaml or .yml, is a file, and must be a
 * regular one. Anything else of the shape `family[:revision]` is a family, even where the workspace holds a
 * folder or a file of that name (write `./name` to read a file without an extension).
 */
function taskDefinitionSource(value: string | undefined): TaskDefinitionSource {
  if (!value) return { kind: 'service' };
  if (ARN.test(value)) return { kind: 'registered', ref: value };
  if (/[\\/]/.test(value) || FILE_NAME.test(value)) {
    const path = isAbsolute(value) ? value : resolve(process.env.GITHUB_WORKSPACE ?? '.', value);
    const kind = fileKind(path);
    if (kind === 'file') return { kind: 'file', path };
    if (kind) {
      throw new InputError(
        'task-definition',
        `Input "task-definition" names ${path}, which is not a regular file (${kind}). Name a task definition ` +
          'file (JSON or YAML), an ARN or family[:revision].',
      );
    }
    throw new InputError(
      'task-definition',
      `Input "task-definition" must be a task definition file (JSON or YAML), an ARN or family[:revision]; ` +
        `${JSON.stringify(value)} reads as a file, but there is no such file: ${path}.`,
    );
  }
  if (FAMILY.test(value)) return { kind: 'registered', ref: value };
  throw new InputError(
    'task-definition',
    `Input "task-definition" must be a task definition file (JSON or YAML), an ARN or family[:revision]; ` +
      `${JSON.stringify(value)} is none of these (a file is a path with "/" or a name ending in .json, .yaml or .yml).`,
  );
}

/** 'file' for a regular file (through links), what else it is otherwise, undefined when nothing is there. */
function fileKind(path: string): 'file' | 'a folder' | 'not a file' | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'a folder' : 'not a file';
  } catch {
    return undefined;
  }
}

function images(pairs: Array<[string, string]>): Inputs['images'] {
  const seen = new Set<string>();
  return pairs.map(([container, raw]) => {
    const image = raw.trim();
    if (!IMAGE.test(image)) {
      throw new InputError(
        'images',
        `Input "images" takes container=image lines such as web=repo@sha256:<64 hex digits>; ` +
          `the image for ${JSON.stringify(container)} is ${JSON.stringify(image)}.`,
      );
    }
    if (seen.has(container)) throw new InputError('images', `Input "images" sets ${container} twice.`);
    seen.add(container);
    return { container, image };
  });
}

const setting = (key: RegExp) => new RegExp(`^(?:[A-Za-z0-9_-]{1,255}:)?${key.source}$`);

function settings(pairs: Array<[string, string]>): ContainerSetting[] {
  return pairs.map(([name, value]) => {
    const colon = name.indexOf(':');
    return colon < 0
      ? { key: name, value }
      : { container: name.slice(0, colon), key: name.slice(colon + 1), value };
  });
}

function sizes(input: string, lines: string[]): SizeOverride {
  const out: SizeOverride = { containers: [] };
  for (const line of lines) {
    const match = /^(?:([A-Za-z0-9_-]{1,255})\s*=\s*)?(\d+)$/.exec(line);
    if (!match || Number(match[2]) <= 0) {
      throw new InputError(
        input,
        `Input "${input}" takes a whole number for the task and/or container=number lines (e.g. 512 or web=256); ` +
          `got ${JSON.stringify(line)}.`,
      );
    }
    if (match[1]) out.containers.push({ container: match[1], value: Number(match[2]) });
    else if (out.task !== undefined)
      throw new InputError(input, `Input "${input}" sets the task's value twice.`);
    else out.task = Number(match[2]);
  }
  return out;
}
