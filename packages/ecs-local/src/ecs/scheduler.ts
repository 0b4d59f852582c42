import { advanceStage, isBlueGreen } from './blue-green';
import { addEvent, completeDeployment, failDeployment, startDueRollback } from './deployments';
import { requireTaskDefinition } from './lookup';
import {
  type DeploymentRecord,
  type EcsState,
  type Json,
  nowSeconds,
  type ServiceRecord,
  type TaskRecord,
} from './model';
import { newTask } from './new-task';
import { breakerThreshold, type EcsTimings } from './options';
import type { TaskRunner } from './task-runner';

// ECS says so when a service's tasks keep failing (it also slows its launches; ecs-local does not).
const UNABLE_AFTER = 3;
const UNABLE =
  'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

/** Counts as serving: running, and healthy where a health check says so. */
export function isHealthy(task: TaskRecord): boolean {
  const checked = task.containers.some((c) => c.hasHealthCheck && c.essential);
  return task.lastStatus === 'RUNNING' && (!checked || task.healthStatus === 'HEALTHY');
}

/**
 * The service scheduler: every tick it reads the tasks' containers back from Docker, stops the tasks that
 * exited or failed their health checks, trips the circuit breaker, launches and drains tasks within the
 * deployment's minimum-healthy / maximum percent, and declares steady state.
 */
