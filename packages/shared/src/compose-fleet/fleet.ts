import { toError } from '../errors';
import { type HistoryEntry, readHistory } from '../host-history';
import { limiter } from '../limiter';
import type { SshConnectOptions } from '../ssh/ssh-connect';
import type { SshSession } from '../ssh/ssh-session';
import { formatSshTarget } from '../ssh/ssh-target';
import { deployToFleet, type FleetOptions, type HostResult, type ReleaseChoice } from './fleet-deploy';
import { connectOptions, type FleetInputs, projectFolder } from './fleet-inputs';

export type Connect = (options: SshConnectOptions) => Promise<SshSession>;

/**
 * The hosts of one deploy or rollback, and the one owner of their SSH sessions: each host is connected once (at
 * most `max-parallel` connecting at a time, the first connections included), whatever reads histories first and
 * then deploys, and every session is closed by `close()`.
 */
export interface Fleet {
  /** `user@host:port` of each host, in the order of the `hosts` input. */
  readonly names: readonly string[];
  /**
   * Each host's release history as it is now, read without its lock (for guards and plans; the deploy reads it
   * again under the lock). A host that cannot be reached or read gives its error.
   */
  histories(): Promise<Array<HistoryEntry[] | Error>>;
  /** Runs `use` over each host's session (read-only work: a dry run); a host that fails gives its error. */
  each<T>(use: (session: SshSession, i: number) => Promise<T>): Promise<Array<T | Error>>;
  /** Deploys the release `choose` picks per host (see deployToFleet), over the sessions already open. */
  deploy(choose: ReleaseChoice, options: FleetOptions): Promise<HostResult[]>;
  close(): void;
}

export function openFleet(inputs: FleetInputs, connect: Connect): Fleet {
  const names = inputs.hosts.map((host) => formatSshTarget(host.target));
  const limit = limiter(inputs.maxParallel);
  const sessions: Array<Promise<SshSession> | undefined> = inputs.hosts.map(() => undefined);
  let closed = false;
  const session = (i: number) => {
    if (closed) return Promise.reject(new Error(`Bug: the fleet's sessions are closed (${names[i]}).`));
    sessions[i] ??= limit(() => connect(connectOptions(inputs, inputs.hosts[i])));
    return sessions[i];
  };
  return {
    names,
    histories: () =>
      Promise.all(
        names.map((_, i) =>
          session(i)
            .then((s) => readHistory(s, projectFolder(inputs)))
            .catch(toError),
        ),
      ),
    each: (use) =>
      Promise.all(
        names.map((_, i) =>
          session(i)
            .then((s) => use(s, i))
            .catch(toError),
        ),
      ),
    deploy: (choose, options) =>
      deployToFleet(
        names.map((name, i) => ({ name, session: () => session(i) })),
        choose,
        options,
      ),
    close() {
      closed = true;
      for (const opened of sessions) {
        opened?.then(
          (s) => s.close(),
          () => undefined,
        );
      }
    },
  };
}

/** Opens the fleet, hands it to `use`, and closes every session however `use` ends. */
export async function withFleet<T>(
  inputs: FleetInputs,
  connect: Connect,
  use: (fleet: Fleet) => Promise<T>,
): Promise<T> {
  const fleet = openFleet(inputs, connect);
  try {
    return await use(fleet);
  } finally {
    fleet.close();
  }
}
