import { expireHook, pausedHook, runHooks } from './lifecycle-hooks';
import type { DeploymentRecord, EcsState, Json, ServiceRecord } from './model';

const STRATEGIES = new Set(['BLUE_GREEN', 'LINEAR', 'CANARY']);

/** ECS's native blue/green, linear and canary deployments (simplified here to one shape, see advanceStage). */
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

/** Whether the stage's traffic goes to green: test traffic from TEST_TRAFFIC_SHIFT, production from its shift. */
export function greenServes(deployment: DeploymentRecord, listener: 'production' | 'test'): boolean {
  const from = listener === 'test' ? 'TEST_TRAFFIC_SHIFT' : 'PRODUCTION_TRAFFIC_SHIFT';
  const at = AFTER_SCALE_UP.indexOf(deployment.lifecycleStage ?? '');
  return at >= AFTER_SCALE_UP.indexOf(from);
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
  bakeMs: number,
): { launch: boolean; drainBlue: boolean } {
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
  const next = AFTER_SCALE_UP[AFTER_SCALE_UP.indexOf(deployment.lifecycleStage ?? '') + 1];
  deployment.lifecycleStage = next;
  deployment.updatedAt = Date.now() / 1000;
  runHooks(service, deployment, next);
  return { launch: true, drainBlue: next === 'CLEAN_UP' };
}
