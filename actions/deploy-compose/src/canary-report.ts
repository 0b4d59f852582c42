import { appendSummary, type CanaryStepReport, markdownTable } from '@slipway/shared';
import type { RunnerIo } from './deploy';

/**
 * The strategy's outputs: `strategy`; with canary, `steps-completed` (steps every canaried service on every
 * host got through: the fewest), `traffic-share` (each step: declared, effective and observed share, the answers
 * seen, the verdict) and `abort-reason` (the step that failed, and why; empty when none did).
 */
export async function reportStrategy(
  strategy: string,
  steps: readonly CanaryStepReport[],
  io: RunnerIo,
): Promise<void> {
  io.setOutput('strategy', strategy);
  if (strategy !== 'canary') return;
  const passed = new Map<string, number>();
  for (const step of steps) {
    const key = `${step.host}\n${step.service}`;
    const done = step.verdict === 'failed' ? 0 : 1;
    passed.set(key, (passed.get(key) ?? 0) + done);
  }
  const failed = steps.find((s) => s.verdict !== 'passed' && !passedOn(steps, s));
  io.setOutput('steps-completed', String(passed.size ? Math.min(...passed.values()) : 0));
  io.setOutput(
    'traffic-share',
    JSON.stringify(
      steps.map((s) => ({
        host: s.host,
        service: s.service,
        step: s.step,
        declared: s.declared,
        effective: s.effective,
        observed: s.observed?.observedShare ?? null,
        newContainers: s.newContainers,
        oldContainers: s.oldContainers,
        weights: s.weights ? { old: s.weights.old, new: s.weights.new } : null,
        answers: s.observed
          ? { new: s.observed.newAnswers, old: s.observed.oldAnswers, unattributed: s.observed.unattributed }
          : null,
        verdict: s.verdict,
      })),
    ),
  );
  if (steps.length > 0) await appendSummary(`#### canary steps\n\n${summaryTable(steps)}\n`);
  io.setOutput(
    'abort-reason',
    failed
      ? `${failed.host}: ${failed.service}: step ${failed.step}: ${failed.verdict}: ${failed.reason}`
      : '',
  );
}

/** Each step as the job summary shows it: the share asked for, given and seen, and the verdict. */
function summaryTable(steps: readonly CanaryStepReport[]): string {
  const rows = steps.map((s) => [
    s.host,
    s.service,
    String(s.step),
    `${s.declared}%`,
    s.weights
      ? `${s.effective}% (${s.weights.proxy} weights ${s.weights.new} new : ${s.weights.old} old)`
      : `${s.effective}% (${s.newContainers} new, ${s.oldContainers} old)`,
    s.observed?.observedShare === undefined ? '' : `${s.observed.observedShare}%`,
    `${s.verdict}: ${s.reason}`,
  ]);
  return markdownTable(['host', 'service', 'step', 'declared', 'effective', 'observed', 'verdict'], rows);
}

/** An inconclusive step the canary went on from (fail-on-inconclusive: false) did not abort it. */
function passedOn(steps: readonly CanaryStepReport[], step: CanaryStepReport): boolean {
  return steps.some((s) => s.host === step.host && s.service === step.service && s.step > step.step);
}
