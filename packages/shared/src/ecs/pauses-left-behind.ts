import type { DeploymentConfiguration, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import type { EcsApi } from './ecs-api';

/** The lifecycle stages of a blue/green, linear or canary deployment, in the order ECS goes through them. */
const LIFECYCLE_STAGES = [
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

/** The PAUSE stages a service deployment has still to pass (after the stage it is at now). */
function pausesAhead(
  sd: { lifecycleStage?: string; deploymentConfiguration?: DeploymentConfiguration },
  service: { deploymentConfiguration?: DeploymentConfiguration },
): string[] {
  const at = LIFECYCLE_STAGES.indexOf(sd.lifecycleStage ?? '');
  return pauseStagesOf(sd.deploymentConfiguration ? sd : service).filter(
    (s) => LIFECYCLE_STAGES.indexOf(s) > at,
  );
}

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
        `${service.serviceName}: could not roll back its paused deployment (${(error as Error).message}). ` +
          'Answer it yourself: aws ecs continue-service-deployment --action ROLLBACK at a pause, or ' +
          'aws ecs stop-service-deployment --stop-type ROLLBACK before one; else ECS takes the hook timeout action.',
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
  const ahead = pausesAhead(sd, service);
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

/** How long, and how often, a post step follows a rollback deployment to answer its pauses. */
export interface SeeThroughWait {
  timeoutMs: number;
  pollIntervalMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The post step of a run stopped while its own rollback deployment (rollback-on-failure, back to
 * `taskDefinitionArn`, what served before the run) was in progress: that deployment IS the way back, so it is
 * never rolled back or stopped (ECS would return to the source of that deployment: the failed revision). Each
 * service whose current deployment is that one, in progress, is followed until no pause of it lies ahead: a
 * pause it holds is answered CONTINUE, as the main step would have. Past `wait.timeoutMs` (a cancelled job's
 * post step has minutes, not hours) a pause still ahead is only warned about. Returns what was continued
 * (`web at STAGE`); only warns on errors.
 */
export async function seeRollbacksThroughPauses(
  api: EcsApi,
  services: Service[],
  taskDefinitionArn: string,
  say: Say,
  wait: SeeThroughWait,
): Promise<string[]> {
  const done = await Promise.all(
    services.map(async (service) => {
      const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
      const arn = service.currentServiceDeployment;
      if (!arn || primary?.taskDefinition !== taskDefinitionArn || primary.rolloutState !== 'IN_PROGRESS')
        return [];
      try {
        return await seeThrough(api, service, arn, say, wait);
      } catch (error) {
        say.warning(
          `${service.serviceName}: could not see its rollback deployment through its pauses (${(error as Error).message}). ` +
            'It is the way back to what served before: answer its pauses with aws ecs continue-service-deployment ' +
            '--action CONTINUE (never ROLLBACK, which returns to the failed revision).',
        );
        return [];
      }
    }),
  );
  return done.flat();
}

async function seeThrough(
  api: EcsApi,
  service: Service,
  arn: string,
  say: Say,
  wait: SeeThroughWait,
): Promise<string[]> {
  const name = service.serviceName;
  const now = wait.now ?? Date.now;
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + wait.timeoutMs;
  const continued: string[] = [];
  const answered = new Set<string>();
  for (;;) {
    const sd = await api.describeServiceDeployment(arn);
    if (sd?.status !== 'IN_PROGRESS') return continued;
    const hook = sd.lifecycleHookDetails?.find(
      (h) => h.status === 'AWAITING_ACTION' && h.hookId && !answered.has(h.hookId),
    );
    if (hook && api.continueServiceDeployment) {
      await api.continueServiceDeployment(arn, hook.hookId!, 'CONTINUE');
      answered.add(hook.hookId!);
      continued.push(`${name} at ${sd.lifecycleStage}`);
      say.warning(
        `${name}: this run's own rollback deployment was paused at ${sd.lifecycleStage}; answered CONTINUE ` +
          '(ContinueServiceDeployment): it is the way back to the revision that served before the run.',
      );
      continue;
    }
    const ahead = pausesAhead(sd, service);
    if (!ahead.length && !hook) return continued;
    if (now() >= deadline) {
      say.warning(
        `${name}: this run's own rollback deployment (now at ${sd.lifecycleStage ?? 'an early stage'}) will still ` +
          `pause at ${[...(hook ? [sd.lifecycleStage] : []), ...ahead].join(', ')}, and nobody is left to answer it: ` +
          "answer CONTINUE (ContinueServiceDeployment), or ECS takes the hook's timeout action.",
      );
      return continued;
    }
    await sleep(wait.pollIntervalMs);
  }
}

/** `POST_TEST_TRAFFIC_SHIFT for this run's test-url, POST_PRODUCTION_TRAFFIC_SHIFT for this run's analysis`. */
function byAnswerer(stages: string[], answerers: PauseAnswerers): string {
  const groups = new Map<string, string[]>();
  for (const s of stages) groups.set(answerers(s)!, [...(groups.get(answerers(s)!) ?? []), s]);
  return [...groups].map(([who, at]) => `${at.join(', ')} ${who}`).join(', ');
}
