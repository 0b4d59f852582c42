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

/** `declared 5%, effective 50% (1 new beside 1 old)`: what a step really gives, in the log and the outputs. */
export function describeStep(step: CanaryStepPlan): string {
  const containers =
    step.effective === 100
      ? `${step.newCount} new, the ${step.oldCount} old out of rotation`
      : `${step.newCount} new beside ${step.oldCount} old`;
  return `declared ${step.declared}%, effective ${step.effective}% (${containers})`;
}
