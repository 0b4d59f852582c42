// Type-only imports of the SDK: the watch never loads it; the caller passes a reader (the EcsApi, or a fake).
import type { Service, ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';
import { isTransient, retry, sleep } from '../retry';
import {
  type EcsDecision,
  type EcsPause,
  type EcsSnapshot,
  type EcsWatchState,
  type EcsWatchTarget,
  initialEcsWatchState,
  observeEcsDeployment,
} from './ecs-deployment-state';
import { nextPollDelay, pollSchedule } from './poll-schedule';

/** The two reads a wait needs (an action's ECS client adapter has them). */
export interface EcsDeploymentReader {
  describeServices(cluster: string, names: readonly string[]): Promise<Service[]>;
  /** Undefined where ECS (or the role) does not offer DescribeServiceDeployments. */
  describeServiceDeployment(arn: string): Promise<ServiceDeployment | undefined>;
  /** Calls the reader retried itself so far (throttling it absorbed): they slow the pace as the wait's own do. */
  retries?(): number;
}

/** Where and how often to poll, and who to tell what is new. */
export interface EcsWatchOptions {
  cluster: string;
  service: string;
  /** The pace at first and whenever something moves; slower while nothing does (see `nextPollDelay`). */
  pollIntervalMs: number;
  /** Told about every new service event and progress line. */
  onEvent?: (event: ServiceEvent) => void;
  onNote?: (note: string) => void;
  /** Told when a poll is throttled or fails on the network and will be retried. */
  onRetry?: (error: unknown, delayMs: number) => void;
  /**
   * Called once per pause (a PAUSE lifecycle hook holding the deployment); it answers the pause itself
   * (ContinueServiceDeployment), and the wait polls again at once when it returns. Without it a pause is
   * only told (onNote) and waited on.
   */
  onPause?: (pause: EcsPause) => Promise<void>;
  /** Event ids an earlier wait of this run has shown already. */
  seenEvents?: readonly string[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The decision, the last state and every event shown. */
export interface EcsWatchResult extends EcsDecision {
  state: EcsWatchState;
  events: ServiceEvent[];
  polls: number;
}

/**
 * Polls ECS until `observeEcsDeployment` decides, at `pollIntervalMs` for the first minutes and after any change,
 * slower while nothing moves (`nextPollDelay`). Throttling and network errors back off (longer each time, up to
 * the deadline) instead of failing the wait, and keep the pace from dropping back; credential and permission
 * errors end it at once, as themselves. The last poll happens at the deadline, so a deployment that finishes
 * just in time counts.
 */
export async function watchEcsDeployment(
  api: EcsDeploymentReader,
  target: EcsWatchTarget,
  options: EcsWatchOptions,
): Promise<EcsWatchResult> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  let state = initialEcsWatchState(target, options.seenEvents);
  const events: ServiceEvent[] = [];
  const schedule = pollSchedule(options.pollIntervalMs);
  let pace: number | undefined;
  const answered = new Set<string>();
  for (let polls = 1; ; polls++) {
    let snapshot: EcsSnapshot;
    let throttled = false;
    const retriedBefore = api.retries?.() ?? 0;
    try {
      snapshot = await retry(() => takeSnapshot(api, target, options.cluster, options.service, now), {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: options.pollIntervalMs,
        maxDelayMs: Math.max(options.pollIntervalMs * 8, 1000),
        deadlineMs: Math.max(0, target.deadline - now()),
        retryable: isTransient,
        onRetry: (error, _attempt, delay) => {
          throttled = true;
          options.onRetry?.(error, delay);
        },
        sleep: wait,
        now,
      });
    } catch (error) {
      if (!isTransient(error)) throw error;
      const reason = `ECS could not be polled until wait-timeout ran out (last error: ${(error as Error).name}: ${(error as Error).message})`;
      return { outcome: 'timed-out', reason, state, events, polls };
    }
    throttled ||= (api.retries?.() ?? 0) > retriedBefore;
    const step = observeEcsDeployment(state, snapshot);
    state = step.state;
    for (const event of step.events) options.onEvent?.(event);
    for (const note of step.notes) options.onNote?.(note);
    events.push(...step.events);
    if (step.decision) return { ...step.decision, state, events, polls };
    if (step.paused && options.onPause && !answered.has(step.paused.hookId)) {
      answered.add(step.paused.hookId);
      await options.onPause(step.paused);
      pace = undefined;
      continue;
    }
    const at = now();
    const next = nextPollDelay(schedule, {
      elapsedMs: at - target.startedAt,
      leftMs: target.deadline - at,
      previousMs: pace,
      changed: step.changed,
      throttled,
    });
    pace = next.intervalMs;
    await wait(next.sleepMs);
  }
}

async function takeSnapshot(
  api: EcsDeploymentReader,
  target: EcsWatchTarget,
  cluster: string,
  service: string,
  now: () => number,
): Promise<EcsSnapshot> {
  // One after the other, the service last: it is then at least as new as the service deployment, so a
  // deployment STOPPED because a newer one started is seen together with that newer one.
  const serviceDeployment = target.serviceDeploymentArn
    ? await api.describeServiceDeployment(target.serviceDeploymentArn)
    : undefined;
  const [described] = await api.describeServices(cluster, [service]);
  return { at: now(), service: described, serviceDeployment };
}
