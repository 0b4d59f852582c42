import type { Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import type { EcsApi } from '@slipway/shared';
import { pauseStagesOf } from './pause-answerer';
import { LIFECYCLE_STAGES } from './pause-inputs';

type Say = { log: (line: string) => void; warning: (message: string) => void };

/**
 * The post step of a run stopped while following a deployment with pauses, so that production is never left
 * waiting for it. Each service whose current deployment is ours and still in progress:
 * - paused now (a hook AWAITING_ACTION): answered ROLLBACK (ContinueServiceDeployment);
 * - not paused yet, with a pause ahead this run was to answer (`answering`: stage → its input): stopped with
 *   StopServiceDeployment ROLLBACK, as nobody is left to answer it;
 * - with pauses ahead that someone else answers (this run had no input for them): only a warning.
 * Returns what was rolled back (`web at STAGE`, `web before STAGE`); only warns on errors.
 */
export async function rollBackOpenPauses(
  api: EcsApi,
  services: Service[],
  taskDefinitionArn: string,
  answering: Record<string, string>,
  say: Say,
): Promise<string[]> {
  const done: string[] = [];
  for (const service of services) {
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    const arn = service.currentServiceDeployment;
    if (!arn || primary?.taskDefinition !== taskDefinitionArn || primary.rolloutState !== 'IN_PROGRESS')
      continue;
    try {
      const sd = await api.describeServiceDeployment(arn);
      if (sd?.status !== 'IN_PROGRESS') continue;
      const settled = await settle(api, service, sd, answering, say);
      if (settled) done.push(`${service.serviceName} ${settled}`);
    } catch (error) {
      say.warning(
        `${service.serviceName}: could not roll back its paused deployment (${(error as Error).message}).`,
      );
    }
  }
  return done;
}

/** One in-progress service deployment of ours: `at STAGE` / `before STAGE` when rolled back, else undefined. */
async function settle(
  api: EcsApi,
  service: Service,
  sd: ServiceDeployment,
  answering: Record<string, string>,
  say: Say,
) {
  const name = service.serviceName;
  const arn = sd.serviceDeploymentArn!;
  const hook = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION' && h.hookId);
  if (hook) {
    if (!api.continueServiceDeployment) return undefined;
    await api.continueServiceDeployment(arn, hook.hookId!, 'ROLLBACK');
    say.warning(
      `${name}: its deployment was paused at ${sd.lifecycleStage} waiting for this run; ` +
        'answered ROLLBACK (ContinueServiceDeployment): ECS puts production back on the previous revision.',
    );
    return `at ${sd.lifecycleStage}`;
  }
  const at = LIFECYCLE_STAGES.indexOf(sd.lifecycleStage ?? '');
  const ahead = pauseStagesOf(sd.deploymentConfiguration ? sd : service).filter(
    (s) => LIFECYCLE_STAGES.indexOf(s) > at,
  );
  const now = `its deployment (now at ${sd.lifecycleStage ?? 'an early stage'})`;
  const ours = ahead.filter((s) => s in answering);
  if (ours.length && api.stopServiceDeployment) {
    await api.stopServiceDeployment(arn);
    say.warning(
      `${name}: ${now} was to pause at ${ours.map((s) => `${s} for this run's ${answering[s]}`).join(', ')}; ` +
        'stopped it (StopServiceDeployment, ROLLBACK), as nobody is left to answer: ECS puts production back ' +
        'on the previous revision.',
    );
    return `before ${ours[0]}`;
  }
  if (ahead.length) {
    // Someone else's pauses (this run had no input for them): theirs to answer, or the hook's timeout action.
    say.warning(
      `${name}: ${now} will pause at ${ahead.join(', ')}, which this run did not answer: whoever answers ` +
        "it (ContinueServiceDeployment) decides, or ECS takes the hook's timeout action (timeoutConfiguration: " +
        '24h and ROLLBACK unless set).',
    );
  }
  return undefined;
}
