import {
  buildGateConfig,
  type FleetInputs,
  type GateConfig,
  getFleetInputs,
  InputError,
  InputReader,
  type RecordingSettings,
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
  /** blue-green: how long the previous colour keeps running out of rotation (`keep-previous`). */
  keepPreviousMs: number;
}

/**
 * `public-url` (URLs through the entry point) with smoke-test's assertion inputs, as the gate reads them. The
 * checks wait up to health-timeout for the new release to answer there.
 */
function entryGate(read: InputReader, healthTimeoutMs: number): GateConfig | undefined {
  const urls = read.list('public-url', { separator: 'newline' });
  const assertions = {
    'expect-status': read.string('expect-status'),
    'expect-json': read.string('expect-json'),
    'expect-version': read.string('expect-version'),
    'version-field': read.string('version-field'),
  };
  if (urls.length === 0) {
    const given = Object.entries(assertions).find(([, value]) => value !== undefined);
    if (given) {
      throw new InputError(
        given[0],
        `Input "${given[0]}" is an assertion on "public-url": set public-url (the URLs of the entry point) too.`,
      );
    }
    return undefined;
  }
  return buildGateConfig({
    checks: urls,
    'checks-source': 'public-url',
    defaults: assertions,
    timeout: 5_000,
    'ready-timeout': healthTimeoutMs,
    'ready-backoff': 250,
    'ready-backoff-max': 1_000,
    samples: 5,
    interval: 200,
    deadline: healthTimeoutMs + 60_000,
  });
}

export function getInputs(read = new InputReader()): Inputs {
  const inputs: Inputs = {
    ...getFleetInputs(read),
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
    preDeploy: read.string('pre-deploy'),
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
    keepPreviousMs: read.duration('keep-previous', { default: '10m', min: 0, max: 7 * 24 * 3_600_000 }),
  };
  inputs.entry = entryGate(read, inputs.healthTimeoutMs);
  if (inputs.composeFiles.length === 0) inputs.composeFiles = ['docker-compose.yml'];
  if (inputs.preDeployService && !inputs.preDeploy) {
    throw new InputError(
      'pre-deploy-service',
      'Input "pre-deploy-service" needs "pre-deploy" (the command to run in it).',
    );
  }
  return inputs;
}
