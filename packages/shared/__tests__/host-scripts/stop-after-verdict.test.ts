// The stop after a roll's verdict (roll-finish.sh queues, lock-release.sh hands the lock over, retire.sh stops),
// run under dash and bash on a fake host with the real lock code of host-lock.ts: no sshd, no Docker.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, type LockHandle, releaseLock } from '../../src/compose-fleet/host-lock';
import { type ProjectContext, projectScript } from '../../src/compose-fleet/project-script';
import type { Release } from '../../src/compose-fleet/release';
import { wrapRemoteScript } from '../../src/ssh/remote-script';
import type { SshSession } from '../../src/ssh/ssh-session';
import { type FakeHost, fakeHost, queuedIn, until } from './fake-host';

jest.setTimeout(30_000);

const release: Release = {
  id: 'R2',
  composeFiles: ['compose-0.yml'],
  projectDirectory: 'releases/R2',
  files: [],
  images: { web: 'registry.test/web@sha256:2' },
  services: [{ name: 'web' }],
  gitSha: 'abc',
  actor: 'me',
  runUrl: 'https://example.test/run',
};
const context: ProjectContext = {
  place: { dir: 'app', project: 'shop' },
  timings: { healthTimeoutMs: 5_000, drainMs: 1_000, pollMs: 50 },
};
const roll = {
  SERVICE: 'web',
  HTTP_CHECK: '',
  HEALTH_SECONDS: 5,
  UPSTREAM_PORTS: '',
  FILES_DIGEST: 'sha256:f2',
  ENTRY_CHECK: false,
  ENTRY_SECONDS: 1,
};
const all =
  'ps -aq --no-trunc --filter label=com.docker.compose.project=shop --filter label=com.docker.compose.service=web';
const gone = 'inspect -f {{.Id}}';
const grace = 'inspect -f {{if .Config.StopTimeout}}{{.Config.StopTimeout}}{{else}}10{{end}} old1';

