import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';

/** A task definition as RegisterTaskDefinition takes it. */
export type TaskDefinitionInput = RegisterTaskDefinitionCommandInput;

/** Fields ECS sets and DescribeTaskDefinition returns, which RegisterTaskDefinition refuses. */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

/** Drops the read-only fields (and nothing else), so a described definition can be registered again. */
export function stripReadOnly(definition: TaskDefinition | Record<string, unknown>): TaskDefinitionInput {
  const copy: Record<string, unknown> = { ...definition };
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  return copy as unknown as TaskDefinitionInput;
}

// Values ECS fills in on registration; a file that leaves them out describes the same definition.
const CONTAINER_DEFAULTS: Record<string, unknown> = { essential: true, cpu: 0 };
const NAMED_LISTS = new Set(['environment', 'secrets', 'containerDefinitions', 'volumes', 'systemControls']);

/**
 * The form two definitions are compared in: read-only fields and tags dropped, empty lists, empty objects and
 * ECS's defaults removed, lists of named things sorted by name, port protocols defaulted, numbers that ECS keeps
 * as strings (task cpu and memory) made strings. Two definitions are the same deployment when these are equal.
 */
export function normalise(definition: TaskDefinition | TaskDefinitionInput): Record<string, unknown> {
  const base = stripReadOnly(definition as TaskDefinition) as unknown as Record<string, unknown>;
  delete base.tags;
  for (const key of ['cpu', 'memory']) if (typeof base[key] === 'number') base[key] = String(base[key]);
  const containers = (base.containerDefinitions as Array<Record<string, unknown>> | undefined) ?? [];
  base.containerDefinitions = containers.map((container) => {
    const copy = { ...container };
    for (const [key, value] of Object.entries(CONTAINER_DEFAULTS)) if (copy[key] === value) delete copy[key];
    if (Array.isArray(copy.portMappings)) {
      copy.portMappings = copy.portMappings.map((p: Record<string, unknown>) =>
        portMapping(p, base.networkMode),
      );
    }
    return copy;
  });
  return clean(base) as Record<string, unknown>;
}

/**
 * ECS fills in a port mapping's protocol (tcp) and its host port: 0 (dynamic) in bridge mode, the container
 * port in awsvpc and host mode. Left out or filled in, it is the same mapping.
 */
function portMapping(mapping: Record<string, unknown>, networkMode: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { protocol: 'tcp', ...mapping };
  const sameAsContainer = networkMode === 'awsvpc' || networkMode === 'host';
  if (copy.hostPort === 0 || (sameAsContainer && copy.hostPort === copy.containerPort)) delete copy.hostPort;
  return copy;
}

function clean(value: unknown, key = ''): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map((v) => clean(v)).filter((v) => v !== undefined);
    if (NAMED_LISTS.has(key)) items.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
    return items.length ? items : undefined;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, clean(v, k)] as const)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === null ? undefined : value;
}

const nameOf = (item: unknown): string => String((item as { name?: unknown })?.name ?? '');

/** True when two definitions would run the same thing. */
export function sameDefinition(
  a: TaskDefinition | TaskDefinitionInput,
  b: TaskDefinition | TaskDefinitionInput,
): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

export interface Change {
  path: string;
  before?: string;
  after?: string;
}

/**
 * What changed from `before` to `after`, one line per leaf: containers and named list items are addressed by
 * name (`containerDefinitions[web].environment[LOG_LEVEL].value`), so a reordering is not a change.
 */
export function diffDefinitions(
  before: TaskDefinition | TaskDefinitionInput | undefined,
  after: TaskDefinition | TaskDefinitionInput,
): Change[] {
  const left = before ? flatten(normalise(before)) : new Map<string, string>();
  const right = flatten(normalise(after));
  const changes: Change[] = [];
  for (const path of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    if (left.get(path) !== right.get(path))
      changes.push({ path, before: left.get(path), after: right.get(path) });
  }
  return changes;
}

function flatten(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const name = nameOf(item);
      flatten(item, `${path}[${name || i}]`, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'name' && /\]$/.test(path)) continue;
      flatten(v, path ? `${path}.${k}` : k, out);
    }
  } else {
    out.set(path, String(value));
  }
  return out;
}