export class Scheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly state: EcsState,
    private readonly runner: TaskRunner,
    private readonly timings: EcsTimings,
    private readonly failureThreshold?: number,
  ) {}

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick().catch((error) => {
        process.emitWarning(`ecs-local scheduler: ${error instanceof Error ? error.message : error}`);
      });
      void this.running.then(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.timings.tickMs);
      });
    };
    this.timer = setTimeout(loop, this.timings.tickMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    const live = this.state.tasks.filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING');
    await Promise.all(live.map((t) => this.runner.refresh(t).catch(() => undefined)));
    for (const service of this.state.services) {
      if (service.status === 'INACTIVE') continue;
      if (service.status === 'DRAINING') this.drain(service);
      else this.reconcile(service);
    }
    this.forgetInactive();
  }

  private tasksOf(service: ServiceRecord, deployment?: DeploymentRecord) {
    return this.state.tasks.filter(
      (t) =>
        t.service === service &&
        t.desiredStatus === 'RUNNING' &&
        (!deployment || t.deployment === deployment),
    );
  }

  private reconcile(service: ServiceRecord): void {
    this.judgeTasks(service);
    const primary = service.deployments.find((d) => d.status === 'PRIMARY');
    if (!primary) return;
    if (primary.rolloutState === 'IN_PROGRESS') this.checkFailure(service, primary);
    startDueRollback(this.state, service, primary);
    // A failure with rollback made a new primary.
    const current = service.deployments.find((d) => d.status === 'PRIMARY')!;
    this.scale(service, current);
    this.checkSteadyState(service, current);
  }

  /** The two ways ECS fails a deployment: the circuit breaker's threshold, and a deployment alarm in ALARM. */
  private checkFailure(service: ServiceRecord, primary: DeploymentRecord): void {
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker as Json | undefined;
    const threshold = breakerThreshold(primary.desiredCount, breaker, this.failureThreshold);
    if (breaker?.enable && primary.failedTasks >= threshold) {
      failDeployment(this.state, service, primary, {
        rollback: breaker.rollback === true,
        rollbackAfterMs: this.timings.rollbackAfterMs,
      });
      return;
    }
    const alarms = service.deploymentConfiguration.alarms as Json | undefined;
    const names = alarms?.enable ? ((alarms.alarmNames as string[] | undefined) ?? []) : [];
    const firing = names.filter((n) => this.state.alarms.get(n) === 'ALARM');
    if (firing.length) {
      const list = firing.join(', ');
      primary.triggeredAlarms = firing;
      failDeployment(this.state, service, primary, {
        rollback: alarms?.rollback === true,
        reason: `ECS deployment failed: alarm(s) ${list} in ALARM state.`,
        by: 'alarms',
        rollbackReason: `Service deployment rolled back because alarm(s) ${list} went into ALARM state.`,
        event: `deployment ${primary.id} deployment failed: alarm detected.`,
        rollbackAfterMs: this.timings.rollbackAfterMs,
      });
    }
  }

  /** Stops tasks whose essential container exited or that failed health checks after the grace period. */
  private judgeTasks(service: ServiceRecord): void {
    const graceMs = this.timings.healthGraceMs ?? service.healthCheckGracePeriodSeconds * 1000;
    for (const task of this.tasksOf(service)) {
      if (task.lastStatus !== 'RUNNING') continue;
      const exited = task.containers.find((c) => c.essential && c.lastStatus === 'STOPPED');
      if (exited) {
        task.failed = true;
        this.runner.stop(task, 'EssentialContainerExited', 'Essential container in task exited');
        addEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
      } else if (task.healthStatus === 'UNHEALTHY' && Date.now() - (task.startedAt ?? 0) * 1000 >= graceMs) {
        task.failed = true;
        this.runner.stop(task, 'ServiceSchedulerInitiated', 'Task failed container health checks');
        addEvent(service, `(task ${task.id}) failed container health checks.`);
        addEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
      } else if (isHealthy(task) && !task.everHealthy) {
        task.everHealthy = true;
        const breaker = service.deploymentConfiguration.deploymentCircuitBreaker as Json | undefined;
        if (task.deployment && breaker?.resetOnHealthyTask !== false) task.deployment.failedTasks = 0;
      }
    }
    for (const task of this.state.tasks) {
      if (task.service === service && task.failed && !task.failureCounted && task.deployment) {
        task.failureCounted = true;
        task.deployment.failedTasks++;
        task.deployment.updatedAt = nowSeconds();
        if (task.deployment.failedTasks === UNABLE_AFTER && !task.deployment.warnedUnable) {
          task.deployment.warnedUnable = true;
          addEvent(service, UNABLE);
        }
      }
    }
  }

  /** Rolling update within minimumHealthyPercent and maximumPercent of the desired count. */
  private scale(service: ServiceRecord, primary: DeploymentRecord): void {
    const config = service.deploymentConfiguration;
    const desired = primary.desiredCount;
    let maxTotal = Math.max(desired, Math.floor((desired * Number(config.maximumPercent ?? 200)) / 100));
    const minHealthy = Math.ceil((desired * Number(config.minimumHealthyPercent ?? 100)) / 100);
    const drainReason = `Scaling activity initiated by (deployment ${primary.id})`;
    const stopped: TaskRecord[] = [];
    const old = this.tasksOf(service).filter((t) => t.deployment !== primary);
    let removable = this.tasksOf(service).filter(isHealthy).length - minHealthy;
    if (isBlueGreen(config) && primary.rolloutState === 'IN_PROGRESS') {
      const greenReady = this.tasksOf(service, primary).filter(isHealthy).length >= desired;
      const stage = advanceStage(this.state, service, primary, greenReady, this.timings);
      removable = stage.drainBlue ? old.length : 0;
      // Held before scale-up (a PRE_SCALE_UP pause): no green task yet.
      maxTotal = stage.launch ? desired + old.length : 0;
    }
    for (const task of old.sort((a, b) => Number(isHealthy(a)) - Number(isHealthy(b)))) {
      if (isHealthy(task) && removable <= 0) continue;
      if (isHealthy(task)) removable--;
      this.runner.stop(task, 'ServiceSchedulerInitiated', drainReason);
      stopped.push(task);
    }
    const mine = this.tasksOf(service, primary).sort((a, b) => Number(isHealthy(a)) - Number(isHealthy(b)));
    for (const task of mine.slice(0, Math.max(0, mine.length - desired))) {
      this.runner.stop(task, 'ServiceSchedulerInitiated', drainReason);
      stopped.push(task);
    }
    if (stopped.length) {
      addEvent(
        service,
        `has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${t.id})`).join(' ')}.`,
      );
    }
    if (primary.rolloutState === 'FAILED') return; // the breaker stops launching for a failed deployment
    const count = Math.min(
      desired - this.tasksOf(service, primary).length,
      maxTotal - this.tasksOf(service).length,
    );
    const started = Array.from({ length: Math.max(0, count) }, () => this.launch(service, primary));
    if (started.length) {
      addEvent(
        service,
        `has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`,
      );
    }
  }

  private launch(service: ServiceRecord, deployment: DeploymentRecord): TaskRecord {
    const definition = requireTaskDefinition(this.state, deployment.taskDefinition);
    const task = newTask(this.state, service, deployment, definition);
    this.state.tasks.push(task);
    this.runner.launch(task, definition);
    return task;
  }

  private checkSteadyState(service: ServiceRecord, primary: DeploymentRecord): void {
    const healthy = this.tasksOf(service, primary).filter(isHealthy).length;
    const others = this.state.tasks.some(
      (t) => t.service === service && t.deployment !== primary && t.lastStatus !== 'STOPPED',
    );
    if (primary.rolloutState === 'COMPLETED') {
      // Scaled after completing (or still draining): ECS says "steady state" again once it gets there.
      const steady = healthy === primary.desiredCount && this.tasksOf(service).length === healthy && !others;
      if (steady && service.steady === false) addEvent(service, 'has reached a steady state.');
      service.steady = steady;
      return;
    }
    if (primary.rolloutState !== 'IN_PROGRESS') return;
    if (healthy < primary.desiredCount || others) {
      primary.healthySince = undefined;
      return;
    }
    primary.healthySince ??= Date.now();
    const alarms = service.deploymentConfiguration.alarms as Json | undefined;
    const wait = this.timings.steadyStateMs + (alarms?.enable ? this.timings.alarmBakeMs : 0);
    if (Date.now() - primary.healthySince >= wait) completeDeployment(service, primary);
  }

  private drain(service: ServiceRecord): void {
    for (const task of this.tasksOf(service)) {
      this.runner.stop(task, 'ServiceSchedulerInitiated', 'Service is being deleted');
    }
    if (!this.state.tasks.some((t) => t.service === service && t.lastStatus !== 'STOPPED')) {
      service.status = 'INACTIVE';
    }
  }

  /** Drops INACTIVE deployments after their retention, and stopped tasks after an hour, as ECS does. */
  private forgetInactive(): void {
    const now = nowSeconds();
    const cutoff = now - this.timings.inactiveRetentionMs / 1000;
    for (const service of this.state.services) {
      service.deployments = service.deployments.filter(
        (d) => d.status !== 'INACTIVE' || d.updatedAt > cutoff,
      );
    }
    const taskCutoff = now - 3600;
    if (this.state.tasks.some((t) => (t.stoppedAt ?? now) < taskCutoff)) {
      this.state.tasks = this.state.tasks.filter((t) => (t.stoppedAt ?? now) >= taskCutoff);
    }
  }
}
