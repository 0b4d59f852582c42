import { openFleet, refuseHostBadDigests } from '../src/compose-fleet';
import type { FleetOptions } from '../src/compose-fleet/fleet-deploy';
import type { FleetInputs } from '../src/compose-fleet/fleet-inputs';
import type { HistoryEntry } from '../src/host-history';
import type { SshConnectOptions } from '../src/ssh/ssh-connect';
import type { SshSession } from '../src/ssh/ssh-session';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** Sessions that answer the lock and an empty history (read under it in the same command, or alone), counting connections, closes and connections at once. */
function fakeConnect(delayMs = 5) {
  const counts = { opened: 0, closed: 0, atOnce: 0, mostAtOnce: 0 };
  const byHost: Record<string, number> = {};
  const connect = async (options: SshConnectOptions): Promise<SshSession> => {
    counts.opened++;
    byHost[options.target.host] = (byHost[options.target.host] ?? 0) + 1;
    counts.atOnce++;
    counts.mostAtOnce = Math.max(counts.mostAtOnce, counts.atOnce);
    await new Promise((r) => setTimeout(r, delayMs));
    counts.atOnce--;
    if (options.target.host === 'down') throw new Error('connect ECONNREFUSED');
    return {
      name: options.target.host,
      exec: async (script: string) => ({
        code: 0,
        stdout: `${script.includes('LOCK_TTL=') ? 'acquired\n--- history\n' : ''}${script.includes('HISTORY=') ? '[]' : ''}`,
        stderr: '',
        timedOut: false,
      }),
      upload: async () => undefined,
      close: () => {
        counts.closed++;
      },
    };
  };
  return { connect, counts, byHost };
}

const inputs = (hosts: string[], maxParallel: number) =>
  ({
    hosts: hosts.map((host) => ({ target: { user: 'u', host, port: 22 }, fingerprints: [] })),
    sshKey: 'key',
    knownHosts: [],
    insecureSkipHostKeyCheck: true,
    project: 'app',
    remoteDir: '.slipway/app',
    maxParallel,
  }) as unknown as FleetInputs;

const options = {
  dir: '.slipway/app',
  maxParallel: 2,
  atomic: false,
  lock: { owner: 'me', runUrl: 'r', ttlMs: 60_000, waitMs: 0 },
  warn: () => undefined,
  log: () => undefined,
} as unknown as FleetOptions;

describe('the fleet owns its SSH sessions', () => {
  it('connects each host once for the histories and the deploy, and closes each once', async () => {
    const { connect, counts, byHost } = fakeConnect();
    const fleet = openFleet(inputs(['h1', 'h2', 'h3'], 5), connect);
    expect(await fleet.histories()).toEqual([[], [], []]);
    const results = await fleet.deploy(() => {
      throw new Error('chosen nothing');
    }, options);
    expect(results.map((r) => r.error)).toEqual(['chosen nothing', 'chosen nothing', 'chosen nothing']);
    fleet.close();
    await new Promise((r) => setImmediate(r));
    expect(byHost).toEqual({ h1: 1, h2: 1, h3: 1 });
    expect(counts.closed).toBe(3);
  });

  it('max-parallel bounds the first connections too', async () => {
    const { connect, counts } = fakeConnect(20);
    const fleet = openFleet(inputs(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 2), connect);
    await fleet.histories();
    fleet.close();
    expect(counts.opened).toBe(7);
    expect(counts.mostAtOnce).toBe(2);
  });

  it('gives a host that cannot be reached its error, and the deploy reports it without connecting again', async () => {
    const { connect, byHost } = fakeConnect();
    const fleet = openFleet(inputs(['h1', 'down'], 5), connect);
    const histories = await fleet.histories();
    expect(histories[1]).toEqual(new Error('connect ECONNREFUSED'));
    const results = await fleet.deploy(() => {
      throw new Error('nothing');
    }, options);
    expect(results[1]).toMatchObject({ status: 'failed', error: 'connect ECONNREFUSED' });
    expect(byHost.down).toBe(1);
    fleet.close();
  });

  it('opens nothing until asked', () => {
    const { connect, counts } = fakeConnect();
    openFleet(inputs(['h1'], 5), connect).close();
    expect(counts.opened).toBe(0);
  });
});

describe('refuseHostBadDigests', () => {
  const marked: HistoryEntry[] = [
    {
      id: 'r1',
      images: { web: `reg/web@${DIGEST}` },
      result: 'deployed',
      bad: { reason: 'broke checkout', time: '2026-12-01T00:00:00Z', runUrl: 'r' },
    } as unknown as HistoryEntry,
  ];
  it('refuses a digest a host marked bad, naming the host and the reason; skips hosts it could not read', () => {
    expect(() =>
      refuseHostBadDigests(['h1', 'h2'], [new Error('down'), marked], [DIGEST], false, () => undefined),
    ).toThrow(/h2.*broke checkout|broke checkout.*h2/s);
  });
  it('warns instead with force', () => {
    const warnings: string[] = [];
    refuseHostBadDigests(['h1'], [marked], [DIGEST], true, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
  });
});
