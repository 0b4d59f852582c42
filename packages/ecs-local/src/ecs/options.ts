/**
 * How fast deployments move. ECS takes minutes; tests use tens of milliseconds, the demo a few seconds.
 * Every value is in milliseconds unless its name says otherwise.
 */
export interface EcsTimings {
  /** The scheduler loop: how often tasks are inspected and deployments move. Default 1000. */
  tickMs: number;
  /** How long the primary deployment must hold every desired task healthy before it is COMPLETED. Default 3000. */
  steadyStateMs: number;
  /** Extra wait before COMPLETED when the deployment has CloudWatch alarms enabled (ECS's bake time). Default 3000. */
  alarmBakeMs: number;
  /** BLUE_GREEN, LINEAR and CANARY: how long both fleets run before the old one drains. Default 3000. */
  bakeMs: number;
  /**
   * LINEAR and CANARY: the wait between production traffic increments (stepBakeTimeInMinutes,
   * canaryBakeTimeInMinutes). Default 0: one scheduler tick.
   */
  stepBakeMs?: number;
  /**
   * Unhealthy health checks are ignored this long after a task started. Default: the service's
   * healthCheckGracePeriodSeconds (0 unless set).
   */
  healthGraceMs?: number;
  /** Overrides of every container healthCheck (ECS counts seconds and allows 5 s at least; tests need less). */
  healthCheck: { intervalMs?: number; timeoutMs?: number; retries?: number; startPeriodMs?: number };
  /** `docker stop` timeout for tasks ECS stops. Default: the container's stopTimeout, else 2 s. */
  stopTimeoutSeconds?: number;
  /**
   * How long after failing a deployment (circuit breaker or alarms) ECS starts its rollback deployment. ECS
   * takes a moment, during which the failed deployment is still PRIMARY and FAILED. Default 0: at once.
   */
  rollbackAfterMs: number;
  /**
   * How long replaced (INACTIVE) deployments stay in DescribeServices' `deployments`. Default 0: ECS drops them,
   * and the SDK's `waitUntilServicesStable` waits for exactly one deployment.
   */
  inactiveRetentionMs: number;
}

export interface EcsOptions {
  /** The account in every ARN. Default 123456789012. */
  accountId?: string;
  timings?: Partial<EcsTimings>;
  /**
   * Circuit-breaker failure threshold. Default: ECS's own (the breaker's thresholdConfiguration, else
   * 0.5 × desired count, at least 3 and at most 200); tests set 1 or 2.
   */
  failureThreshold?: number;
  /** Container names start with this; all containers also carry the label `slipway.ecs-local=<instance>`. */
  namePrefix?: string;
  /** Maps a task definition's image to the one Docker runs (e.g. an ECR URI to the local registry). */
  rewriteImage?: (image: string) => string;
  /** Logins for pulling task images, by registry host (`127.0.0.1:5001`). */
  registryAuth?: Record<string, { username: string; password: string }>;
}

export const DEFAULT_TIMINGS: EcsTimings = {
  tickMs: 1000,
  steadyStateMs: 3000,
  alarmBakeMs: 3000,
  bakeMs: 3000,
  healthCheck: {},
  inactiveRetentionMs: 0,
  rollbackAfterMs: 0,
};

export function resolveTimings(timings: Partial<EcsTimings> = {}): EcsTimings {
  return {
    ...DEFAULT_TIMINGS,
    ...timings,
    healthCheck: { ...DEFAULT_TIMINGS.healthCheck, ...timings.healthCheck },
  };
}

/** ECS's circuit-breaker threshold: 0.5 × desired (or thresholdConfiguration), clamped to [3, 200]. */
export function breakerThreshold(
  desiredCount: number,
  breaker: Record<string, unknown> | undefined,
  override?: number,
): number {
  if (override !== undefined) return override;
  const config = breaker?.thresholdConfiguration as { type?: string; value?: number } | undefined;
  if (config?.type === 'COUNT' && config.value !== undefined) return config.value;
  const percent = config?.value ?? 50;
  const raw = Math.ceil((desiredCount * percent) / 100);
  return config?.type === 'UNBOUNDED_PERCENT' ? Math.max(1, raw) : Math.min(200, Math.max(3, raw));
}
