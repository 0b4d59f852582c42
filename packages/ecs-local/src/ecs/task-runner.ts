import { DockerApiError, type DockerEngine, type RegistryAuth, registryOf } from '../docker-engine';
import { containerSpec } from './container-spec';
import {
  type ContainerRecord,
  type Json,
  nowSeconds,
  type TaskDefinitionRecord,
  type TaskRecord,
} from './model';
import type { EcsTimings } from './options';

export const INSTANCE_LABEL = 'slipway.ecs-local';

/**
 * Runs tasks as real Docker containers: creates and starts them (pulling the image when it is not local),
 * reads their state and health back, and stops and removes them. Every container carries the instance label,
 * so `removeAll()` finds each one this instance started.
 */
export class TaskRunner {
  private readonly inFlight = new Map<TaskRecord, Promise<void>>();
  private closed = false;
  private created = 0;
  /** Called before a container is removed (CloudWatch Logs keeps what it wrote). */
  beforeRemove?: (task: TaskRecord, record: ContainerRecord) => Promise<void>;

  constructor(
    private readonly docker: DockerEngine,
    private readonly instance: string,
    private readonly namePrefix: string,
    private readonly timings: EcsTimings,
    private readonly rewriteImage: (image: string) => string = (image) => image,
    private readonly registryAuth: Record<string, RegistryAuth> = {},
  ) {}

  /** Starts the task's containers in the background; the task moves PROVISIONING → PENDING → RUNNING. */
  launch(task: TaskRecord, definition: TaskDefinitionRecord): void {
    this.track(task, () => this.start(task, definition));
  }

  /** Runs `work` after whatever is under way for this task, so a stop waits for the start it interrupts. */
  private track(task: TaskRecord, work: () => Promise<void>) {
    const previous = this.inFlight.get(task) ?? Promise.resolve();
    const next = previous.then(work).catch(() => undefined);
    this.inFlight.set(task, next);
    void next.then(() => {
      if (this.inFlight.get(task) === next) this.inFlight.delete(task);
    });
  }

  private async start(task: TaskRecord, definition: TaskDefinitionRecord): Promise<void> {
    const containers = definition.body.containerDefinitions as Json[];
    task.lastStatus = 'PENDING';
    task.pullStartedAt = nowSeconds();
    for (const [index, container] of containers.entries()) {
      if (this.closed || task.desiredStatus === 'STOPPED') return;
      const record = task.containers[index];
      try {
        record.runtimeId = await this.createContainer(task, definition, container, record);
        await this.docker.start(record.runtimeId);
        record.lastStatus = 'RUNNING';
      } catch (error) {
        const pull = error instanceof PullError;
        const message = error instanceof Error ? error.message : String(error);
        record.reason = `${pull ? 'CannotPullContainerError' : 'CannotStartContainerError'}: ${message}`;
        record.lastStatus = 'STOPPED';
        task.pullStoppedAt ??= nowSeconds();
        task.failed = true;
        this.stop(task, 'TaskFailedToStart', record.reason);
        return;
      }
    }
    task.pullStoppedAt ??= nowSeconds();
    await this.refresh(task);
    if (task.desiredStatus === 'RUNNING') {
      task.lastStatus = 'RUNNING';
      task.startedAt = nowSeconds();
      task.version++;
    }
  }

  private async createContainer(
    task: TaskRecord,
    definition: TaskDefinitionRecord,
    container: Json,
    record: ContainerRecord,
  ) {
    const image = this.rewriteImage(String(container.image));
    const name =
      `${this.namePrefix}${definition.body.family}-${definition.body.revision}-${record.name}-${task.id}`.replace(
        /[^a-zA-Z0-9_.-]/g,
        '-',
      );
    const spec = containerSpec(container, image, this.labels(task, definition, record), this.timings);
    let id: string;
    try {
      id = await this.docker.create(name, spec);
    } catch (error) {
      if (!(error instanceof DockerApiError) || error.status !== 404) throw error;
      await this.docker.pull(image, this.registryAuth[registryOf(image)]).catch((pullError: Error) => {
        throw new PullError(`pull image manifest has been retried 1 time(s): ${pullError.message}`);
      });
      task.pullStoppedAt = nowSeconds();
      id = await this.docker.create(name, spec);
    }
    this.created++;
    record.imageDigest = await this.docker.imageDigest(image).catch(() => undefined);
    return id;
  }

