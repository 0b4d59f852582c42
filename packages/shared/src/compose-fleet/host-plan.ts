import { currentRelease, type HistoryEntry } from '../host-history';
import { tarArchive } from '../remote/tar-archive';
import type { SshSession } from '../ssh/ssh-session';
import { type ProjectPlace, planHashesScript, type RemoteTimings } from './project-script';
import type { Release } from './release';
import { parseHashes, serviceAction, serviceChanges } from './service-changes';

/** What a deploy would do to one service: the deploy's own action, `start` (nothing runs yet) or `stay`. */
export interface PlannedChange {
  service: string;
  action: 'roll' | 'recreate' | 'reload' | 'start' | 'stay';
  why: string;
}

/** The dry run's answer for one host. */
export interface HostPlan {
  host: string;
  /** The release the host runs now (its history), if any. */
  current?: string;
  services: PlannedChange[];
  /** Services that run on the host but are not in the release: the deploy removes them. */
  removed: string[];
  /** Who holds the project's deploy lock now (`owner=…, run=…`): the deploy would wait for it. */
  lockedBy?: string;
}

export interface HostPlanOptions {
  place: ProjectPlace;
  strategy: string;
  timings: RemoteTimings;
  commandTimeoutMs: number;
}

/**
 * What a deploy of `release` would do on one host, by the deploy's own rules (service-changes.ts), read without
 * writing anything there: one command that hashes the release's Compose files (sent on standard input, unpacked
 * into the command's private temporary folder) beside what runs now. No lock, no release folder, no pull.
 */
export async function planHost(
  session: SshSession,
  release: Release,
  history: readonly HistoryEntry[],
  options: HostPlanOptions,
): Promise<HostPlan> {
  const composeFiles = new Set([...release.composeFiles, ...(release.envFile ? [release.envFile] : [])]);
  const archive = tarArchive(release.files.filter((f) => composeFiles.has(f.name)));
  const context = { place: options.place, timings: options.timings };
  const { stdout } = await session.exec(planHashesScript(context, release), {
    label: 'comparing services (dry run)',
    stdin: archive,
    timeoutMs: options.commandTimeoutMs,
  });
  const hashes = parseHashes(stdout);
  const changes = serviceChanges(release, hashes);
  const services = release.services.map((service): PlannedChange => {
    const change = changes.get(service.name);
    if (!change) {
      return { service: service.name, action: 'stay', why: 'its configuration and files are what runs now' };
    }
    const decision = serviceAction(service, change, options.strategy);
    const how =
      decision.action === 'reload'
        ? `${service.proxy} re-reads its configuration in place`
        : decision.notRolled
          ? `recreated, not rolled: ${decision.notRolled}`
          : '';
    return {
      service: service.name,
      action: change.running ? decision.action : 'start',
      why: how ? `${change.why}; ${how}` : change.why,
    };
  });
  const names = new Set(release.services.map((s) => s.name));
  const lock = stdout
    .split('\n')
    .filter((line) => /^lock (owner|run)=/.test(line))
    .map((line) => line.slice(5));
  return {
    host: session.name,
    current: currentRelease(history)?.id,
    services,
    removed: [...hashes.have.keys()].filter((name) => !names.has(name)).sort(),
    ...(lock.length ? { lockedBy: lock.join(', ') } : {}),
  };
}
