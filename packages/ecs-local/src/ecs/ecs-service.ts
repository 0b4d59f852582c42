import { randomBytes } from 'node:crypto';
import { createDockerEngine, type DockerEngine } from '../docker-engine';
import { createLogsService } from '../logs';
import type { Service } from '../protocol';
import { clusterOperations } from './clusters';
import { lifecycleHookOperations } from './lifecycle-hooks';
import { createState, type EcsState } from './model';
import { type EcsOptions, resolveTimings } from './options';
import { runTaskOperations, watchOneOffTasks } from './run-task';
import { Scheduler } from './scheduler';
import { serviceDeploymentOperations } from './service-deployments';
import { serviceOperations } from './services';
import { taskDefinitionOperations } from './task-definitions';
import { TaskRunner } from './task-runner';
import { taskOperations } from './tasks';
import { type Listener, startListener } from './traffic';

export interface EcsService {
  /** Plug into `startEndpoint({ services: [ecs.service] })`. */
  service: Service;
  /** CloudWatch Logs of the awslogs containers (on the same endpoint: `startEcsLocal` adds it). */
  logs: Service;
  state: EcsState;
  /** This instance's label value: its containers carry `slipway.ecs-local=<instance>`. */
  instance: string;
  /** Puts a CloudWatch alarm in a state: a deployment that monitors it fails (and rolls back if set to). */
  setAlarmState(name: string, alarmState: 'OK' | 'ALARM'): void;
  /**
   * The production and test listeners of a service's load balancer (real HTTP, see traffic.ts), started on
   * first use and closed with the service.
   */
  listeners(service: string, cluster?: string): Promise<{ production: Listener; test: Listener }>;
  /** Stops the scheduler and removes every container this instance started. */
  close(): Promise<void>;
}

/** The ECS service: its operations, and the scheduler that runs tasks as Docker containers in the background. */
export function createEcsService(options: EcsOptions & { docker?: DockerEngine } = {}): EcsService {
  const state = createState(options.accountId ?? '123456789012');
  const timings = resolveTimings(options.timings);
  const instance = randomBytes(6).toString('hex');
  const runner = new TaskRunner(
    options.docker ?? createDockerEngine(),
    instance,
    options.namePrefix ?? 'ecs-local-',
    timings,
    options.rewriteImage,
    options.registryAuth,
  );
  const scheduler = new Scheduler(state, runner, timings, options.failureThreshold);
  scheduler.start();
  const logs = createLogsService(state);
  runner.beforeRemove = logs.keep;
  const stopOneOffWatch = watchOneOffTasks(state, runner, timings.tickMs);
  const listeners: Listener[] = [];
  return {
    service: {
      targetPrefix: 'AmazonEC2ContainerServiceV20141113',
      operations: {
        ...taskDefinitionOperations(state),
        ...clusterOperations(state),
        ...serviceOperations(state),
        ...taskOperations(state, runner),
        ...runTaskOperations(state, runner),
        ...serviceDeploymentOperations(state, options.failureThreshold),
        ...lifecycleHookOperations(state),
      },
    },
    logs: logs.service,
    state,
    instance,
    setAlarmState: (name, alarmState) => void state.alarms.set(name, alarmState),
    async listeners(name, cluster = 'default') {
      const service = state.services.find(
        (s) => s.name === name && s.cluster.name === cluster && s.status !== 'INACTIVE',
      );
      if (!service) throw new Error(`ecs-local: no service ${name} in cluster ${cluster}`);
      const production = await startListener(state, service, 'production');
      const test = await startListener(state, service, 'test');
      listeners.push(production, test);
      return { production, test };
    },
    async close() {
      await Promise.all(listeners.map((l) => l.close()));
      await scheduler.stop();
      await stopOneOffWatch();
      await runner.removeAll();
    },
  };
}