  private labels(task: TaskRecord, definition: TaskDefinitionRecord, record: ContainerRecord) {
    return {
      [INSTANCE_LABEL]: this.instance,
      'com.amazonaws.ecs.cluster': task.cluster.name,
      'com.amazonaws.ecs.task-arn': task.arn,
      'com.amazonaws.ecs.container-name': record.name,
      'com.amazonaws.ecs.task-definition-family': String(definition.body.family),
      'com.amazonaws.ecs.task-definition-version': String(definition.body.revision),
    };
  }

  /** Reads the containers' state and health back from Docker into the task record. */
  async refresh(task: TaskRecord): Promise<void> {
    await Promise.all(
      task.containers.map(async (record) => {
        if (!record.runtimeId || record.lastStatus === 'STOPPED') return;
        const state = await this.docker.inspect(record.runtimeId);
        if (!state) {
          record.lastStatus = 'STOPPED';
          record.reason = 'The container was removed outside ecs-local.';
          return;
        }
        record.networkBindings = state.ports.map((p) => ({
          bindIP: p.hostIp,
          containerPort: p.containerPort,
          hostPort: p.hostPort,
          protocol: p.protocol,
        }));
        if (!state.running && state.status !== 'created') {
          record.lastStatus = 'STOPPED';
          record.exitCode = state.exitCode;
          if (state.oomKilled) record.reason = 'OutOfMemoryError: Container killed due to memory usage';
          else if (state.error) record.reason = state.error;
        }
        if (record.hasHealthCheck) {
          record.healthStatus =
            state.health === 'healthy' ? 'HEALTHY' : state.health === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
        }
      }),
    );
    const checked = task.containers.filter((c) => c.hasHealthCheck && c.essential);
    const health = checked.some((c) => c.healthStatus === 'UNHEALTHY')
      ? 'UNHEALTHY'
      : checked.length && checked.every((c) => c.healthStatus === 'HEALTHY')
        ? 'HEALTHY'
        : 'UNKNOWN';
    if (health !== task.healthStatus) {
      task.healthStatus = health;
      task.version++;
    }
  }

  /** Asks the task to stop (as ECS does: desired STOPPED at once, the containers stop in the background). */
  stop(task: TaskRecord, stopCode: string, reason: string): void {
    if (task.desiredStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    task.stoppingAt = nowSeconds();
    if (task.lastStatus === 'RUNNING') task.lastStatus = 'DEACTIVATING';
    task.version++;
    this.track(task, () => this.stopContainers(task));
  }

  private async stopContainers(task: TaskRecord): Promise<void> {
    task.lastStatus = task.lastStatus === 'DEACTIVATING' ? 'STOPPING' : task.lastStatus;
    await Promise.all(
      task.containers.map(async (record) => {
        if (!record.runtimeId) {
          record.lastStatus = 'STOPPED';
          return;
        }
        const timeout = this.timings.stopTimeoutSeconds ?? record.stopTimeout ?? 2;
        try {
          if (record.lastStatus !== 'STOPPED') await this.docker.stop(record.runtimeId, timeout);
          const state = await this.docker.inspect(record.runtimeId);
          if (state && record.exitCode === undefined) record.exitCode = state.exitCode;
        } finally {
          record.lastStatus = 'STOPPED';
          await this.beforeRemove?.(task, record).catch(() => undefined);
          await this.docker.remove(record.runtimeId).catch(() => undefined);
        }
      }),
    ).catch(() => undefined);
    task.lastStatus = 'STOPPED';
    task.stoppedAt = nowSeconds();
    task.version++;
  }

  /** Waits for every start and stop under way, then removes every container this instance ever started. */
  async removeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.inFlight.values()]);
    if (this.created === 0) return; // nothing to remove, and no need for a Docker daemon to say so
    const ids = await this.docker.listByLabel(`${INSTANCE_LABEL}=${this.instance}`);
    await Promise.all(ids.map((id) => this.docker.remove(id)));
  }
}

class PullError extends Error {}
