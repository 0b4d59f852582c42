// The order of a rolling switch judged at the entry point (public-url), over a session that records each phase
// (no host): a proxy that follows DNS (Caddy's `dynamic a ... refresh 1s`, Nginx's `resolver ... valid=1s`) keeps
// sending requests to the old containers until its next lookup, and those still answer as the old version. So
// the old containers drain before the entry point is judged, and are stopped only after it passed.
import { deployToFleet, type FleetOptions } from '../src/compose-fleet/fleet-deploy';
import { applyRelease, type EntryChecks, type HostDeployOptions } from '../src/compose-fleet/host-deploy';
import type { Release } from '../src/compose-fleet/release';
import type { RemoteExecOptions, SshSession } from '../src/ssh/ssh-session';

const release: Release = {
  id: 'R2',
  composeFiles: ['compose-0.yml'],
  projectDirectory: 'live',
  files: [],
  images: { web: 'registry.test/web@sha256:2' },
  services: [
    { name: 'web', public: true },
    { name: 'proxy', proxy: 'caddy' },
  ],
  gitSha: 'abc',
  actor: 'me',
  runUrl: 'https://example.test/run',
};

/** A host where `web` runs an older configuration and the proxy is current; every phase succeeds. */
function recordingHost(events: string[]): SshSession {
  return {
    name: 'deploy@host:22',
    async exec(script: string, options?: RemoteExecOptions) {
      const label = options?.label ?? '?';
      const drain = /^DRAIN='?(\d+)'?$/m.exec(script)?.[1];
      events.push(label.includes('queued to stop') ? `${label} DRAIN=${drain}` : label);
      const stdout = label.endsWith('comparing services')
        ? 'want web H2\nhave web H1\nwant proxy P\nhave proxy P\n'
        : label === 'taking the deploy lock'
          ? 'acquired\n--- history\n[]\n'
          : '';
      return { code: 0, stdout, stderr: '', timedOut: false };
    },
    async upload() {},
    close() {},
  };
}

function deploy(events: string[], verify: () => Promise<void> = async () => {}) {
  const entry: EntryChecks = {
    async ready() {
      events.push('entry ready');
    },
    async verify() {
      events.push('entry verify');
      await verify();
    },
  };
  return applyRelease(
    recordingHost(events),
    release,
    hostOptions({
      entry,
      sleep: async (ms) => {
        events.push(`runner waits ${ms}ms`);
      },
    }),
    true,
  );
}

/** A rolling deploy's options for one host (a 4 s drain), with `extra`. */
function hostOptions(extra: Partial<HostDeployOptions>): HostDeployOptions {
  return {
    place: { dir: 'app', project: 'shop' },
    strategy: 'rolling',
    timings: { healthTimeoutMs: 5_000, drainMs: 4_000, pollMs: 50 },
    hooks: {},
    commandTimeoutMs: 60_000,
    log: () => {},
    notice: () => {},
    ...extra,
  };
}

describe('a rolling switch judged at the entry point', () => {
  it('drains the old containers before judging the entry point, and stops them only once it passed', async () => {
    const events: string[] = [];
    await deploy(events);
    const from = events.indexOf('rolling web (new containers)');
    expect(events.slice(from, from + 6)).toEqual([
      'rolling web (new containers)',
      'entry ready',
      'rolling web (the switch)',
      'runner waits 4000ms',
      'entry verify',
      // drained already (no second drain): queued to stop after the verdict
      'rolling web (the old containers are queued to stop once drained) DRAIN=0',
    ]);
  });

  it('a failing entry point after the drain undoes the switch: the old containers were never stopped', async () => {
    const events: string[] = [];
    await expect(
      deploy(events, async () => {
        throw new Error('the entry point failed its checks');
      }),
    ).rejects.toThrow('the entry point failed its checks');
    const from = events.indexOf('rolling web (the switch)');
    expect(events.slice(from)).toEqual([
      'rolling web (the switch)',
      'runner waits 4000ms',
      'entry verify',
      'undoing the roll of web',
    ]);
  });
});

