import type { Task } from '@aws-sdk/client-ecs';
import type { EcsApi } from './ecs-api';

/** Why a task stopped, as ECS tells it: what a failed deploy's log most needs. */
export interface StoppedTask {
  taskArn: string;
  taskDefinitionArn?: string;
  stopCode?: string;
  stoppedReason?: string;
  containers: Array<{ name: string; exitCode?: number; reason?: string; health?: string }>;
}

const LIMIT = 10;

/**
 * The stopped tasks of the service that our deployment started (ECS sets `startedBy` to the deployment id);
 * all recently stopped tasks of the service when none carries it. Reporting never fails the step: if ECS
 * will not tell, the deploy's own outcome still stands.
 */
export async function summariseStoppedTasks(
  api: EcsApi,
  cluster: string,
  service: string,
  deploymentId: string | undefined,
): Promise<StoppedTask[]> {
  let tasks: Task[];
  try {
    tasks = await api.stoppedTasks(cluster, service, LIMIT * 5);
  } catch {
    return [];
  }
  const ours = tasks.filter((t) => deploymentId && t.startedBy === deploymentId);
  return (ours.length ? ours : tasks)
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
    .slice(0, LIMIT)
    .map(toStoppedTask);
}

function toStoppedTask(task: Task): StoppedTask {
  return {
    taskArn: task.taskArn ?? '?',
    taskDefinitionArn: task.taskDefinitionArn,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    containers: (task.containers ?? []).map((c) => ({
      name: c.name ?? '?',
      exitCode: c.exitCode,
      reason: c.reason,
      health: c.healthStatus,
    })),
  };
}

/** One line per task, with its containers' exit codes and reasons. */
export function formatStoppedTask(task: StoppedTask): string {
  const id = task.taskArn.split('/').pop();
  const containers = task.containers
    .map((c) => {
      const exit = c.exitCode === undefined ? '' : ` exit ${c.exitCode}`;
      const health = c.health && c.health !== 'UNKNOWN' ? ` ${c.health}` : '';
      return `${c.name}:${exit}${health}${c.reason ? ` (${c.reason})` : ''}`;
    })
    .join('; ');
  return `task ${id}: ${task.stopCode ?? 'stopped'} - ${task.stoppedReason ?? 'no reason given'}${containers ? ` | ${containers}` : ''}`;
}