describe.each(['dash', 'bash'] as const)('the stop after the verdict, under %s', (shell) => {
  let host: FakeHost;
  beforeEach(() => {
    host = fakeHost();
  });
  afterEach(async () => {
    // a detached stop a failing test left: let it end before its folder goes
    await until(() => !existsSync(join(app(), '.slipway-retire')), 15_000).catch(() => undefined);
    host.remove();
  });
  const app = () => join(host.home, 'app');
  /** The fake host as an SSH session, so the lock's own code (host-lock.ts) runs against it. */
  const session: SshSession = {
    name: 'fake',
    exec: async (script, options) => {
      const result = await host.run(shell, wrapRemoteScript(script, options?.timeoutMs ?? 60_000));
      if (result.code !== 0 && !options?.allowFailure) throw new Error(`${options?.label}: ${result.stderr}`);
      return { code: result.code ?? 1, stdout: result.stdout, stderr: result.stderr, timedOut: false };
    },
    upload: async () => undefined,
    close: () => undefined,
  };
  const take = (owner: string, log: (message: string) => void = () => undefined) =>
    acquireLock(session, {
      dir: 'app',
      owner,
      runUrl: `https://run/${owner}`,
      ttlMs: 60_000,
      waitMs: 0,
      pollMs: 100,
      warn: log,
      log,
    }).then((taken) => taken.lock);
  /** What roll-up and roll-switch leave for roll-finish: old1 out of rotation, new1 serving. */
  const switched = () => {
    mkdirSync(join(app(), '.slipway-roll/web'), { recursive: true });
    writeFileSync(join(app(), '.slipway-roll/web/old'), 'old1\n');
    writeFileSync(join(app(), '.slipway-roll/web/new'), 'new1\n');
  };
  const finish = (lock: LockHandle) =>
    host.run(
      shell,
      wrapRemoteScript(
        projectScript({ ...context, lock: { handle: lock, seconds: 60 } }, release, 'roll-finish', roll),
        60_000,
      ),
    );

  it('roll-finish queues and stops nothing; the release hands the lock to the detached stop, which waits out the drain, stops, removes, then frees it; a deploy meanwhile waits (even with lock-wait 0)', async () => {
    host.answer([
      { args: grace, stdout: '10\n' },
      // an app that ignores SIGTERM: its stop takes the stop grace period (here 2 s)
      { args: 'stop old1', sleep: 2 },
      { args: all, stdout: 'old1\nnew1\n' },
    ]);
    const lock = await take('first');
    switched();
    const queuedAt = Date.now();
    const finished = await finish(lock);
    // the drain (1 s) is not waited out here: the queue says when it is over, in whole seconds, never sooner
    const drainedAt = Number(readFileSync(join(app(), '.slipway-retire/.drained-at'), 'utf8'));
    expect(drainedAt * 1000).toBeGreaterThanOrEqual(queuedAt + 1_000);
    expect(finished.stderr).toBe('');
    expect(finished.code).toBe(0);
    expect(finished.calls).toEqual([`docker ${all}`]);
    expect(queuedIn(app())).toEqual(['old1']);
    expect(existsSync(join(app(), '.slipway-roll'))).toBe(false);

    expect(await releaseLock(session, lock)).toBe(false);
    const handed = readFileSync(join(app(), '.slipway.lock/info'), 'utf8');
    expect(handed).toMatch(
      /^owner=old-containers-stop\nrun=https:\/\/run\/first\ntoken=retire-\S+\nexpires=\d+\n$/,
    );

    const said: string[] = [];
    const next = await take('second', (message) => said.push(message));
    const acquiredAt = Date.now();
    expect(said.join('\n')).toMatch(
      /waiting for the deploy lock held by the stop of the old containers of the deploy before \(run=https:\/\/run\/first\)/,
    );
    // the drain (1 s), then the stop (2 s), were over before the next deploy had the lock
    expect(acquiredAt - queuedAt).toBeGreaterThanOrEqual(2_900);
    expect(host.calls()).toEqual([
      `docker ${all}`,
      `docker ${grace}`,
      'docker stop old1',
      'docker rm -f old1',
      `docker ${gone} old1`,
    ]);
    expect(existsSync(join(app(), '.slipway-retire'))).toBe(false);
    expect(readFileSync(join(app(), '.slipway.lock/info'), 'utf8')).toContain(`token=${next.token}`);
    await releaseLock(session, next);
    expect(existsSync(join(app(), '.slipway.lock'))).toBe(false);
  });

  it('the stop holds the lock until the longest stop grace period could be over (its expiry), not forever', async () => {
    host.answer([
      { args: grace, stdout: '45\n' },
      { args: 'stop old1', sleep: 1 },
      { args: all, stdout: 'old1\nnew1\n' },
    ]);
    const lock = await take('first');
    switched();
    await finish(lock);
    await releaseLock(session, lock);
    await until(() => host.calls().includes('docker stop old1'));
    const expires = Number(
      readFileSync(join(app(), '.slipway.lock/info'), 'utf8').match(/^expires=(\d+)$/m)?.[1],
    );
    const now = Date.now() / 1000;
    // the grace (45 s), 30 s more
    expect(expires - now).toBeGreaterThan(70);
    expect(expires - now).toBeLessThan(77);
    await until(() => !existsSync(join(app(), '.slipway.lock')));
  });

  it('without anything queued the release frees the lock at once (no hand-over)', async () => {
    const lock = await take('first');
    await releaseLock(session, lock);
    expect(existsSync(join(app(), '.slipway.lock'))).toBe(false);
    expect(host.calls()).toEqual([]);
  });

  it('old containers a run that died left queued are stopped by the next deploy first, under its lock (bg-prepare)', async () => {
    host.answer([{ args: all, stdout: 'old1\nnew1\n' }]);
    const dead = await take('dead');
    switched();
    await finish(dead);
    // the run died here: no release; the next deploy takes the lock over once stale
    const info = join(app(), '.slipway.lock/info');
    writeFileSync(info, readFileSync(info, 'utf8').replace(/^expires=\d+$/m, 'expires=1'));
    const next = await take('next');
    host.answer([]);
    const prepared = await host.run(
      shell,
      wrapRemoteScript(
        projectScript({ ...context, lock: { handle: next, seconds: 60 } }, release, 'bg-prepare', {
          TARGET_RELEASE: 'R2',
          FILES_DIGESTS: 'web sha256:f2',
        }),
        60_000,
      ),
    );
    expect(prepared.code).toBe(0);
    expect(prepared.calls).toEqual(['docker stop old1', 'docker rm -f old1', `docker ${gone} old1`]);
    expect(existsSync(join(app(), '.slipway-retire'))).toBe(false);
    await releaseLock(session, next);
    expect(existsSync(join(app(), '.slipway.lock'))).toBe(false);
  });

  it('a container Docker could not remove stays queued, for the next deploy (nothing out of rotation is forgotten)', async () => {
    host.answer([{ args: all, stdout: 'old1\nnew1\n' }]);
    const lock = await take('first');
    switched();
    await finish(lock);
    host.answer([
      { args: 'rm -f old1', code: 1 },
      { args: `${gone} old1`, stdout: 'old1\n' },
    ]);
    const phase = (verb: 'bg-prepare') =>
      host.run(
        shell,
        wrapRemoteScript(
          projectScript({ ...context, lock: { handle: lock, seconds: 60 } }, release, verb, {
            TARGET_RELEASE: 'R2',
            FILES_DIGESTS: 'web sha256:f2',
          }),
          60_000,
        ),
      );
    expect((await phase('bg-prepare')).code).toBe(0);
    expect(queuedIn(app())).toEqual(['old1']);
    host.answer([]);
    expect((await phase('bg-prepare')).calls).toEqual([
      'docker stop old1',
      'docker rm -f old1',
      `docker ${gone} old1`,
    ]);
    expect(queuedIn(app())).toEqual([]);
    await releaseLock(session, lock);
  });
});
