import { InputError, type InputReader } from '@slipway/shared';

/** `pre-deploy-*`: a one-off task of the new revision, run once before any service changes. */
export interface PreDeploySettings {
  /** The container's command, in exec form (a plain string runs under `sh -c`). */
  command: string[];
  /** The container the command replaces the command of (default: the only, else the first essential one). */
  container?: string;
  /** More of RunTask's `overrides` (environment, cpu, memory, taskRoleArn, ...), as the AWS CLI takes them. */
  overrides: Record<string, unknown>;
  /** RunTask's `networkConfiguration`; default the service's. */
  networkConfiguration?: Record<string, unknown>;
  /** RunTask's `launchType`; default the service's launch type or capacity provider strategy. */
  launchType?: string;
  timeoutMs: number;
}

/** `backup`: RDS snapshots of these instances and clusters, taken before anything changes. */
export interface BackupSettings {
  targets: Array<{ kind: 'instance' | 'cluster'; id: string }>;
  timeoutMs: number;
  keep: number;
}

const CONTAINER = /^[A-Za-z0-9_-]{1,255}$/;
const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;
// RDS: 1 to 63 letters, digits or hyphens; a letter first; no hyphen last, nor two in a row.
const RDS_ID = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/;
const OVERRIDE_KEYS = new Set([
  'containerOverrides',
  'cpu',
  'memory',
  'ephemeralStorage',
  'executionRoleArn',
  'taskRoleArn',
  'inferenceAcceleratorOverrides',
]);

export function readPreDeploy(read: InputReader): PreDeploySettings | undefined {
  const raw = read.string('pre-deploy-command');
  const timeoutMs = read.duration('pre-deploy-timeout', { default: '30m', min: 1000, max: 6 * 3_600_000 });
  const container = read.string('pre-deploy-container');
  const overrides = jsonObject(
    'pre-deploy-overrides',
    read.string('pre-deploy-overrides'),
    '{"taskRoleArn":"arn:aws:iam::123456789012:role/migrate"}',
  );
  const network = jsonObject(
    'pre-deploy-network-configuration',
    read.string('pre-deploy-network-configuration'),
    '{"awsvpcConfiguration":{"subnets":["subnet-1"],"securityGroups":["sg-1"]}}',
  );
  const launchType = read.string('pre-deploy-launch-type');
  if (launchType && !(LAUNCH_TYPES as readonly string[]).includes(launchType)) {
    throw new InputError(
      'pre-deploy-launch-type',
      `Input "pre-deploy-launch-type" must be one of ${LAUNCH_TYPES.join(', ')}; got ${JSON.stringify(launchType)}.`,
    );
  }
  if (container && !CONTAINER.test(container)) {
    throw new InputError(
      'pre-deploy-container',
      `Input "pre-deploy-container" must be a container name of the task definition (letters, digits, - and _); got ${JSON.stringify(container)}.`,
    );
  }
  if (!raw) {
    const given = [
      ['pre-deploy-container', container],
      ['pre-deploy-overrides', overrides],
      ['pre-deploy-network-configuration', network],
      ['pre-deploy-launch-type', launchType],
    ].find(([, v]) => v !== undefined);
    if (given) {
      throw new InputError(
        String(given[0]),
        `Input "${given[0]}" needs "pre-deploy-command" (the command to run).`,
      );
    }
    return undefined;
  }
  if (overrides?.containerOverrides !== undefined && !Array.isArray(overrides.containerOverrides)) {
    throw new InputError(
      'pre-deploy-overrides',
      'Input "pre-deploy-overrides": containerOverrides must be a list.',
    );
  }
  const unknown = Object.keys(overrides ?? {}).filter((k) => !OVERRIDE_KEYS.has(k));
  if (unknown.length) {
    throw new InputError(
      'pre-deploy-overrides',
      `Input "pre-deploy-overrides" takes RunTask's overrides (${[...OVERRIDE_KEYS].join(', ')}); ${unknown.join(', ')} is not one.`,
    );
  }
  return {
    command: commandOf(raw),
    container,
    overrides: overrides ?? {},
    networkConfiguration: network,
    launchType,
    timeoutMs,
  };
}

/** A JSON array of strings is the exec form (as in a Dockerfile); anything else runs under `sh -c`. */
function commandOf(raw: string): string[] {
  const text = raw.trim();
  if (!text.startsWith('[')) return ['sh', '-c', raw];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.length || !parsed.every((p) => typeof p === 'string')) {
    throw new InputError(
      'pre-deploy-command',
      'Input "pre-deploy-command" that starts with "[" must be a JSON list of strings (exec form), ' +
        'e.g. ["bin/migrate","--up"]; write a plain command to run it under sh -c.',
    );
  }
  return parsed;
}

function jsonObject(
  name: string,
  raw: string | undefined,
  example: string,
): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(name, `Input "${name}" must be a JSON object, e.g. ${example}.`);
  }
  return parsed as Record<string, unknown>;
}

export function readBackup(read: InputReader): BackupSettings | undefined {
  const lines = read.list('backup');
  const timeoutMs = read.duration('backup-timeout', { default: '30m', min: 1000, max: 6 * 3_600_000 });
  const keep = read.integer('keep-backups', { default: 5, min: 1, max: 100 });
  if (!lines.length) return undefined;
  const seen = new Set<string>();
  const targets = lines.map((line) => {
    const match = /^(instance|cluster):(.*)$/.exec(line);
    if (!match || !RDS_ID.test(match[2]) || match[2].endsWith('-')) {
      throw new InputError(
        'backup',
        'Input "backup" takes instance:<DB instance id> or cluster:<Aurora cluster id> lines (ids of 1 to 63 ' +
          'letters, digits or hyphens, a letter first, no hyphen last nor two in a row), e.g. instance:orders-db; ' +
          `got ${JSON.stringify(line)}.`,
      );
    }
    if (seen.has(line)) throw new InputError('backup', `Input "backup" names ${line} twice.`);
    seen.add(line);
    return { kind: match[1] as 'instance' | 'cluster', id: match[2] };
  });
  return { targets, timeoutMs, keep };
}
