// blue-green's phases (src/remote/sh/bg-*.sh) under dash and bash against the fake `docker`: golden call
// sequences. The real-host proof is actions/deploy-compose/__tests__/blue-green.test.ts.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keepTimerScript } from '../../src/compose-fleet/blue-green';
import { acquireLock } from '../../src/compose-fleet/host-lock';
import { type ProjectContext, projectScript } from '../../src/compose-fleet/project-script';
import type { Release } from '../../src/compose-fleet/release';
import { wrapRemoteScript } from '../../src/ssh/remote-script';
import type { SshSession } from '../../src/ssh/ssh-session';
import { all, ids, networksWithAliases, proxyIds, state } from './docker-calls';
import { type FakeHost, fakeHost, leftIn, nginxWorkers, type Rule, until } from './fake-host';

jest.setTimeout(60_000);

const release: Release = {
  id: 'R2',
  composeFiles: ['compose-0.yml'],
  projectDirectory: 'releases/R2',
  files: [],
  images: { web: 'registry.test/web@sha256:2' },
  services: [
    { name: 'web', public: true },
    { name: 'proxy', proxy: 'nginx' },
  ],
  gitSha: 'abc',
  actor: 'me',
  runUrl: 'https://example.test/run',
};
const context: ProjectContext = {
  place: { dir: 'app', project: 'shop' },
  timings: { healthTimeoutMs: 5_000, drainMs: 0, pollMs: 50 },
};
const up = { SERVICE: 'web', HTTP_CHECK: '', HEALTH_SECONDS: 5, UPSTREAM_PORTS: '' };
const address = 'inspect -f {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}';
/** The `service digest` lines of the release switched back to (R1). */
const digestsR1 = 'web sha256:f1\nproxy sha256:p1';
/** A switch back from new1 to the kept old1: old1 rejoins (a reload), new1 leaves (a reload), then stops. */
const switchBackCalls = [
  'docker inspect -f {{.State.Running}} old1',
  'docker network disconnect -f shop_default old1',
  'docker network connect --alias web --alias old1short shop_default old1',
  `docker ${proxyIds}`,
  nginxWorkers('p1'),
  'docker kill -s HUP p1',
  'docker network disconnect -f shop_default new1',
  'docker network connect shop_default new1',
  `docker ${proxyIds}`,
  nginxWorkers('p1'),
  'docker kill -s HUP p1',
  'docker stop new1',
  'docker rm -f new1',
];

/** The system's setsid, which a test's slow stand-in calls in the end. */
const setsidPath = ['/usr/bin/setsid', '/bin/setsid'].find(existsSync) ?? 'setsid';

/** A process that exists and is not a zombie (one the machine's init has not reaped yet counts as ended). */
function running(pid: string): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** web runs old1; bg-up makes new1 beside it. */
const oneOldOneNew: Rule[] = [
  { args: ids, stdout: 'old1\n', once: true },
  { args: all, stdout: 'old1\nnew1\n', once: true },
  { args: `${networksWithAliases} new1`, stdout: 'shop_default web new1short\n' },
  { args: `${networksWithAliases} old1`, stdout: 'shop_default web old1short\n' },
  { args: `${state} new1`, stdout: 'running healthy\n' },
  { args: `${address} new1`, stdout: '10.9.0.7 \n' },
  { args: proxyIds, stdout: 'p1\n' },
  { args: 'inspect -f {{.State.Running}} old1', stdout: 'true\n' },
  // after the switch, web's running containers are both; new1 is the current colour
  { args: ids, stdout: 'old1\nnew1\n' },
];

