import { guardHostHistories } from '../src/compose-fleet/bad-digest-guard';
import type { SshSession } from '../src/ssh/ssh-session';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** Hosts whose sessions answer an empty release history and count their connections and closes. */
function fakeHosts(names: string[]) {
  const counts = Object.fromEntries(names.map((n) => [n, { opened: 0, closed: 0 }]));
  const hosts = names.map((name) => ({
    name,
    connect: async (): Promise<SshSession> => {
      counts[name].opened++;
      return {
        name,
        exec: async () => ({ code: 0, stdout: '[]', stderr: '' }),
        upload: async () => undefined,
        close: () => {
          counts[name].closed++;
        },
      } as unknown as SshSession;
    },
  }));
  return { hosts, counts };
}

describe('guardHostHistories', () => {
  it('hands each connection to the deploy once, and closes the ones the deploy never took', async () => {
    const { hosts, counts } = fakeHosts(['h1', 'h2', 'h3']);
    const guarded = await guardHostHistories(hosts, '.slipway/app', [DIGEST], false, () => undefined);
    // The deploy reached h1 only (an atomic deploy that stopped early): it closes that session itself.
    (await guarded.hosts[0].connect()).close();
    guarded.closeUnused();
    await new Promise((r) => setImmediate(r));
    expect(counts).toEqual({
      h1: { opened: 1, closed: 1 },
      h2: { opened: 1, closed: 1 },
      h3: { opened: 1, closed: 1 },
    });
    // A later connect opens a new session rather than handing out a closed one.
    await guarded.hosts[1].connect();
    expect(counts.h2.opened).toBe(2);
  });

  it('opens nothing when there is no digest to check', async () => {
    const { hosts, counts } = fakeHosts(['h1']);
    const guarded = await guardHostHistories(hosts, '.slipway/app', [], false, () => undefined);
    guarded.closeUnused();
    expect(counts.h1).toEqual({ opened: 0, closed: 0 });
  });
});
