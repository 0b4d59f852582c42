import { invalidParameter, type Operation } from '../protocol';
import { findCluster, optionalString, requiredString, requireTaskDefinition } from './lookup';
import type { EcsState, Json, TaskRecord } from './model';
import { provisionTask } from './new-task';
import type { TaskRunner } from './task-runner';
import { taskView } from './tasks';

const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];

/**
 * RunTask: one-off tasks (a migration, a batch job) as real containers, with the container overrides applied
 * (command, environment, entryPoint is not overridable in ECS either). They belong to no service: `group` is
 * `family:<family>` unless given, and `watch()` stops each one when an essential container exits, as ECS does
 * (`EssentialContainerExited`, the container's exit code in DescribeTasks).
 */
export function runTaskOperations(state: EcsState, runner: TaskRunner): Record<string, Operation> {
  return {
    RunTask(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const definition = requireTaskDefinition(state, requiredString(input, 'taskDefinition'));
      if (definition.body.status !== 'ACTIVE') throw invalidParameter('TaskDefinition is inactive');
      const launchType = optionalString(input, 'launchType');
      if (launchType && !LAUNCH_TYPES.includes(launchType)) {
        throw invalidParameter(`launchType ${launchType} is not valid.`);
      }
      const strategy = input.capacityProviderStrategy as Json[] | undefined;
      if (launchType && strategy?.length) {
        throw invalidParameter(
          'Specifying both a launch type and capacity provider strategy is not supported.',
        );
      }
      const network = input.networkConfiguration as Json | undefined;
      if (definition.body.networkMode === 'awsvpc' && !network?.awsvpcConfiguration) {
        throw invalidParameter(
          "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        );
      }
      const count = Number(input.count ?? 1);
      if (!Number.isInteger(count) || count < 1 || count > 10)
        throw invalidParameter('count must be between 1 and 10.');
      const containers = definition.body.containerDefinitions as Json[];
      const overrides =
        ((input.overrides as Json | undefined)?.containerOverrides as Json[] | undefined) ?? [];
      for (const o of overrides) {
        if (!containers.some((c) => c.name === o.name)) {
          throw invalidParameter(
            `Override for container named ${o.name} is not a container in the TaskDefinition.`,
          );
        }
      }
      const effective = {
        ...definition,
        body: { ...definition.body, containerDefinitions: containers.map((c) => withOverride(c, overrides)) },
      };
      const tasks: TaskRecord[] = [];
      for (let i = 0; i < count; i++) {
        const task = provisionTask(state, cluster, definition, {
          group: optionalString(input, 'group') ?? `family:${definition.body.family}`,
          startedBy: optionalString(input, 'startedBy'),
          launchType: launchType ?? (strategy?.length ? 'FARGATE' : 'EC2'),
        });
        state.tasks.push(task);
        runner.launch(task, effective);
        tasks.push(task);
      }
      return { tasks: tasks.map((t) => taskView(t)), failures: [] };
    },
  };
}

function withOverride(container: Json, overrides: Json[]): Json {
  const o = overrides.find((x) => x.name === container.name);
  if (!o) return container;
  const environment = new Map(
    ((container.environment as Json[] | undefined) ?? []).map((e) => [String(e.name), e.value]),
  );
  for (const e of (o.environment as Json[] | undefined) ?? []) environment.set(String(e.name), e.value);
  return {
    ...container,
    ...(o.command ? { command: o.command } : {}),
    environment: [...environment].map(([name, value]) => ({ name, value })),
  };
}

/** Every tick: a one-off task whose essential container exited is stopped, with that container's exit code. */
export function watchOneOffTasks(state: EcsState, runner: TaskRunner, tickMs: number): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    const live = state.tasks.filter(
      (t) => !t.service && t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING',
    );
    for (const task of live) {
      await runner.refresh(task).catch(() => undefined);
      if (
        task.containers.some((c) => c.essential && c.lastStatus === 'STOPPED') &&
        task.desiredStatus === 'RUNNING'
      ) {
        runner.stop(task, 'EssentialContainerExited', 'Essential container in task exited');
      }
    }
  };
  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, tickMs);
    });
  };
  timer = setTimeout(loop, tickMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running.catch(() => undefined);
  };
}
