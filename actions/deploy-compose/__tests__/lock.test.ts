import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeWithInfra, type SshHost } from '@slipway/testing';
import { writeWebCompose } from './fixtures/app';
import { baseInputs, cleanHost, deploy, REMOTE_DIR, randomTag, sh } from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

describeWithInfra('deploy-compose keeps its deploy lock', (infra) => {
  const [, h2] = infra.ssh.hosts;
  const project = randomTag();
  const repo = `127.0.0.1:5000/${project}/web`;
  const compose = writeWebCompose(repo);
  let image = '';
  const inputs = (extra: Record<string, string> = {}) =>
    baseInputs(infra, [h2], project, compose, { images: `web=${image}`, ...extra });
  /** Waits until a process of the SSH user whose arguments contain `marker` runs on the host. */
  const waitForProcess = async (host: SshHost, marker: string) => {
    for (let i = 0; i < 300; i++) {
      if (Number((await processes(host, marker)).trim()) > 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no process with ${marker} started`);
  };
  const processes = (host: SshHost, marker: string) =>
    sh(infra, host, `ps -o args= -u "$(id -u)" | grep -v grep | grep -c -F ${marker} || true`);

  beforeAll(() => {
    image = buildWebImage(repo, 'v1');
  });
  afterAll(async () => {
    rmSync(dirname(compose), { recursive: true, force: true });
    await cleanHost(infra, h2, project);
  });

  it('a deploy that runs longer than lock-ttl keeps its lock: a second deploy meanwhile is refused', async () => {
    const marker = `${project}-long`;
    const long = deploy(inputs({ 'lock-ttl': '10s', 'pre-deploy': `: ${marker}; sleep 25` }));
    await waitForProcess(h2, marker);
    // The lock was taken before the step began, so 12 s later its first expiry has passed.
    await new Promise((r) => setTimeout(r, 12_000));
    const second = await deploy(inputs({ 'lock-ttl': '10s' }));
    expect(second.error?.message).toMatch(/The deploy lock of .* is held by another deploy/);
    const first = await long;
    expect(first.error).toBeUndefined();
    expect(
      (
        await sh(infra, h2, `test -e ${REMOTE_DIR}/${project}/.slipway.lock && echo held || echo free`)
      ).trim(),
    ).toBe('free');
  });
});
