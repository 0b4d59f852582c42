// acquireLock (src/compose-fleet/host-lock.ts) over a fake host: the TypeScript side of the stale-lock takeover
// (the warning naming the dead owner, exactly one holder per round), with lock-acquire.sh run under dash as an
// SSH exec channel runs it. This replaced the real-host host-lock.test.ts (6 SSH sessions x 8 rounds, ~10 s):
// the race lives in the script and the host's mkdir, which a fake host has too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, type LockHandle } from '../../src/compose-fleet/host-lock';
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

it('of many runs that find the same stale lock at once, exactly one takes it over (every round), with a warning', async () => {
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
    });
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
  // The winner took the stale lock over, or made a fresh one right after another run removed the stale one.
  expect(
    warnings.some((w) => /took over a stale deploy lock \(owner=dead, run=x\); its TTL had passed/.test(w)),
  ).toBe(true);
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
  const handle = await taken;
  expect(readFileSync(join(host.home, dir, '.slipway.lock/info'), 'utf8')).toContain(
    `token=${handle.token}\n`,
  );
});
