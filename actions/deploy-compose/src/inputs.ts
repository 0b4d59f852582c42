import {
  type FleetInputs,
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
}

export function getInputs(read = new InputReader()): Inputs {
  const inputs: Inputs = {
    ...getFleetInputs(read),
    composeFiles: read.list('compose-file'),
    files: read.list('files', { separator: 'newline' }),
    secretFiles: read.list('secret-files', { separator: 'newline' }),
    env: read.keyValues('env', { secret: true, keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/ }),
    images: read.keyValues('images', { keyPattern: SERVICE_NAME }),
    healthTimeoutMs: read.duration('health-timeout', { default: '2m', min: 1000, max: 3_600_000 }),
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
  };
  if (inputs.composeFiles.length === 0) inputs.composeFiles = ['docker-compose.yml'];
  if (inputs.preDeployService && !inputs.preDeploy) {
    throw new InputError(
      'pre-deploy-service',
      'Input "pre-deploy-service" needs "pre-deploy" (the command to run in it).',
    );
  }
  return inputs;
}
