import {
  type connectOptions,
  connectSsh,
  currentRelease,
  fleetOptions,
  formatDuration,
  type HistoryEntry,
  hostBadRelease,
  openFleet,
  previousReleases,
  releaseFromHistory,
  type SshSession,
  UserError,
} from '@slipway/shared';
import type { ComposeInputs } from '../inputs';
import { parenthetical } from '../report/parenthetical';
import { type RollbackTarget, type Source, uniqueJoin } from '../targets';

export interface ComposeDeps {
  connect: (options: ReturnType<typeof connectOptions>) => Promise<SshSession>;
  env: NodeJS.ProcessEnv;
}

export const defaultComposeDeps = (): ComposeDeps => ({ connect: connectSsh, env: process.env });

/**
 * Compose hosts go back to one release, the same on every host, with deploy-compose's own machinery: each
 * host's release history (read first, changing nothing), then "deploy release X to all hosts" (locks, health
 * waits, atomic: a host that fails returns every host to what it ran). Each host's history marks the release it
 * rolled away from bad (`reason`), so neither a later rollback nor deploy-compose brings it back unforced.
 */
export function composeTarget(inputs: ComposeInputs, deps: ComposeDeps, reason: string): RollbackTarget {
  const runUrl = `${deps.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${deps.env.GITHUB_REPOSITORY ?? ''}/actions/runs/${deps.env.GITHUB_RUN_ID ?? ''}`;
  const options = { ...fleetOptions(inputs, deps.env, runUrl), atomic: true, markPreviousBad: reason };
  return {
    async plan(source) {
      // Each host is connected once per rollback: the sessions that read the histories here carry the deploy
      // too. A refused plan closes them; execute() closes them when it is done.
      const fleet = openFleet(inputs, deps.connect);
      try {
        const read = await fleet.histories();
        const failed = read.find((h) => h instanceof Error);
        if (failed) throw failed;
        const histories = read as HistoryEntry[][];
        const { id, current, entry } = checkedRelease(source, histories, [...fleet.names], options.dir);
        const restored = entry(histories[0])!;
        return {
          from: uniqueJoin(current),
          to: id,
          payload: { images: restored.images, releaseId: id },
          async execute() {
            const results = await fleet
              .deploy((history) => releaseFromHistory(entry(history)!), options)
              .finally(() => fleet.close());
            return {
              ok: results.every((r) => r.status === 'deployed' || r.status === 'unchanged'),
              units: results.map((r, i) => ({
                name: r.host,
                from: r.previousReleaseId ?? current[i],
                to: r.releaseId ?? id,
                status: r.status,
                reason:
                  r.error ??
                  `${r.changed.length ? `changed: ${r.changed.join(', ')}` : 'nothing changed'} in ${formatDuration(r.durationMs)}`,
              })),
            };
          },
        };
      } catch (error) {
        fleet.close();
        throw error;
      }
    },
  };
}

/** The release to restore, refused (nothing changed) when a host lacks it or a host marked it bad. */
function checkedRelease(source: Source, histories: HistoryEntry[][], names: string[], dir: string) {
  const current = histories.map((h) => currentRelease(h)?.id ?? '');
  const id = chooseRelease(source, histories, current, names);
  const entry = (history: readonly HistoryEntry[]) =>
    [...history].reverse().find((e) => e.id === id && e.composeFiles.length > 0);
  const lacking = names.filter((_, i) => !entry(histories[i]));
  if (lacking.length) {
    throw new UserError(
      `${lacking.join(', ')} ${lacking.length > 1 ? 'have' : 'has'} no release ${id} in ${lacking.length > 1 ? 'their' : 'its'} ` +
        `history (${dir}/history.json): the fleet cannot go back to it together. Nothing was changed ` +
        `on any host; each still runs what it ran (${names.map((name, i) => `${name}: ${current[i] || 'nothing'}`).join(', ')}). ` +
        'Deploy that release there with deploy-compose, leave the host out of "hosts", or name another release with "to".',
    );
  }
  const marked = names
    .map((host, i) => ({ host, mark: hostBadRelease(histories[i], id) }))
    .filter((m) => m.mark);
  if (marked.length) {
    throw new UserError(
      `Release ${id} was marked bad by a rollback on ${marked.map((m) => `${m.host} ${parenthetical(m.mark!.reason)}`).join(', ')}: ` +
        'it is not restored, and nothing was changed. Name another release with "to", or deploy a fixed image ' +
        'with deploy-compose.',
    );
  }
  return { id, current, entry };
}

/**
 * The release id: the record's, the explicit one, the newest one running an explicit digest, or (no records)
 * the newest release every host ran successfully before its current one.
 */
function chooseRelease(
  source: Source,
  histories: HistoryEntry[][],
  current: string[],
  names: string[],
): string {
  if ('record' in source) {
    const id = source.record.payload?.releaseId;
    if (!id)
      throw new UserError(
        `Deployment #${source.record.id} recorded no release id; name the release with "to".`,
      );
    return id;
  }
  if ('explicit' in source) {
    const to = source.explicit;
    if (to.kind === 'release') return to.id;
    if (to.kind === 'digest') {
      const found = [...histories[0]]
        .reverse()
        .find(
          (e) => e.result === 'deployed' && Object.values(e.images).some((i) => i.endsWith(`@${to.digest}`)),
        );
      if (!found) throw new UserError(`Input "to": no release in ${names[0]}'s history runs ${to.digest}.`);
      return found.id;
    }
    throw new UserError('Input "to": a task definition means nothing to Compose hosts; name a release id.');
  }
  const candidates = histories.map((h) => previousReleases(h).map((e) => e.id));
  const common = candidates[0].find((id) => !current.includes(id) && candidates.every((c) => c.includes(id)));
  if (!common) {
    throw new UserError(
      `Nothing to roll back to: no release ran successfully on every host (${names.join(', ')}) before the current ` +
        `one (${uniqueJoin(current) || 'none'}), and there are no deployment records. Name the release with "to".`,
    );
  }
  return common;
}
