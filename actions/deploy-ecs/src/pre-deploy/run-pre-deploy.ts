import type { RunTaskCommandInput, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { formatDuration, sleep as realSleep, redactText, UserError } from '@slipway/shared';
import type { LogStream, LogsReader } from './logs-reader';
import type { PreDeploySettings } from './pre-deploy-inputs';
import type { OneOffTaskApi } from './task-api';

/** How the pre-deploy task ended, for the outputs, the summary and the step's verdict. */
export interface PreDeployResult {
  status: 'succeeded' | 'failed' | 'timed-out';
  container: string;
  command: string[];
  taskArn?: string;
  exitCode?: number;
  stopCode?: string;
  stoppedReason?: string;
  /** Why it failed, in words (empty when it succeeded). */
  reason: string;
  /** The last lines it wrote (CloudWatch Logs), or undefined when its container does not use awslogs. */
  lastLines?: string[];
  logs?: LogStream;
  durationMs: number;
}

export interface PreDeployContext {
  cluster: string;
  region: string;
  pollIntervalMs: number;
  log: (line: string) => void;
  /** Told the task's ARN as soon as it runs (the post step stops it when the run is cancelled). */
  started?: (taskArn: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const LAST_LINES = 30;
const STARTED_BY = 'slipway-pre-deploy';

/** The container the command runs in; a missing one is an input error, found before anything is called. */
export function preDeployContainer(definition: TaskDefinition, settings: PreDeploySettings): string {
  const containers = definition.containerDefinitions ?? [];
  if (settings.container) {
    if (containers.some((c) => c.name === settings.container)) return settings.container;
    throw new UserError(
      `Input "pre-deploy-container" names ${settings.container}, which is not a container of the task definition ` +
        `(${containers.map((c) => c.name).join(', ')}).`,
    );
  }
  const chosen = containers.length === 1 ? containers[0] : containers.find((c) => c.essential !== false);
  if (!chosen?.name)
    throw new UserError('Set "pre-deploy-container": the task definition has no essential container.');
  return chosen.name;
}

/** RunTask's input: the new revision once, the service's network and capacity unless the inputs say otherwise. */
export function runTaskInput(
  settings: PreDeploySettings,
  container: string,
  taskDefinitionArn: string,
  cluster: string,
  service: Service,
): RunTaskCommandInput {
  const given = (settings.overrides.containerOverrides as Array<Record<string, unknown>> | undefined) ?? [];
  const mine = given.find((o) => o.name === container) ?? {};
  const containerOverrides = [
    ...given.filter((o) => o !== mine),
    { ...mine, name: container, command: settings.command },
  ];
  const capacity = settings.launchType
    ? { launchType: settings.launchType }
    : service.capacityProviderStrategy?.length
      ? { capacityProviderStrategy: service.capacityProviderStrategy }
      : service.launchType
        ? { launchType: service.launchType }
        : {};
  const network = settings.networkConfiguration ?? service.networkConfiguration;
  return {
    cluster,
    taskDefinition: taskDefinitionArn,
    count: 1,
    startedBy: STARTED_BY,
    ...(capacity as Pick<RunTaskCommandInput, 'launchType' | 'capacityProviderStrategy'>),
    ...(service.platformVersion && !settings.launchType ? { platformVersion: service.platformVersion } : {}),
    ...(network ? { networkConfiguration: network as RunTaskCommandInput['networkConfiguration'] } : {}),
    overrides: { ...settings.overrides, containerOverrides } as RunTaskCommandInput['overrides'],
  };
}

/** Where the container's awslogs driver writes (ECS's stream name: prefix/container/task id). */
export function logStreamOf(
  definition: TaskDefinition,
  container: string,
  taskArn: string,
  region: string,
): LogStream | undefined {
  const config = definition.containerDefinitions?.find((c) => c.name === container)?.logConfiguration;
  const options = config?.options ?? {};
  if (config?.logDriver !== 'awslogs' || !options['awslogs-group'] || !options['awslogs-stream-prefix'])
    return undefined;
  return {
    group: options['awslogs-group'],
    stream: `${options['awslogs-stream-prefix']}/${container}/${taskArn.split('/').pop()}`,
    region: options['awslogs-region'] ?? region,
  };
}

/**
 * Runs the pre-deploy command once in a task of the new revision and follows it to its end: its logs streamed
 * from CloudWatch Logs as they come, StopTask at `pre-deploy-timeout`. It succeeds only when the container
 * exited 0 and ECS stopped the task for that reason.
 */
export async function runPreDeploy(
  api: OneOffTaskApi,
  logs: () => Promise<LogsReader>,
  settings: PreDeploySettings,
  target: { definition: TaskDefinition; service: Service },
  ctx: PreDeployContext,
): Promise<PreDeployResult> {
  const now = ctx.now ?? Date.now;
  const sleep = ctx.sleep ?? realSleep;
  const start = now();
  const container = preDeployContainer(target.definition, settings);
  const arn = target.definition.taskDefinitionArn!;
  const input = runTaskInput(settings, container, arn, ctx.cluster, target.service);
  // A command or a log line may hold a connection URL with its password: user information is masked, as are
  // registered secrets, wherever they are shown.
  ctx.log(
    `Pre-deploy: running ${redactText(JSON.stringify(settings.command))} in container ${container} of ${arn.split('/').pop()}.`,
  );
  const task = await api.runTask(input);
  const taskArn = task.taskArn!;
  ctx.started?.(taskArn);
  const where = logStreamOf(target.definition, container, taskArn, ctx.region);
  ctx.log(
    where
      ? `Pre-deploy task ${taskArn}: logs from CloudWatch Logs ${where.group} ${where.stream}.`
      : `Pre-deploy task ${taskArn}: its container does not log to CloudWatch Logs (awslogs with a stream prefix); its output is not shown here.`,
  );
  const reader = where ? await logs() : undefined;
  const lines: string[] = [];
  let token: string | undefined;
  const readLogs = async () => {
    if (!reader || !where) return;
    for (let page = 0; page < 100; page++) {
      const out = await reader.read(where, token).catch((error: Error) => {
        ctx.log(`Pre-deploy: could not read its logs (${error.message}).`);
        return { lines: [], token };
      });
      const shown = out.lines.map(redactText);
      for (const line of shown) ctx.log(`[pre-deploy] ${line}`);
      lines.push(...shown);
      if (lines.length > LAST_LINES) lines.splice(0, lines.length - LAST_LINES);
      const moved = out.token !== token;
      token = out.token;
      if (!out.lines.length || !moved) break;
    }
  };
  const deadline = start + settings.timeoutMs;
  let current: Task | undefined = task;
  let timedOut = false;
  try {
    while (current?.lastStatus !== 'STOPPED') {
      if (!timedOut && now() >= deadline) {
        timedOut = true;
        ctx.log(
          `Pre-deploy: pre-deploy-timeout (${formatDuration(settings.timeoutMs)}) reached; stopping the task.`,
        );
        await api.stopTask(
          ctx.cluster,
          taskArn,
          `Slipway: pre-deploy-timeout (${formatDuration(settings.timeoutMs)}) reached`,
        );
      }
      await readLogs();
      await sleep(ctx.pollIntervalMs);
      current = await api.describeTask(ctx.cluster, taskArn);
      if (!current) break; // ECS no longer knows it (MISSING): it failed, with no exit code to tell
      if (timedOut && now() >= deadline + 5 * 60_000) break; // ECS did not stop it in 5 minutes: stop waiting
    }
    await readLogs();
  } finally {
    reader?.close();
  }
  const exited = current?.containers?.find((c) => c.name === container);
  const result = {
    container,
    command: settings.command,
    taskArn,
    exitCode: exited?.exitCode,
    stopCode: current?.stopCode,
    stoppedReason: current?.stoppedReason,
    lastLines: reader ? lines : undefined,
    logs: where,
    durationMs: now() - start,
  };
  if (timedOut) {
    return {
      ...result,
      status: 'timed-out',
      reason: `the pre-deploy task did not finish within pre-deploy-timeout (${formatDuration(settings.timeoutMs)}); it was stopped`,
    };
  }
  if (exited?.exitCode === 0 && current?.stopCode === 'EssentialContainerExited') {
    return { ...result, status: 'succeeded', reason: '' };
  }
  const why = [
    exited?.exitCode !== undefined ? `exit code ${exited.exitCode}` : 'no exit code',
    current?.stopCode ? `${current.stopCode}: ${current.stoppedReason ?? ''}`.trim() : undefined,
    exited?.reason,
  ].filter(Boolean);
  return { ...result, status: 'failed', reason: `the pre-deploy task failed (${why.join('; ')})` };
}
