import { refuseBadDigest } from '../deployments';
import { hostBadDigest, readHistory } from '../host-history';
import type { SshSession } from '../ssh/ssh-session';

type Host = { name: string; connect: () => Promise<SshSession> };

/** The hosts for the deploy, and what closes the connections opened here that the deploy never took. */
export interface GuardedHosts {
  hosts: Host[];
  closeUnused: () => void;
}

const close = (session: Promise<SshSession>) =>
  session.then(
    (s) => s.close(),
    () => undefined,
  );

/**
 * Refuses, before any host changes, a digest that a rollback marked bad in a host's own release history (the
 * record that works without GitHub API access); with `force`, warns instead. Returns the hosts for the deploy,
 * which goes on over the connections opened here (no second handshake; a host that could not be reached fails
 * there at once, with this error, rather than after a second round of retries). Call `closeUnused` when the
 * deploy is over: a host it never reached (an atomic deploy that stopped early) still has its connection open.
 */
export async function guardHostHistories(
  hosts: readonly Host[],
  dir: string,
  digests: readonly string[],
  force: boolean,
  warn: (message: string) => void,
): Promise<GuardedHosts> {
  if (digests.length === 0) return { hosts: [...hosts], closeUnused: () => undefined };
  const sessions = hosts.map((host) => host.connect());
  for (const session of sessions) session.catch(() => undefined);
  // A history that cannot be read here is left to the deploy, which reads it again and reports it.
  const histories = await Promise.all(
    sessions.map((session) => session.then((s) => readHistory(s, dir)).catch(() => [])),
  );
  try {
    for (const digest of digests) {
      for (const [i, history] of histories.entries()) {
        const bad = hostBadDigest(history, digest);
        if (!bad) continue;
        const where = `a rollback away from release ${bad.releaseId} on ${hosts[i].name} at ${bad.mark.time}`;
        refuseBadDigest(digest, where, bad.mark.reason, force, warn);
        break;
      }
    }
  } catch (error) {
    sessions.forEach(close);
    throw error;
  }
  const unused: Array<Promise<SshSession> | undefined> = [...sessions];
  return {
    hosts: hosts.map((host, i) => ({
      name: host.name,
      connect: () => {
        const session = unused[i] ?? host.connect();
        unused[i] = undefined;
        return session;
      },
    })),
    closeUnused: () => {
      for (const [i, session] of unused.entries()) {
        if (session) close(session);
        unused[i] = undefined;
      }
    },
  };
}
