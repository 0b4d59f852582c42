import { expireHook, pausedHook, runHooks } from './lifecycle-hooks';
import type { DeploymentRecord, EcsState, Json, ServiceRecord } from './model';
import type { EcsTimings } from './options';

const STRATEGIES = new Set(['BLUE_GREEN', 'LINEAR', 'CANARY']);

/** ECS's native blue/green, linear and canary deployments (one shape; linear and canary shift production in steps). */
export const isBlueGreen = (config: Json) => STRATEGIES.has(String(config.strategy));

// The stages after the green fleet is up, in order. Each takes one scheduler tick, except a stage held by a
// PAUSE hook (until ContinueServiceDeployment) and BAKE_TIME (timings.bakeMs).
const AFTER_SCALE_UP = [
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];

/**
 * Green's share (0-100) of the listener's traffic at the deployment's stage: test traffic from
 * TEST_TRAFFIC_SHIFT, production from its shift - all at once (BLUE_GREEN) or step by step (LINEAR, CANARY).
 */
export function greenShare(deployment: DeploymentRecord, listener: 'production' | 'test'): number {
  const from = listener === 'test' ? 'TEST_TRAFFIC_SHIFT' : 'PRODUCTION_TRAFFIC_SHIFT';
  const at = AFTER_SCALE_UP.indexOf(deployment.lifecycleStage ?? '');
  if (at < AFTER_SCALE_UP.indexOf(from)) return 0;
  const shifting = listener === 'production' && deployment.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT';
  return shifting ? (deployment.productionWeight ?? 100) : 100;
}

/**
 * Green's production weight at each increment: LINEAR adds stepPercent (default 10) until 100, CANARY shifts
 * canaryPercent (default 5) then the rest, BLUE_GREEN all at once.
 */
export function productionSteps(config: Json): number[] {
  const linear = config.strategy === 'LINEAR';
  const settings = ((linear ? config.linearConfiguration : config.canaryConfiguration) ?? {}) as Json;
  if (config.strategy === 'CANARY') return [Number(settings.canaryPercent ?? 5), 100].filter((w) => w <= 100);
  if (!linear) return [100];
  const step = Number(settings.stepPercent ?? 10);
  const steps: number[] = [];
  for (let i = 1; i * step < 100; i++) steps.push(Math.round(i * step * 10) / 10);
  return [...steps, 100];
}

/**
 * A tick at PRODUCTION_TRAFFIC_SHIFT: once the step's bake is over, the next increment, with the stage's hooks
 * run again ("invoked for every production traffic shift step"); true once production is all on green.
 */
function shiftProduction(service: ServiceRecord, deployment: DeploymentRecord, stepBakeMs: number): boolean {
  const steps = productionSteps(deployment.serviceDeployment.deploymentConfiguration);
  const at = steps.indexOf(deployment.productionWeight ?? 100);
  if (at < 0 || at === steps.length - 1) return true;
  if (Date.now() - (deployment.stepStartedAt ?? 0) < stepBakeMs) return false;
  deployment.productionWeight = steps[at + 1];
  deployment.stepStartedAt = Date.now();
  deployment.updatedAt = Date.now() / 1000;
  runHooks(service, deployment, 'PRODUCTION_TRAFFIC_SHIFT');
  return false;
}

/**
 * One tick of a blue/green deployment: PRE_SCALE_UP, then the green fleet starts in full while blue serves
 * (SCALE_UP), then the stages of AFTER_SCALE_UP (the listeners follow them, see `traffic.ts`), where lifecycle
 * hooks may pause it; blue drains at CLEAN_UP. Says whether green tasks may be launched and blue ones stopped.
 */
export function advanceStage(
  state: EcsState,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  greenReady: boolean,
  timings: Pick<EcsTimings, 'bakeMs' | 'stepBakeMs'>,
): { launch: boolean; drainBlue: boolean } {
  const { bakeMs, stepBakeMs = 0 } = timings;
  expireHook(state, service, deployment);
  if (deployment.rolloutState !== 'IN_PROGRESS') return { launch: false, drainBlue: false };
  const stage = deployment.lifecycleStage;
  if (pausedHook(deployment)) return { launch: stage !== 'PRE_SCALE_UP', drainBlue: false };
  if (!stage) {
    deployment.lifecycleStage = 'PRE_SCALE_UP';
    if (runHooks(service, deployment, 'PRE_SCALE_UP')) return { launch: false, drainBlue: false };
  }
  if (deployment.lifecycleStage === 'PRE_SCALE_UP') deployment.lifecycleStage = 'SCALE_UP';
  if (deployment.lifecycleStage === 'SCALE_UP' && !greenReady) return { launch: true, drainBlue: false };
  if (deployment.lifecycleStage === 'BAKE_TIME') {
    deployment.bakeStartedAt ??= Date.now();
    if (Date.now() - deployment.bakeStartedAt < bakeMs) return { launch: true, drainBlue: false };
  }
  if (deployment.lifecycleStage === 'CLEAN_UP') return { launch: true, drainBlue: true };
  if (
    deployment.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' &&
    !shiftProduction(service, deployment, stepBakeMs)
  ) {
    return { launch: true, drainBlue: false };
  }
  const next = AFTER_SCALE_UP[AFTER_SCALE_UP.indexOf(deployment.lifecycleStage ?? '') + 1];
  deployment.lifecycleStage = next;
  deployment.updatedAt = Date.now() / 1000;
  if (next === 'PRODUCTION_TRAFFIC_SHIFT') {
    // ECS's own rollback puts production back at once.
    const steps = productionSteps(deployment.serviceDeployment.deploymentConfiguration);
    deployment.productionWeight = deployment.rollbackOf ? 100 : steps[0];
    deployment.stepStartedAt = Date.now();
  }
  runHooks(service, deployment, next);
  return { launch: true, drainBlue: next === 'CLEAN_UP' };
}
