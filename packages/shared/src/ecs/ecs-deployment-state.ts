// What happened to one ECS deployment, decided from what ECS reports. Shared by deploy-ecs (its deploys and its
// rollback-on-failure) and rollback (the deployment it starts). Type-only imports: no SDK is loaded here.
import type { Deployment, Service, ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';

/**
 * How a followed deployment ended: ECS completed it; failed it (circuit breaker without rollback, a stopped or
 * failed rollback); rolled it back (circuit breaker or alarms); another deployment replaced it; or ECS had not
 * decided by the deadline.
 */
export type EcsOutcome = 'succeeded' | 'failed' | 'rolled-back' | 'superseded' | 'timed-out';

/** What one poll saw: the service (DescribeServices) and, where ECS offers it, our service deployment. */
export interface EcsSnapshot {
  at: number;
  service: Service;
  serviceDeployment?: ServiceDeployment;
}

/** The deployment we follow, as UpdateService answered. */
export interface EcsWatchTarget {
  /** The PRIMARY deployment's id in UpdateService's answer (`ecs-svc/...`). */
  deploymentId: string;
  /** The service's `currentServiceDeployment` in that answer, where ECS gives one. */
  serviceDeploymentArn?: string;
  taskDefinitionArn: string;
  /** When we called UpdateService (ms); events before it are history, not news. */
  startedAt: number;
  /** When to give up (ms since the epoch): the outcome is then timed-out. */
  deadline: number;
  /**
   * How long to wait for ECS's rollback deployment after seeing ours FAILED on a service that ECS rolls back
   * itself (circuit breaker or alarms with `rollback`), before calling it failed. Default `ECS_ROLLBACK_GRACE_MS`.
   */
  ecsRollbackGraceMs?: number;
}

/** ECS marks a deployment FAILED and starts its rollback deployment a moment later: how long to give it. */
export const ECS_ROLLBACK_GRACE_MS = 60_000;

/**
 * A lifecycle hook of type PAUSE holding the deployment at a stage (blue/green, linear, canary): ECS waits for
 * ContinueServiceDeployment (CONTINUE or ROLLBACK) with this hook id, or for the hook's timeout.
 */
export interface EcsPause {
  serviceDeploymentArn: string;
  hookId: string;
  stage: string;
  /** When ECS takes the hook's timeout action itself (ms since the epoch), where it says. */
  expiresAt?: number;
  timeoutAction?: string;
}

/** What the wait remembers between polls. */
export interface EcsWatchState {
  target: EcsWatchTarget;
  seenEvents: readonly string[];
  lastProgress?: string;
  lastStage?: string;
  /** What our deployment last looked like, for the timeout message. */
  lastSeen?: string;
  /** Every deployment's state and counts, and the service deployment's, at the last poll (`ecsActivity`). */
  lastActivity?: string;
  /** The hook id of the pause seen last (each pause is told once). */
  lastPause?: string;
  /** When a poll first saw our deployment FAILED while ECS's own rollback had yet to appear. */
  failedSeenAt?: number;
}

/** ECS's verdict on the deployment (or the deadline's), in words. */
export interface EcsDecision {
  outcome: EcsOutcome;
  reason: string;
  /** ECS tried to roll back itself (and failed): another rollback by us would only repeat it. */
  ecsTriedRollback?: boolean;
}

/** What one snapshot told: news to show, and the decision once there is one. */
export interface EcsStep {
  state: EcsWatchState;
  /** Service events not shown before, oldest first. */
  events: ServiceEvent[];
  /** Progress lines (counts, lifecycle stages) that changed since the last poll. */
  notes: string[];
  /** Anything moved since the last poll: an event, or any deployment's state or task counts (the poll pace). */
  changed: boolean;
  decision?: EcsDecision;
  /** The pause holding our deployment now, if one does. */
  paused?: EcsPause;
}

/**
 * The state before the first poll. `seenEvents`: keys (`ecsEventKey`) of events not to show again: those in
 * UpdateService's answer, and those an earlier wait of the same run showed.
 */
export function initialEcsWatchState(
  target: EcsWatchTarget,
  seenEvents: readonly string[] = [],
): EcsWatchState {
  return { target, seenEvents };
}

/**
 * The wait as a pure function of successive snapshots: what is new, and whether ECS has decided the fate of
 * OUR deployment (the one UpdateService started, by id). ECS's verdicts win as soon as they are visible, so a
 * failure is reported at the first poll after ECS decides; the deadline only matters while ECS has not.
 */
export function observeEcsDeployment(state: EcsWatchState, snapshot: EcsSnapshot): EcsStep {
  const { target } = state;
  const events = newEvents(state, snapshot.service.events ?? []);
  const ours = snapshot.service.deployments?.find((d) => d.id === target.deploymentId);
  const sd =
    snapshot.serviceDeployment &&
    (!target.serviceDeploymentArn ||
      snapshot.serviceDeployment.serviceDeploymentArn === target.serviceDeploymentArn)
      ? snapshot.serviceDeployment
      : undefined;
  const notes: string[] = [];
  const progress = ours ? describeEcsDeployment(ours) : undefined;
  if (progress && progress !== state.lastProgress) notes.push(progress);
  if (sd?.lifecycleStage && sd.lifecycleStage !== state.lastStage)
    notes.push(`lifecycle stage ${sd.lifecycleStage}`);
  const activity = ecsActivity(snapshot.service, sd);
  const paused = pauseOf(sd);
  if (paused && paused.hookId !== state.lastPause) notes.push(describePause(paused));
  const next: EcsWatchState = {
    target,
    lastPause: paused?.hookId ?? state.lastPause,
    lastActivity: activity,
    failedSeenAt: state.failedSeenAt,
    seenEvents: [...state.seenEvents, ...events.map(ecsEventKey)].slice(-500),
    lastProgress: progress ?? state.lastProgress,
    lastStage: sd?.lifecycleStage ?? state.lastStage,
    lastSeen: ours
      ? `${progress}${sd?.status ? `, service deployment ${sd.status}` : ''}${paused ? `, ${describePause(paused)}` : ''}`
      : state.lastSeen,
  };
  const decision =
    decideFromServiceDeployment(sd, snapshot.service, ours) ??
    decideFromDeployments(next, snapshot, ours, sd !== undefined) ??
    (snapshot.at >= target.deadline ? timedOut(next) : undefined);
  if (!decision && next.failedSeenAt !== undefined && state.failedSeenAt === undefined) {
    notes.push(
      `FAILED; ECS rolls this service back itself: waiting up to ${rollbackGrace(target) / 1000}s for its rollback deployment`,
    );
  }
  const changed = events.length > 0 || notes.length > 0 || activity !== state.lastActivity;
  return { state: next, events, notes, changed, decision, ...(paused && !decision ? { paused } : {}) };
}

/** The PAUSE hook awaiting an answer on an in-progress service deployment. */
function pauseOf(sd: ServiceDeployment | undefined): EcsPause | undefined {
  if (!sd?.serviceDeploymentArn || sd.status !== 'IN_PROGRESS') return undefined;
  const hook = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION' && h.hookId);
  if (!hook) return undefined;
  return {
    serviceDeploymentArn: sd.serviceDeploymentArn,
    hookId: hook.hookId!,
    stage: sd.lifecycleStage ?? 'an unknown stage',
    ...(hook.expiresAt ? { expiresAt: hook.expiresAt.getTime() } : {}),
    ...(hook.timeoutAction ? { timeoutAction: hook.timeoutAction } : {}),
  };
}

/** `paused at POST_TEST_TRAFFIC_SHIFT, waiting for ContinueServiceDeployment (hook …; ROLLBACK at …)`. */
export function describePause(pause: EcsPause): string {
  const timeout =
    pause.expiresAt !== undefined
      ? `; ECS takes ${pause.timeoutAction ?? 'its timeout action'} at ${new Date(pause.expiresAt).toISOString()}`
      : '';
  return `paused at ${pause.stage}, waiting for ContinueServiceDeployment (hook ${pause.hookId}${timeout})`;
}

/** The service's deployments (ours and the others: old tasks draining count too) and the service deployment. */
function ecsActivity(service: Service, sd: ServiceDeployment | undefined): string {
  const deployments = (service.deployments ?? []).map(
    (d) =>
      `${d.id} ${d.status} ${d.rolloutState} ${d.desiredCount}/${d.runningCount}/${d.pendingCount}/${d.failedTasks}`,
  );
  return [...deployments, `${sd?.status} ${sd?.lifecycleStage}`].join('; ');
}

function decideFromServiceDeployment(
  sd: ServiceDeployment | undefined,
  service: Service,
  ours: Deployment | undefined,
): EcsDecision | undefined {
  if (!sd) return undefined;
  const why = sd.statusReason ?? sd.rollback?.reason ?? ours?.rolloutStateReason;
  const because = why ? `: ${why}` : '';
  switch (sd.status) {
    case 'SUCCESSFUL':
      return { outcome: 'succeeded', reason: `ECS reports the service deployment SUCCESSFUL${because}` };
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
    case 'ROLLBACK_SUCCESSFUL':
      return {
        outcome: 'rolled-back',
        reason: `ECS rolled the deployment back (${sd.status})${because}${alarms(sd)}`,
      };
    case 'ROLLBACK_FAILED':
      return {
        outcome: 'failed',
        reason: `ECS tried to roll the deployment back and that failed${because}`,
        ecsTriedRollback: true,
      };
    case 'STOPPED':
    case 'STOP_REQUESTED':
      return newerPrimary(service, ours)
        ? {
            outcome: 'superseded',
            reason: `another deployment replaced ours (ours is ${sd.status})${because}`,
          }
        : { outcome: 'failed', reason: `the service deployment was stopped (${sd.status})${because}` };
    default:
      return undefined;
  }
}

/** `state` is the next state: `failedSeenAt` is set there when the grace for ECS's rollback starts. */
function decideFromDeployments(
  state: EcsWatchState,
  snapshot: EcsSnapshot,
  ours: Deployment | undefined,
  followsServiceDeployment: boolean,
): EcsDecision | undefined {
  const { target } = state;
  const { service } = snapshot;
  const newer = newerPrimary(service, ours, target.startedAt);
  if (ours?.rolloutState === 'FAILED') {
    const reason = ours.rolloutStateReason ?? 'the deployment failed';
    if (newer) {
      const to = newer.taskDefinition ? ` to ${newer.taskDefinition}` : '';
      return { outcome: 'rolled-back', reason: `${reason}; ECS rolls the service back${to}` };
    }
    // ECS fails the deployment first and starts its rollback deployment a moment later: calling it failed in
    // between would start our rollback on top of ECS's. Give ECS a bounded time to show its rollback.
    if (ecsRollsBack(service)) {
      state.failedSeenAt ??= snapshot.at;
      const graceEnd = state.failedSeenAt + rollbackGrace(target);
      if (snapshot.at < graceEnd && snapshot.at < target.deadline) return undefined;
      const within =
        snapshot.at >= graceEnd ? `within ${rollbackGrace(target) / 1000}s` : 'before wait-timeout ran out';
      return {
        outcome: 'failed',
        reason: `${reason}; ECS is set to roll back but started no rollback deployment ${within}`,
      };
    }
    return { outcome: 'failed', reason };
  }
  if (newer) {
    if (isRollback(newer)) {
      return { outcome: 'rolled-back', reason: newer.rolloutStateReason ?? 'ECS rolled the service back' };
    }
    return {
      outcome: 'superseded',
      reason: `deployment ${newer.id} (${newer.taskDefinition}) started after ours and replaced it`,
    };
  }
  if (!ours) {
    return { outcome: 'failed', reason: `deployment ${target.deploymentId} is no longer on the service` };
  }
  if (followsServiceDeployment) return undefined; // success only when the service deployment says SUCCESSFUL
  if (ours.status === 'PRIMARY' && ours.rolloutState === 'COMPLETED') {
    return {
      outcome: 'succeeded',
      reason: `ECS reports the deployment COMPLETED (${describeEcsDeployment(ours)})`,
    };
  }
  // Without a rolloutState (older ECS, some controllers) fall back to what the services-stable waiter checks,
  // but never while alarms or a bake time may still roll the deployment back.
  const guarded = service.deploymentConfiguration?.alarms?.enable || ecsStrategyOf(service) !== 'ROLLING';
  if (
    !ours.rolloutState &&
    !guarded &&
    ours.status === 'PRIMARY' &&
    service.deployments?.length === 1 &&
    ours.runningCount === ours.desiredCount
  ) {
    return { outcome: 'succeeded', reason: `the service is stable (${describeEcsDeployment(ours)})` };
  }
  return undefined;
}

/** ECS rolls back a deployment it fails: the circuit breaker's or the alarms' `rollback` is on. */
function ecsRollsBack(service: Service): boolean {
  const { deploymentCircuitBreaker: breaker, alarms } = service.deploymentConfiguration ?? {};
  return (
    (breaker?.enable === true && breaker.rollback === true) ||
    (alarms?.enable === true && alarms.rollback === true)
  );
}

const rollbackGrace = (target: EcsWatchTarget) => target.ecsRollbackGraceMs ?? ECS_ROLLBACK_GRACE_MS;

/** The PRIMARY deployment when it is not ours and started after ours (or after `since`). */
function newerPrimary(service: Service, ours: Deployment | undefined, since = 0): Deployment | undefined {
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary || primary.id === ours?.id) return undefined;
  const after = ours?.createdAt ? ours.createdAt.getTime() : since;
  return !primary.createdAt || primary.createdAt.getTime() >= after ? primary : undefined;
}

