// The order of a canary's phases on one host, over a session that records each phase (no host): the steps, the
// analysis of each, the switch at 100%, and the abort. canary-phases.test.ts pins down what each phase does on
// the host; actions/deploy-compose's canary.test.ts runs it all behind real proxies.
import type { CanaryOptions, CanaryStepReport } from '../src/compose-fleet/canary';
import { applyRelease, type EntryChecks } from '../src/compose-fleet/host-deploy';
import type { Release } from '../src/compose-fleet/release';
import type { CanaryStep, StepJudgement } from '../src/gate/canary-judge';
import type { RemoteExecOptions, SshSession } from '../src/ssh/ssh-session';

const release: Release = {
  id: 'R2',
  composeFiles: ['compose-0.yml'],
  projectDirectory: 'live',
  files: [],
  images: { web: 'registry.test/web@sha256:2', worker: 'registry.test/worker@sha256:2' },
  services: [{ name: 'web', public: true }, { name: 'worker' }, { name: 'proxy', proxy: 'nginx' }],
  gitSha: 'abc',
  actor: 'me',
  runUrl: 'https://example.test/run',
};

/** A host where `web` runs two containers of an older configuration, `worker` one; every phase succeeds. */
function recordingHost(events: string[], opened: string): SshSession {
  return {
    name: 'h1',
    async exec(script: string, options?: RemoteExecOptions) {
      const label = options?.label ?? '?';
      const value = (name: string) => new RegExp(`^${name}='?([^'\\n]*)'?$`, 'm').exec(script)?.[1];
      if (label.endsWith(' new)'))
        events.push(`${label} NEW=${value('CANARY_NEW')} ${value('CANARY_MODE')} ${value('CANARY_WEIGHTS')}`);
      else if (label.includes('old containers stop')) events.push(`${label} DRAIN=${value('DRAIN')}`);
      else events.push(label);
      const stdout = label.endsWith('comparing services')
        ? 'want web H2\nhave web H1\nhave web H1\nwant worker W2\nhave worker W1\nwant proxy P\nhave proxy P\n'
        : label.includes('how the proxies can share')
          ? opened
          : '';
      return { code: 0, stdout, stderr: '', timedOut: false };
    },
    async upload() {},
    close() {},
  };
}

function deploy(
  events: string[],
  verdicts: StepJudgement['verdict'][],
  failOnInconclusive = true,
  opened = 'old 2\nreplicas proxy nginx\n',
): { done: Promise<string[]>; reports: CanaryStepReport[]; notices: string[]; logs: string[] } {
  const reports: CanaryStepReport[] = [];
  const notices: string[] = [];
  const logs: string[] = [];
  const entry: EntryChecks = {
    async ready() {
      events.push('entry ready');
    },
    async verify() {
      events.push('entry verify');
    },
  };
  const canary: CanaryOptions = {
    steps: [30, 50, 100],
    intervalMs: 10_000,
    failOnInconclusive,
    analysis: async (step: CanaryStep) => {
      events.push(`judge step ${step.number} (${step.effective}%, ${step.durationMs}ms)`);
      const verdict = verdicts[step.number - 1];
      return {
        verdict,
        reason: `${verdict} by the fake`,
        observed: { newAnswers: 9, oldAnswers: 9, unattributed: 0, observedShare: 50 },
      };
    },
    onStep: (report) => reports.push(report),
  };
  const done = applyRelease(
    recordingHost(events, opened),
    release,
    {
      place: { dir: 'app', project: 'shop' },
      strategy: 'canary',
      timings: { healthTimeoutMs: 5_000, drainMs: 4_000, pollMs: 50 },
      hooks: {},
      commandTimeoutMs: 60_000,
      log: (m) => logs.push(m),
      notice: (m) => notices.push(m),
      entry,
      canary,
      sleep: async () => {},
    },
    true,
  );
  return { done, reports, notices, logs };
}

