import { hostBadDigest, readHistory, refuseBadDigest, type SshSession } from '@slipway/shared';

/**
 * Refuses, before any host changes, a digest that a rollback marked bad in a host's own release history (the
 * record that works without GitHub API access); with `force`, warns instead. A host that cannot be reached or
 * read here is left to the deploy itself, which reports it.
 */
export async function guardHostHistories(
  hosts: ReadonlyArray<{ name: string; connect: () => Promise<SshSession> }>,
  dir: string,
  digests: readonly string[],
  force: boolean,
  warn: (message: string) => void,
): Promise<void> {
  if (digests.length === 0) return;
  const histories = await Promise.all(
    hosts.map(async (host) => {
      try {
        const session = await host.connect();
        try {
          return await readHistory(session, dir);
        } finally {
          session.close();
        }
      } catch {
        return [];
      }
    }),
  );
  for (const digest of digests) {
    for (const [i, history] of histories.entries()) {
      const bad = hostBadDigest(history, digest);
      if (!bad) continue;
      const where = `a rollback away from release ${bad.releaseId} on ${hosts[i].name} at ${bad.mark.time}`;
      refuseBadDigest(digest, where, bad.mark.reason, force, warn);
      break;
    }
  }
}