const isRollback = (d: Deployment) => /roll(ing)?[ -]?back/i.test(d.rolloutStateReason ?? '');

/** The service's deployment strategy: ROLLING unless BLUE_GREEN, LINEAR or CANARY is set. */
export function ecsStrategyOf(service: Service): string {
  return service.deploymentConfiguration?.strategy ?? 'ROLLING';
}

function alarms(sd: ServiceDeployment): string {
  const names = sd.alarms?.triggeredAlarmNames ?? [];
  return names.length ? ` (alarms: ${names.join(', ')})` : '';
}

function timedOut(state: EcsWatchState): EcsDecision {
  const seen = state.lastSeen ? `; last seen: ${state.lastSeen}` : '';
  return {
    outcome: 'timed-out',
    reason: `ECS had not finished the deployment when wait-timeout ran out${seen}`,
  };
}

/** A deployment's progress in one line: `IN_PROGRESS: 1/2 running, 1 pending, 3 failed`. */
export function describeEcsDeployment(d: Deployment): string {
  const failed = d.failedTasks ? `, ${d.failedTasks} failed` : '';
  return (
    `${d.rolloutState ?? d.status ?? 'unknown'}: ${d.runningCount ?? 0}/${d.desiredCount ?? 0} running, ` +
    `${d.pendingCount ?? 0} pending${failed}`
  );
}

/** The key an event is deduplicated by: its id, else its time and message. */
export const ecsEventKey = (e: ServiceEvent) => e.id ?? `${e.createdAt?.getTime()}:${e.message}`;

/** Events after our start not shown yet, oldest first (ECS lists the newest first). */
function newEvents(state: EcsWatchState, events: ServiceEvent[]): ServiceEvent[] {
  const seen = new Set(state.seenEvents);
  // History is what UpdateService answered with (seen from the start); this only guards against a clock of
  // ECS and ours that differ, where that answer had no events.
  const since = state.target.startedAt - 60_000;
  // Reversed before the (stable) sort, so that events of the same second keep the order ECS made them in.
  return events
    .filter((e) => !seen.has(ecsEventKey(e)) && (!e.createdAt || e.createdAt.getTime() >= since))
    .reverse()
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}
