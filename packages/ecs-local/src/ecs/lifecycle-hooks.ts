import { AwsError, invalidParameter, type Operation } from '../protocol';
import { addEvent, failDeployment } from './deployments';
import { optionalString, requiredString } from './lookup';
import {
  type DeploymentRecord,
  type EcsState,
  type HookRecord,
  hexId,
  type Json,
  nowSeconds,
  type ServiceRecord,
} from './model';

// Lifecycle hooks of blue/green, linear and canary deployments (deploymentConfiguration.lifecycleHooks), as the
// ECS API reference describes them: at each stage a hook names, a PAUSE hook holds the deployment until
// ContinueServiceDeployment answers (CONTINUE or ROLLBACK) or the hook's timeout takes its action (default 24h,
// ROLLBACK). There is no Lambda here: an AWS_LAMBDA hook is recorded as SUCCEEDED at once.

export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];
// "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages."
const NO_PAUSE = new Set(['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']);
const DEFAULT_TIMEOUT_MINUTES = 1440;

interface HookConfig {
  targetType: 'PAUSE' | 'AWS_LAMBDA';
  hookTargetArn?: string;
  lifecycleStages: string[];
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: 'CONTINUE' | 'ROLLBACK' };
}

const hooksOf = (config: Json) => (config.lifecycleHooks as HookConfig[] | undefined) ?? [];

/** CreateService/UpdateService: the errors ECS gives for a hook it would refuse. */
export function checkLifecycleHooks(config: Json): void {
  const hooks = config.lifecycleHooks;
  if (hooks === undefined || hooks === null) return;
  if (!Array.isArray(hooks)) throw invalidParameter('lifecycleHooks must be a list.');
  for (const hook of hooks as Json[]) {
    const type = hook.targetType ?? 'AWS_LAMBDA';
    if (type !== 'PAUSE' && type !== 'AWS_LAMBDA')
      throw invalidParameter(`targetType must be AWS_LAMBDA or PAUSE, not ${String(type)}.`);
    hook.targetType = type;
    const stages = hook.lifecycleStages;
    if (!Array.isArray(stages) || stages.length === 0)
      throw invalidParameter('lifecycleStages must name at least one stage.');
    for (const stage of stages as string[]) {
      if (!HOOK_STAGES.includes(stage)) throw invalidParameter(`${stage} is not a lifecycle hook stage.`);
      if (type === 'PAUSE' && NO_PAUSE.has(stage))
        throw invalidParameter(`PAUSE hooks cannot be configured at the ${stage} stage.`);
    }
    if (type === 'AWS_LAMBDA' && (!hook.hookTargetArn || !hook.roleArn))
      throw invalidParameter('An AWS_LAMBDA lifecycle hook needs hookTargetArn and roleArn.');
  }
  if (hooks.length && !['BLUE_GREEN', 'LINEAR', 'CANARY'].includes(String(config.strategy))) {
    throw invalidParameter('lifecycleHooks are only valid with the BLUE_GREEN, LINEAR or CANARY strategy.');
  }
}

/** The hook that holds the deployment now, if any. */
export const pausedHook = (d: DeploymentRecord) => d.hooks?.find((h) => h.status === 'AWAITING_ACTION');

/**
 * Runs the service's hooks of `stage` for the deployment entering it; true when a PAUSE hook now holds it.
 * ECS's own rollback deployments run no hooks.
 */
export function runHooks(service: ServiceRecord, deployment: DeploymentRecord, stage: string): boolean {
  if (deployment.rollbackOf) return false;
  const config = deployment.serviceDeployment.deploymentConfiguration;
  for (const hook of hooksOf(config).filter((h) => h.lifecycleStages.includes(stage))) {
    const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? DEFAULT_TIMEOUT_MINUTES;
    const record: HookRecord = {
      hookId: `ecs-${hook.targetType === 'PAUSE' ? 'pause' : 'lambda'}-${hexId(20)}`,
      stage,
      targetType: hook.targetType,
      ...(hook.targetType === 'AWS_LAMBDA' ? { targetArn: hook.hookTargetArn } : {}),
      status: hook.targetType === 'PAUSE' ? 'AWAITING_ACTION' : 'SUCCEEDED',
      expiresAt: nowSeconds() + minutes * 60,
      timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
    };
    deployment.hooks = [...(deployment.hooks ?? []), record];
    if (record.status === 'AWAITING_ACTION') {
      addEvent(
        service,
        `(deployment ${deployment.id}) is paused at lifecycle stage ${stage}: waiting for ContinueServiceDeployment (hook ${record.hookId}).`,
      );
    }
  }
  return pausedHook(deployment) !== undefined;
}

/** A paused hook past its timeout takes its timeout action. */
export function expireHook(state: EcsState, service: ServiceRecord, deployment: DeploymentRecord): void {
  const hook = pausedHook(deployment);
  if (hook && nowSeconds() >= hook.expiresAt)
    answerHook(state, service, deployment, hook, hook.timeoutAction);
}

function answerHook(
  state: EcsState,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  hook: HookRecord,
  action: 'CONTINUE' | 'ROLLBACK',
  byRequest = false,
): void {
  hook.status = !byRequest ? 'TIMED_OUT' : action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED';
  deployment.updatedAt = deployment.serviceDeployment.updatedAt = nowSeconds();
  if (action === 'CONTINUE') return;
  const why = byRequest ? 'a ContinueServiceDeployment ROLLBACK request' : 'its timeout';
  failDeployment(state, service, deployment, {
    rollback: true,
    by: 'lifecycle hook',
    reason: `ECS deployment failed: the lifecycle hook at ${hook.stage} was answered with ROLLBACK (${why}).`,
    rollbackReason: `Service deployment rolled back because the lifecycle hook at ${hook.stage} was answered with ROLLBACK (${why}).`,
    event: `deployment ${deployment.id} deployment failed: lifecycle hook ${hook.hookId} at ${hook.stage} answered with ROLLBACK.`,
  });
}

/** DescribeServiceDeployments' lifecycleHookDetails. */
export function hookDetails(deployment: DeploymentRecord): Json[] {
  return (deployment.hooks ?? []).map((h) => ({
    hookId: h.hookId,
    targetType: h.targetType,
    ...(h.targetArn ? { targetArn: h.targetArn } : {}),
    status: h.status,
    expiresAt: h.expiresAt,
    timeoutAction: h.timeoutAction,
  }));
}

export function lifecycleHookOperations(state: EcsState): Record<string, Operation> {
  return {
    ContinueServiceDeployment(input) {
      const arn = requiredString(input, 'serviceDeploymentArn');
      const hookId = requiredString(input, 'hookId');
      const action = optionalString(input, 'action') ?? 'CONTINUE';
      if (action !== 'CONTINUE' && action !== 'ROLLBACK')
        throw invalidParameter(`action must be CONTINUE or ROLLBACK, not ${action}.`);
      const sd = state.serviceDeployments.get(arn);
      if (!sd)
        throw new AwsError('ServiceDeploymentNotFoundException', `Service deployment not found: ${arn}`);
      const hook = sd.deployment.hooks?.find((h) => h.hookId === hookId);
      if (!hook) throw invalidParameter(`The service deployment has no lifecycle hook ${hookId}.`);
      if (hook.status !== 'AWAITING_ACTION' || sd.deployment.rolloutState !== 'IN_PROGRESS') {
        throw invalidParameter(`The lifecycle hook ${hookId} is ${hook.status}, not AWAITING_ACTION.`);
      }
      answerHook(state, sd.service, sd.deployment, hook, action, true);
      return { serviceDeploymentArn: sd.arn };
    },
  };
}
