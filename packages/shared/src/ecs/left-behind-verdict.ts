import type { Service } from '@aws-sdk/client-ecs';
import type { DeploymentRecords, FinalState } from '../deployments/deployment-records';
import { describeEcsDeployment } from './ecs-deployment-state';

/** How a post step closes the GitHub Deployment its main step left in progress. */
export interface LeftBehindVerdict {
  state: FinalState;
  description: string;
}

/** Where the service's deployment of `arn` stands, in one line (the post step's log). */
export function standingOf(service: Service, arn: string): string {
  const ours = service.deployments?.find((d) => d.taskDefinition === arn);
  if (!ours) return `no deployment of ${arn} any more (the service runs ${service.taskDefinition}).`;
  return `ECS deployment ${ours.id} of ${arn} is ${ours.status} ${describeEcsDeployment(ours)}.`;
}

/**
 * What ECS decided for the deployments a stopped run left behind, each service's of the task definition `arnOf`
 * names: failure when any FAILED, success when every one is PRIMARY and COMPLETED; undefined while any is
 * undecided (or gone). `what` names them in the description (`the deployment of app:7`).
 */
export function ecsVerdict(
  services: Service[],
  arnOf: (service: string) => string | undefined,
  what: string,
): LeftBehindVerdict | undefined {
  const ours = services.map((s) =>
    s.deployments?.find((d) => d.taskDefinition === arnOf(s.serviceName ?? '')),
  );
  if (ours.some((d) => d?.rolloutState === 'FAILED'))
    return { state: 'failure', description: `ECS failed ${what}.` };
  if (ours.every((d) => d?.status === 'PRIMARY' && d.rolloutState === 'COMPLETED')) {
    return { state: 'success', description: `ECS completed ${what}.` };
  }
  return undefined;
}

/** Sets the GitHub Deployment `id` to the verdict; nothing without records or an id; only warns. */
export async function closeRecordLeftBehind(
  records: Pick<DeploymentRecords, 'finish'> | undefined,
  id: number | undefined,
  verdict: LeftBehindVerdict,
  say: { log: (line: string) => void; warning: (message: string) => void },
): Promise<void> {
  if (id === undefined || !records) return;
  try {
    await records.finish(id, verdict.state, { description: verdict.description });
    say.log(`GitHub Deployment ${id} set to ${verdict.state}: ${verdict.description}`);
  } catch (error) {
    say.warning(`Could not set GitHub Deployment ${id} to ${verdict.state} (${(error as Error).message}).`);
  }
}

/** Failure when the post step rolled back pauses left behind (rollBackPausesLeftBehind's answer), else undefined. */
export function pausesRolledBackVerdict(rolledBack: string[]): LeftBehindVerdict | undefined {
  if (!rolledBack.length) return undefined;
  return {
    state: 'failure',
    description: `The run stopped at or before a pause it answers (${rolledBack.join(', ')}); rolled back through ECS.`,
  };
}
