import {
  type HostKeyPolicy,
  InputError,
  InputReader,
  type KnownHostEntry,
  parseKnownHosts,
  parseSshTarget,
  type RecordingSettings,
  type SshTarget,
} from '@slipway/shared';
import { SERVICE_NAME } from './compose-files';

export interface HostInput {
  target: SshTarget;
  fingerprints: string[];
}

export interface Inputs {
  hosts: HostInput[];
  sshKey: string;
  passphrase?: string;
  knownHosts: KnownHostEntry[];
  insecureSkipHostKeyCheck: boolean;
  jumpHost?: HostInput;
  project: string;
  composeFiles: string[];
  env: Array<[string, string]>;
  images: Array<[string, string]>;
  registry?: { host: string; username: string; password: string };
  strategy: 'rolling' | 'recreate';
  healthTimeoutMs: number;
  healthChecks: Array<[string, string]>;
  drainMs: number;
  preDeploy?: string;
  preDeployService?: string;
  postDeploy?: string;
  backup?: string;
  lockTtlMs: number;
  lockWaitMs: number;
  keepReleases: number;
  maxParallel: number;
  atomic: boolean;
  remoteDir: string;
  commandTimeoutMs: number;
  /** GitHub Deployments: the token (masked), and what to record. */
  githubToken?: string;
  recording: Omit<RecordingSettings, 'sha'>;
  /** The schema migration this release applies, recorded for rollback's migrations-guard. */
  migration?: string;
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;

/** `user@host:port` optionally followed by the host's `SHA256:` fingerprints, separated by spaces. */
function hostLine(line: string, input: string): HostInput {
  const [target, ...fingerprints] = line.split(/\s+/);
  const parsed = parseSshTarget(target, input);
  for (const fp of fingerprints) {
    if (!FINGERPRINT.test(fp)) {
      throw new InputError(
        input,
        `Input "${input}": after ${target} only SHA256: fingerprints may follow (as ssh-keygen -lf prints them); got ${JSON.stringify(fp)}.`,
      );
    }
  }
  return { target: parsed, fingerprints };
}

export function getInputs(read = new InputReader()): Inputs {
  const sshKey = read.required('ssh-key', { secret: true });
  const passphrase = read.secret('passphrase');
  const hosts = read.list('hosts', { required: true }).map((line) => hostLine(line, 'hosts'));
  const jump = read.string('jump-host');
  const knownHosts = parseKnownHosts(read.string('known-hosts') ?? '');
  const insecure = read.boolean('insecure-skip-host-key-check', { default: false });
  const project = read.required('project');
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(project)) {
    throw new InputError(
      'project',
      `Input "project" must be a Compose project name (lower-case letters, digits, "_" and "-", starting with a letter or digit); got ${JSON.stringify(project)}.`,
    );
  }
  const remoteDir = read.string('remote-dir', { default: '.slipway' }).replace(/\/+$/, '');
  if (!/^[A-Za-z0-9._/-]+$/.test(remoteDir) || remoteDir.split('/').includes('..')) {
    throw new InputError(
      'remote-dir',
      `Input "remote-dir" must be a path of letters, digits and "._-/" without "..", relative to the SSH user's home or absolute; got ${JSON.stringify(remoteDir)}.`,
    );
  }
  const username = read.string('registry-username');
  const password = read.secret('registry-password');
  const registryHost = read.string('registry');
  if (registryHost && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(registryHost)) {
    throw new InputError(
      'registry',
      `Input "registry" must be a registry host such as ghcr.io or 123.dkr.ecr.eu-west-1.amazonaws.com; got ${JSON.stringify(registryHost)}.`,
    );
  }
  if ((username || password) && !(registryHost && username && password)) {
    throw new InputError(
      'registry',
      'Inputs "registry", "registry-username" and "registry-password" go together: give all three or none.',
    );
  }
  const inputs: Inputs = {
    hosts,
    sshKey,
    passphrase,
    knownHosts,
    insecureSkipHostKeyCheck: insecure,
    jumpHost: jump ? hostLine(jump, 'jump-host') : undefined,
    project,
    composeFiles: read.list('compose-file'),
    env: read.keyValues('env', { secret: true, keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/ }),
    images: read.keyValues('images', { keyPattern: SERVICE_NAME }),
    registry: registryHost && username && password ? { host: registryHost, username, password } : undefined,
    strategy: read.enumeration('strategy', ['rolling', 'recreate'] as const, { default: 'rolling' }),
    healthTimeoutMs: read.duration('health-timeout', { default: '2m', min: 1000, max: 3_600_000 }),
    healthChecks: read.keyValues('health-checks', { keyPattern: SERVICE_NAME }),
    drainMs: read.duration('drain-period', { default: '5s', min: 0, max: 600_000 }),
    preDeploy: read.string('pre-deploy'),
    preDeployService: read.string('pre-deploy-service'),
    postDeploy: read.string('post-deploy'),
    backup: read.string('backup'),
    lockTtlMs: read.duration('lock-ttl', { default: '30m', min: 10_000 }),
    lockWaitMs: read.duration('lock-wait', { default: '5m', min: 0 }),
    keepReleases: read.integer('keep-releases', { default: 5, min: 1, max: 100 }),
    maxParallel: read.integer('max-parallel', { default: 5, min: 1, max: 100 }),
    atomic: read.boolean('atomic', { default: true }),
    remoteDir,
    commandTimeoutMs: read.duration('command-timeout', { default: '10m', min: 1000 }),
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
  if (inputs.hosts.length === 0)
    throw new InputError('hosts', 'Input "hosts" is required: one user@host:port per line.');
  if (!insecure && knownHosts.length === 0 && hosts.some((h) => h.fingerprints.length === 0)) {
    throw new InputError(
      'known-hosts',
      'Host keys are verified: give "known-hosts" (the output of ssh-keyscan, checked) or a SHA256: fingerprint after each host in "hosts". insecure-skip-host-key-check exists for throw-away hosts only.',
    );
  }
  if (inputs.preDeployService && !inputs.preDeploy) {
    throw new InputError(
      'pre-deploy-service',
      'Input "pre-deploy-service" needs "pre-deploy" (the command to run in it).',
    );
  }
  return inputs;
}

/** The host-key policy of one host: known_hosts plus its own fingerprints, or nothing checked (warned). */
export function hostKeyPolicy(inputs: Inputs, host: HostInput): HostKeyPolicy {
  return {
    knownHosts: inputs.knownHosts,
    fingerprints: host.fingerprints,
    insecureSkip: inputs.insecureSkipHostKeyCheck,
  };
}
