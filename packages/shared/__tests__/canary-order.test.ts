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
function recordingHost(events: string[]): SshSession {
  return {
    name: 'h1',
    async exec(script: string, options?: RemoteExecOptions) {
      const label = options?.label ?? '?';
      const value = (name: string) => new RegExp(`^${name}='?([^'\\n]*)'?$`, 'm').exec(script)?.[1];
      if (label.endsWith(' new)'))
        events.push(`${label} NEW=${value('CANARY_NEW')} FIRST=${value('CANARY_FIRST')}`);
      else if (label.includes('old containers stop')) events.push(`${label} DRAIN=${value('DRAIN')}`);
      else events.push(label);
      const stdout = label.endsWith('comparing services')
        ? 'want web H2\nhave web H1\nhave web H1\nwant worker W2\nhave worker W1\nwant proxy P\nhave proxy P\n'
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
): { done: Promise<string[]>; reports: CanaryStepReport[]; notices: string[] } {
  const reports: CanaryStepReport[] = [];
  const notices: string[] = [];
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
    recordingHost(events),
    release,
    {
      place: { dir: 'app', project: 'shop' },
      strategy: 'canary',
      timings: { healthTimeoutMs: 5_000, drainMs: 4_000, pollMs: 50 },
      hooks: {},
      commandTimeoutMs: 60_000,
      log: () => {},
      notice: (m) => notices.push(m),
      entry,
      canary,
      sleep: async () => {},
    },
    true,
  );
  return { done, reports, notices };
}

describe('a canary on one host', () => {
  it('steps 1 then 2 new beside 2 old, the switch at 100%, each judged, then the old stop; other services roll', async () => {
    const events: string[] = [];
    const { done, reports } = deploy(events, ['passed', 'passed', 'passed']);
    await done;
    const from = events.findIndex((e) => e.startsWith('canary web'));
    expect(events.slice(from, from + 9)).toEqual([
      'canary web, step 1 of 3 (1 new) NEW=1 FIRST=yes',
      'judge step 1 (33.3%, 10000ms)',
      'canary web, step 2 of 3 (2 new) NEW=2 FIRST=no',
      'judge step 2 (50%, 10000ms)',
      'canary web, step 3 of 3 (2 new) NEW=2 FIRST=no',
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
      'canary web, step 1 of 3 (1 new) NEW=1 FIRST=yes',
      'judge step 1 (33.3%, 10000ms)',
      'canary web, step 2 of 3 (2 new) NEW=2 FIRST=no',
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
});
