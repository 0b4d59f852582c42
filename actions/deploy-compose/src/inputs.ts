import {
  type AnalysisInputs,
  type FleetInputs,
  type GateConfig,
  getFleetInputs,
  InputError,
  InputReader,
  parseCanarySteps,
  type RecordingSettings,
  readAnalysisSpec,
  readUrlAssertions,
  urlGate,
} from '@slipway/shared';

/** A Compose service name: the keys of `images` and `health-checks`, and the services of the Compose files. */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** deploy-compose's inputs: the hosts, SSH and fleet settings (as rollback reads them too), and its own. */
export interface Inputs extends FleetInputs {
  composeFiles: string[];
  /** Files and folders uploaded next to the Compose files, relative to the first one's folder. */
  files: string[];
  /** Files and folders of `files` stored 0600 besides env files and Compose secrets. */
  secretFiles: string[];
  env: Array<[string, string]>;
  images: Array<[string, string]>;
  healthTimeoutMs: number;
  healthChecks: Array<[string, string]>;
  preDeploy?: string;
  preDeployService?: string;
  postDeploy?: string;
  backup?: string;
  atomic: boolean;
  /** GitHub Deployments: the token (masked), and what to record. */
  githubToken?: string;
  recording: Omit<RecordingSettings, 'sha'>;
  /** The schema migration this release applies, recorded for rollback's migrations-guard. */
  migration?: string;
  /** The `proxy-service` input: the project's reverse proxies (empty: known by their images). */
  proxyServices: string[];
  /** `public-url` with its assertions: the entry point checked at each switch (undefined: no public-url). */
  entry?: GateConfig;
  /** `dry-run`: check everything up to the first change, then report the plan instead of deploying. */
  dryRun: boolean;
  /** `strategy: canary`: the steps (percent, the last 100), how long each bakes, and what inconclusive does. */
  canary?: { steps: number[]; intervalMs: number; failOnInconclusive: boolean; metrics?: AnalysisInputs };
  /** blue-green: how long the previous colour keeps running out of rotation (`keep-previous`). */
  keepPreviousMs: number;
}

/**
 * The canary's inputs: only with `strategy: canary` (given otherwise they would be silently ignored), and only
 * with public-url and expect-version, by which the judge tells the new version's answers from the old one's.
 */
function canaryInputs(read: InputReader, inputs: Inputs): Inputs['canary'] {
  const given = {
    'canary-steps': read.string('canary-steps'),
    'canary-interval': read.string('canary-interval'),
    analysis: read.string('analysis'),
  };
  const steps = parseCanarySteps(given['canary-steps'] ?? '5%,25%,100%');
  const intervalMs = read.duration('canary-interval', { default: '1m', min: 1000, max: 3_600_000 });
  const failOnInconclusive = read.boolean('fail-on-inconclusive', { default: true });
  if (inputs.strategy !== 'canary') {
    const name = Object.entries(given).find(([, value]) => value !== undefined)?.[0];
    if (name) {
      throw new InputError(
        name,
        `Input "${name}" applies to strategy: canary only; strategy is ${inputs.strategy}. Set strategy: canary, or remove ${name}.`,
      );
    }
    return undefined;
  }
  if (!inputs.entry?.checks.every((check) => check.expectVersion)) {
    throw new InputError(
      'strategy',
      'Input "strategy": canary judges the new version by its answers through the entry point: set "public-url" and "expect-version" (with "version-field" when the version is not in the body), so each answer can be told new or old.',
    );
  }
  // The metrics judged at each step beside the entry point's answers ({{ version }}: the new one), as smoke-test
  // reads them; a step's bake is its canary-interval.
  const version = inputs.entry.checks[0]?.expectVersion;
  const metrics = readAnalysisSpec(read, {
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    version: typeof version === 'string' ? version : undefined,
    later: ['release'],
  });
  return { steps, intervalMs, failOnInconclusive, ...(metrics ? { metrics } : {}) };
}

/**
 * How long the entry point may take to answer as the new release once its containers, healthy and answering on
 * the proxy's port, joined the rotation: a proxy follows within seconds (a reload, a DNS lookup every second, a
 * health check's rise), so a release it still does not serve after this is refused without waiting out the whole
 * container-health-timeout (2 minutes by default) while users are served by the old containers.
 */
export const ENTRY_FOLLOW_MS = 30_000;

/**
 * `public-url` (URLs through the entry point) with smoke-test's assertion inputs, as the gate reads them. The
 * checks wait up to ENTRY_FOLLOW_MS (container-health-timeout if shorter) for the new release to answer there.
 */
function entryGate(read: InputReader, healthTimeoutMs: number): GateConfig | undefined {
  const urls = read.list('public-url', { separator: 'newline' });
  const assertions = readUrlAssertions(read);
  const budget = {
    'min-success-rate': read.string('min-success-rate')
      ? read.number('min-success-rate', { min: 0, max: 1, percent: true })
      : undefined,
    'max-p95': read.string('max-p95') ? read.duration('max-p95', { min: 1 }) : undefined,
    'max-p99': read.string('max-p99') ? read.duration('max-p99', { min: 1 }) : undefined,
  };
  if (urls.length === 0) {
    const given = Object.entries({ ...assertions, ...budget }).find(([, value]) => value !== undefined);
    if (given) {
      throw new InputError(
        given[0],
        `Input "${given[0]}" is an assertion on "public-url": set public-url (the URLs of the entry point) too.`,
      );
    }
    return undefined;
  }
  return urlGate(urls, 'public-url', assertions, Math.min(healthTimeoutMs, ENTRY_FOLLOW_MS), budget);
}

export function getInputs(read = new InputReader()): Inputs {
  const inputs: Inputs = {
    ...getFleetInputs(read, ['rolling', 'recreate', 'blue-green', 'canary']),
    composeFiles: read.list('compose-file'),
    files: read.list('files', { separator: 'newline' }),
    secretFiles: read.list('secret-files', { separator: 'newline' }),
    env: read.keyValues('env', { secret: true, keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/ }),
    images: read.keyValues('images', { keyPattern: SERVICE_NAME }),
    healthTimeoutMs: read.duration('container-health-timeout', {
      default: '2m',
      formerly: 'health-timeout',
      min: 1000,
      max: 3_600_000,
    }),
    healthChecks: read.keyValues('health-checks', { keyPattern: SERVICE_NAME }),
    preDeploy: read.string('pre-deploy-command', { formerly: 'pre-deploy' }),
    preDeployService: read.string('pre-deploy-service'),
    postDeploy: read.string('post-deploy'),
    backup: read.string('backup'),
    atomic: read.boolean('atomic', { default: true }),
    githubToken: read.secret('github-token'),
    recording: {
      enabled: read.boolean('record-deployment', { default: true }),
      environment: read.string('deployment-environment'),
      environmentUrl: read.url('deployment-url'),
      force: read.boolean('force', { default: false }),
    },
    migration: read.string('migration'),
    proxyServices: read.list('proxy-service'),
    dryRun: read.boolean('dry-run', { default: false }),
    keepPreviousMs: read.duration('keep-previous', { default: '10m', min: 0, max: 7 * 24 * 3_600_000 }),
  };
  inputs.entry = entryGate(read, inputs.healthTimeoutMs);
  inputs.canary = canaryInputs(read, inputs);
  if (inputs.composeFiles.length === 0) inputs.composeFiles = ['docker-compose.yml'];
  if (inputs.preDeployService && !inputs.preDeploy) {
    throw new InputError(
      'pre-deploy-service',
      'Input "pre-deploy-service" needs "pre-deploy-command" (the command to run in it).',
    );
  }
  return inputs;
}
