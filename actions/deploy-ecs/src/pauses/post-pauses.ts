import type { Service } from '@aws-sdk/client-ecs';
import type { EcsApi } from '@slipway/shared';
import { pauseStagesOf } from './pause-answerer';

/**
 * The post step of a run stopped while ECS held its deployment at a pause (or will: nobody is left to answer
 * it): each service whose current deployment is ours and is paused gets ContinueServiceDeployment ROLLBACK,
 * so production is never left paused. Returns the services rolled back, with the stage; only warns.
 */
export async function rollBackOpenPauses(
  api: EcsApi,
  services: Service[],
  taskDefinitionArn: string,
  say: { log: (line: string) => void; warning: (message: string) => void },
): Promise<string[]> {
  const done: string[] = [];
  for (const service of services) {
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    const arn = service.currentServiceDeployment;
    if (!arn || primary?.taskDefinition !== taskDefinitionArn || primary.rolloutState !== 'IN_PROGRESS')
      continue;
    try {
      const sd = await api.describeServiceDeployment(arn);
      const hook = sd?.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION' && h.hookId);
      if (sd?.status === 'IN_PROGRESS' && !hook && pauseStagesOf(service).length) {
        // Not paused yet, but it will be, and nobody is left to answer: ECS then takes the hook's timeout action.
        say.warning(
          `${service.serviceName}: its deployment (now at ${sd.lifecycleStage ?? 'an early stage'}) will pause at ` +
            `${pauseStagesOf(service).join(', ')} with nobody to answer: ECS then waits for the hook's timeout ` +
            '(timeoutConfiguration: 24h and ROLLBACK unless set). Answer it with ContinueServiceDeployment, or run the deploy again.',
        );
      }
      if (sd?.status !== 'IN_PROGRESS' || !hook || !api.continueServiceDeployment) continue;
      await api.continueServiceDeployment(arn, hook.hookId!, 'ROLLBACK');
      say.warning(
        `${service.serviceName}: its deployment was paused at ${sd.lifecycleStage} waiting for this run; ` +
          'answered ROLLBACK (ContinueServiceDeployment): ECS puts production back on the previous revision.',
      );
      done.push(`${service.serviceName} at ${sd.lifecycleStage}`);
    } catch (error) {
      say.warning(
        `${service.serviceName}: could not roll back its paused deployment (${(error as Error).message}).`,
      );
    }
  }
  return done;
}
