import type { DeploymentConfiguration, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import type { EcsApi } from './ecs-api';

/** The lifecycle stages of a blue/green, linear or canary deployment, in the order ECS goes through them. */
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];

/** The PAUSE hooks' stages of a service's (or a service deployment's) deployment configuration. */
export function pauseStagesOf(of: { deploymentConfiguration?: DeploymentConfiguration }): string[] {
  const hooks = of.deploymentConfiguration?.lifecycleHooks ?? [];
  return [...new Set(hooks.filter((h) => h.targetType === 'PAUSE').flatMap((h) => h.lifecycleStages ?? []))];
}

type Say = { log: (line: string) => void; warning: (message: string) => void };
/** Who in this run answers a pause stage (`for this run's test-url`); undefined: not this run. */
export type PauseAnswerers = (stage: string) => string | undefined;

/**
 * The post step of a run stopped while following its deployment (of `taskDefinitionArn`) through pauses, so
 * that production is never left waiting for it. Each service whose current deployment is that one, in progress:
 * - paused now (a hook AWAITING_ACTION): answered ROLLBACK (ContinueServiceDeployment);
 * - not paused yet, with a pause ahead this run was to answer: stopped with StopServiceDeployment ROLLBACK, as
 *   nobody is left to answer it;
 * - with pauses ahead that someone else answers (this run had nothing for them): only a warning.
 * ECS puts production back on the last completed revision. Returns what was rolled back (`web at STAGE`,
 * `web before STAGE`); only warns on errors.
 */
export async function rollBackPausesLeftBehind(
  api: EcsApi,
  services: Service[],
  taskDefinitionArn: string,
  answerers: PauseAnswerers,
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
      const settled = await settle(api, service, sd, answerers, say);
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
  answerers: PauseAnswerers,
  say: Say,
): Promise<string | undefined> {
  const name = service.serviceName;
  const arn = sd.serviceDeploymentArn ?? service.currentServiceDeployment!;
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
  const ours = ahead.filter((s) => answerers(s) !== undefined);
  if (ours.length && api.stopServiceDeployment) {
    await api.stopServiceDeployment(arn);
    say.warning(
      `${name}: ${now} was to pause at ${byAnswerer(ours, answerers)}; stopped it (StopServiceDeployment, ` +
        'ROLLBACK), as nobody is left to answer: ECS puts production back on the previous revision.',
    );
    return `before ${ours[0]}`;
  }
  if (ahead.length) {
    say.warning(
      `${name}: ${now} will pause at ${ahead.join(', ')}, which this run did not answer: whoever answers ` +
        "it (ContinueServiceDeployment) decides, or ECS takes the hook's timeout action (timeoutConfiguration: " +
        '24h and ROLLBACK unless set).',
    );
  }
  return undefined;
}

/** `POST_TEST_TRAFFIC_SHIFT for this run's test-url, POST_PRODUCTION_TRAFFIC_SHIFT for this run's analysis`. */
function byAnswerer(stages: string[], answerers: PauseAnswerers): string {
  const groups = new Map<string, string[]>();
  for (const s of stages) groups.set(answerers(s)!, [...(groups.get(answerers(s)!) ?? []), s]);
  return [...groups].map(([who, at]) => `${at.join(', ')} ${who}`).join(', ');
}
