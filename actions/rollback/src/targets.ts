import type { DeploymentPayload, RecordedDeployment } from '@slipway/shared';
import type { Explicit } from './inputs';
import type { BadMarks } from './records/bad-marks';

/** Where the release to restore comes from: a deployment record, an explicit `to`, or the target's memory. */
export type Source = { record: RecordedDeployment } | { explicit: Explicit } | { fallback: true };

/** One service or host, after the rollback. */
export interface UnitResult {
  name: string;
  from: string;
  to: string;
  status: string;
  reason: string;
}

export interface RollbackOutcome {
  /** Every service or host runs the restored release. */
  ok: boolean;
  units: UnitResult[];
}

/** A rollback decided and checked, not yet started: nothing has changed when a plan is made. */
export interface RollbackPlan {
  /** What runs now (task definitions or release ids), for the output and the summary. */
  from: string;
  /** What is restored. */
  to: string;
  /** The restored release, as the rollback's own deployment record describes it. */
  payload: Pick<DeploymentPayload, 'images' | 'taskDefinitions' | 'releaseId'>;
  execute(): Promise<RollbackOutcome>;
}

/** A target (ECS, Compose hosts) as the rollback flow drives it. */
export interface RollbackTarget {
  /** `avoid`: what the deployment records forbid restoring, for a choice made from the target's own memory. */
  plan(source: Source, avoid: BadMarks): Promise<RollbackPlan>;
}

export const uniqueJoin = (values: readonly string[]) => [...new Set(values.filter(Boolean))].join(',');
