import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputReader, mapInputs } from '@slipway/shared';
import { describeWithInfra } from '@slipway/testing';
import { getInputs } from '../src/inputs';
import { writeWebCompose } from './fixtures/app';
import {
  baseInputs,
  cleanHost,
  deploy,
  history,
  hostName,
  REMOTE_DIR,
  randomTag,
  sh,
} from './fixtures/hosts';
import { startTcpProxy } from './fixtures/tcp-proxy';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

describeWithInfra('deploy-compose refuses what it must refuse', (infra) => {
  const [, h2] = infra.ssh.hosts;
  const project = randomTag();
  const repo = `127.0.0.1:5000/${project}/web`;
  const canary = `/tmp/${project}-pwned`;
  const hostile = [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `x; touch ${canary}`,
    `"double" & spaces $HOME | >${canary}`,
  ];
  const compose = writeWebCompose(repo, ['A', 'B', 'C', 'D']);
  const env = hostile.map((v, i) => `${'ABCD'[i]}=${v}`).join('\n');
  let image = '';
  const inputs = (extra: Record<string, string> = {}) =>
    baseInputs(infra, [h2], project, compose, { images: `web=${image}`, env, ...extra });

  beforeAll(() => {
    image = buildWebImage(repo, 'v1');
  });
  afterAll(async () => {
    rmSync(dirname(compose), { recursive: true, force: true });
    await cleanHost(infra, h2, project);
  });

  it('a changed host key is refused before any command runs, naming the offered fingerprint', async () => {
    const wrong = await deploy({
      ...inputs(),
      hosts: `${hostName(h2)} ${infra.ssh.hosts[0].fingerprint}`,
      'known-hosts': '',
    });
    expect(wrong.error?.message).toContain(`host key ${h2.fingerprint} DOES NOT MATCH`);
    expect(wrong.error?.message).toContain('Nothing was run on it');
    expect(wrong.hosts[hostName(h2)]).toMatchObject({ status: 'failed' });
    expect(
      (await sh(infra, h2, `test -e ${REMOTE_DIR}/${project} && echo touched || echo untouched`)).trim(),
    ).toBe('untouched');
  });

  it('env values with shell metacharacters arrive literally; the canary never appears', async () => {
    const done = await deploy(inputs());
    expect(done.error).toBeUndefined();
    const seen = await sh(
      infra,
      h2,
      `c=$(docker ps -q --filter label=com.docker.compose.project=${project})
docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$c" | grep -E '^[ABCD]=' | sort
test -e ${canary} && echo PWNED || true`,
    );
    expect(seen.trim().split('\n')).toEqual(hostile.map((v, i) => `${'ABCD'[i]}=${v}`));
    expect(existsSync(canary)).toBe(false);
  });

  it.each([
    ['project', { project: `x$(touch ${canary})` }, /^Input "project" must be a Compose project name/],
    ['remote-dir', { 'remote-dir': `a;touch ${canary}` }, /^Input "remote-dir" must be a path/],
    ['hosts', { hosts: `u@h;touch ${canary}` }, /^Input "hosts" has a bad host/],
    [
      'images',
      { images: `$(touch ${canary})=r@sha256:${'a'.repeat(64)}` },
      /^Input "images" takes KEY=VALUE lines/,
    ],
  ])('rejects metacharacters in %s before connecting', (_name, extra, message) => {
    expect(() => getInputs(new InputReader(mapInputs({ ...inputs(), ...extra })))).toThrow(message);
  });

  it('rejects a hostile service name and the env name Slipway reserves without touching a host', async () => {
    const bad = writeWebCompose(repo).replace('docker-compose.yml', 'bad.yml');
    require('node:fs').writeFileSync(bad, `services:\n  "web;touch ${canary}":\n    image: x\n`);
    const named = await deploy({ ...inputs(), 'compose-file': bad, images: '' });
    expect(named.error?.message).toMatch(/the service name .* may contain only letters/);
    const reserved = await deploy({ ...inputs(), env: `SLIPWAY_DOLLAR=$(touch ${canary})` });
    expect(reserved.error?.message).toMatch(/^Input "env": SLIPWAY_DOLLAR is a name Slipway uses/);
    rmSync(dirname(bad), { recursive: true, force: true });
    expect(existsSync(canary)).toBe(false);
  });

  it('two deploys at once: the second fails clearly, naming the lock holder', async () => {
    const [a, b] = await Promise.all([deploy(inputs()), deploy(inputs())]);
    const errors = [a.error, b.error].filter(Boolean).map((e) => e?.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/The deploy lock of .* is held by another deploy \(owner=.*run=/);
    expect(
      (
        await sh(infra, h2, `test -e ${REMOTE_DIR}/${project}/.slipway.lock && echo held || echo free`)
      ).trim(),
    ).toBe('free');
  });

  it('a connection cut mid-deploy fails clearly; the lock expires; the history claims nothing', async () => {
    const proxy = await startTcpProxy(h2.port);
    const through = `${h2.user}@127.0.0.1:${proxy.port} ${h2.fingerprint}`;
    const v2 = buildWebImage(repo, 'v2');
    const running = deploy({
      ...inputs(),
      hosts: through,
      images: `web=${v2}`,
      'pre-deploy-command': 'sleep 8',
      'lock-ttl': '10s',
      'command-timeout': '12s',
    });
    for (let i = 0; i < 100; i++) {
      const state = await sh(infra, h2, `ps -o args= -u "$(id -u)" | grep -c "[s]leep 8" || true`);
      if (Number(state.trim()) > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await proxy.cut();
    const cut = await running;
    expect(cut.error?.message).toMatch(/connection to .* was lost|closed without an exit status/);
    expect(Object.values(cut.hosts)[0]).toMatchObject({ status: 'failed' });
    const lock = await sh(infra, h2, `cat ${REMOTE_DIR}/${project}/.slipway.lock/info`);
    expect(lock).toMatch(/^owner=.*\nrun=.*\ntoken=[0-9a-f]+\nexpires=\d+\n$/);
    const entries = await history(infra, h2, project);
    expect(entries.some((e) => e.images.web === v2)).toBe(false);
    // Past its expiry (lock-ttl, or the last phase's command-timeout, renewed when that phase began), the next
    // deploy takes the lock over (with a warning) and succeeds.
    for (let i = 0; i < 120; i++) {
      const expired = await sh(
        infra,
        h2,
        `[ "$(date +%s)" -gt "$(sed -n 's/^expires=//p' ${REMOTE_DIR}/${project}/.slipway.lock/info)" ] && echo yes || echo no`,
      );
      if (expired.trim() === 'yes') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const next = await deploy(inputs());
    expect(next.error).toBeUndefined();
  });
});
