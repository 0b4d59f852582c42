import type { Service } from '@aws-sdk/client-ecs';
import type { PastDeployment } from './service-deployments';

/** What one service is rolled away from and back to, as ECS alone tells it (no deployment records). */
export interface EcsChoice {
  /** The task definition of the service's newest deployment: the one rolled away from. */
  from: string;
  /** The task definition of the newest SUCCESSFUL deployment before it that deployed another one. */
  to: string;
}

/**
 * What ECS's own memory offers for one service: its newest deployment (in flight, failed, rolled back or
 * completed) is what is rolled away from; the task definitions of the deployments ECS reports SUCCESSFUL with
 * another one, newest first, each once, are the candidates to restore. Never "revision minus one": revisions
 * that never ran successfully are not candidates. Where ListServiceDeployments is not offered,
 * DescribeServices' COMPLETED deployments are all there is.
 */
export function ecsCandidates(
  service: Service,
  past: PastDeployment[] | undefined,
): { from?: string; candidates: string[] } {
  if (past) {
    const from = past[0]?.taskDefinition ?? service.taskDefinition;
    const ok = past.filter((d) => d.status === 'SUCCESSFUL').map((d) => d.taskDefinition);
    return { from, candidates: others(ok, from) };
  }
  const newest = [...(service.deployments ?? [])].sort(
    (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
  );
  const from = newest[0]?.taskDefinition ?? service.taskDefinition;
  const ok = newest.filter((d) => d.rolloutState === 'COMPLETED').map((d) => d.taskDefinition);
  return { from, candidates: others(ok, from) };
}

const others = (arns: Array<string | undefined>, from: string | undefined): string[] => [
  ...new Set(arns.filter((a): a is string => Boolean(a) && a !== from)),
];

/** "ECS remembers no successful deployment of web with a task definition other than …". */
export function nothingInEcs(service: Service): string {
  return (
    `ECS remembers no successful deployment of ${service.serviceName ?? '?'} with a task definition other ` +
    `than ${service.taskDefinition ?? 'the current one'}`
  );
}
