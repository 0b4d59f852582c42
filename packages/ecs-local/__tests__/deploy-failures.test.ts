import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describeWithInfra } from '@slipway/testing';
import { waitFor } from './ecs-client';
import {
  createService,
  describeService,
  FAST,
  registerWeb,
  tasksOf,
  uniqueName,
  useEcsLocal,
  waitForRollout,
} from './fixtures';

const BREAKER = { deploymentCircuitBreaker: { enable: true, rollback: true } };

// Real containers on a machine other suites share: bounds for a hung test, not speed goals.
jest.setTimeout(60_000);

describeWithInfra('ecs-local failing deployments: circuit breaker, rollback, superseding', () => {
  const local = useEcsLocal();
  let client: ECSClient;
  beforeAll(() => {
    client = local.client;
  });

  /** A service on a healthy revision, COMPLETED, then updated to `bad`; returns the bad deployment's id. */
  async function deployBadOverGood(name: string, bad: 'unhealthy' | 'exits', deploymentConfiguration = {}) {
    const good = await registerWeb(client, name);
    await createService(client, name, good, { deploymentConfiguration });
    const first = await waitForRollout(client, name, 'COMPLETED');
    const badArn = await registerWeb(client, name, bad);
    const updated = await client.send(new UpdateServiceCommand({ service: name, taskDefinition: badArn }));
    return { good, badArn, first: first.deployments![0], bad: updated.service!.deployments![0] };
  }

  it('an unhealthy image trips the circuit breaker and ECS rolls back to the last completed definition', async () => {
    const name = uniqueName('breaker');
    const { good, badArn, first, bad } = await deployBadOverGood(name, 'unhealthy', BREAKER);

    const failing = await waitForRollout(client, name, 'FAILED', bad.id);
    const failed = failing.deployments!.find((d) => d.id === bad.id);
    expect(failed).toMatchObject({
      taskDefinition: badArn,
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(failed?.failedTasks).toBeGreaterThanOrEqual(2);
    const service = await waitForRollout(client, name, 'COMPLETED');
    const rollback = service.deployments!.find((d) => d.status === 'PRIMARY')!;
    expect(rollback).toMatchObject({
      taskDefinition: good,
      rolloutStateReason: `ECS deployment ${rollback.id} completed.`,
    });
    expect(rollback.id).not.toBe(first.id);
    expect(service.taskDefinition).toBe(good);
    expect(service.deployments).toHaveLength(1); // the failed one drained and left

    const messages = service.events!.map((e) => e.message);
    expect(messages).toContain(
      `(service ${name}) deployment ${bad.id} deployment failed: tasks failed to start.`,
    );
    expect(messages).toContain(`(service ${name}) rolling back to deployment ${first.id}.`);
    expect(messages.indexOf(`(service ${name}) has reached a steady state.`)).toBe(0);

    const stopped = (await tasksOf(client, name, 'STOPPED')).filter((t) => t.taskDefinitionArn === badArn);
    expect(stopped.length).toBeGreaterThanOrEqual(2);
    for (const task of stopped) {
      expect(task).toMatchObject({
        lastStatus: 'STOPPED',
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Task failed container health checks',
        healthStatus: 'UNHEALTHY',
        startedBy: bad.id,
      });
      expect(task.containers?.[0].exitCode).toEqual(expect.any(Number));
    }
    const [running] = await tasksOf(client, name, 'RUNNING');
    expect(running).toMatchObject({
      taskDefinitionArn: good,
      healthStatus: 'HEALTHY',
      startedBy: rollback.id,
    });

    // The service deployments API: one deployment, rolled back, with the revision it went back to.
    const [latest, original] = (await client.send(new ListServiceDeploymentsCommand({ service: name })))
      .serviceDeployments!;
    expect(latest.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(original.status).toBe('SUCCESSFUL');
    const [detail] = (
      await client.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [latest.serviceDeploymentArn!] }),
      )
    ).serviceDeployments!;
    expect(detail).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      statusReason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.',
      rollback: { serviceRevisionArn: original.targetServiceRevisionArn },
      deploymentCircuitBreaker: { status: 'MONITORING', threshold: 2 },
      sourceServiceRevisions: [expect.objectContaining({ arn: original.targetServiceRevisionArn })],
    });
    const revisions = await client.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: [detail.rollback!.serviceRevisionArn!] }),
    );
    expect(revisions.serviceRevisions?.[0].taskDefinition).toBe(good);
  });

  it('without the circuit breaker an exiting image keeps failing tasks and the old task keeps serving', async () => {
    const name = uniqueName('nobreaker');
    const { good, badArn, bad } = await deployBadOverGood(name, 'exits');

    const service = await waitFor(
      () => describeService(client, name),
      // Two failures would trip a breaker with this suite's threshold of 2.
      (s) => (s.deployments?.find((d) => d.id === bad.id)?.failedTasks ?? 0) >= 2,
      'two failed tasks',
    );
    expect(service.deployments?.find((d) => d.id === bad.id)?.rolloutState).toBe('IN_PROGRESS');
    const stopped = await tasksOf(client, name, 'STOPPED');
    expect(stopped.length).toBeGreaterThanOrEqual(2);
    for (const task of stopped) {
      expect(task).toMatchObject({
        taskDefinitionArn: badArn,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
      });
      expect(task.containers?.[0]).toMatchObject({ exitCode: 3, lastStatus: 'STOPPED' });
    }
    const running = await tasksOf(client, name, 'RUNNING');
    expect(running.filter((t) => t.taskDefinitionArn === good && t.lastStatus === 'RUNNING')).toHaveLength(1);
  });

  it('with the breaker but no rollback the deployment FAILS and stops launching', async () => {
    const name = uniqueName('norollback');
    const { bad } = await deployBadOverGood(name, 'exits', {
      deploymentCircuitBreaker: { enable: true, rollback: false },
    });
    const service = await waitForRollout(client, name, 'FAILED', bad.id);
    expect(service.deployments?.[0]).toMatchObject({ id: bad.id, status: 'PRIMARY', failedTasks: 2 });
    // No more tasks for the failed deployment: only the old one still runs.
    const running = await tasksOf(client, name, 'RUNNING');
    expect(running.map((t) => t.startedBy)).toEqual([service.deployments?.[1].id]);
    const list = await client.send(new ListServiceDeploymentsCommand({ service: name }));
    expect(list.serviceDeployments?.[0]).toMatchObject({
      status: 'STOPPED',
      statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
  });

  it('a newer UpdateService supersedes the deployment in flight', async () => {
    const name = uniqueName('supersede');
    const { bad } = await deployBadOverGood(name, 'unhealthy');
    const newest = await registerWeb(client, name);
    const updated = await client.send(new UpdateServiceCommand({ service: name, taskDefinition: newest }));
    const primary = updated.service!.deployments![0];
    expect(updated.service?.deployments?.find((d) => d.id === bad.id)?.status).toBe('ACTIVE');

    const service = await waitForRollout(client, name, 'COMPLETED', primary.id);
    expect(service.deployments?.map((d) => d.id)).toEqual([primary.id]);
    const [, superseded] = (await client.send(new ListServiceDeploymentsCommand({ service: name })))
      .serviceDeployments!;
    expect(superseded).toMatchObject({
      status: 'STOPPED',
      statusReason: 'Service deployment stopped because a newer service deployment started.',
    });
  });

  it('StopServiceDeployment with ROLLBACK puts the service back on the last completed revision', async () => {
    const name = uniqueName('stop');
    const { good, bad } = await deployBadOverGood(name, 'unhealthy');
    const service = await describeService(client, name);
    const arn = service.currentServiceDeployment!;
    await client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    // Stopped again while rolling back: ECS "continues the rollback operation" (no error, nothing new).
    await expect(
      client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    ).resolves.toMatchObject({ serviceDeploymentArn: arn });
    const stopping = await describeService(client, name);
    expect(stopping.deployments?.find((d) => d.id === bad.id)).toMatchObject({
      status: 'ACTIVE',
      rolloutState: 'FAILED',
    });
    expect(stopping.deployments?.[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: good });

    const after = await waitForRollout(client, name, 'COMPLETED');
    expect(after.taskDefinition).toBe(good);
    const detail = await waitFor(
      () => client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })),
      (out) => out.serviceDeployments?.[0].status === 'ROLLBACK_SUCCESSFUL',
      'ROLLBACK_SUCCESSFUL',
    );
    expect(detail.serviceDeployments?.[0].rollback?.reason).toMatch(/StopServiceDeployment/);
    await expect(
      client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
  });
});

