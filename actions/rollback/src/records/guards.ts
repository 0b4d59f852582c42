import { formatDuration, type RecordedDeployment, UserError } from '@slipway/shared';
import type { Inputs } from '../inputs';

/**
 * Refuses a second rollback of the environment within `cooldown`: a rollback that did not help is a reason to
 * look, not to keep flipping releases. Judged from the rollback deployments the records hold (`mine`, newest
 * first). A rollback followed by an ordinary deploy does not count: rolling back that new deploy is not flapping,
 * and refusing it would leave a second bad release in place (the pipeline's own automatic rollback).
 */
export function checkCooldown(
  mine: readonly RecordedDeployment[],
  inputs: Pick<Inputs, 'environment' | 'cooldownMs'>,
  now: number,
): void {
  if (inputs.cooldownMs <= 0) return;
  // The newest record being a rollback means nothing was deployed since; anything else resets the cooldown.
  const last = mine[0];
  if (last?.payload?.rollback === undefined) return;
  const age = now - Date.parse(last.createdAt);
  if (age < inputs.cooldownMs) {
    throw new UserError(
      `${inputs.environment} was rolled back ${formatDuration(Math.max(0, age))} ago (deployment #${last.id}); ` +
        `the cooldown is ${formatDuration(inputs.cooldownMs)}. Look at why that rollback did not help, then ` +
        'run again after the cooldown, or set cooldown: 0 to roll back again now.',
    );
  }
}

/**
 * Schema migrations recorded by deployments newer than the release to restore (a deployment's payload field
 * `migration`), which that older release may not understand.
 */
export function newerMigrations(
  mine: readonly RecordedDeployment[],
  to: RecordedDeployment,
): Array<{ id: number; migration: string; backups?: { id: number; ids: string[] } }> {
  const index = mine.indexOf(to);
  const newer = index < 0 ? [] : mine.slice(0, index);
  const seen = new Set<string>();
  return newer
    .filter((d) => d.payload?.migration && d.payload.migration !== to.payload?.migration)
    .filter((d) => !seen.has(d.payload!.migration!) && seen.add(d.payload!.migration!))
    .map((d) => {
      const backups = backupBefore(newer, d.payload!.migration!);
      return { id: d.id, migration: d.payload!.migration!, ...(backups ? { backups } : {}) };
    });
}

/**
 * The backup taken before a migration first ran: that of the oldest deployment recording it (newest first in
 * `newer`, so the last one) that recorded backups (deploy-ecs's `backup`: RDS snapshots before any change).
 */
function backupBefore(newer: readonly RecordedDeployment[], migration: string) {
  const first = newer.filter((d) => d.payload?.migration === migration && d.payload.backups?.length).at(-1);
  return first ? { id: first.id, ids: first.payload!.backups! } : undefined;
}

/** Applies `migrations-guard`: returns a warning to show, or throws when it refuses. */
export function checkMigrations(
  mine: readonly RecordedDeployment[],
  to: RecordedDeployment,
  guard: Inputs['migrationsGuard'],
): string | undefined {
  if (guard === 'off') return undefined;
  const found = newerMigrations(mine, to);
  if (!found.length) return undefined;
  const list = found
    .map((m) => {
      const backup = m.backups
        ? `; backup taken before it: ${m.backups.ids.join(', ')}${m.backups.id === m.id ? '' : ` (deployment #${m.backups.id})`}`
        : '';
      return `${m.migration} (deployment #${m.id}${backup})`;
    })
    .join(', ');
  const message =
    `The release to restore (deployment #${to.id}) is older than schema migration(s) ${list}: ` +
    'its code may not work with the migrated schema.';
  if (guard === 'refuse') {
    throw new UserError(
      `${message} Roll the migration back first, or set migrations-guard: warn to roll back anyway.`,
    );
  }
  return message;
}
