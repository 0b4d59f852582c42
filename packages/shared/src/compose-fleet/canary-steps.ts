import { InputError } from '../errors';

/** At most this many steps: each bakes for canary-interval, so more would be a slow rollout, not a safer one. */
const MAX_STEPS = 20;

/**
 * `canary-steps`: the share of traffic the new version gets at each step, in percent, such as `5%,25%,100%`
 * (commas or spaces; the `%` may be left out). Each step above the one before, none above 100; a list that does
 * not end at 100% ends there anyway (as Argo Rollouts promotes after its last step), said in the log.
 */
export function parseCanarySteps(text: string, input = 'canary-steps'): number[] {
  const accepted = `shares of traffic in percent, rising, such as 5%,25%,100%`;
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) throw new InputError(input, `Input "${input}" must be ${accepted}; got nothing.`);
  const steps = parts.map((part) => {
    const match = /^(\d{1,3}(?:\.\d{1,2})?)%?$/.exec(part);
    const value = match ? Number(match[1]) : Number.NaN;
    if (!match || value <= 0 || value > 100) {
      throw new InputError(
        input,
        `Input "${input}" must be ${accepted}; ${JSON.stringify(part)} is not a share above 0% and at most 100%.`,
      );
    }
    return value;
  });
  steps.forEach((step, i) => {
    if (i > 0 && step <= steps[i - 1]) {
      throw new InputError(
        input,
        `Input "${input}" must be ${accepted}; ${step}% after ${steps[i - 1]}% does not rise (each step gives the new version more traffic than the one before).`,
      );
    }
  });
  if (steps.at(-1) !== 100) steps.push(100);
  if (steps.length > MAX_STEPS) {
    throw new InputError(input, `Input "${input}" has ${steps.length} steps; at most ${MAX_STEPS}.`);
  }
  return steps;
}

/** One step as the proxy can really give it. */
export interface CanaryStepPlan {
  /** The share asked for, in percent. */
  declared: number;
  /** New containers in rotation beside `oldCount` old ones (at 100%: the old ones are out of rotation). */
  newCount: number;
  oldCount: number;
  /** The share that gives (each proxy round-robins over the service's addresses), in percent, one decimal. */
  effective: number;
  /** A step below 100% given by server weights (canaryWeightPlan) rather than by the replica ratio. */
  weights?: StepWeights;
}

/** The weights of one step: every old server of a backend at `old`, the new container's server at `new`. */
export interface StepWeights {
  /** Who applies them, as the log names it (`HAProxy`). */
  proxy: string;
  old: number;
  new: number;
  /** Servers of the old containers in each backend. */
  oldServers: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The replica ratio nearest each declared share: the proxies in front (Nginx `proxy_pass http://web:8080`,
 * HAProxy, Caddy `dynamic a`) spread requests evenly over the addresses of the service's DNS name, so k new
 * containers beside n old ones get k/(n+k). k is held to 1..n (at most as many new containers as old, so the
 * host never runs more than twice the service, as a rolling deploy does): with one old container every step
 * below 100% is 50%. The last step (100%) takes the old ones out of rotation with n new ones in.
 */
export function canaryPlan(steps: readonly number[], oldCount: number): CanaryStepPlan[] {
  if (!Number.isSafeInteger(oldCount) || oldCount < 1) throw new Error(`Bug: ${oldCount} old containers.`);
  return steps.map((declared) => {
    if (declared >= 100) return { declared, newCount: oldCount, oldCount, effective: 100 };
    let best = 1;
    for (let k = 2; k <= oldCount; k++) {
      const error = Math.abs(k / (oldCount + k) - declared / 100);
      if (error < Math.abs(best / (oldCount + best) - declared / 100) - 1e-9) best = k;
    }
    return { declared, newCount: best, oldCount, effective: round1((100 * best) / (oldCount + best)) };
  });
}

/** The highest weight HAProxy takes on a server (and the lowest above 0 is 1). */
const MAX_WEIGHT = 256;

/**
 * The integer weights (1..256) nearest a declared share: `oldServers` servers at `old` beside one new server at
 * `new` give it new/(oldServers*old + new). The smallest weights win a tie, so 50% is 1:1 and 10% is 9:1.
 */
export function nearestWeights(declared: number, oldServers: number): { old: number; new: number } {
  let best = { old: 1, new: 1, error: Number.POSITIVE_INFINITY };
  for (let n = 1; n <= MAX_WEIGHT; n++) {
    for (let o = 1; o <= MAX_WEIGHT; o++) {
      const error = Math.abs(n / (oldServers * o + n) - declared / 100);
      if (error < best.error - 1e-12) best = { old: o, new: n, error };
    }
  }
  return { old: best.old, new: best.new };
}

/**
 * The steps given by a proxy's server weights (HAProxy's runtime API): below 100%, one new container as a server
 * beside the `oldServers` servers of the old containers in each backend, weighted as nearly as integer weights
 * allow (declared 5% is 5%; 0.1% is 0.4%, as 1:256 is the smallest share); at 100%, as the replica ratio: as many
 * new containers as old, the old out of rotation.
 */
export function canaryWeightPlan(
  steps: readonly number[],
  oldCount: number,
  proxy: string,
  oldServers: number,
): CanaryStepPlan[] {
  if (!Number.isSafeInteger(oldServers) || oldServers < 1) throw new Error(`Bug: ${oldServers} old servers.`);
  return canaryPlan(steps, oldCount).map((step) => {
    if (step.effective === 100) return step;
    const weights = nearestWeights(step.declared, oldServers);
    const effective = round1((100 * weights.new) / (oldServers * weights.old + weights.new));
    return { ...step, newCount: 1, effective, weights: { proxy, ...weights, oldServers } };
  });
}

/** `declared 5%, effective 50% (1 new beside 1 old)`: what a step really gives, in the log and the outputs. */
export function describeStep(step: CanaryStepPlan): string {
  const w = step.weights;
  const servers = w && `${w.oldServers} old server${w.oldServers === 1 ? '' : 's'} at ${w.old}`;
  const containers = w
    ? `${w.proxy} weights: ${step.newCount} new container at ${w.new}, ${servers}${w.oldServers === 1 ? '' : ' each'}`
    : step.effective === 100
      ? `${step.newCount} new, the ${step.oldCount} old out of rotation`
      : `${step.newCount} new beside ${step.oldCount} old`;
  return `declared ${step.declared}%, effective ${step.effective}% (${containers})`;
}
