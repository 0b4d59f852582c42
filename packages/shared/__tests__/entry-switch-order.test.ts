// The order of a rolling switch judged at the entry point (public-url), over a session that records each phase
// (no host): a proxy that follows DNS (Caddy's `dynamic a ... refresh 1s`, Nginx's `resolver ... valid=1s`) keeps
// sending requests to the old containers until its next lookup, and those still answer as the old version. So
// the old containers drain before the entry point is judged, and are stopped only after it passed.
import { applyRelease, type EntryChecks } from '../src/compose-fleet/host-deploy';
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
    {
      place: { dir: 'app', project: 'shop' },
      strategy: 'rolling',
      timings: { healthTimeoutMs: 5_000, drainMs: 4_000, pollMs: 50 },
      hooks: {},
      commandTimeoutMs: 60_000,
      log: () => {},
      notice: () => {},
      entry,
      sleep: async (ms) => {
        events.push(`runner waits ${ms}ms`);
      },
    },
    true,
  );
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
      'rolling web (the old containers drain, then are queued to stop) DRAIN=0',
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