describeWithInfra('ecs-local: ECS starts its rollback a moment after failing the deployment', () => {
  const local = useEcsLocal(() => ({ timings: { ...FAST.timings, rollbackAfterMs: 1500 } }));

  it('the failed deployment stays PRIMARY and FAILED, ROLLBACK_REQUESTED, until the rollback starts', async () => {
    const { client } = local;
    const name = uniqueName('late');
    const good = await registerWeb(client, name);
    await createService(client, name, good, { deploymentConfiguration: BREAKER });
    await waitForRollout(client, name, 'COMPLETED');
    const badArn = await registerWeb(client, name, 'unhealthy');
    const updated = await client.send(new UpdateServiceCommand({ service: name, taskDefinition: badArn }));
    const bad = updated.service!.deployments![0];
    const failing = await waitForRollout(client, name, 'FAILED', bad.id);
    expect(failing.deployments?.[0]).toMatchObject({ id: bad.id, status: 'PRIMARY', rolloutState: 'FAILED' });
    const sdArn = updated.service!.currentServiceDeployment!;
    const requested = await client.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [sdArn] }),
    );
    expect(requested.serviceDeployments?.[0].status).toBe('ROLLBACK_REQUESTED');

    const after = await waitForRollout(client, name, 'COMPLETED');
    expect(after.taskDefinition).toBe(good);
    const rollback = after.deployments!.find((d) => d.status === 'PRIMARY')!;
    expect(
      rollback.createdAt!.getTime() - failing.deployments![0].updatedAt!.getTime(),
    ).toBeGreaterThanOrEqual(1000);
  });
});
