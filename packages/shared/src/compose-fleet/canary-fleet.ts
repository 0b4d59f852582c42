import type { CanaryAnalysis, CanaryStep, StepJudgement } from '../gate/canary-judge';
import type { CanaryOptions } from './canary';

/**
 * A canary over a fleet, in lockstep: as a Rollout's `setWeight` step spans every pod, step n of a service
 * is judged once for the whole fleet, after every host taking part has put its step-n containers in rotation, and
 * no host goes on to step n+1 before that judgement. `public-url` (the fleet's entry point) then sees one
 * share, and every host gets the same verdict. A host takes part in a service's canary until it leaves it: it
 * finished the steps, it does not canary that service (not running there yet, say), or its deploy failed.
 * With `atomic`, a host that failed makes the step the others wait at (and any later one) fail at once, so every
 * host sends its traffic back to the old version.
 * Every host must be deploying at the same time (max-parallel at least the number of hosts): a host that has
 * not started yet would be waited for forever; deployToFleet checks that.
 */
export interface CanaryFleet {
  /** The host's step of `service`, judged with the other hosts' same step: waits for them, then one judgement. */
  judge(host: string, service: string, step: CanaryStep): Promise<StepJudgement>;
  /** The host takes no further part in `service`'s canary (or in any, without `service`); `failure`: why it failed. */
  leave(host: string, service?: string, failure?: string): void;
}

/** One host's part in a fleet's canary (CanaryFleet bound to the host). */
export interface CanaryFleetMember {
  judge(service: string, step: CanaryStep): Promise<StepJudgement>;
  leave(service?: string, failure?: string): void;
}

/** `fleet` as seen from `host`. */
export const memberOf = (fleet: CanaryFleet, host: string): CanaryFleetMember => ({
  judge: (service, step) => fleet.judge(host, service, step),
  leave: (service, failure) => fleet.leave(host, service, failure),
});

interface Round {
  arrived: Map<string, CanaryStep>;
  started: boolean;
  settled: boolean;
  resolve: (judgement: StepJudgement) => void;
  done: Promise<StepJudgement>;
  abort: AbortController;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function canaryFleet(
  hosts: readonly string[],
  analysis: CanaryAnalysis,
  options: { atomic: boolean },
): CanaryFleet {
  /** Who left which service's canary ('*': every service). */
  const left = new Map<string, Set<string>>();
  /** With atomic: the first failure, for every service ('*') or one. */
  const failures = new Map<string, string>();
  const rounds = new Map<string, Round>();

  const hasLeft = (host: string, service: string) =>
    left.get('*')?.has(host) || left.get(service)?.has(host) || false;
  const failureOf = (service: string) => failures.get(service) ?? failures.get('*');
  const failed = (reason: string): StepJudgement => ({
    verdict: 'failed',
    reason: `${reason}; every host sends its traffic back to the old version (atomic)`,
  });

  function roundOf(service: string, number: number): Round {
    const key = `${service}\n${number}`;
    let round = rounds.get(key);
    if (!round) {
      let resolve: Round['resolve'] = () => undefined;
      const done = new Promise<StepJudgement>((r) => {
        resolve = r;
      });
      const abort = new AbortController();
      round = { arrived: new Map(), started: false, settled: false, resolve, done, abort };
      rounds.set(key, round);
    }
    return round;
  }

  /** Starts a round's one judgement once every host still taking part has arrived; fails it on a failure. */
  function settle(round: Round, judgement: StepJudgement) {
    if (round.settled) return;
    round.settled = true;
    round.resolve(judgement);
  }

  function advance(service: string, round: Round) {
    if (round.settled) return;
    const failure = failureOf(service);
    if (failure) {
      settle(round, failed(failure));
      round.abort.abort();
      return;
    }
    if (round.started) return;
    const waiting = hosts.filter((h) => !hasLeft(h, service) && !round.arrived.has(h));
    if (waiting.length > 0 || round.arrived.size === 0) return;
    round.started = true;
    const steps = [...round.arrived.values()];
    const [first] = steps;
    const names = [...round.arrived.keys()];
    const step: CanaryStep = {
      ...first,
      // hosts with other container counts give other replica ratios: the fleet's is their mean (equal traffic per host)
      effective: round1(steps.reduce((sum, s) => sum + s.effective, 0) / steps.length),
      what: `${service} on ${names.length} host(s) (${names.join(', ')})`,
    };
    analysis(step, round.abort.signal).then(
      (judgement) => settle(round, judgement),
      (error: Error) =>
        settle(round, { verdict: 'failed', reason: `the step could not be judged: ${error.message}` }),
    );
  }

  function advanceAll(service?: string) {
    for (const [key, round] of rounds) {
      const [name] = key.split('\n');
      if (service === undefined || name === service) advance(name, round);
    }
  }

  return {
    judge(host, service, step) {
      const round = roundOf(service, step.number);
      round.arrived.set(host, step);
      advance(service, round);
      return round.done;
    },
    leave(host, service, failure) {
      const scope = service ?? '*';
      if (hasLeft(host, scope)) return;
      if (!left.has(scope)) left.set(scope, new Set());
      left.get(scope)?.add(host);
      if (failure && options.atomic && !failureOf(scope)) {
        // its own error says the rest (the host's result): here, the line that says why
        const why = failure.trim().split('\n').at(-1)?.trim() || failure;
        failures.set(scope, `${host} failed (${why})`);
      }
      advanceAll(service);
    },
  };
}

/**
 * strategy canary on several hosts: each host's canary options with its part in the lockstep, when every host
 * deploys at once; else undefined (each host takes its own steps), with a notice saying how to get the lockstep.
 */
export function lockstepCanary(
  names: readonly string[],
  options: {
    canary?: CanaryOptions;
    maxParallel: number;
    atomic: boolean;
    log: (line: string) => void;
    notice: (message: string) => void;
  },
): ((host: string) => CanaryOptions) | undefined {
  const { canary } = options;
  if (!canary || names.length < 2) return undefined;
  if (options.maxParallel < names.length) {
    options.notice(
      `canary on ${names.length} hosts with max-parallel ${options.maxParallel}: each host takes its own steps, ` +
        "and each host's steps are judged through public-url, which answers for the whole fleet. Set max-parallel " +
        `to ${names.length} or more to take every step on every host at once, judged once for the fleet.`,
    );
    return undefined;
  }
  options.log(`canary on ${names.length} hosts in lockstep: each step is judged once for the whole fleet.`);
  const fleet = canaryFleet(names, canary.analysis, { atomic: options.atomic });
  return (host) => ({ ...canary, fleet: memberOf(fleet, host) });
}
