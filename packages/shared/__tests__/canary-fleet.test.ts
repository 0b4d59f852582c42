// A canary over a fleet deployed at once: each step taken on every host, then judged once for the fleet, as a
// Rollout's step spans every pod. Hosts here are fake phase runners (no host): canary-order.test.ts pins down
// the phases on one host, deploy-compose's canary-fleet.test.ts runs two real hosts behind one entry point.
import { type CanaryOptions, rollCanary } from '../src/compose-fleet/canary';
import { type CanaryFleet, canaryFleet, lockstepCanary, memberOf } from '../src/compose-fleet/canary-fleet';
import type { CanaryStep, StepJudgement } from '../src/gate/canary-judge';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** One host's canary of `web`; `failAt`: the step whose canary-up fails there. */
function hostCanary(
  host: string,
  events: string[],
  fleet: CanaryFleet,
  options: { oldCount?: number; failAt?: number } = {},
) {
  let step = 0;
  const canary: CanaryOptions = {
    steps: [25, 50, 100],
    intervalMs: 1000,
    failOnInconclusive: true,
    analysis: async () => {
      throw new Error('Bug: a fleet member judged alone');
    },
    fleet: memberOf(fleet, host),
  };
  return rollCanary(
    {
      host,
      service: 'web',
      oldCount: options.oldCount ?? 1,
      drainMs: 0,
      log: () => undefined,
      notice: () => undefined,
      run: async (verb) => {
        if (verb === 'canary-up') step++;
        events.push(`${host} ${verb}${verb === 'canary-up' ? ` ${step}` : ''}`);
        await tick();
        if (verb === 'canary-up' && step === options.failAt)
          throw new Error(
            `canary web on ${host} exited with code 1:\n Container web-2  Created\n${host}: web did not get healthy`,
          );
        // canary-open: a proxy that spreads requests over the DNS name (the replica ratio)
        return { stdout: verb === 'canary-open' ? 'replicas proxy nginx\n' : '' };
      },
    },
    canary,
  );
}

/** An analysis that records each judgement it makes and gives `verdicts` in turn (passed after them). */
function judge(events: string[], verdicts: StepJudgement['verdict'][] = []) {
  const judged: CanaryStep[] = [];
  const analysis = async (step: CanaryStep): Promise<StepJudgement> => {
    judged.push(step);
    events.push(`judge ${step.number}`);
    await tick();
    const verdict = verdicts[step.number - 1] ?? 'passed';
    return { verdict, reason: `step ${step.number} ${verdict}` };
  };
  return { judged, analysis };
}