describe('a rolling switch without public-url', () => {
  const base = (events: string[]) => ({
    strategy: 'rolling' as const,
    timings: { healthTimeoutMs: 5_000, drainMs: 4_000, pollMs: 50 },
    hooks: {},
    commandTimeoutMs: 60_000,
    log: () => {},
    notice: () => {},
    sleep: async (ms: number) => {
      events.push(`runner waits ${ms}ms`);
    },
  });

  it('queues the old containers at once, with the drain for their stop on the host, and says how long they drain', async () => {
    const events: string[] = [];
    const drains: number[] = [];
    const options: HostDeployOptions = {
      ...base(events),
      place: { dir: 'app', project: 'shop' },
      onDrain: (ms) => drains.push(ms),
    };
    await applyRelease(recordingHost(events), release, options, true);
    const from = events.indexOf('rolling web (new containers)');
    expect(events.slice(from)).toEqual([
      'rolling web (new containers)',
      'rolling web (the switch)',
      'rolling web (the old containers are queued to stop once drained) DRAIN=4',
      'removing orphan services',
    ]);
    expect(drains).toEqual([4_000]);
  });

  it('the host is done once the drain is over: its history written meanwhile, its lock released after', async () => {
    const events: string[] = [];
    const options: FleetOptions = {
      ...base(events),
      project: 'shop',
      dir: 'app',
      keepReleases: 5,
      maxParallel: 1,
      atomic: false,
      lock: { owner: 'me', runUrl: 'https://example.test/run', ttlMs: 60_000, waitMs: 0 },
      warn: () => {},
    };
    const session = recordingHost(events);
    const [result] = await deployToFleet(
      [{ name: 'h', session: async () => session }],
      () => release,
      options,
    );
    expect(result.status).toBe('deployed');
    const from = events.indexOf('rolling web (the switch)');
    const after = events.slice(from + 1);
    expect(after.map((e) => e.replace(/^runner waits \d+ms$/, 'runner waits'))).toEqual([
      'rolling web (the old containers are queued to stop once drained) DRAIN=4',
      'removing orphan services',
      'writing the release history',
      'runner waits',
      'releasing the deploy lock',
    ]);
    // what is left of the 4 s drain once the queue, the orphans and the history are done
    const waited = Number(/(\d+)ms/.exec(after[3])?.[1]);
    expect(waited).toBeGreaterThan(3_000);
    expect(waited).toBeLessThanOrEqual(4_000);
  });
});

describe('what a phase says on a notice line (reload_proxies: a Caddy it could not reload)', () => {
  it('reaches the step as a notice naming the host, and stays out of what the phase printed', async () => {
    const notices: string[] = [];
    const logs: string[] = [];
    const session: SshSession = {
      ...recordingHost([]),
      async exec(_script: string, options?: RemoteExecOptions) {
        const label = options?.label ?? '?';
        const said =
          'slipway-notice: Caddy in proxy was not reloaded (admin off): it sends requests on ...\n';
        const stdout = label.endsWith('comparing services')
          ? 'want web H2\nhave web H1\nwant proxy P\nhave proxy P\n'
          : label === 'removing orphan services'
            ? `${said}worker\n`
            : label.endsWith('(the switch)')
              ? said
              : '';
        return { code: 0, stdout, stderr: '', timedOut: false };
      },
    };
    const options = hostOptions({ log: (m) => logs.push(m), notice: (m) => notices.push(m) });
    const changed = await applyRelease(session, release, options, true);
    expect(notices).toEqual([
      'deploy@host:22: Caddy in proxy was not reloaded (admin off): it sends requests on ...',
      'deploy@host:22: Caddy in proxy was not reloaded (admin off): it sends requests on ...',
    ]);
    // the orphans phase printed one removed service besides the notice
    expect(changed).toEqual(['web', 'worker']);
    expect(logs.filter((l) => l.includes('orphan'))).toEqual([
      'deploy@host:22: removed orphan services (not in release R2): worker.',
    ]);
  });
});
