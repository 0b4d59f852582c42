import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';
import { describeWithInfra } from '@slipway/testing';
import { createDockerEngine } from '../src';
import { localEcsClient, waitFor } from './ecs-client';
import {
  createService,
  describeService,
  registerWeb,
  tasksOf,
  uniqueName,
  useEcsLocal,
  waitForRollout,
} from './fixtures';

// Real containers on a machine other suites share: bounds for a hung test, not speed goals.
jest.setTimeout(60_000);

describeWithInfra('ecs-local deployments of a healthy image (real Docker containers)', () => {
  const docker = createDockerEngine();
  const local = useEcsLocal();
  let client: ECSClient;
  beforeAll(() => {
    client = local.client;
  });

  it('runs a new service to COMPLETED with a healthy container serving on its bound port', async () => {
    const name = uniqueName('web');
    const taskDefinition = await registerWeb(client, name);
    const created = await createService(client, name, taskDefinition);
    expect(created.deployments).toEqual([
      expect.objectContaining({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition }),
    ]);
    expect(created.deployments?.[0].id).toMatch(/^ecs-svc\/\d{19}$/);

    const service = await waitForRollout(client, name, 'COMPLETED');
    expect(service).toMatchObject({ status: 'ACTIVE', runningCount: 1, pendingCount: 0, desiredCount: 1 });
    expect(service.deployments?.[0].rolloutStateReason).toBe(
      `ECS deployment ${created.deployments?.[0].id} completed.`,
    );
    const messages = service.events?.map((e) => e.message) ?? [];
    expect(messages[0]).toBe(`(service ${name}) has reached a steady state.`);
    expect(messages).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\(service ${name}\\) has started 1 tasks: \\(task [0-9a-f]{32}\\)\\.$`),
      ),
    );

    const [task] = await tasksOf(client, name, 'RUNNING');
    expect(task).toMatchObject({
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      healthStatus: 'HEALTHY',
      group: `service:${name}`,
      startedBy: created.deployments?.[0].id,
      taskDefinitionArn: taskDefinition,
    });
    const container = task.containers![0];
    expect(container).toMatchObject({ name: 'web', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' });
    const inspected = await docker.inspect(container.runtimeId!);
    expect(inspected?.running).toBe(true);
    const binding = container.networkBindings![0];
    const body = await fetch(`http://127.0.0.1:${binding.hostPort}/`).then((r) => r.text());
    expect(body.trim()).toBe('ok');
  });

  it('replaces the tasks on an update and drains the old deployment', async () => {
    const name = uniqueName('roll');
    const first = await registerWeb(client, name);
    await createService(client, name, first);
    const before = await waitForRollout(client, name, 'COMPLETED');
    const [oldTask] = await tasksOf(client, name, 'RUNNING');
    const second = await registerWeb(client, name);

    const updated = await client.send(new UpdateServiceCommand({ service: name, taskDefinition: second }));
    const [primary, previous] = updated.service!.deployments!;
    expect(primary).toMatchObject({ status: 'PRIMARY', taskDefinition: second, rolloutState: 'IN_PROGRESS' });
    expect(previous).toMatchObject({
      status: 'ACTIVE',
      taskDefinition: first,
      id: before.deployments?.[0].id,
    });

    // The SDK's own waiter: stable is one deployment with every desired task running.
    const waited = await waitUntilServicesStable(
      { client, maxWaitTime: 45, minDelay: 1, maxDelay: 1 },
      { services: [name] },
    );
    expect(waited.state).toBe('SUCCESS');
    const after = await describeService(client, name);
    expect(after.taskDefinition).toBe(second);
    expect(after.deployments).toEqual([
      expect.objectContaining({ id: primary.id, rolloutState: 'COMPLETED' }),
    ]);
    const stopped = await tasksOf(client, name, 'STOPPED');
    expect(stopped).toEqual([
      expect.objectContaining({
        taskArn: oldTask.taskArn,
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: `Scaling activity initiated by (deployment ${primary.id})`,
      }),
    ]);
    const [running] = await tasksOf(client, name, 'RUNNING');
    expect(running.taskDefinitionArn).toBe(second);

    // The service deployments API tells the same story.
    const list = await client.send(new ListServiceDeploymentsCommand({ service: name }));
    expect(list.serviceDeployments?.map((d) => d.status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    const described = await client.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [after.currentServiceDeployment!] }),
    );
    expect(described.serviceDeployments?.[0]).toMatchObject({
      status: 'SUCCESSFUL',
      targetServiceRevision: { runningTaskCount: 1, requestedTaskCount: 1 },
      sourceServiceRevisions: [expect.objectContaining({ runningTaskCount: 0 })],
    });
  });

  it('runs every container of a task; a non-essential one may exit without stopping the task', async () => {
    const name = uniqueName('multi');
    const web = await registerWeb(client, name);
    const { taskDefinition } = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: web }));
    const [container] = taskDefinition!.containerDefinitions!;
    const out = await client.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        containerDefinitions: [
          container,
          { ...container, name: 'admin' },
          { name: 'migrate', image: 'local/busybox:1', essential: false, command: ['sh', '-c', 'exit 0'] },
        ],
      }),
    );
    await createService(client, name, out.taskDefinition!.taskDefinitionArn!);
    await waitForRollout(client, name, 'COMPLETED');
    const [task] = await tasksOf(client, name, 'RUNNING');
    expect(task.healthStatus).toBe('HEALTHY');
    const byName = Object.fromEntries(task.containers!.map((c) => [c.name, c]));
    expect(byName.web).toMatchObject({ lastStatus: 'RUNNING', healthStatus: 'HEALTHY' });
    expect(byName.admin).toMatchObject({ lastStatus: 'RUNNING', healthStatus: 'HEALTHY' });
    expect(byName.web.networkBindings?.[0].hostPort).not.toBe(byName.admin.networkBindings?.[0].hostPort);
    const migrate = await waitFor(
      () => tasksOf(client, name, 'RUNNING').then(([t]) => t.containers!.find((c) => c.name === 'migrate')!),
      (c) => c.lastStatus === 'STOPPED',
      'the non-essential container to exit',
    );
    expect(migrate.exitCode).toBe(0);
    expect((await tasksOf(client, name, 'RUNNING'))[0].lastStatus).toBe('RUNNING');
  });

  it('completes a deployment with desiredCount 0 at once', async () => {
    const name = uniqueName('zero');
    const created = await createService(client, name, await registerWeb(client, name), { desiredCount: 0 });
    expect(created.deployments?.[0]).toMatchObject({ rolloutState: 'COMPLETED', runningCount: 0 });
    expect(await tasksOf(client, name, 'RUNNING')).toEqual([]);
  });

  it('scales down to 0 without a new deployment', async () => {
    const name = uniqueName('down');
    await createService(client, name, await registerWeb(client, name));
    const done = await waitForRollout(client, name, 'COMPLETED');
    await client.send(new UpdateServiceCommand({ service: name, desiredCount: 0 }));
    const after = await waitFor(
      () => describeService(client, name),
      (s) => s.runningCount === 0,
      'scale to 0',
    );
    expect(after.deployments?.map((d) => d.id)).toEqual([done.deployments?.[0].id]);
    expect(await tasksOf(client, name, 'RUNNING')).toEqual([]);
  });

  it('injects throttling, access denied and expired tokens, and counts every call', async () => {
    const patient = localEcsClient(local.ecs.url, 3);
    const name = uniqueName('faults');
    await createService(client, name, await registerWeb(client, name), { desiredCount: 0 });
    const before = local.ecs.calls.length;
    local.ecs.faults.add({ operation: 'DescribeServices', error: 'ThrottlingException', times: 2 });
    const out = await patient.send(new DescribeServicesCommand({ services: [name] }));
    expect(out.services?.[0].serviceName).toBe(name);
    expect(local.ecs.calls.slice(before)).toEqual(
      Array(3).fill('AmazonEC2ContainerServiceV20141113.DescribeServices'),
    );

    local.ecs.faults.add({ operation: 'DescribeServices', error: 'AccessDeniedException', times: 1 });
    await expect(client.send(new DescribeServicesCommand({ services: [name] }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    local.ecs.faults.add({ operation: '*', error: 'ExpiredTokenException', times: 1 });
    await expect(patient.send(new DescribeServicesCommand({ services: [name] }))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
    });
    await expect(client.send(new DescribeServicesCommand({ services: [name] }))).resolves.toBeDefined();
    patient.destroy();
  });
});
