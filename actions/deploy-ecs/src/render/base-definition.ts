import { isAbsolute, relative } from 'node:path';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { type EcsApi, readWorkspaceText, UserError } from '@slipway/shared';
import { parse as parseYaml } from 'yaml';
import type { TaskDefinitionSource } from '../inputs';
import { sameDefinition, stripReadOnly, type TaskDefinitionInput } from './normalise';

/**
 * Reads a task definition file, JSON or YAML (JSON is YAML). The output of `aws ecs describe-task-definition`
 * (`{"taskDefinition": {...}}`) is accepted as it is. Called before any API call, so a bad file costs nothing.
 */
export function readTaskDefinitionFile(path: string): TaskDefinitionInput {
  // inputs.ts made the path absolute: one inside the workspace is read as the relative path it was, so its
  // links must stay inside; one outside was given as absolute, and is taken as meant.
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const rel = relative(workspace, path);
  const given = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  const text = readWorkspaceText('task-definition', given, { workspace });
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new UserError(`The task definition file ${path} is not valid JSON or YAML: ${reason}`);
  }
  const wrapped = parsed as { taskDefinition?: unknown } | null;
  const def = (
    wrapped && typeof wrapped === 'object' && 'taskDefinition' in wrapped ? wrapped.taskDefinition : parsed
  ) as Record<string, unknown> | undefined;
  const problem =
    !def || typeof def !== 'object' || Array.isArray(def)
      ? 'it is not an object'
      : typeof def.family !== 'string' || !def.family
        ? 'it has no "family"'
        : !Array.isArray(def.containerDefinitions) || def.containerDefinitions.length === 0
          ? 'it has no "containerDefinitions"'
          : (def.containerDefinitions as Array<{ name?: unknown }>).some((c) => typeof c?.name !== 'string')
            ? 'a container has no "name"'
            : undefined;
  if (problem) throw new UserError(`The task definition file ${path} is not a task definition: ${problem}.`);
  return stripReadOnly(def as Record<string, unknown>);
}

export interface BaseDefinition {
  definition: TaskDefinitionInput;
  /** Where it came from, for the log and the summary. */
  origin: string;
  /** The registered revision it is, when it came from ECS. */
  registered?: TaskDefinition;
}

export async function loadBase(
  source: TaskDefinitionSource,
  api: EcsApi,
  current: TaskDefinition | undefined,
  file?: TaskDefinitionInput,
): Promise<BaseDefinition> {
  if (source.kind === 'file') return { definition: file!, origin: `file ${source.path}` };
  if (source.kind === 'service') {
    if (!current)
      throw new UserError('The service has no task definition to start from: set "task-definition".');
    return {
      definition: stripReadOnly(current),
      origin: `the service's current ${current.taskDefinitionArn}`,
      registered: current,
    };
  }
  const registered = await api.describeTaskDefinition(source.ref);
  return {
    definition: stripReadOnly(registered),
    origin: registered.taskDefinitionArn ?? source.ref,
    registered,
  };
}

/** The latest ACTIVE revision of a family, or undefined when the family is new. */
export async function latestRevision(
  api: EcsApi,
  family: string | undefined,
): Promise<TaskDefinition | undefined> {
  return family ? api.findTaskDefinition(family) : undefined;
}

/**
 * The registered revision that already is `rendered`, among the candidates (the service's current, the base,
 * the family's latest), so that deploying an unchanged definition registers nothing.
 */
export function findEqualRevision(
  rendered: TaskDefinitionInput,
  candidates: ReadonlyArray<TaskDefinition | undefined>,
): TaskDefinition | undefined {
  return candidates.find(
    (c) =>
      c?.taskDefinitionArn &&
      c.status !== 'INACTIVE' &&
      c.status !== 'DELETE_IN_PROGRESS' &&
      sameDefinition(c, rendered),
  );
}
