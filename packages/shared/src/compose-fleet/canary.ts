import { UserError } from '../errors';
import type { CanaryAnalysis, CanaryObservation } from '../gate/canary-judge';
import type { Verdict } from '../gate/verification';
import type { ScriptValue } from '../remote/host-script';
import type { CanaryFleetMember } from './canary-fleet';
import { canaryPlan, describeStep } from './canary-steps';

/** `strategy: canary`: the steps, how long each bakes, and who judges them. */
export interface CanaryOptions {
  /** Shares in percent, rising, the last 100 (parseCanarySteps). */
  steps: number[];
  intervalMs: number;
  failOnInconclusive: boolean;
  /** The per-step judgement (the entry point's judge, joined by any other gate). */
  analysis: CanaryAnalysis;
  /** Told each step's outcome as it ends (the action's outputs). */
  onStep?: (report: CanaryStepReport) => void;
  /** On a fleet deployed at once: this host's part in the fleet's lockstep canary (canary-fleet.ts). */
  fleet?: CanaryFleetMember;
}

/** One step of one service on one host, as the outputs report it. */
export interface CanaryStepReport {
  host: string;
  service: string;
  step: number;
  declared: number;
  effective: number;
  newContainers: number;
  oldContainers: number;
  observed?: CanaryObservation;
  verdict: Verdict;
  reason: string;
}

/** A phase on the host (canary-up, roll-switch, roll-undo, roll-finish) with extra values. */
type RunPhase = (
  verb: 'canary-up' | 'roll-switch' | 'roll-undo' | 'roll-finish',
  label: string,
  extra?: Record<string, ScriptValue>,
) => Promise<unknown>;

export interface CanaryContext {
  host: string;
  service: string;
  /** Old containers of the service running now (Compose's config hashes: one line each). */
  oldCount: number;
  run: RunPhase;
  log: (message: string) => void;
  notice: (message: string) => void;
  drainMs: number;
}

/**
 * One service through the canary steps. Each step puts its new containers in rotation beside the old ones
 * (canary-up; at 100% the old ones leave the rotation: roll-switch) and lets the analysis judge the new version
 * for canary-interval. A failed step, or an inconclusive one with fail-on-inconclusive, sends all traffic back to
 * the old containers at once and removes the new ones (roll-undo), and throws naming the step. After the last
 * step the old containers, out of rotation for a whole interval already, stop (roll-finish).
 */
export async function rollCanary(context: CanaryContext, canary: CanaryOptions): Promise<void> {
  const { host, service, run, log } = context;
  const where = `${host}: ${service}`;
  const plan = canaryPlan(canary.steps, context.oldCount);
  const signal = new AbortController().signal;
  try {
    for (const [i, step] of plan.entries()) {
      const number = i + 1;
      const label = `canary ${service}, step ${number} of ${plan.length}`;
      await run('canary-up', `${label} (${step.newCount} new)`, {
        CANARY_NEW: step.newCount,
        CANARY_FIRST: i === 0,
      });
      if (step.effective === 100)
        await run('roll-switch', `${label} (the old containers leave the rotation)`);
      log(`${where}: canary step ${number} of ${plan.length}: ${describeStep(step)}.`);
      const judged = {
        number,
        of: plan.length,
        declared: step.declared,
        effective: step.effective,
        durationMs: canary.intervalMs,
        what: where,
      };
      const judgement = canary.fleet
        ? await canary.fleet.judge(service, judged)
        : await canary.analysis(judged, signal);
      canary.onStep?.({
        host,
        service,
        step: number,
        declared: step.declared,
        effective: step.effective,
        newContainers: step.newCount,
        oldContainers: step.effective === 100 ? 0 : step.oldCount,
        observed: judgement.observed,
        verdict: judgement.verdict,
        reason: judgement.reason,
      });
      log(`${where}: canary step ${number}: ${judgement.verdict}: ${judgement.reason}.`);
      const fails =
        judgement.verdict === 'failed' || (judgement.verdict === 'inconclusive' && canary.failOnInconclusive);
      if (fails) {
        const why =
          judgement.verdict === 'inconclusive'
            ? `inconclusive (fail-on-inconclusive is true): ${judgement.reason}`
            : judgement.reason;
        throw new UserError(
          `${where}: canary step ${number} of ${plan.length} (${describeStep(step)}) failed: ${why}. All traffic went back to the old version; the new containers were removed.`,
        );
      }
      if (judgement.verdict === 'inconclusive') {
        context.notice(
          `${where}: canary step ${number} was inconclusive, going on (fail-on-inconclusive: false).`,
        );
      }
    }
  } catch (error) {
    canary.fleet?.leave(service, (error as Error).message);
    log(`${where}: aborting the canary: every request goes back to the old containers.`);
    await run('roll-undo', `undoing the canary of ${service}`).catch((again) =>
      log(`${where}: could not undo the canary (${(again as Error).message}).`),
    );
    throw error;
  }
  canary.fleet?.leave(service);
  // The last step kept the old containers out of rotation for a whole interval: they drained meanwhile.
  await run('roll-finish', `canary ${service}: the old containers stop`, {
    ...(canary.intervalMs >= context.drainMs ? { DRAIN: 0 } : {}),
  });
}
