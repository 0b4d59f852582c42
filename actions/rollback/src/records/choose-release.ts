import {
  badDigestReason,
  digestsOf,
  lastGoodDeployment,
  type RecordedDeployment,
  UserError,
} from '@slipway/shared';
import type { Explicit, Inputs } from '../inputs';
import { parenthetical } from '../report/parenthetical';

/** What the deployment records say about this rollback. */
export interface RecordsChoice {
  /** The environment's newest deployment: the release rolled away from. */
  from: RecordedDeployment;
  /** The deployment whose release is restored; undefined when an explicit `to` is not in the records. */
  to?: RecordedDeployment;
}

/** The environment's Slipway deployments for this target, newest first. */
export function environmentHistory(
  history: readonly RecordedDeployment[],
  inputs: Pick<Inputs, 'environment' | 'target'>,
): RecordedDeployment[] {
  return history.filter((d) => d.environment === inputs.environment && d.payload?.target === inputs.target);
}

/**
 * The release to restore, from the records: the last good deployment of the environment before the newest one
 * (never "the previous one" blindly: anything marked bad, failed, or running a digest rolled away from is
 * skipped), or the one an explicit `to` names. Undefined when the environment has no records at all, so the
 * caller falls back to what ECS or the hosts remember.
 */
export function chooseFromRecords(
  history: readonly RecordedDeployment[],
  inputs: Pick<Inputs, 'environment' | 'target' | 'to'>,
): RecordsChoice | undefined {
  const mine = environmentHistory(history, inputs);
  if (!mine.length) return undefined;
  const from = mine[0];
  if (inputs.to) return { from, to: explicitRecord(mine, from, inputs.to) };
  const to = lastGoodDeployment(mine, { excludeId: from.id, excludeDigests: digestsOf(from) });
  if (!to) {
    throw new UserError(
      `Nothing to roll back to: ${inputs.environment} has no successful ${inputs.target} deployment before ` +
        `#${from.id} (${describeRecord(from)}) that was not marked bad or runs another digest. ` +
        'Name the release to restore with "to".',
    );
  }
  return { from, to };
}

function explicitRecord(
  mine: RecordedDeployment[],
  from: RecordedDeployment,
  to: Explicit,
): RecordedDeployment | undefined {
  if (to.kind === 'digest') {
    const reason = badDigestReason(mine, to.digest);
    if (reason !== undefined) {
      throw new UserError(
        `Input "to": ${to.digest} was marked bad by an earlier rollback ${parenthetical(reason)}; ` +
          'choose another release.',
      );
    }
  }
  const matches = (d: RecordedDeployment) => {
    if (to.kind === 'digest') return digestsOf(d).includes(to.digest);
    if (to.kind === 'release') return d.payload?.releaseId === to.id;
    return Object.values(d.payload?.taskDefinitions ?? {}).some((arn) => sameTaskDefinition(arn, to.ref));
  };
  if (matches(from) && !from.badReason && from.statuses.some((s) => s.state === 'success')) {
    throw new UserError(
      `Input "to" names what ${from.environment} runs now (deployment #${from.id}, ${describeRecord(from)}): ` +
        'choose an earlier release.',
    );
  }
  const found = mine.find((d) => d !== from && matches(d) && d.statuses.some((s) => s.state === 'success'));
  if (found?.badReason !== undefined) {
    throw new UserError(
      `Input "to" names deployment #${found.id}, which was marked bad ${parenthetical(found.badReason)}; ` +
        'choose another release.',
    );
  }
  return found;
}

/** `arn:…:task-definition/web:7` and `web:7` name the same revision. */
export function sameTaskDefinition(arn: string, ref: string): boolean {
  return arn === ref || arn.endsWith(`:task-definition/${ref}`);
}

export function describeRecord(d: RecordedDeployment): string {
  const what =
    d.payload?.releaseId ?? [...new Set(Object.values(d.payload?.taskDefinitions ?? {}))].join(', ') ?? '';
  const state = d.badReason !== undefined ? 'marked bad' : (d.statuses.at(-1)?.state ?? 'no status');
  return `${what || digestsOf(d).join(', ') || 'no release recorded'}, ${state}, commit ${d.sha.slice(0, 7)}`;
}
