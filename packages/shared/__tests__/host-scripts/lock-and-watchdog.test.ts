// The lock, the watchdog and the registry login's cleanup (src/remote/sh), run under dash and bash on a fake
// host: no sshd, no Docker.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_RELEASE_FILES } from '../../src/compose-fleet/host-lock';
import { projectScript } from '../../src/compose-fleet/project-script';
import { hostScript } from '../../src/remote/host-script';
import { wrapRemoteScript } from '../../src/ssh/remote-script';
import { type FakeHost, fakeHost, leftIn, until } from './fake-host';

jest.setTimeout(30_000);

const lock = (token: string, ttl: number) =>
  hostScript(
    {
      LOCK_PARENT: 'app',
      LOCK_TOKEN: token,
      LOCK_INFO: `owner=${token}\nrun=r\ntoken=${token}`,
      LOCK_TTL: ttl,
    },
    'lock-acquire',
  );
const release = (token: string) =>
  hostScript({ LOCK_PARENT: 'app', LOCK_TOKEN: token }, ...LOCK_RELEASE_FILES);
const renew = (token: string) =>
  `${hostScript({ LOCK_PARENT: 'app', LOCK_TOKEN: token, LOCK_SECONDS: 60 }, 'lock-renew')}\necho renewed`;
const last = (stdout: string) => stdout.trim().split('\n').at(-1);

