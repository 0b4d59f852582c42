import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { InputError } from '@slipway/shared';
import type { ContainerSetting, Inputs } from '../inputs';
import { stripReadOnly, type TaskDefinitionInput } from './normalise';

/** The parts of the inputs that change a task definition. */
export type Overrides = Pick<
  Inputs,
  'images' | 'environment' | 'secrets' | 'dockerLabels' | 'cpu' | 'memory'
>;

/**
 * The definition to deploy: the base without its read-only fields, with the images, environment and secrets
 * upserts, docker labels and cpu/memory overrides applied. The base is not modified.
 */
export function renderTaskDefinition(base: TaskDefinitionInput, overrides: Overrides): TaskDefinitionInput {
  const def = structuredClone(stripReadOnly(base));
  const containers = def.containerDefinitions ?? [];
  const find = (input: string, name: string | undefined): ContainerDefinition => {
    if (name === undefined) {
      if (containers.length === 1) return containers[0];
      throw new InputError(
        input,
        `Input "${input}" must name the container (container:KEY=VALUE): the task definition has ` +
          `${containers.length} containers (${names(containers)}).`,
      );
    }
    const found = containers.find((c) => c.name === name);
    if (found) return found;
    throw new InputError(
      input,
      `Input "${input}" names the container ${JSON.stringify(name)}, which the task definition ` +
        `${JSON.stringify(def.family)} does not have; it has ${names(containers) || 'no containers'}.`,
    );
  };

  for (const { container, image } of overrides.images) find('images', container).image = image;
  for (const s of overrides.environment) upsert(find('environment', s.container), 'environment', s, 'value');
  for (const s of overrides.secrets) upsert(find('secrets', s.container), 'secrets', s, 'valueFrom');
  for (const s of overrides.dockerLabels) {
    const c = find('docker-labels', s.container);
    c.dockerLabels = { ...c.dockerLabels, [s.key]: s.value };
  }
  for (const { container, value } of overrides.cpu.containers) find('cpu', container).cpu = value;
  for (const { container, value } of overrides.memory.containers) find('memory', container).memory = value;
  if (overrides.cpu.task !== undefined) def.cpu = String(overrides.cpu.task);
  if (overrides.memory.task !== undefined) def.memory = String(overrides.memory.task);
  return def;
}

/** Replaces the entry of that name, or appends one: order of the rest is kept. */
function upsert(
  container: ContainerDefinition,
  list: 'environment' | 'secrets',
  setting: ContainerSetting,
  field: 'value' | 'valueFrom',
): void {
  const entries: Array<{ name?: string; value?: string; valueFrom?: string }> = container[list] ?? [];
  const entry = { name: setting.key, [field]: setting.value };
  const index = entries.findIndex((e) => e.name === setting.key);
  if (index >= 0) entries[index] = entry;
  else entries.push(entry);
  (container as Record<string, unknown>)[list] = entries;
}

const names = (containers: ContainerDefinition[]) => containers.map((c) => c.name).join(', ');

/** The images the definition runs, per container, for the log and the summary. */
export function imagesOf(def: TaskDefinitionInput): Array<{ container: string; image: string }> {
  return (def.containerDefinitions ?? []).map((c) => ({ container: c.name ?? '?', image: c.image ?? '?' }));
}
