import { InputError } from '../errors';
import type { InputReader } from '../inputs';
import * as core from '../runner-commands';
import type { HostKeyPolicy } from '../ssh/host-key-policy';
import { type KnownHostEntry, parseKnownHosts } from '../ssh/known-hosts';
import type { SshConnectOptions } from '../ssh/ssh-connect';
import { parseSshTarget, type SshTarget } from '../ssh/ssh-target';
import type { FleetOptions } from './fleet-deploy';
import { checkKnownHosts, checkSshKey, refuseDuplicateHosts } from './ssh-credentials';

export interface HostInput {
  target: SshTarget;
  fingerprints: string[];
}

/** The hosts, SSH and fleet inputs that deploy-compose and rollback both take, under the same names. */
export interface FleetInputs {
  hosts: HostInput[];
  sshKey: string;
  passphrase?: string;
  knownHosts: KnownHostEntry[];
  insecureSkipHostKeyCheck: boolean;
  jumpHost?: HostInput;
  project: string;
  remoteDir: string;
  registry?: { host: string; username: string; password: string };
  strategy: 'rolling' | 'recreate' | 'blue-green' | 'canary';
  drainMs: number;
  lockTtlMs: number;
  lockWaitMs: number;
  keepReleases: number;
  maxParallel: number;
  commandTimeoutMs: number;
}

/**
 * How often the host scripts look again at what they wait for (health, the upstream ports, the entry point): a
 * container's health check flips at its own interval, so a long poll only adds to every deploy (on average half
 * of it: at 250 ms, a rolling step spent ~130 ms noticing the new container was healthy). A look is one
 * `docker inspect` (~12 ms) per container waited for.
 */
const POLL_MS = 100;

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

/**
 * Reads and checks the hosts, SSH and fleet inputs (each action's own `getInputs` calls it with its reader), so
 * deploy-compose and rollback accept and refuse the same values with the same messages.
 */
export function getFleetInputs(
  read: InputReader,
  strategies: readonly FleetInputs['strategy'][] = ['rolling', 'recreate'],
): FleetInputs {
  const sshKey = read.required('ssh-key', { secret: true });
  const passphrase = read.secret('passphrase');
  checkSshKey(sshKey, passphrase);
  const hosts = read.list('hosts', { required: true }).map((line) => hostLine(line, 'hosts'));
  refuseDuplicateHosts(hosts.map((h) => h.target));
  const jump = read.string('jump-host');
  const knownHostsText = read.string('known-hosts') ?? '';
  checkKnownHosts(knownHostsText);
  const knownHosts = parseKnownHosts(knownHostsText);
  const insecure = read.boolean('insecure-skip-host-key-check', { default: false });
  const project = read.required('project');
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(project)) {
    throw new InputError(
      'project',
      `Input "project" must be a Compose project name (lower-case letters, digits, "_" and "-", starting with a letter or digit); got ${JSON.stringify(project)}.`,
    );
  }
  const remoteDir = read.string('remote-dir', { default: '.slipway' }).replace(/\/+$/, '');
  const segments = remoteDir.split('/');
  if (
    !/^[A-Za-z0-9._/-]+$/.test(remoteDir) ||
    segments.includes('..') ||
    segments.some((s) => s.startsWith('-'))
  ) {
    throw new InputError(
      'remote-dir',
      `Input "remote-dir" must be a path of letters, digits and "._-/" without "..", no part of it starting with "-" (it would read as an option), relative to the SSH user's home or absolute; got ${JSON.stringify(remoteDir)}.`,
    );
  }
  const username = read.string('registry-username');
  const password = read.secret('registry-password');
  const registryHost = read.string('registry');
  if (registryHost && !/^[A-Za-z0-9][A-Za-z0-9.-]*(:\d+)?$/.test(registryHost)) {
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
  if (hosts.length === 0)
    throw new InputError('hosts', 'Input "hosts" is required: one user@host:port per line.');
  if (!insecure && knownHosts.length === 0 && hosts.some((h) => h.fingerprints.length === 0)) {
    throw new InputError(
      'known-hosts',
      'Host keys are verified: give "known-hosts" (the output of ssh-keyscan, checked) or a SHA256: fingerprint after each host in "hosts". insecure-skip-host-key-check exists for throw-away hosts only.',
    );
  }
  return {
    hosts,
    sshKey,
    passphrase,
    knownHosts,
    insecureSkipHostKeyCheck: insecure,
    jumpHost: jump ? hostLine(jump, 'jump-host') : undefined,
    project,
    remoteDir,
    registry: registryHost && username && password ? { host: registryHost, username, password } : undefined,
    strategy: read.enumeration('strategy', strategies, { default: 'rolling' }),
    drainMs: read.duration('drain-period', { default: '5s', min: 0, max: 600_000 }),
    lockTtlMs: read.duration('lock-ttl', { default: '30m', min: 10_000 }),
    lockWaitMs: read.duration('lock-wait', { default: '5m', min: 0 }),
    keepReleases: read.integer('keep-releases', { default: 5, min: 1, max: 100 }),
    maxParallel: read.integer('max-parallel', { default: 5, min: 1, max: 100 }),
    commandTimeoutMs: read.duration('command-timeout', { default: '10m', min: 1000 }),
  };
}

/** The host-key policy of one host: known_hosts plus its own fingerprints, or nothing checked (warned). */
export function hostKeyPolicy(inputs: FleetInputs, host: HostInput): HostKeyPolicy {
  return {
    knownHosts: inputs.knownHosts,
    fingerprints: host.fingerprints,
    insecureSkip: inputs.insecureSkipHostKeyCheck,
  };
}

/** How to reach one host of the fleet (through the jump host, if any). */
export function connectOptions(inputs: FleetInputs, host: HostInput): SshConnectOptions {
  return {
    target: host.target,
    privateKey: inputs.sshKey,
    passphrase: inputs.passphrase,
    hostKeys: hostKeyPolicy(inputs, host),
    jump: inputs.jumpHost && {
      target: inputs.jumpHost.target,
      hostKeys: hostKeyPolicy(inputs, inputs.jumpHost),
    },
    log: (message) => core.info(message),
  };
}

/** The project's folder on every host: `remote-dir`/`project`. */
export const projectFolder = (inputs: Pick<FleetInputs, 'remoteDir' | 'project'>) =>
  `${inputs.remoteDir}/${inputs.project}`;

/**
 * The fleet options from the inputs: atomic, without hooks (deploy-compose adds its own). `healthTimeoutMs` is
 * each action's own input (container-health-timeout in both).
 */
export function fleetOptions(
  inputs: FleetInputs & { healthTimeoutMs: number },
  env: NodeJS.ProcessEnv,
  runUrl: string,
): FleetOptions {
  return {
    project: inputs.project,
    dir: projectFolder(inputs),
    strategy: inputs.strategy,
    timings: { healthTimeoutMs: inputs.healthTimeoutMs, drainMs: inputs.drainMs, pollMs: POLL_MS },
    registry: inputs.registry,
    hooks: {},
    commandTimeoutMs: inputs.commandTimeoutMs,
    keepReleases: inputs.keepReleases,
    maxParallel: inputs.maxParallel,
    atomic: true,
    lock: {
      owner: env.GITHUB_ACTOR ?? 'unknown',
      runUrl,
      ttlMs: inputs.lockTtlMs,
      waitMs: inputs.lockWaitMs,
    },
    log: (message) => core.info(message),
    warn: (message) => core.warning(message),
    notice: (message) => core.notice(message),
  };
}