describe('a canary on one host', () => {
  it('steps 1 then 2 new beside 2 old, the switch at 100%, each judged, then the old stop; other services roll', async () => {
    const events: string[] = [];
    const { done, reports } = deploy(events, ['passed', 'passed', 'passed']);
    await done;
    const from = events.findIndex((e) => e.startsWith('canary web'));
    expect(events.slice(from, from + 10)).toEqual([
      'canary web: how the proxies can share the traffic',
      'canary web, step 1 of 3 (1 new) NEW=1 replicas ',
      'judge step 1 (33.3%, 10000ms)',
      'canary web, step 2 of 3 (2 new) NEW=2 replicas ',
      'judge step 2 (50%, 10000ms)',
      'canary web, step 3 of 3 (2 new) NEW=2 replicas ',
      'canary web, step 3 of 3 (the old containers leave the rotation)',
      'judge step 3 (100%, 10000ms)',
      // the last step's bake was their drain
      'canary web: the old containers stop DRAIN=0',
      'rolling worker (new containers)',
    ]);
    expect(events).not.toContain('entry ready');
    expect(
      reports.map((r) => [r.step, r.declared, r.effective, r.newContainers, r.oldContainers, r.verdict]),
    ).toEqual([
      [1, 30, 33.3, 1, 2, 'passed'],
      [2, 50, 50, 2, 2, 'passed'],
      [3, 100, 100, 2, 0, 'passed'],
    ]);
  });

  it('a failed step 2 sends everything back (roll-undo) and fails naming the step; nothing else runs', async () => {
    const events: string[] = [];
    const { done, reports } = deploy(events, ['passed', 'failed']);
    await expect(done).rejects.toThrow(
      'h1: web: canary step 2 of 3 (declared 50%, effective 50% (2 new beside 2 old)) failed: failed by the fake. All traffic went back to the old version; the new containers were removed.',
    );
    expect(events.slice(events.findIndex((e) => e.startsWith('canary web')))).toEqual([
      'canary web: how the proxies can share the traffic',
      'canary web, step 1 of 3 (1 new) NEW=1 replicas ',
      'judge step 1 (33.3%, 10000ms)',
      'canary web, step 2 of 3 (2 new) NEW=2 replicas ',
      'judge step 2 (50%, 10000ms)',
      'undoing the canary of web',
    ]);
    expect(reports.map((r) => r.verdict)).toEqual(['passed', 'failed']);
  });

  it('inconclusive aborts by default; with fail-on-inconclusive false it goes on with a notice', async () => {
    const aborted: string[] = [];
    await expect(deploy(aborted, ['inconclusive']).done).rejects.toThrow(
      /step 1 of 3 .* failed: inconclusive \(fail-on-inconclusive is true\): inconclusive by the fake/,
    );
    expect(aborted.at(-1)).toBe('undoing the canary of web');
    const events: string[] = [];
    const { done, notices } = deploy(events, ['inconclusive', 'passed', 'passed'], false);
    await done;
    expect(notices).toContain(
      'h1: web: canary step 1 was inconclusive, going on (fail-on-inconclusive: false).',
    );
    expect(events).toContain('canary web: the old containers stop DRAIN=0');
  });

  it('behind an HAProxy that takes weights: one new container, the weights of each step, the switch at 100%', async () => {
    const events: string[] = [];
    const { done, reports, logs } = deploy(
      events,
      ['passed', 'passed', 'passed'],
      true,
      'old 2\nservers 1 haproxy\n',
    );
    await done;
    const from = events.findIndex((e) => e.startsWith('canary web'));
    expect(events.slice(from, from + 9)).toEqual([
      'canary web: how the proxies can share the traffic',
      'canary web, step 1 of 3 (1 new) NEW=1 weights 7 3',
      'judge step 1 (30%, 10000ms)',
      'canary web, step 2 of 3 (1 new) NEW=1 weights 1 1',
      'judge step 2 (50%, 10000ms)',
      'canary web, step 3 of 3 (2 new) NEW=2 weights ',
      'canary web, step 3 of 3 (the old containers leave the rotation)',
      'judge step 3 (100%, 10000ms)',
      'canary web: the old containers stop DRAIN=0',
    ]);
    expect(logs).toContain("h1: web: the canary's share is set by HAProxy's server weights.");
    expect(reports.map((r) => [r.declared, r.effective, r.weights?.old, r.weights?.new])).toEqual([
      [30, 30, 7, 3],
      [50, 50, 1, 1],
      [100, 100, undefined, undefined],
    ]);
  });

  it('behind an HAProxy that cannot take weights: the replica ratio, with a notice saying why', async () => {
    const events: string[] = [];
    const why = 'its container has no socat to reach the runtime API at /run/haproxy/admin.sock';
    const { done, notices } = deploy(
      events,
      ['passed', 'passed', 'passed'],
      true,
      `old 2\nreplicas lb ${why}\n`,
    );
    await done;
    expect(notices).toContain(
      `h1: web: the canary's share is a replica ratio: lb cannot take the canary's weights: ${why}.`,
    );
    expect(events).toContain('canary web, step 1 of 3 (1 new) NEW=1 replicas ');
  });
});