describe.each(['dash', 'bash'] as const)('blue-green phases under %s', (shell) => {
  let host: FakeHost;
  beforeEach(() => {
    host = fakeHost({ compose: 'v2' });
    host.answer(oneOldOneNew);
  });
  afterEach(async () => {
    // a timer a test left running (it would sleep on): its whole process group
    const pid = join(host.home, 'app/.slipway-bg/timer.pid');
    if (existsSync(pid)) await run(projectScript(context, release, 'bg-prepare', { TARGET_RELEASE: 'none' }));
    host.remove();
  });
  const run = (script: string) => host.run(shell, wrapRemoteScript(script, 60_000));
  const phase = (
    verb: Parameters<typeof projectScript>[2],
    values: Record<string, string | number | boolean>,
  ) => run(projectScript(context, release, verb, values));
  const keep = (seconds: number) =>
    phase('bg-keep', {
      SERVICES: 'web',
      FILES_DIGESTS: 'web sha256:f2',
      PREVIOUS_RELEASE: 'R1',
      KEEP_SECONDS: seconds,
      TIMER_SCRIPT: keepTimerScript(seconds),
    });
  const app = () => join(host.home, 'app');
  const stops = () => host.calls().filter((c) => /^docker (stop|rm)/.test(c));
  /** A deploy (a rollback, say) holds the project's lock, as lock-acquire.sh leaves it, for 10 more minutes. */
  const deployHoldsLock = () => {
    mkdirSync(join(app(), '.slipway.lock'), { recursive: true });
    const expires = Math.floor(Date.now() / 1000) + 600;
    writeFileSync(
      join(app(), '.slipway.lock/info'),
      `owner=rollback\nrun=https://example.test/run/9\ntoken=t9\nexpires=${expires}\n`,
    );
  };
  const switched = async () => {
    await phase('bg-up', up);
    await phase('bg-switch', { SERVICES: 'web', ENTRY_CHECK: false, ENTRY_SECONDS: 1 });
    host.answer(oneOldOneNew);
  };

  it('bg-up: the new colour starts out of rotation and stays there: no alias, no proxy reload, its address printed', async () => {
    const result = await phase('bg-up', up);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('new new1 10.9.0.7\n');
    expect(result.calls).toEqual([
      `docker ${ids}`,
      'docker compose version',
      expect.stringMatching(/ up --no-start --no-deps --no-recreate --scale web=2 web$/),
      `docker ${all}`,
      `docker ${networksWithAliases} old1`,
      `docker ${networksWithAliases} new1`,
      'docker network disconnect -f shop_default new1',
      'docker network connect shop_default new1',
      'docker start new1',
      `docker ${state} new1`,
      `docker ${address} new1`,
    ]);
  });

  it('bg-back before the switch (a failed pre-switch check): the new colour is removed, the old one and the proxy untouched', async () => {
    await phase('bg-up', up);
    host.answer(oneOldOneNew);
    const back = await phase('bg-back', { SERVICES: 'web' });
    expect(back.calls).toEqual(['docker rm -f new1']);
    expect(leftIn(join(host.home, 'app'))).toEqual(['.slipway-bg']);
  });

  it('bg-switch: the new colour joins the rotation (a reload) before the old one leaves it (a reload); bg-back reverses it', async () => {
    await phase('bg-up', up);
    host.answer(oneOldOneNew);
    const switched = await phase('bg-switch', { SERVICES: 'web', ENTRY_CHECK: false, ENTRY_SECONDS: 1 });
    expect(switched.calls).toEqual([
      'docker network disconnect -f shop_default new1',
      'docker network connect --alias web --alias new1short shop_default new1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
      'docker network disconnect -f shop_default old1',
      'docker network connect shop_default old1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
    ]);
    host.answer(oneOldOneNew);
    const back = await phase('bg-back', { SERVICES: 'web' });
    expect(back.calls).toEqual([
      'docker network disconnect -f shop_default old1',
      'docker network connect --alias web --alias old1short shop_default old1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
      'docker network disconnect -f shop_default new1',
      'docker network connect shop_default new1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
      'docker rm -f new1',
    ]);
  });

  it('bg-switch: the old colour leaves the rotation only once the first Nginx reload took effect (no worker from before it accepts)', async () => {
    await phase('bg-up', up);
    const workers = /^exec p1 sh -c cd \/proc /;
    host.answer([
      { args: workers, stdout: '7\n', once: true },
      // the first reload: worker 7 (which knows only the old colour) still accepts, then is shutting down
      { args: workers, stdout: '7\n9\n', once: true },
      { args: workers, stdout: '9\n', once: true },
      // the second reload: 9 (both colours) gives way to 11 (the new colour alone)
      { args: workers, stdout: '9\n', once: true },
      { args: workers, stdout: '11\n' },
      ...oneOldOneNew,
    ]);
    const switched = await phase('bg-switch', { SERVICES: 'web', ENTRY_CHECK: false, ENTRY_SECONDS: 1 });
    expect(switched.code).toBe(0);
    expect(switched.calls).toEqual([
      'docker network disconnect -f shop_default new1',
      'docker network connect --alias web --alias new1short shop_default new1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
      nginxWorkers('p1'),
      nginxWorkers('p1'),
      'docker network disconnect -f shop_default old1',
      'docker network connect shop_default old1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
      nginxWorkers('p1'),
    ]);
  });

  it('bg-keep: the old colour keeps running under a detached timer; the next deploy cancels it and stops the old colour', async () => {
    await phase('bg-up', up);
    await phase('bg-switch', { SERVICES: 'web', ENTRY_CHECK: false, ENTRY_SECONDS: 1 });
    host.answer(oneOldOneNew);
    const kept = await keep(600);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toBe('kept web old1\n');
    expect(kept.calls).toEqual([]);
    const app = join(host.home, 'app');
    expect(readFileSync(join(app, '.slipway-state/web.files'), 'utf8')).toBe('sha256:f2\n');
    const pid = readFileSync(join(app, '.slipway-bg/timer.pid'), 'utf8').trim();
    // the timer outlived the command's own process group (the watchdog stops that group when the script ends):
    // bg-keep returned once it ran in its own session
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('slipway-keep-previous');
    expect(running(pid)).toBe(true);
    host.answer(oneOldOneNew);
    const next = await phase('bg-prepare', { TARGET_RELEASE: 'R3' });
    expect(next.stdout).toBe('retired old1\n');
    expect(next.calls).toEqual([
      'docker inspect -f {{.State.Running}} old1',
      'docker stop old1',
      'docker rm -f old1',
    ]);
    expect(running(pid)).toBe(false);
    expect(leftIn(join(app, '.slipway-bg'))).toEqual([]);
  });

  it('bg-keep with KEEP_SECONDS=0: the old colour stops at once, nothing is kept', async () => {
    await phase('bg-up', up);
    await phase('bg-switch', { SERVICES: 'web', ENTRY_CHECK: false, ENTRY_SECONDS: 1 });
    host.answer(oneOldOneNew);
    const kept = await keep(0);
    expect(kept.stdout).toBe('');
    expect(kept.calls).toEqual(['docker stop old1', 'docker rm -f old1']);
    expect(leftIn(join(host.home, 'app/.slipway-bg'))).toEqual([]);
  });

  it('going back to the kept release switches back: the kept colour rejoins, the current one leaves (a reload after each), then it stops', async () => {
    mkdirSync(join(host.home, 'app/.slipway-state'), { recursive: true });
    writeFileSync(join(host.home, 'app/.slipway-state/web.files'), 'sha256:f1\n');
    await phase('bg-up', up);
    await phase('bg-switch', { SERVICES: 'web', ENTRY_CHECK: false, ENTRY_SECONDS: 1 });
    host.answer(oneOldOneNew);
    await keep(600);
    host.answer([
      { args: 'inspect -f {{.State.Running}} old1', stdout: 'true\n' },
      { args: proxyIds, stdout: 'p1\n' },
    ]);
    const back = await phase('bg-prepare', { TARGET_RELEASE: 'R1', FILES_DIGESTS: digestsR1 });
    expect(back.stdout).toBe('switched-back web\n');
    expect(back.calls).toEqual(switchBackCalls);
    // the files the kept colour runs with are the recorded ones again; its release folder is its own (no
    // `live`): nothing to copy, and a service not switched back (proxy) keeps its record
    const app = join(host.home, 'app');
    expect(readFileSync(join(app, '.slipway-state/web.files'), 'utf8')).toBe('sha256:f1\n');
    expect(existsSync(join(app, '.slipway-state/proxy.files'))).toBe(false);
    expect(existsSync(join(app, 'live'))).toBe(false);
    expect(leftIn(join(app, '.slipway-bg'))).toEqual([]);
  });

  /** Releases mounting their files from `live`: R1's folder on the host, `live` holding R2's files. */
  function liveFiles() {
    const app = join(host.home, 'app');
    for (const [dir, text] of [
      ['releases/R1', 'app R1\n'],
      ['live', 'app R2\n'],
    ]) {
      mkdirSync(join(app, dir, 'conf'), { recursive: true });
      writeFileSync(join(app, dir, 'conf/app.txt'), text);
    }
    writeFileSync(join(app, 'live/conf/r2-only.txt'), 'R2\n');
    mkdirSync(join(app, '.slipway-state'), { recursive: true });
    writeFileSync(join(app, '.slipway-state/proxy.files'), 'sha256:p2\n');
    return app;
  }
  const liveR1: Release = { ...release, id: 'R1', projectDirectory: 'live' };

  it('a switch back to a release whose files are in `live` makes them live again and records them for every service', async () => {
    const app = liveFiles();
    await phase('bg-up', up);
    await phase('bg-switch', { SERVICES: 'web', ENTRY_CHECK: false, ENTRY_SECONDS: 1 });
    host.answer(oneOldOneNew);
    await keep(600);
    host.answer([
      { args: 'inspect -f {{.State.Running}} old1', stdout: 'true\n' },
      { args: proxyIds, stdout: 'p1\n' },
    ]);
    const back = await run(
      projectScript(context, liveR1, 'bg-prepare', { TARGET_RELEASE: 'R1', FILES_DIGESTS: digestsR1 }),
    );
    expect(back.stdout).toBe('switched-back web\n');
    expect(back.calls).toEqual(switchBackCalls);
    expect(readFileSync(join(app, 'live/conf/app.txt'), 'utf8')).toBe('app R1\n');
    expect(existsSync(join(app, 'live/conf/r2-only.txt'))).toBe(false);
    // every service's record, not only the ones switched back: the proxy reloaded with R1's files
    expect(readFileSync(join(app, '.slipway-state/web.files'), 'utf8')).toBe('sha256:f1\n');
    expect(readFileSync(join(app, '.slipway-state/proxy.files'), 'utf8')).toBe('sha256:p1\n');
  });

  it('no switch back to a release whose files are in `live` when its folder is gone: the kept colour is retired', async () => {
    const app = liveFiles();
    rmSync(join(app, 'releases/R1'), { recursive: true });
    await phase('bg-up', up);
    await phase('bg-switch', { SERVICES: 'web', ENTRY_CHECK: false, ENTRY_SECONDS: 1 });
    host.answer(oneOldOneNew);
    await keep(600);
    host.answer([{ args: 'inspect -f {{.State.Running}} old1', stdout: 'true\n' }]);
    const back = await run(
      projectScript(context, liveR1, 'bg-prepare', { TARGET_RELEASE: 'R1', FILES_DIGESTS: digestsR1 }),
    );
    expect(back.stdout).toBe('retired old1\n');
    expect(readFileSync(join(app, 'live/conf/app.txt'), 'utf8')).toBe('app R2\n');
    expect(readFileSync(join(app, '.slipway-state/proxy.files'), 'utf8')).toBe('sha256:p2\n');
  });

  it.each([
    ['stopped', { args: 'inspect -f {{.State.Running}} old1', stdout: 'false\n' }],
    ['gone', { args: 'inspect -f {{.State.Running}} old1', code: 1, stdout: '' }],
  ])('a kept colour %s is not switched back to: it is removed, and the deploy goes on', async (_, rule) => {
    await phase('bg-up', up);
    await phase('bg-switch', { SERVICES: 'web', ENTRY_CHECK: false, ENTRY_SECONDS: 1 });
    host.answer(oneOldOneNew);
    await keep(600);
    host.answer([rule]);
    const back = await phase('bg-prepare', { TARGET_RELEASE: 'R1' });
    expect(back.stdout).toBe('retired old1\n');
    expect(back.calls.some((c) => c.includes('--alias'))).toBe(false);
  });

  it('the timer runs in its own session before bg-keep returns, however late setsid gets to run (a busy host)', async () => {
    // setsid that takes half a second to start: the timer stays in bg-keep's process group meanwhile, and the end
    // of bg-keep's command stops that group (group.sh). Before bg-keep waited for the timer, the timer died there
    // (seen once in a fresh-clone run: the kept colour was never stopped).
    host.program('setsid', `#!/bin/sh\nsleep 0.5\nexec ${setsidPath} "$@"\n`);
    await switched();
    const kept = await keep(600);
    expect(kept.code).toBe(0);
    const pid = readFileSync(join(app(), '.slipway-bg/timer.pid'), 'utf8').trim();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(running(pid)).toBe(true);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('slipway-keep-previous');
    // its own session: its process group is its own, not bg-keep's command's
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    expect(stat[2]).toBe(pid);
  });

  it('a timer that never gets a session of its own is said (`timer not-started`) after ~5 s, and the phase goes on', async () => {
    // a setsid that never runs the timer (and runs the rest: the remote command's own group): no pid is written
    host.program(
      'setsid',
      `#!/bin/sh\nif [ "$4" = slipway-keep-previous ]; then exit 0; fi\nexec ${setsidPath} "$@"\n`,
    );
    await switched();
    const started = Date.now();
    const kept = await keep(600);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toBe('timer not-started\nkept web old1\n');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('the timer when keep-previous ends, lock free: takes the deploy lock, stops and removes the kept colour, releases the lock', async () => {
    await switched();
    await keep(1);
    // (a detached timer on a loaded machine: generous bounds, as below; the good path takes 1-2 s)
    await until(() => !existsSync(join(app(), '.slipway-bg/previous')), 30_000);
    // released: the lock is renamed aside, then removed (lock-release.sh); wait for both
    await until(() => !leftIn(app()).some((f) => f.startsWith('.slipway.lock')), 15_000);
    expect(stops()).toEqual(['docker stop old1', 'docker rm -f old1']);
    expect(leftIn(app()).filter((f) => f.startsWith('.slipway'))).toEqual([
      '.slipway-bg',
      '.slipway-state',
      '.slipway-state/web.files',
    ]);
  });

  it("the timer when keep-previous ends while a deploy holds the lock: stops nothing (the kept colour is that deploy's); once the lock is free, it stops it", async () => {
    await switched();
    deployHoldsLock();
    const info = readFileSync(join(app(), '.slipway.lock/info'), 'utf8');
    await keep(1);
    // the window (1 s), the timer's wait for the lock (1 s), a retry 1 s later and its wait: still held
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(stops()).toEqual([]);
    expect(readFileSync(join(app(), '.slipway-bg/previous/web/old'), 'utf8')).toBe('old1\n');
    expect(readFileSync(join(app(), '.slipway.lock/info'), 'utf8')).toBe(info);
    // the deploy ends without having touched the kept colour (it failed before its first step): the timer retires it
    rmSync(join(app(), '.slipway.lock'), { recursive: true });
    // (a detached timer's retries on a loaded machine: generous bounds; the good path takes 1-3 s)
    await until(() => !existsSync(join(app(), '.slipway-bg/previous')), 30_000);
    await until(() => !leftIn(app()).some((f) => f.startsWith('.slipway.lock')), 15_000);
    expect(stops()).toEqual(['docker stop old1', 'docker rm -f old1']);
    expect(leftIn(join(app(), '.slipway-bg'))).toEqual([]);
  });

  it("a timer cancelled by a deploy while it waited for that deploy's lock stops nothing afterwards, not even the colour a newer blue-green keeps", async () => {
    await switched();
    deployHoldsLock();
    await keep(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // the deploy (holding the lock): the kept colour is retired, then a new blue-green keeps another one
    host.answer(oneOldOneNew);
    expect((await phase('bg-prepare', { TARGET_RELEASE: 'R3' })).stdout).toBe('retired old1\n');
    await switched();
    await keep(600);
    rmSync(join(app(), '.slipway.lock'), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(stops()).toEqual([]);
    expect(existsSync(join(app(), '.slipway-bg/previous/web/old'))).toBe(true);
    expect(existsSync(join(app(), '.slipway.lock'))).toBe(false);
  });

  it('a deploy that arrives while the timer holds the lock (stopping the kept colour) waits for it, and its log says what it waited for', async () => {
    await switched();
    host.answer([{ args: 'stop old1', sleep: 3 }]);
    await keep(1);
    await until(() => existsSync(join(app(), '.slipway.lock/info')));
    const logs: string[] = [];
    const session = {
      name: 'h1',
      async exec(script: string) {
        const result = await host.run(shell, wrapRemoteScript(script, 30_000));
        if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
        return result;
      },
    } as unknown as SshSession;
    const { lock } = await acquireLock(session, {
      dir: 'app',
      owner: 'deployer',
      runUrl: 'https://example.test/run/10',
      ttlMs: 60_000,
      waitMs: 20_000,
      pollMs: 200,
      warn: (m) => logs.push(`warn: ${m}`),
      log: (m) => logs.push(m),
    });
    // the deploy got the lock only once the timer had stopped the kept colour and released it
    expect(stops()).toEqual(['docker stop old1', 'docker rm -f old1']);
    expect(existsSync(join(app(), '.slipway-bg/previous'))).toBe(false);
    expect(readFileSync(join(app(), '.slipway.lock/info'), 'utf8')).toContain(`token=${lock.token}\n`);
    expect(logs).toEqual([
      'h1: waiting for the deploy lock held by the keep-previous timer, which is stopping the previous blue-green colour (it holds it for seconds).',
    ]);
  });
});
