// acquireLock (src/compose-fleet/host-lock.ts) over a fake host: the TypeScript side of the stale-lock takeover
// (the warning naming the dead owner, exactly one holder per round), with lock-acquire.sh run under dash as an
// SSH exec channel runs it. This replaced the real-host host-lock.test.ts (6 SSH sessions x 8 rounds, ~10 s):
// the race lives in the script and the host's mkdir, which a fake host has too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployToFleet, type FleetOptions } from '../../src/compose-fleet/fleet-deploy';
import { acquireLock, type LockHandle } from '../../src/compose-fleet/host-lock';
import { parseHistory } from '../../src/host-history';
import { wrapRemoteScript } from '../../src/ssh/remote-script';
import type { SshSession } from '../../src/ssh/ssh-session';
import { type FakeHost, fakeHost } from './fake-host';

jest.setTimeout(60_000);

let host: FakeHost;
beforeAll(() => {
  host = fakeHost();
});
afterAll(() => host.remove());

/** A session whose commands run on the fake host, as sshd runs them. */
const session = (name: string) =>
  ({
    name,
    async exec(script: string) {
      const result = await host.run('dash', wrapRemoteScript(script, 30_000));
      if (result.code !== 0) throw new Error(`${name}: exit ${result.code}: ${result.stderr}`);
      return result;
    },
  }) as unknown as SshSession;

it('of many runs that find the same stale lock at once, exactly one gets it (every round)', async () => {
  const dir = 'app';
  const warnings: string[] = [];
  const take = (owner: string) =>
    acquireLock(session(owner), {
      dir,
      owner,
      runUrl: `https://example.test/${owner}`,
      ttlMs: 60_000,
      waitMs: 0,
      warn: (m) => warnings.push(m),
      log: () => undefined,
    }).then((taken) => taken.lock);
  for (let round = 0; round < 8; round++) {
    await host.run(
      'dash',
      `rm -rf ${dir}/.slipway.lock; mkdir -p ${dir}/.slipway.lock; printf 'owner=dead\\nrun=x\\ntoken=0\\nexpires=1\\n' > ${dir}/.slipway.lock/info`,
    );
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => take(`taker${i}`)));
    const won = outcomes.filter((o): o is PromiseFulfilledResult<LockHandle> => o.status === 'fulfilled');
    expect({ round, won: won.length }).toEqual({ round, won: 1 });
    for (const o of outcomes.filter((o) => o.status === 'rejected'))
      expect(String((o as PromiseRejectedResult).reason)).toMatch(/is held by another deploy/);
    expect(readFileSync(join(host.home, dir, '.slipway.lock/info'), 'utf8')).toContain(
      `token=${won[0].value.token}\n`,
    );
  }
  // The winner took the stale lock over, or made a fresh one right after another run removed the stale one
  // (which of the two is chance: a round need not have a takeover); a warning only ever names the dead owner.
  for (const warning of warnings)
    expect(warning).toMatch(/took over a stale deploy lock \(owner=dead, run=x\); its TTL had passed/);
});

it('a run that finds a stale lock alone takes it over, with a warning naming its dead owner', async () => {
  const dir = 'stale';
  await host.run(
    'dash',
    `rm -rf ${dir}; mkdir -p ${dir}/.slipway.lock; printf 'owner=dead\\nrun=x\\ntoken=0\\nexpires=1\\n' > ${dir}/.slipway.lock/info`,
  );
  const warnings: string[] = [];
  const { lock } = await acquireLock(session('alone'), {
    dir,
    owner: 'alone',
    runUrl: 'https://example.test/alone',
    ttlMs: 60_000,
    waitMs: 0,
    warn: (m) => warnings.push(m),
    log: () => undefined,
  });
  expect(warnings).toEqual(['alone: took over a stale deploy lock (owner=dead, run=x); its TTL had passed.']);
  expect(readFileSync(join(host.home, dir, '.slipway.lock/info'), 'utf8')).toContain(`token=${lock.token}\n`);
});

it('a lock its holder frees while the next run looks at it is taken, not reported as held by nobody', async () => {
  const dir = 'freed';
  // a lock made a moment ago, its info not written yet: lock-acquire gives it a second; its holder (the stop
  // after a verdict, say) frees it meanwhile
  await host.run('dash', `rm -rf ${dir}; mkdir -p ${dir}/.slipway.lock`);
  const freed = new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
    host.run('dash', `rm -rf ${dir}/.slipway.lock`),
  );
  const taken = acquireLock(session('next'), {
    dir,
    owner: 'next',
    runUrl: 'https://example.test/next',
    ttlMs: 60_000,
    waitMs: 0,
    warn: () => undefined,
    log: () => undefined,
  });
  await freed;
  const { lock: handle } = await taken;
  expect(readFileSync(join(host.home, dir, '.slipway.lock/info'), 'utf8')).toContain(
    `token=${handle.token}\n`,
  );
});