describe.each(['dash', 'bash'] as const)('under %s', (shell) => {
  let host: FakeHost;
  beforeEach(() => {
    host = fakeHost();
  });
  afterEach(() => host.remove());
  const run = (script: string, timeoutMs = 60_000, stdin?: string) =>
    host.run(shell, wrapRemoteScript(script, timeoutMs), stdin);

  it('lock: the first run acquires; another is told who holds it; the holder renews it; a stranger cannot', async () => {
    expect(last((await run(lock('a', 60))).stdout)).toBe('acquired');
    const held = await run(lock('b', 60));
    expect(held.stdout).toMatch(/^owner=a\nrun=r\ntoken=a\nexpires=\d+\nheld\n$/);
    expect((await run(renew('a'))).stdout).toBe('renewed\n');
    const stranger = await run(renew('b'));
    expect(stranger.code).toBe(75);
    expect(stranger.stderr).toContain('the deploy lock of app is no longer held by this run');
    expect(stranger.stdout).toBe('');
  });

  it('lock: of eight runs that find the same stale lock at once, exactly one ends up holding it', async () => {
    await run(lock('old', -10));
    const tokens = ['c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const results = await Promise.all(tokens.map((t) => run(lock(t, 60))));
    // The one that takes the stale lock over, or one that finds the lock gone in the instant between the
    // takeover's removal and its new lock (then the taker is told "held"): never two.
    const holders = results.filter((r) => last(r.stdout) !== 'held');
    expect(holders).toHaveLength(1);
    expect(['acquired', 'taken-over']).toContain(last(holders[0].stdout));
    const info = readFileSync(join(host.home, 'app/.slipway.lock/info'), 'utf8');
    expect(info).toContain(`token=${tokens[results.indexOf(holders[0])]}`);
    expect(leftIn(join(host.home, 'app'))).toEqual(['.slipway.lock', '.slipway.lock/info']);
  });

  it("lock: release frees only the holder's lock", async () => {
    await run(lock('a', 60));
    await run(release('b'));
    expect(existsSync(join(host.home, 'app/.slipway.lock/info'))).toBe(true);
    await run(release('a'));
    expect(leftIn(join(host.home, 'app'))).toEqual([]);
  });

  it('watchdog: a command past its time is stopped, with everything it started, and says so', async () => {
    const started = Date.now();
    const result = await run('sleep 30 & sleep 31; echo never', 1_000);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('the command ran longer than 1s; stopping its processes');
    expect(leftIn(host.tmp)).toEqual([]);
  });

  it('releasing the lock stops the deploy phase still running under it (the post step of a cancelled run)', async () => {
    await run(lock('a', 60));
    const phase = host.start(
      shell,
      wrapRemoteScript(
        `${hostScript({ LOCK_PARENT: 'app', LOCK_TOKEN: 'a', LOCK_SECONDS: 60 }, 'lock-renew')}\nsleep 30`,
        60_000,
      ),
    );
    await until(() => existsSync(join(host.home, 'app/.slipway.lock/pgid')));
    const released = await run(release('a'));
    expect(released.stdout).toMatch(/^stopping process group \d+\n$/);
    const result = await phase.done;
    expect(result.code).not.toBe(0);
    expect(leftIn(join(host.home, 'app'))).toEqual([]);
  });
});

describe.each(['dash', 'bash'] as const)('registry credentials on a host, under %s', (shell) => {
  let host: FakeHost;
  beforeEach(() => {
    host = fakeHost();
  });
  afterEach(() => host.remove());
  const context = {
    place: { dir: 'app', project: 'shop' },
    timings: { healthTimeoutMs: 5_000, drainMs: 0, pollMs: 50 },
    lock: { handle: { dir: 'app', token: 'a' }, seconds: 60 },
  };
  const release = {
    id: 'R1',
    composeFiles: ['c.yml'],
    files: [],
    images: {},
    services: [],
    gitSha: '',
    actor: '',
    runUrl: '',
  };
  const pull = projectScript(context, release, 'pull', {
    REGISTRY_HOST: 'registry.test',
    REGISTRY_USER: 'u',
  });
  /** The pull hangs for `seconds`; `docker login` writes the password where DOCKER_CONFIG says. */
  const hangingPull = (seconds: number) =>
    host.answer([
      { args: 'login --username u --password-stdin -- registry.test', login: true },
      { args: /pull --quiet$/, sleep: seconds },
    ]);
  const credentials = () => leftIn(host.tmp).filter((f) => f.endsWith('config.json'));
  const start = (timeoutMs = 60_000) => {
    const running = host.start(shell, wrapRemoteScript(pull, timeoutMs), 's3cret-password');
    return running;
  };
  beforeEach(async () => {
    await host.run(shell, wrapRemoteScript(lock('a', 60), 60_000));
  });

  it('are gone when the pull ends (and were there while it ran)', async () => {
    hangingPull(1);
    const running = start();
    await until(() => credentials().length === 1);
    expect(readFileSync(join(host.tmp, credentials()[0]), 'utf8')).toContain('s3cret-password');
    expect((await running.done).code).toBe(0);
    expect(leftIn(host.tmp)).toEqual([]);
    expect(leftIn(host.home).filter((f) => f.includes('.docker'))).toEqual([]);
  });

  it('are gone when the watchdog stops a hanging pull (command-timeout)', async () => {
    hangingPull(30);
    const running = start(2_000);
    await until(() => credentials().length === 1);
    const result = await running.done;
    expect(result.stderr).toContain('ran longer than 2s');
    await until(() => leftIn(host.tmp).length === 0, 6_000);
  });

  it('are gone when the run is cancelled (the post step releases the lock, stopping the pull)', async () => {
    hangingPull(30);
    const running = start();
    await until(() => credentials().length === 1);
    await host.run(
      shell,
      wrapRemoteScript(hostScript({ LOCK_PARENT: 'app', LOCK_TOKEN: 'a' }, ...LOCK_RELEASE_FILES), 60_000),
    );
    await running.done;
    await until(() => leftIn(host.tmp).length === 0, 6_000);
  });

  it('are gone when the connection is lost mid-pull', async () => {
    hangingPull(2);
    const running = start();
    await until(() => credentials().length === 1);
    running.hangUp();
    await running.done;
    expect(credentials()).toHaveLength(1);
    await until(() => leftIn(host.tmp).length === 0, 8_000);
  });

  it('are gone when the login fails', async () => {
    host.answer([{ args: 'login --username u --password-stdin -- registry.test', login: true, code: 1 }]);
    const result = await start().done;
    expect(result.code).toBe(1);
    expect(leftIn(host.tmp)).toEqual([]);
  });
});
