import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputReader, mapInputs } from '@slipway/shared';
import { describeWithInfra, type SshHost } from '@slipway/testing';
import { getInputs } from '../src/inputs';
import { defaultDeps } from '../src/main';
import { post } from '../src/post';
import { writeWebCompose } from './fixtures/app';
import { baseInputs, cleanHost, deploy, REMOTE_DIR, randomTag, sh } from './fixtures/hosts';
import { startTcpProxy } from './fixtures/tcp-proxy';
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
    sh(infra, host, `ps -o args= -u "$(id -u)" | grep -v grep | grep -c -F '${marker}' || true`);

  beforeAll(() => {
    image = buildWebImage(repo, 'v1');
  });
  afterAll(async () => {
    rmSync(dirname(compose), { recursive: true, force: true });
    await cleanHost(infra, h2, project);
  });

  it('a deploy that runs longer than lock-ttl keeps its lock: a second deploy meanwhile is refused', async () => {
    const marker = `${project}-long`;
    // The hook (in a one-off web container) runs until the test releases it (at most 60 s), not a fixed 25 s.
    const hook = `: ${marker}; i=0; until [ -e /released ] || [ $i -ge 60 ]; do sleep 1; i=$((i+1)); done`;
    const long = deploy(inputs({ 'lock-ttl': '10s', 'pre-deploy-command': hook }));
    await waitForProcess(h2, marker);
    // The lock was taken before the step began, so 12 s later its first expiry has passed.
    await new Promise((r) => setTimeout(r, 12_000));
    const second = await deploy(inputs({ 'lock-ttl': '10s' }));
    expect(second.error?.message).toMatch(/The deploy lock of .* is held by another deploy/);
    // the long deploy outlived its lock-ttl and was still running when refusing the second: let its hook end
    await sh(
      infra,
      h2,
      `docker ps -q --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.oneoff=True | xargs -r -I{} docker exec {} touch /released`,
    );
    const first = await long;
    expect(first.error).toBeUndefined();
    expect(
      (
        await sh(infra, h2, `test -e ${REMOTE_DIR}/${project}/.slipway.lock && echo held || echo free`)
      ).trim(),
    ).toBe('free');
  });

  it('after a connection cut mid-step, the post step stops the remote command before it frees the lock', async () => {
    const marker = `${project}-cut`;
    const proxy = await startTcpProxy(h2.port);
    const values = {
      ...inputs(),
      hosts: `${h2.user}@127.0.0.1:${proxy.port} ${h2.fingerprint}`,
      backup: `: ${marker}; sleep 41; echo ${marker} >> ${REMOTE_DIR}/${project}/late`,
      'command-timeout': '90s',
    };
    const running = deploy(values);
    await waitForProcess(h2, marker);
    await proxy.cut();
    const cut = await running;
    expect(cut.error?.message).toMatch(/connection to .* was lost|closed without an exit status/);
    expect(Number((await processes(h2, marker)).trim())).toBeGreaterThan(0);
    // The host is reachable again under the same name, as after a runner's network blip.
    const again = await startTcpProxy(h2.port, proxy.port);
    try {
      const state = cut.state;
      await post({ ...defaultDeps(), state: { save: () => undefined, get: (key) => state[key] } }, () =>
        getInputs(new InputReader(mapInputs(values))),
      );
    } finally {
      await again.cut();
    }
    expect(Number((await processes(h2, marker)).trim())).toBe(0);
    expect(Number((await processes(h2, 'sleep 41')).trim())).toBe(0);
    expect(
      (
        await sh(
          infra,
          h2,
          `test -e ${REMOTE_DIR}/${project}/.slipway.lock && echo held || echo free; cat ${REMOTE_DIR}/${project}/late 2>/dev/null || true`,
        )
      ).trim(),
    ).toBe('free');
  });
});
