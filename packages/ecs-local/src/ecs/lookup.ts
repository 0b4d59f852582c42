import { AwsError, invalidParameter } from '../protocol';
import type { ClusterRecord, EcsState, ServiceRecord, TaskDefinitionRecord } from './model';

// ARNs and the name-or-ARN lookups every operation shares, with the errors ECS gives when they miss.

export const arn = (state: EcsState, region: string, resource: string) =>
  `arn:aws:ecs:${region}:${state.accountId}:${resource}`;

/** The last part of an ARN's resource (`.../service/cluster/name` → `name`), or the name itself. */
export const nameOf = (nameOrArn: string) =>
  nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;

export function optionalString(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${key} must be a string.`);
  return value;
}

export function requiredString(input: Record<string, unknown>, key: string): string {
  const value = optionalString(input, key);
  if (!value) throw invalidParameter(`${key} can not be blank.`);
  return value;
}

/** The cluster named (or ARN'd) by `ref`; "default" exists without being created, as the console makes it. */
export function findCluster(state: EcsState, region: string, ref = 'default'): ClusterRecord {
  const name = nameOf(ref);
  const found = state.clusters.get(name);
  if (found) return found;
  if (name === 'default') return ensureCluster(state, region, 'default');
  throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
}

export function ensureCluster(state: EcsState, region: string, name: string, tags: unknown[] = []) {
  let cluster = state.clusters.get(name);
  if (!cluster) {
    cluster = {
      arn: arn(state, region, `cluster/${name}`),
      name,
      region,
      tags: tags as ClusterRecord['tags'],
      settings: [{ name: 'containerInsights', value: 'disabled' }],
    };
    state.clusters.set(name, cluster);
  }
  return cluster;
}

export function findService(state: EcsState, cluster: ClusterRecord, ref: string): ServiceRecord | undefined {
  const name = nameOf(ref);
  const matches = state.services.filter((s) => s.cluster === cluster && s.name === name);
  return matches.find((s) => s.status !== 'INACTIVE') ?? matches.at(-1);
}

export function activeService(state: EcsState, cluster: ClusterRecord, ref: string): ServiceRecord {
  const service = findService(state, cluster, ref);
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
  return service;
}

/**
 * A task definition by ARN, `family:revision` or `family` (the latest ACTIVE revision), as
 * DescribeTaskDefinition, CreateService and UpdateService accept it.
 */
export function resolveTaskDefinition(state: EcsState, ref: string): TaskDefinitionRecord | undefined {
  const text = ref.startsWith('arn:') ? ref.slice(ref.indexOf('task-definition/') + 16) : ref;
  const [family, revision] = text.split(':');
  const revisions = state.taskDefinitions.get(family) ?? [];
  if (revision !== undefined) return revisions.find((r) => String(r.body.revision) === revision);
  return revisions.filter((r) => r.body.status === 'ACTIVE').at(-1);
}

export function requireTaskDefinition(state: EcsState, ref: string): TaskDefinitionRecord {
  const found = resolveTaskDefinition(state, ref);
  if (!found) throw new AwsError('ClientException', 'Unable to describe task definition.');
  return found;
}

/** ECS list pagination: an opaque token (here the next offset) and a per-call maximum. */
export function paginate<T>(items: T[], input: Record<string, unknown>, defaultMax = 100) {
  const max = Number(input.maxResults ?? defaultMax);
  const start = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid nextToken.');
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
  return { page, nextToken: next };
}

/**
 * The Describe* pattern: a list of names or ARNs (at most `max`), answered with what was found and a
 * `MISSING` failure for each one that was not.
 */
export function describeEach(
  input: Record<string, unknown>,
  key: string,
  max: number,
  describe: (ref: string) => Record<string, unknown> | undefined,
  missingArn: (ref: string) => string = (ref) => ref,
) {
  const refs = input[key];
  if (!Array.isArray(refs) || refs.length === 0) throw invalidParameter(`${key} can not be empty.`);
  if (refs.length > max) throw invalidParameter(`${key} can have at most ${max} items.`);
  const found: Record<string, unknown>[] = [];
  const failures: Record<string, unknown>[] = [];
  for (const ref of refs.map(String)) {
    const view = describe(ref);
    if (view) found.push(view);
    else failures.push({ arn: missingArn(ref), reason: 'MISSING' });
  }
  return { found, failures };
}
