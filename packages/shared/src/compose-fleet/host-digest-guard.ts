import { refuseBadDigest } from '../deployments';
import { type HistoryEntry, hostBadDigest } from '../host-history';

/**
 * Refuses, before any host changes, a digest that a rollback marked bad in a host's own release history (the
 * record that works without GitHub API access); with `force`, warns instead. A history that could not be read
 * is left to the deploy, which reads it again and reports it.
 */
export function refuseHostBadDigests(
  names: readonly string[],
  histories: ReadonlyArray<HistoryEntry[] | Error>,
  digests: readonly string[],
  force: boolean,
  warn: (message: string) => void,
): void {
  for (const digest of digests) {
    for (const [i, history] of histories.entries()) {
      if (history instanceof Error) continue;
      const bad = hostBadDigest(history, digest);
      if (!bad) continue;
      const where = `a rollback away from release ${bad.releaseId} on ${names[i]} at ${bad.mark.time}`;
      refuseBadDigest(digest, where, bad.mark.reason, force, warn);
      break;
    }
  }
}
