import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describeWithInfra } from '@slipway/testing';
import { connectSsh, parseKnownHosts, type SshSession } from '../src';
import { acquireLock, type LockHandle } from '../src/compose-fleet/host-lock';

jest.setTimeout(120_000);

describeWithInfra('the deploy lock on a real host', (infra) => {
  const host = infra.ssh.hosts[1];
  const dir = `.slipway-test/lock${randomBytes(4).toString('hex')}`;
  const sessions: SshSession[] = [];
  const open = async () => {
    const session = await connectSsh({
      target: { user: host.user, host: host.host, port: host.port },
      privateKey: readFileSync(infra.ssh.clientKey, 'utf8'),
      hostKeys: { knownHosts: parseKnownHosts(readFileSync(infra.ssh.knownHostsHashed, 'utf8')) },
    });
    sessions.push(session);
    return session;
  };
  const warnings: string[] = [];
  const take = (session: SshSession, owner: string) =>
    acquireLock(session, {
      dir,
      owner,
      runUrl: `https://example.test/${owner}`,
      ttlMs: 60_000,
      waitMs: 0,
      warn: (m) => warnings.push(m),
      log: () => undefined,
    });

  afterAll(async () => {
    const session = await open();
    await session.exec(`rm -rf ${dir}`);
    for (const s of sessions) s.close();
  });

  it('of many runs that find the same stale lock at once, exactly one takes it over (every round)', async () => {
    const takers = await Promise.all(Array.from({ length: 6 }, open));
    for (let round = 0; round < 8; round++) {
      await takers[0].exec(
        `rm -rf ${dir}/.slipway.lock; mkdir -p ${dir}/.slipway.lock
printf 'owner=dead\\nrun=x\\ntoken=0\\nexpires=1\\n' > ${dir}/.slipway.lock/info`,
      );
      const outcomes = await Promise.allSettled(takers.map((s, i) => take(s, `taker${i}`)));
      const won = outcomes.filter((o): o is PromiseFulfilledResult<LockHandle> => o.status === 'fulfilled');
      const lost = outcomes.filter((o) => o.status === 'rejected');
      expect({ round, won: won.length }).toEqual({ round, won: 1 });
      for (const o of lost) expect(String(o.reason?.stack ?? o.reason)).toMatch(/is held by another deploy/);
      const { stdout } = await takers[0].exec(`cat ${dir}/.slipway.lock/info; ls -A ${dir}/.slipway.lock`);
      expect(stdout).toContain(`token=${won[0].value.token}\n`);
      expect(stdout.trim().split('\n').at(-1)).toBe('info');
    }
    // The winner took the stale lock over, or made a fresh one right after another run removed the stale one.
    expect(warnings.some((w) => /took over a stale deploy lock \(owner=dead/.test(w))).toBe(true);
  });
});
