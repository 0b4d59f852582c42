import type { DeploymentRecord, Json } from './model';

const STRATEGIES = new Set(['BLUE_GREEN', 'LINEAR', 'CANARY']);

/** ECS's native blue/green, linear and canary deployments (simplified here to one shape, see advanceStage). */
export const isBlueGreen = (config: Json) => STRATEGIES.has(String(config.strategy));

/**
 * The green fleet is started in full while blue keeps serving (SCALE_UP); traffic shifts at once (there is no
 * load balancer here); both run through the bake (BAKE_TIME); then blue drains (CLEAN_UP). Returns whether the
 * blue tasks may be stopped now.
 */
export function advanceStage(deployment: DeploymentRecord, greenReady: boolean, bakeMs: number): boolean {
  if (!greenReady) {
    deployment.lifecycleStage = 'SCALE_UP';
    deployment.bakeStartedAt = undefined;
    return false;
  }
  deployment.bakeStartedAt ??= Date.now();
  const baked = Date.now() - deployment.bakeStartedAt >= bakeMs;
  deployment.lifecycleStage = baked ? 'CLEAN_UP' : 'BAKE_TIME';
  return baked;
}
