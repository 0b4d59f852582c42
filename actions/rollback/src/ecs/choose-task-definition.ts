import type { Service } from '@aws-sdk/client-ecs';
import { UserError } from '@slipway/shared';
import type { PastDeployment } from './service-deployments';

/** What one service is rolled away from and back to, as ECS alone tells it (no deployment records). */
export interface EcsChoice {
  /** The task definition of the service's newest deployment: the one rolled away from. */
  from: string;
  /** The task definition of the newest SUCCESSFUL deployment before it that deployed another one. */
  to: string;
}

/**
 * Without deployment records, ECS's own memory decides: the newest deployment (in flight, failed, rolled back
 * or completed) is what is rolled away from; the newest deployment that ECS reports SUCCESSFUL with another task
 * definition is what is restored. Never "revision minus one": revisions that never ran successfully are skipped.
 * Where ListServiceDeployments is not offered, DescribeServices' COMPLETED deployments are all there is.
 */
export function chooseFromEcs(service: Service, past: PastDeployment[] | undefined): EcsChoice {
  const choice = findInEcsHistory(service, past);
  if (choice) return choice;
  throw new UserError(
    `Nothing to roll back to: ${nothingInEcs(service)}, and there are no deployment records (see the notice ` +
      'above). Name the task definition to restore with "to".',
  );
}

/** ECS's choice for one service (see chooseFromEcs), or undefined when ECS remembers nothing to go back to. */
export function findInEcsHistory(
  service: Service,
  past: PastDeployment[] | undefined,
): EcsChoice | undefined {
  if (past) {
    const from = past[0]?.taskDefinition ?? service.taskDefinition;
    const to = past.find((d) => d.status === 'SUCCESSFUL' && d.taskDefinition && d.taskDefinition !== from);
    if (from && to?.taskDefinition) return { from, to: to.taskDefinition };
    return undefined;
  }
  const newest = [...(service.deployments ?? [])].sort(
    (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
  );
  const from = newest[0]?.taskDefinition ?? service.taskDefinition;
  const to = newest.find((d) => d.rolloutState === 'COMPLETED' && d.taskDefinition !== from);
  return from && to?.taskDefinition ? { from, to: to.taskDefinition } : undefined;
}

/** "ECS remembers no successful deployment of web with a task definition other than …". */
export function nothingInEcs(service: Service): string {
  return (
    `ECS remembers no successful deployment of ${service.serviceName ?? '?'} with a task definition other ` +
    `than ${service.taskDefinition ?? 'the current one'}`
  );
}
