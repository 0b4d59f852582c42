import {
  type AnalysisInputs,
  buildGateConfig,
  checkAwsRegion,
  checkEcsName,
  type FleetInputs,
  type GateConfig,
  getFleetInputs,
  InputError,
  InputReader,
  readAnalysisInputs,
  registerSecret,
  resolveAwsRegion,
} from '@slipway/shared';

export type MigrationsGuard = 'off' | 'warn' | 'refuse';

/** What `to` names, told apart by its shape before any API call. */
export type Explicit =
  | { kind: 'task-definition'; ref: string }
  | { kind: 'digest'; digest: string }
  | { kind: 'release'; id: string };

export interface EcsInputs {
  cluster: string;
  services: string[];
  region: string;
  endpoint?: string;
  waitTimeoutMs: number;
  pollIntervalMs: number;
}

export interface Inputs {
  target: 'ecs' | 'compose';
  environment: string;
  to?: Explicit;
  githubToken?: string;
  reason: string;
  cooldownMs: number;
  migrationsGuard: MigrationsGuard;
  health: GateConfig;
  /** Metrics judged during a bake once the health checks pass (`{{ release }}`: the restored release). */
  analysis?: AnalysisInputs;
  ecs?: EcsInputs;
  compose?: ComposeInputs;
}

/** The hosts, SSH and fleet settings, as deploy-compose takes them, and how long containers may take to be healthy. */
export interface ComposeInputs extends FleetInputs {
  healthTimeoutMs: number;
}

const TASK_DEFINITION =
  /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+|[A-Za-z0-9_-]{1,255}:\d+)$/;
const DIGEST = /^(?:[^\s@]+@)?(sha256:[a-f0-9]{64})$/;
const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENVIRONMENT = /^[^\s'"`][^'"`]{0,254}$/;

/** Every input, read and checked before any API call. */
export function getInputs(read = new InputReader()): Inputs {
  const githubToken = read.secret('github-token');
  const target = read.enumeration('target', ['ecs', 'compose'] as const, { required: true });
  const environment = read.required('environment');
  if (!ENVIRONMENT.test(environment)) {
    throw new InputError(
      'environment',
      `Input "environment" must be a GitHub environment name such as production; got ${JSON.stringify(environment)}.`,
    );
  }
  return {
    target,
    environment,
    to: explicit(target, read.string('to')),
    githubToken,
    reason: read.string('reason', { default: '' }).slice(0, 100),
    cooldownMs: read.duration('cooldown', { default: '10m', min: 0, max: 7 * 24 * 3_600_000 }),
    migrationsGuard: read.enumeration('migrations-guard', ['off', 'warn', 'refuse'] as const, {
      default: 'warn',
    }),
    health: healthChecks(read),
    analysis: readAnalysisInputs(read, {
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
      version: read.string('expect-version'),
      later: ['release'],
    }),
    ecs: target === 'ecs' ? ecsInputs(read) : undefined,
    compose: target === 'compose' ? composeInputs(read) : undefined,
  };
}

function explicit(target: Inputs['target'], value: string | undefined): Explicit | undefined {
  if (!value) return undefined;
  const digest = DIGEST.exec(value);
  if (digest) return { kind: 'digest', digest: digest[1] };
  if (target === 'ecs' && TASK_DEFINITION.test(value)) return { kind: 'task-definition', ref: value };
  if (target === 'compose' && RELEASE_ID.test(value)) return { kind: 'release', id: value };
  const forms =
    target === 'ecs'
      ? 'a task-definition ARN (or family:revision) or an image digest (sha256:<64 hex digits>)'
      : "a release id from the hosts' history or an image digest (sha256:<64 hex digits>)";
  throw new InputError(
    'to',
    `Input "to" must be ${forms} for target ${target}; got ${JSON.stringify(value)}.`,
  );
}

/** The health checks run after the rollback: smoke-test's gate, configured from rollback's own inputs. */
function healthChecks(read: InputReader): GateConfig {
  const urls = read.list('health-url', { separator: 'newline' });
  const checks = read.yaml('health-checks');
  if (urls.length && checks !== undefined) {
    throw new InputError(
      'health-checks',
      'Inputs "health-url" and "health-checks" both list what to check: use one of them.',
    );
  }
  if (!urls.length && checks === undefined) {
    throw new InputError(
      'health-url',
      'Input "health-url" is required (or "health-checks", a YAML list of smoke-test checks): a rollback is ' +
        'only done when the restored release is proven healthy.',
    );
  }
  const interval = read.duration('health-interval', { default: '1s', min: 0, max: 600_000 });
  const gate = buildGateConfig({
    checks: checks === undefined ? urls : checks,
    'checks-source': checks === undefined ? 'health-url' : 'health-checks',
    // The gate's JSON assertions hold the restored release too; expect-version names the release to restore.
    defaults: { 'expect-json': read.string('expect-json'), 'expect-version': read.string('expect-version') },
    timeout: read.duration('health-request-timeout', {
      default: '10s',
      formerly: 'health-timeout',
      min: 100,
      max: 600_000,
    }),
    'ready-timeout': read.duration('ready-timeout', { default: '5m', min: 0 }),
    'ready-backoff': Math.max(interval, 10),
    'ready-backoff-max': Math.max(interval, 15_000),
    samples: read.integer('health-samples', { default: 5, min: 1, max: 10_000 }),
    interval,
    deadline: read.duration('health-deadline', { default: '10m', min: 1 }),
  });
  for (const secret of gate.secrets) registerSecret(secret);
  return gate;
}

function ecsInputs(read: InputReader): EcsInputs {
  const one = read.string('service');
  const many = read.list('services');
  if (one && many.length) throw new InputError('services', 'Set either "service" or "services", not both.');
  const services = one ? [one] : many;
  if (!services.length) {
    throw new InputError(
      'services',
      'Input "service" (or "services", one per line) is required with target: ecs.',
    );
  }
  if (new Set(services).size !== services.length) {
    throw new InputError('services', 'Input "services" names a service twice.');
  }
  const region = resolveAwsRegion(read.string('region'));
  if (!region) {
    throw new InputError('region', 'Input "region" is required when AWS_REGION is not set (e.g. us-east-1).');
  }
  checkAwsRegion(region, 'region');
  return {
    cluster: checkEcsName('cluster', read.string('cluster', { default: 'default' }), 'cluster'),
    services: services.map((s) => checkEcsName('service', s, one ? 'service' : 'services')),
    region,
    endpoint: read.url('endpoint', { example: 'https://ecs.us-east-1.amazonaws.com' }),
    waitTimeoutMs: read.duration('wait-timeout', { default: '30m', min: 1000, max: 6 * 3_600_000 }),
    pollIntervalMs: read.duration('poll-interval', { default: '5s', min: 100, max: 300_000 }),
  };
}

/**
 * The hosts, SSH and fleet settings, read and checked by the parser deploy-compose uses too, so both actions
 * accept and refuse the same values. Hooks are not run by a rollback (a pre-deploy migration must not run
 * against an older release), so they are not inputs here.
 */
function composeInputs(read: InputReader): ComposeInputs {
  return {
    ...getFleetInputs(read),
    healthTimeoutMs: read.duration('container-health-timeout', { default: '2m', min: 1000, max: 3_600_000 }),
  };
}