describe('canary over a fleet, in lockstep', () => {
  it('takes each step on every host before one judgement for the fleet; no host goes on before it', async () => {
    const events: string[] = [];
    const { judged, analysis } = judge(events);
    const fleet = canaryFleet(['h1', 'h2'], analysis, { atomic: true });
    // h2 runs two old containers: its replica ratios differ, the fleet's share is the mean
    await Promise.all([hostCanary('h1', events, fleet), hostCanary('h2', events, fleet, { oldCount: 2 })]);
    expect(judged.map((s) => [s.number, s.effective, s.what])).toEqual([
      [1, 41.7, 'web on 2 host(s) (h1, h2)'],
      [2, 50, 'web on 2 host(s) (h1, h2)'],
      [3, 100, 'web on 2 host(s) (h1, h2)'],
    ]);
    const at = (e: string) => events.indexOf(e);
    for (const n of [1, 2]) {
      for (const host of ['h1', 'h2']) {
        expect(at(`${host} canary-up ${n}`)).toBeLessThan(at(`judge ${n}`));
        expect(at(`judge ${n}`)).toBeLessThan(at(`${host} canary-up ${n + 1}`));
      }
    }
    expect(events.filter((e) => e.startsWith('judge'))).toEqual(['judge 1', 'judge 2', 'judge 3']);
    expect(events.filter((e) => e.endsWith('roll-finish'))).toEqual(['h1 roll-finish', 'h2 roll-finish']);
  });

  it('a failed judgement sends every host back: each undoes its canary, naming the step', async () => {
    const events: string[] = [];
    const { analysis } = judge(events, ['passed', 'failed']);
    const fleet = canaryFleet(['h1', 'h2'], analysis, { atomic: true });
    const results = await Promise.allSettled([
      hostCanary('h1', events, fleet),
      hostCanary('h2', events, fleet),
    ]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      expect.stringMatching(/^h1: web: canary step 2 of 3 .* failed: step 2 failed\. All traffic went back/),
      expect.stringMatching(/^h2: web: canary step 2 of 3 .* failed: step 2 failed\./),
    ]);
    expect(events.filter((e) => e.includes('judge'))).toEqual(['judge 1', 'judge 2']);
    expect(events.filter((e) => e.endsWith('roll-undo')).sort()).toEqual(['h1 roll-undo', 'h2 roll-undo']);
  });

  it('atomic: a host whose step fails to come up fails the step the others wait at, at once', async () => {
    const events: string[] = [];
    const { analysis } = judge(events);
    const fleet = canaryFleet(['h1', 'h2'], analysis, { atomic: true });
    const results = await Promise.allSettled([
      hostCanary('h1', events, fleet),
      hostCanary('h2', events, fleet, { failAt: 2 }),
    ]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      expect.stringContaining(
        'canary step 2 of 3 (declared 50%, effective 50% (1 new beside 1 old)) failed: h2 failed (h2: web did not get healthy); every host sends its traffic back to the old version (atomic)',
      ),
      expect.stringContaining('h2: web did not get healthy'),
    ]);
    // step 2 was never judged: nothing to judge on a fleet going back
    expect(events.filter((e) => e.includes('judge'))).toEqual(['judge 1']);
    expect(events.filter((e) => e.endsWith('roll-undo')).sort()).toEqual(['h1 roll-undo', 'h2 roll-undo']);
  });

  it('not atomic: the other hosts go on without the one that failed, judged among themselves', async () => {
    const events: string[] = [];
    const { judged, analysis } = judge(events);
    const fleet = canaryFleet(['h1', 'h2', 'h3'], analysis, { atomic: false });
    const results = await Promise.allSettled([
      hostCanary('h1', events, fleet),
      hostCanary('h2', events, fleet, { failAt: 2 }),
      hostCanary('h3', events, fleet),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(judged.map((s) => s.what)).toEqual([
      'web on 3 host(s) (h1, h2, h3)',
      'web on 2 host(s) (h1, h3)',
      'web on 2 host(s) (h1, h3)',
    ]);
  });

  it('a host that does not canary the service (or whose deploy ended) is not waited for', async () => {
    const events: string[] = [];
    const { judged, analysis } = judge(events);
    const fleet = canaryFleet(['h1', 'h2', 'h3'], analysis, { atomic: true });
    const h1 = hostCanary('h1', events, fleet);
    await tick();
    // h2 has no web running yet (deployed as usual): it leaves web's canary; h3's deploy ended without a failure
    memberOf(fleet, 'h2').leave('web');
    memberOf(fleet, 'h3').leave();
    await h1;
    expect(judged.map((s) => s.what)).toEqual(Array(3).fill('web on 1 host(s) (h1)'));
  });
});

describe('when a fleet takes its canary in lockstep', () => {
  const canary: CanaryOptions = {
    steps: [50, 100],
    intervalMs: 1000,
    failOnInconclusive: true,
    analysis: async () => ({ verdict: 'passed', reason: 'ok' }),
  };
  const said = () => {
    const lines: string[] = [];
    return {
      lines,
      log: (l: string) => lines.push(`log: ${l}`),
      notice: (l: string) => lines.push(`notice: ${l}`),
    };
  };

  it('every host at once (max-parallel at least the hosts): each gets its part, and the log says so', () => {
    const s = said();
    const of = lockstepCanary(['h1', 'h2'], { canary, maxParallel: 2, atomic: true, ...s });
    expect(of?.('h1').fleet).toBeDefined();
    expect(of?.('h1').steps).toEqual([50, 100]);
    expect(s.lines).toEqual([
      'log: canary on 2 hosts in lockstep: each step is judged once for the whole fleet.',
    ]);
  });

  it('fewer at once than hosts: host by host (lockstep would wait for a host not started), with a notice on how', () => {
    const s = said();
    expect(
      lockstepCanary(['h1', 'h2', 'h3'], { canary, maxParallel: 2, atomic: true, ...s }),
    ).toBeUndefined();
    expect(s.lines).toEqual([
      expect.stringMatching(
        /^notice: canary on 3 hosts with max-parallel 2: .* Set max-parallel to 3 or more/,
      ),
    ]);
  });

  it('one host, or another strategy: nothing to coordinate', () => {
    const s = said();
    expect(lockstepCanary(['h1'], { canary, maxParallel: 5, atomic: true, ...s })).toBeUndefined();
    expect(lockstepCanary(['h1', 'h2'], { maxParallel: 5, atomic: true, ...s })).toBeUndefined();
    expect(s.lines).toEqual([]);
  });
});
