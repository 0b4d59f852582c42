import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { describeWithInfra, type Infra } from '@slipway/testing';
import { waitFor } from './ecs-client';
import { createService, registerWeb, tasksOf, uniqueName, useEcsLocal, waitForRollout } from './fixtures';

const docker = (args: string[], input?: string) =>
  execFileSync('docker', args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();

// Real containers on a machine other suites share: bounds for a hung test, not speed goals.
jest.setTimeout(60_000);

describeWithInfra('ecs-local pulls task images that are not on the daemon', (infra: Infra) => {
  const repository = `ecs-local-pull-${randomBytes(3).toString('hex')}`;
  const login = () => infra.registry.auth;
  const image = () => `${login().host}/${repository}:1`;
  const local = useEcsLocal(() => ({
    registryAuth: { [login().host]: { username: login().username, password: login().password } },
  }));
  let client: ECSClient;
  let digest = '';

  beforeAll(() => {
    client = local.client;
    const { host, username, password } = login();
    // Pushed to the registry that needs a login, then the tag removed, so only a pull can bring it back. The
    // login lives in a throw-away docker config, removed at once: no credential is left in a file.
    const config = mkdtempSync(join(tmpdir(), 'ecs-local-docker-config-'));
    try {
      docker(['--config', config, 'login', host, '-u', username, '--password-stdin'], password);
      docker(['tag', infra.images.busybox, image()]);
      digest = /digest: (sha256:[0-9a-f]{64})/.exec(docker(['--config', config, 'push', image()]))![1];
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
    docker(['rmi', image()]);
  });
  afterAll(async () => {
    const { host, username, password } = login();
    const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    await fetch(`http://${host}/v2/${repository}/manifests/${digest}`, {
      method: 'DELETE',
      headers: { authorization: auth },
    });
    // Untags only (the image is local/busybox's); the digest reference may or may not have been recorded.
    for (const ref of [image(), `${host}/${repository}@${digest}`]) {
      try {
        docker(['rmi', ref]);
      } catch {}
    }
    expect(docker(['images', '-q', `${host}/${repository}`]).trim()).toBe('');
  });

  it('pulls with the registry login and reports the image digest', async () => {
    const name = uniqueName('pull');
    const web = await registerWeb(client, name);
    const { taskDefinition } = await client.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        containerDefinitions: [{ ...(await describeFirst(web)), image: image() }],
      }),
    );
    await createService(client, name, taskDefinition!.taskDefinitionArn!);
    await waitForRollout(client, name, 'COMPLETED');
    const [task] = await tasksOf(client, name, 'RUNNING');
    expect(task.containers?.[0]).toMatchObject({
      image: image(),
      imageDigest: digest,
      healthStatus: 'HEALTHY',
    });
    expect(task.pullStartedAt).toBeInstanceOf(Date);
  });

  it('an image that does not exist fails the task to start with CannotPullContainerError', async () => {
    const name = uniqueName('nopull');
    const missing = `${infra.registry.open}/ecs-local-missing-${randomBytes(3).toString('hex')}:1`;
    const { taskDefinition } = await client.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        containerDefinitions: [{ name: 'app', image: missing }],
      }),
    );
    await createService(client, name, taskDefinition!.taskDefinitionArn!);
    const [task] = await waitFor(
      () => tasksOf(client, name, 'STOPPED'),
      (tasks) => tasks.some((t) => t.lastStatus === 'STOPPED'),
      'a stopped task',
    );
    expect(task).toMatchObject({
      stopCode: 'TaskFailedToStart',
      stoppedReason: expect.stringMatching(/^CannotPullContainerError: pull image manifest has been retried/),
      containers: [expect.objectContaining({ reason: expect.stringMatching(/^CannotPullContainerError/) })],
    });
  });

  async function describeFirst(taskDefinitionArn: string) {
    const out = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    return out.taskDefinition!.containerDefinitions![0];
  }
});