describe('acquireLock: the lock and, under it, the release history in one command', () => {
  const options = (dir: string, owner: string) => ({
    dir,
    owner,
    runUrl: `https://example.test/${owner}`,
    ttlMs: 60_000,
    waitMs: 0,
    warn: () => undefined,
    log: () => undefined,
  });
  /** What each command of a counted session printed. */
  const commands: string[] = [];
  const counted = (name: string) => {
    const inner = session(name);
    return {
      ...inner,
      exec: async (script: string) => {
        const result = await inner.exec(script);
        commands.push(result.stdout);
        return result;
      },
    } as unknown as SshSession;
  };

  it('a host never deployed to: an empty history; one deployed to: its file as written, in one command', async () => {
    const fresh = await acquireLock(counted('a'), options('hist-fresh', 'a'));
    expect(parseHistory(fresh.historyText, 'a', 'hist-fresh')).toEqual([]);
    const entries = [{ id: 'r1', result: 'deployed' }];
    await host.run(
      'dash',
      `mkdir -p hist-kept && printf '%s\\n' '${JSON.stringify(entries)}' > hist-kept/history.json`,
    );
    commands.length = 0;
    const kept = await acquireLock(counted('b'), options('hist-kept', 'b'));
    expect(commands).toHaveLength(1);
    expect(parseHistory(kept.historyText, 'b', 'hist-kept')).toEqual(entries);
    expect(readFileSync(join(host.home, 'hist-kept/.slipway.lock/info'), 'utf8')).toContain(
      `token=${kept.lock.token}\n`,
    );
  });

  it('a lock held by another run: refused as before, and no history read', async () => {
    await host.run('dash', `mkdir -p hist-held && printf '[{"id":"r-held"}]\\n' > hist-held/history.json`);
    await acquireLock(session('holder'), options('hist-held', 'holder'));
    commands.length = 0;
    await expect(acquireLock(counted('next'), options('hist-held', 'next'))).rejects.toThrow(
      /is held by another deploy \(owner=holder/,
    );
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/\nheld\n$/);
    expect(commands[0]).not.toContain('r-held');
  });

  it('a deploy whose history is not one fails that host, naming the file, and releases the lock it read it under', async () => {
    await host.run('dash', `mkdir -p fleet-bad && printf 'garbage' > fleet-bad/history.json`);
    const locks: Array<LockHandle | undefined> = [];
    const options: FleetOptions = {
      project: 'p',
      dir: 'fleet-bad',
      keepReleases: 5,
      maxParallel: 1,
      atomic: false,
      lock: { owner: 'fleet', runUrl: 'https://example.test/fleet', ttlMs: 60_000, waitMs: 0 },
      onLock: (_host, lock) => locks.push(lock),
      strategy: 'rolling',
      timings: { healthTimeoutMs: 5_000, drainMs: 0, pollMs: 100 },
      hooks: {},
      commandTimeoutMs: 30_000,
      warn: () => undefined,
      log: () => undefined,
      notice: () => undefined,
    };
    const never = () => {
      throw new Error('no release is chosen from a history that cannot be read');
    };
    const [result] = await deployToFleet([{ name: 'h', session: async () => session('h') }], never, options);
    expect(result).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /^h: fleet-bad\/history\.json is not a release history \(.*\)\. Fix or remove/,
      ),
    });
    expect(locks).toEqual([expect.objectContaining({ dir: 'fleet-bad' }), undefined]);
    expect((await host.run('dash', 'test -e fleet-bad/.slipway.lock && echo held || echo free')).stdout).toBe(
      'free\n',
    );
  });

  it('a file that is not a history still returns the lock taken (for its release); parsing it names host and file', async () => {
    await host.run('dash', `mkdir -p hist-bad && printf 'garbage' > hist-bad/history.json`);
    const taken = await acquireLock(session('c'), options('hist-bad', 'c'));
    expect(taken.lock.token).toMatch(/^[0-9a-f]{24}$/);
    expect(() => parseHistory(taken.historyText, 'c', 'hist-bad')).toThrow(
      /^c: hist-bad\/history\.json is not a release history \(.*\)\. Fix or remove that file\.$/,
    );
  });
});
