import { UserError } from '../errors';
import type { CanaryAnalysis, CanaryObservation } from '../gate/canary-judge';
import type { Verdict } from '../gate/verification';
import type { ScriptValue } from '../remote/host-script';
import type { CanaryFleetMember } from './canary-fleet';
import {
  type CanaryStepPlan,
  canaryPlan,
  canaryWeightPlan,
  describeStep,
  type StepWeights,
} from './canary-steps';
import { finishRoll } from './roll-finish';

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
  /** The server weights that gave the share (absent: a replica ratio). */
  weights?: StepWeights;
  observed?: CanaryObservation;
  verdict: Verdict;
  reason: string;
}

/** A phase on the host (canary-open, canary-up, roll-switch, roll-undo, roll-finish) with extra values. */
type RunPhase = (
  verb: 'canary-open' | 'canary-up' | 'roll-switch' | 'roll-undo' | 'roll-finish',
  label: string,
  extra?: Record<string, ScriptValue>,
) => Promise<{ stdout: string }>;

/** How the proxies in front of a service can share its traffic, as canary-open found them. */
export type ShareMechanism =
  | { kind: 'weights'; proxy: string; oldServers: number }
  | { kind: 'replicas'; why: string; notice: boolean };

const PROXY_NAMES: Record<string, string> = { haproxy: 'HAProxy', nginx: 'Nginx' };

/**
 * canary-open's answer (weights.sh): `servers M KIND` per HAProxy backend or Nginx container that takes weights
 * (M servers of the old containers in it), or `replicas PROXY KIND` (a proxy that follows DNS: the replica ratio
 * is what it offers) or `replicas PROXY WHY` (a proxy whose weights cannot be used, and how to fix it: a notice).
 */
export function shareMechanism(stdout: string, service: string): ShareMechanism {
  const lines = stdout.split('\n').map((l) => l.trim());
  const refusals = lines.filter((l) => l.startsWith('replicas ')).map((l) => l.split(' '));
  const cannot = refusals.find((r) => r.length > 3);
  if (cannot) {
    const [, proxy, ...why] = cannot;
    const who = proxy === '-' ? '' : `${proxy} cannot take the canary's weights: `;
    return { kind: 'replicas', why: `${who}${why.join(' ')}`, notice: proxy !== '-' };
  }
  if (refusals.length > 0) {
    const proxies = refusals.map(([, proxy, kind]) => `${proxy} (${kind})`).join(', ');
    const nginx = refusals.some(([, , kind]) => kind === 'nginx')
      ? ` (Nginx takes weights when its upstream includes a file named slipway-${service}.conf: see "Canary" in the README)`
      : '';
    return {
      kind: 'replicas',
      why: `${proxies} spread${refusals.length === 1 ? 's' : ''} requests over the addresses of ${service}'s DNS name${nginx}`,
      notice: false,
    };
  }
  const found = lines.map((l) => /^servers (\d+) (\w+)$/.exec(l)).filter((m) => m !== null);
  const counts = [...new Set(found.map((m) => Number(m[1])))];
  const kinds = [...new Set(found.map((m) => PROXY_NAMES[m[2]] ?? m[2]))];
  if (counts.length === 1) return { kind: 'weights', proxy: kinds.join(' and '), oldServers: counts[0] };
  return {
    kind: 'replicas',
    why:
      counts.length === 0
        ? 'canary-open found no proxy that takes weights'
        : `the proxies hold different numbers of servers of ${service} (${counts.join(', ')}): one set of weights cannot give each the same share`,
    notice: counts.length > 1,
  };
}

export interface CanaryContext {
  host: string;
  service: string;
  /** Old containers of the service running now (Compose's config hashes: one line each). */
  oldCount: number;
  run: RunPhase;
  log: (message: string) => void;
  notice: (message: string) => void;
  drainMs: number;
  /** Told how long the old containers drain once queued to stop (HostDeployOptions.onDrain). */
  onDrain?: (ms: number) => void;
}

function planFor(mechanism: ShareMechanism, steps: number[], oldCount: number): CanaryStepPlan[] {
  return mechanism.kind === 'weights'
    ? canaryWeightPlan(steps, oldCount, mechanism.proxy, mechanism.oldServers)
    : canaryPlan(steps, oldCount);
}

/**
 * One service through the canary steps. canary-open finds how the proxies can share the traffic: HAProxy's
 * server weights (its runtime API) or the replica ratio (shareMechanism), and the plan follows. Each step puts its
 * new containers in rotation beside the old ones (canary-up; at 100% the old ones leave the rotation: roll-switch) and lets the analysis judge the new version
 * for canary-interval. A failed step, or an inconclusive one with fail-on-inconclusive, sends all traffic back to
 * the old containers at once and removes the new ones (roll-undo), and throws naming the step. After the last
 * step the old containers, out of rotation for a whole interval already, stop (roll-finish).
 */
export async function rollCanary(context: CanaryContext, canary: CanaryOptions): Promise<void> {
  const { host, service, run, log } = context;
  const where = `${host}: ${service}`;
  const signal = new AbortController().signal;
  try {
    const opened = await run('canary-open', `canary ${service}: how the proxies can share the traffic`);
    const mechanism = shareMechanism(opened.stdout, service);
    const plan = planFor(mechanism, canary.steps, context.oldCount);
    if (mechanism.kind === 'weights') {
      log(`${where}: the canary's share is set by ${mechanism.proxy}'s server weights.`);
    } else {
      const said = `${where}: the canary's share is a replica ratio: ${mechanism.why}.`;
      if (mechanism.notice) context.notice(said);
      else log(said);
    }
    for (const [i, step] of plan.entries()) {
      const number = i + 1;
      const label = `canary ${service}, step ${number} of ${plan.length}`;
      await run('canary-up', `${label} (${step.newCount} new)`, {
        CANARY_NEW: step.newCount,
        CANARY_MODE: mechanism.kind,
        CANARY_WEIGHTS: step.weights ? `${step.weights.old} ${step.weights.new}` : '',
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
        ...(step.weights ? { weights: step.weights } : {}),
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
  await finishRoll(run, `canary ${service}: the old containers stop`, {
    drained: canary.intervalMs >= context.drainMs,
    drainMs: context.drainMs,
    onDrain: context.onDrain,
  });
}
