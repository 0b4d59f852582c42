import { digestsOf, type RecordedDeployment } from '@slipway/shared';
import { parenthetical } from '../report/parenthetical';

/**
 * What the deployment records know must not be restored, each with why: the task definitions and image digests
 * of deployments marked bad, and of the one rolled away from (about to be marked bad).
 */
export interface BadMarks {
  taskDefinitions: ReadonlyMap<string, string>;
  digests: ReadonlyMap<string, string>;
}

export const NO_BAD_MARKS: BadMarks = { taskDefinitions: new Map(), digests: new Map() };

/**
 * The bad marks in the environment's records (every target: a digest marked bad is bad wherever it ran, as the
 * deploy actions judge it), plus `from`, the deployment rolled away from. A bad mark's reason wins, the newest first.
 */
export function badMarks(history: readonly RecordedDeployment[], from?: RecordedDeployment): BadMarks {
  const taskDefinitions = new Map<string, string>();
  const digests = new Map<string, string>();
  const note = (d: RecordedDeployment, why: string) => {
    for (const arn of Object.values(d.payload?.taskDefinitions ?? {})) {
      if (!taskDefinitions.has(arn)) taskDefinitions.set(arn, why);
    }
    for (const digest of digestsOf(d)) if (!digests.has(digest)) digests.set(digest, why);
  };
  for (const d of history) {
    if (d.badReason !== undefined) note(d, `deployment #${d.id}, marked bad ${parenthetical(d.badReason)}`);
  }
  if (from) note(from, `deployment #${from.id}, rolled away from`);
  return { taskDefinitions, digests };
}
