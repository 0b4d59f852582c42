import { createEcsService, type EcsService } from '../src';
import { FakeDocker } from './fake-docker';

// The scheduler's rules over a fake Docker: what needs no real container, each in milliseconds.
const caller = { accessKeyId: 'AKIDLOCAL', region: 'eu-west-1' };
// biome-ignore lint/suspicious/noExplicitAny: operation outputs are JSON the tests read freely
type Out = Record<string, any>;

function setUp(failureThreshold = 2) {
  const docker = new FakeDocker();
  const ecs = createEcsService({
    docker,
    failureThreshold,
    timings: { tickMs: 5, steadyStateMs: 0, alarmBakeMs: 0, bakeMs: 200 },
  });
  const call = async (operation: string, input: Record<string, unknown>) =>
    (await ecs.service.operations[operation](input, caller)) as Out;
  return { docker, ecs, call };
}

async function until<T>(read: () => Promise<T> | T, done: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ecs-local scheduler (fake Docker)', () => {
  let ecs: EcsService;
  afterEach(async () => ecs?.close());

  /** One container whose health the fake decides from the image name. */
  const register = (call: ReturnType<typeof setUp>['call'], family: string, image: string) =>
    call('RegisterTaskDefinition', {
      family,
      containerDefinitions: [{ name: 'app', image, healthCheck: { command: ['CMD-SHELL', 'true'] } }],
    });

  async function service(
    call: ReturnType<typeof setUp>['call'],
    image: string,
    extra: Record<string, unknown> = {},
  ) {
    const name = `svc-${image}`;
    const td = await register(call, name, image);
    await call('CreateService', { serviceName: name, taskDefinition: td.taskDefinition.family, ...extra });
    return name;
  }
  const describe1 = (call: ReturnType<typeof setUp>['call'], name: string) =>
    call('DescribeServices', { services: [name] }).then((o) => o.services[0]);
  const primaryState = (call: ReturnType<typeof setUp>['call'], name: string, state: string) =>
    until(
      () => describe1(call, name),
      (s) => s.deployments[0].rolloutState === state,
      `${name} ${state}`,
    );

  async function update(call: ReturnType<typeof setUp>['call'], name: string, image: string) {
    const td = await register(call, name, image);
    return call('UpdateService', { service: name, taskDefinition: td.taskDefinition.taskDefinitionArn });
  }

  it('with minimumHealthyPercent 0 and maximumPercent 100 stops old tasks before starting new ones', async () => {
    const { docker, call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'healthy', {
      desiredCount: 2,
      deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 },
    });
    await primaryState(call, name, 'COMPLETED');
    await update(call, name, 'healthy-2');
    await primaryState(call, name, 'COMPLETED');
    expect(docker.peakRunning).toBe(2);
    expect(docker.running('healthy-2')).toBe(2);
  });

  it('with minimumHealthyPercent 100 keeps the desired count healthy through the update', async () => {
    const { docker, call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'healthy', { desiredCount: 2 });
    await primaryState(call, name, 'COMPLETED');
    await update(call, name, 'healthy-2');
    await primaryState(call, name, 'COMPLETED');
    expect(docker.healthyLeftAtStop).toHaveLength(2);
    for (const left of docker.healthyLeftAtStop) expect(left).toBeGreaterThanOrEqual(2);
    expect(docker.peakRunning).toBe(4);
  });

  it('BLUE_GREEN starts the whole green fleet, bakes, then drains blue, reporting each lifecycle stage', async () => {
    const { docker, call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'healthy', {
      desiredCount: 2,
      deploymentConfiguration: { strategy: 'BLUE_GREEN', maximumPercent: 100, bakeTimeInMinutes: 1 },
    });
    await primaryState(call, name, 'COMPLETED');
    const updated = await update(call, name, 'slow');
    const arn = updated.service.currentServiceDeployment;
    const stage = () =>
      call('DescribeServiceDeployments', { serviceDeploymentArns: [arn] }).then(
        (o) => o.serviceDeployments[0],
      );
    expect((await until(stage, (sd) => sd.lifecycleStage === 'SCALE_UP', 'SCALE_UP')).status).toBe(
      'IN_PROGRESS',
    );
    await until(stage, (sd) => sd.lifecycleStage === 'BAKE_TIME', 'BAKE_TIME');
    expect(docker.running()).toBe(4);
    const done = await until(stage, (sd) => sd.status === 'SUCCESSFUL', 'SUCCESSFUL');
    expect(done.lifecycleStage).toBe('CLEAN_UP');
    expect(docker.running('slow')).toBe(2);
    for (const left of docker.healthyLeftAtStop) expect(left).toBeGreaterThanOrEqual(2);
  });

  it('an image that cannot be pulled fails to start; the breaker fails a first deployment without rollback', async () => {
    const { call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'missing', {
      desiredCount: 1,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    const svc = await primaryState(call, name, 'FAILED');
    expect(svc.deployments[0].failedTasks).toBe(2);
    const stopped = await call('ListTasks', { serviceName: name, desiredStatus: 'STOPPED' });
    const { tasks } = await call('DescribeTasks', { tasks: stopped.taskArns });
    expect(tasks[0]).toMatchObject({
      stopCode: 'TaskFailedToStart',
      stoppedReason: expect.stringMatching(/^CannotPullContainerError: .*manifest unknown/),
      containers: [expect.objectContaining({ reason: expect.stringMatching(/^CannotPullContainerError/) })],
    });
    const list = await call('ListServiceDeployments', { service: name });
    expect(list.serviceDeployments[0].status).toBe('STOPPED');
  });

  it('while ECS rolls back, the rollback deployment says where it goes back to', async () => {
    const { call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'slow', {
      desiredCount: 1,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    const first = (await primaryState(call, name, 'COMPLETED')).deployments[0];
    await update(call, name, 'unhealthy');
    const rolling = await until(
      () => describe1(call, name),
      (s) => s.deployments[0].id !== first.id && s.deployments[0].taskDefinition === first.taskDefinition,
      'the rollback deployment',
    );
    expect(rolling.deployments[0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${first.id}.`,
    });
    expect(rolling.deployments[1]).toMatchObject({ status: 'ACTIVE', rolloutState: 'FAILED' });
    const [sd] = (
      await call('DescribeServiceDeployments', { serviceDeploymentArns: [rolling.currentServiceDeployment] })
    ).serviceDeployments;
    expect(sd.status).toBe('ROLLBACK_IN_PROGRESS');
    await primaryState(call, name, 'COMPLETED');
  });

  it('without a breaker keeps replacing failing tasks and says it cannot start them consistently', async () => {
    const { call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'exits', { desiredCount: 1 });
    const svc = await until(
      () => describe1(call, name),
      (s) => s.deployments[0].failedTasks >= 4,
      'four failed tasks',
    );
    expect(svc.deployments[0].rolloutState).toBe('IN_PROGRESS');
    const unable = svc.events.filter((e: Out) => e.message.includes('is unable to consistently start tasks'));
    expect(unable).toHaveLength(1);
    expect(unable[0].message).toMatch(
      /^\(service svc-exits\) is unable to consistently start tasks successfully\./,
    );
  });

  it('a deployment alarm in ALARM fails the deployment and rolls back', async () => {
    const { call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'healthy', {
      desiredCount: 1,
      deploymentConfiguration: { alarms: { enable: true, rollback: true, alarmNames: ['p99-latency'] } },
    });
    const first = await primaryState(call, name, 'COMPLETED');
    ecs.setAlarmState('p99-latency', 'ALARM');
    const updated = await update(call, name, 'healthy-2');
    const badId = updated.service.deployments[0].id;
    const after = await until(
      () => describe1(call, name),
      (s) => s.deployments.find((d: Out) => d.id === badId)?.rolloutState === 'FAILED',
      'alarm failure',
    );
    ecs.setAlarmState('p99-latency', 'OK');
    expect(after.deployments.find((d: Out) => d.id === badId).rolloutStateReason).toBe(
      'ECS deployment failed: alarm(s) p99-latency in ALARM state.',
    );
    const done = await primaryState(call, name, 'COMPLETED');
    expect(done.taskDefinition).toBe(first.taskDefinition);
    const [sd] = (
      await call('DescribeServiceDeployments', {
        serviceDeploymentArns: [updated.service.currentServiceDeployment],
      })
    ).serviceDeployments;
    expect(sd).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      alarms: { status: 'MONITORING', triggeredAlarmNames: ['p99-latency'] },
    });
  });

  it('ignores failed health checks during the grace period, then stops the task', async () => {
    const { docker, call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'unhealthy', { desiredCount: 1, healthCheckGracePeriodSeconds: 3600 });
    const [arn] = (
      await until(
        () => call('ListTasks', { serviceName: name }),
        (o) => o.taskArns.length === 1,
        'a task',
      )
    ).taskArns;
    const seen = docker.inspections;
    await until(
      () => docker.inspections,
      (n) => n > seen + 20,
      'twenty more inspections',
    );
    const { tasks } = await call('DescribeTasks', { tasks: [arn] });
    expect(tasks[0]).toMatchObject({
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      healthStatus: 'UNHEALTHY',
    });

    await call('UpdateService', { service: name, healthCheckGracePeriodSeconds: 0 });
    const stopped = await until(
      () => call('DescribeTasks', { tasks: [arn] }),
      (o) => o.tasks[0].desiredStatus === 'STOPPED',
      'the task stopped',
    );
    expect(stopped.tasks[0].stoppedReason).toBe('Task failed container health checks');
  });

  it('scaling a completed service reaches a steady state again, without a new deployment', async () => {
    const { call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'healthy', { desiredCount: 1 });
    const before = await primaryState(call, name, 'COMPLETED');
    const steady = (s: Out) =>
      s.events.filter((e: Out) => e.message.endsWith('has reached a steady state.')).length;
    expect(steady(before)).toBe(1);
    await call('UpdateService', { service: name, desiredCount: 3 });
    const after = await until(
      () => describe1(call, name),
      (s) => s.runningCount === 3 && steady(s) === 2,
      'three running and a steady state',
    );
    expect(after.deployments.map((d: Out) => d.id)).toEqual([before.deployments[0].id]);
    expect(after.events[0].message).toBe(`(service ${name}) has reached a steady state.`);
  });

  it('StopTask stops a task for the user and the scheduler replaces it', async () => {
    const { call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'healthy', { desiredCount: 1 });
    await primaryState(call, name, 'COMPLETED');
    const [arn] = (await call('ListTasks', { serviceName: name })).taskArns;
    const out = await call('StopTask', { task: arn, reason: 'testing' });
    expect(out.task).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'testing',
    });
    const running = await until(
      () => call('ListTasks', { serviceName: name }),
      (o) => o.taskArns.length === 1 && o.taskArns[0] !== arn,
      'a replacement',
    );
    expect(running.taskArns[0]).not.toBe(arn);
  });

  it('DeleteService refuses a scaled service without force, and drains it with force', async () => {
    const { docker, call, ...rest } = setUp();
    ecs = rest.ecs;
    const name = await service(call, 'healthy', { desiredCount: 1 });
    await primaryState(call, name, 'COMPLETED');
    await expect(call('DeleteService', { service: name })).rejects.toMatchObject({
      type: 'InvalidParameterException',
    });
    const deleted = await call('DeleteService', { service: name, force: true });
    expect(deleted.service.status).toBe('DRAINING');
    await until(
      () => describe1(call, name),
      (s) => s.status === 'INACTIVE',
      'INACTIVE',
    );
    expect(docker.running()).toBe(0);
    await expect(call('UpdateService', { service: name, desiredCount: 1 })).rejects.toMatchObject({
      type: 'ServiceNotActiveException',
    });
  });

  it('refuses bad service input with ECS errors and no side effect', async () => {
    const { docker, call, ...rest } = setUp();
    ecs = rest.ecs;
    await expect(call('CreateService', { serviceName: 'x', taskDefinition: 'nope:1' })).rejects.toMatchObject(
      {
        type: 'ClientException',
        message: 'TaskDefinition not found.',
      },
    );
    await expect(
      call('CreateService', { serviceName: 'x', taskDefinition: 'a', cluster: 'nope' }),
    ).rejects.toMatchObject({
      type: 'ClusterNotFoundException',
    });
    const name = await service(call, 'healthy', { desiredCount: 0 });
    await expect(
      call('CreateService', { serviceName: name, taskDefinition: `${name}:1` }),
    ).rejects.toMatchObject({
      message: 'Creation of service was not idempotent.',
    });
    await expect(call('UpdateService', { service: name, desiredCount: -1 })).rejects.toMatchObject({
      type: 'InvalidParameterException',
    });
    await expect(
      call('UpdateService', { service: name, deploymentConfiguration: { minimumHealthyPercent: 150 } }),
    ).rejects.toMatchObject({ type: 'InvalidParameterException' });
    await expect(call('UpdateService', { service: 'missing' })).rejects.toMatchObject({
      type: 'ServiceNotFoundException',
    });
    expect(docker.containers.size).toBe(0);
  });
});
