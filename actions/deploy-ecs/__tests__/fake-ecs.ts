import type { Deployment, Service, ServiceDeployment, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { EcsApi } from '@slipway/shared';
import type { TaskDefinitionInput } from '../src/render/normalise';

/** What happens to a deployment of a task definition, poll by poll, in the fake. */
export type Fate = 'healthy' | 'unhealthy' | 'stuck';

/**
 * An in-memory EcsApi for the flow tests of `run()`: deployments of a definition whose image contains "bad"
 * fail at the second poll (with ECS's rollback when the service's circuit breaker says so), others complete;
 * "stuck" ones never finish. The real protocol is exercised against ecs-local; this proves the decisions.
 */
export class FakeEcs implements EcsApi {
  calls: string[] = [];
  definitions: TaskDefinition[] = [];
  services = new Map<string, Service>();
  /** Errors thrown by the next calls of an operation, in order. */
  failNext: Record<string, Error[]> = {};
  private polls = new Map<string, number>();

  constructor(
    private readonly fate: (image: string) => Fate = (i) => (i.includes('bad') ? 'unhealthy' : 'healthy'),
  ) {}

  addDefinition(def: TaskDefinitionInput): TaskDefinition {
    const revision = this.definitions.filter((d) => d.family === def.family).length + 1;
    const registered: TaskDefinition = {
      ...structuredClone(def),
      taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${def.family}:${revision}`,
      revision,
      status: 'ACTIVE',
      compatibilities: ['EC2'],
    } as TaskDefinition;
    this.definitions.push(registered);
    return registered;
  }

  addService(name: string, taskDefinition: string, over: Partial<Service> = {}): void {
    this.services.set(name, {
      serviceName: name,
      serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/default/${name}`,
      status: 'ACTIVE',
      desiredCount: 2,
      taskDefinition,
      deployments: [
        {
          id: `ecs-svc/${name}-0`,
          status: 'PRIMARY',
          taskDefinition,
          rolloutState: 'COMPLETED',
          desiredCount: 2,
          runningCount: 2,
          createdAt: new Date(0),
        },
      ],
      events: [],
      ...over,
    });
  }

  private record(name: string): void {
    this.calls.push(name);
    const error = this.failNext[name]?.shift();
    if (error) throw error;
  }

  async describeServices(_cluster: string, names: readonly string[]): Promise<Service[]> {
    this.record('DescribeServices');
    return names.map((n) => {
      const service = this.services.get(n)!;
      this.advance(service);
      return structuredClone(service);
    });
  }

  async describeTaskDefinition(ref: string): Promise<TaskDefinition> {
    this.record('DescribeTaskDefinition');
    const found = ref.startsWith('arn:')
      ? this.definitions.find((d) => d.taskDefinitionArn === ref)
      : this.definitions
          .filter(
            (d) =>
              d.family === ref.split(':')[0] && (!ref.includes(':') || `${d.revision}` === ref.split(':')[1]),
          )
          .pop();
    if (!found)
      throw Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' });
    return structuredClone(found);
  }

  async findTaskDefinition(ref: string): Promise<TaskDefinition | undefined> {
    return this.describeTaskDefinition(ref).catch(() => undefined);
  }

  async registerTaskDefinition(def: TaskDefinitionInput): Promise<TaskDefinition> {
    this.record('RegisterTaskDefinition');
    return this.addDefinition(def);
  }

  async updateService(input: {
    service?: string;
    taskDefinition?: string;
    desiredCount?: number;
  }): Promise<Service> {
    this.record('UpdateService');
    const service = this.services.get(input.service!)!;
    const id = `ecs-svc/${service.serviceName}-${service.deployments!.length}`;
    for (const d of service.deployments!) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
    const desired = input.desiredCount ?? service.desiredCount!;
    service.deployments!.unshift({
      id,
      status: 'PRIMARY',
      taskDefinition: input.taskDefinition,
      rolloutState: 'IN_PROGRESS',
      desiredCount: desired,
      runningCount: 0,
      createdAt: new Date(),
    });
    service.taskDefinition = input.taskDefinition;
    service.desiredCount = desired;
    this.polls.set(id, 0);
    return structuredClone(service);
  }

  async describeServiceDeployment(_arn: string): Promise<ServiceDeployment | undefined> {
    return undefined;
  }

  async stoppedTasks(): Promise<Task[]> {
    this.record('ListTasks');
    return [
      {
        taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/default/abc',
        startedBy: 'x',
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'web', exitCode: 3, reason: 'boom' }],
      },
    ];
  }

  /** Moves the primary deployment one poll on. */
  private advance(service: Service): void {
    const primary = service.deployments!.find(
      (d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS',
    );
    if (!primary) return;
    const polls = (this.polls.get(primary.id!) ?? 0) + 1;
    this.polls.set(primary.id!, polls);
    if (polls < 2) return;
    const def = this.definitions.find((d) => d.taskDefinitionArn === primary.taskDefinition)!;
    const fate = this.fate(def.containerDefinitions!.map((c) => c.image).join(' '));
    if (fate === 'healthy') complete(service, primary);
    if (fate === 'unhealthy') {
      primary.rolloutState = 'FAILED';
      primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
      primary.failedTasks = 3;
      service.events!.unshift({
        id: `e-${primary.id}`,
        createdAt: new Date(),
        message: `(service ${service.serviceName}) deployment ${primary.id} deployment failed: tasks failed to start.`,
      });
      if (service.deploymentConfiguration?.deploymentCircuitBreaker?.rollback) {
        const previous = service.deployments!.find((d) => d.status === 'ACTIVE')!;
        primary.status = 'ACTIVE';
        const back: Deployment = {
          ...previous,
          id: `${primary.id}-rollback`,
          status: 'PRIMARY',
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${previous.id}.`,
          createdAt: new Date(),
        };
        service.deployments!.unshift(back);
        service.taskDefinition = back.taskDefinition;
      }
    }
  }
}

function complete(service: Service, d: Deployment): void {
  d.rolloutState = 'COMPLETED';
  d.runningCount = d.desiredCount;
  service.deployments = [d];
  service.events!.unshift({
    id: `done-${d.id}`,
    createdAt: new Date(),
    message: `(service ${service.serviceName}) has reached a steady state.`,
  });
}
