import { toError } from '../errors';
import {
  currentRelease,
  type HistoryEntry,
  markReleaseBad,
  parseHistory,
  pruneReleases,
  writeHistory,
} from '../host-history';
import { sleep } from '../retry';
import type { SshSession } from '../ssh/ssh-session';
import { type ColourEvent, colourRecord } from './blue-green';
import type { CanaryOptions } from './canary';
import { lockstepCanary } from './canary-fleet';
import { applyRelease, type HostDeployOptions, runBackup, takeDown } from './host-deploy';
import { acquireLock, type LockHandle, releaseLock } from './host-lock';
import type { HostPreDeploy } from './host-pre-deploy';
import { type Release, releaseFromHistory } from './release';

export type HostStatus = 'deployed' | 'unchanged' | 'failed' | 'rolled-back' | 'skipped';

export interface HostResult {
  host: string;
  status: HostStatus;
  durationMs: number;
  releaseId?: string;
  previousReleaseId?: string;
  images: Record<string, string>;
  changed: string[];
  /** The backup command's last line of output on this host (its backup's path). */
  backup?: string;
  /** How the pre-deploy hook's one-off container ended here (absent when it did not run). */
  preDeploy?: HostPreDeploy;
  error?: string;
  /** blue-green: the colour the host now serves, and whether the previous one is kept running or was switched back to. */
  colour?: HistoryEntry['colour'];
  colours?: ColourEvent['kind'];
}

export interface FleetOptions extends Omit<HostDeployOptions, 'place' | 'heldLock'> {
  project: string;
  /** The project folder on every host (relative to the SSH user's home, or absolute). */
  dir: string;
  keepReleases: number;
  maxParallel: number;
  /** A failure on any host returns every host already updated to its previous release. */
  atomic: boolean;
  /**
   * A rollback's reason: the release each host ran before is marked bad in that host's history (under its lock,
   * whatever the outcome, as the deployment records mark it), so it is never chosen or deployed again unforced.
   */
  markPreviousBad?: string;
  lock: { owner: string; runUrl: string; ttlMs: number; waitMs: number; pollMs?: number };
  warn: (message: string) => void;
  /** Told when a host's lock is taken (handle) and released (undefined), so a post step can clean up. */
  onLock?: (host: string, lock: LockHandle | undefined) => void;
}

/** Which release each host should run, decided from that host's own history (a new one, or a previous one). */
export type ReleaseChoice = (history: readonly HistoryEntry[], host: string) => Release;

interface HostRun {
  result: HostResult;
  session?: SshSession;
  lock?: LockHandle;
  history: HistoryEntry[];
  release?: Release;
  previous?: HistoryEntry;
  colours?: ColourEvent;
  /** strategy canary on a fleet deployed at once: the canary options with this host's part in the lockstep. */
  canary?: CanaryOptions;
  /** When the last old containers queued to stop have drained (Date.now() time; see HostDeployOptions.onDrain). */
  drainedAt?: number;
}

function entryFor(
  release: Release,
  result: HistoryEntry['result'],
  extra: Partial<HistoryEntry> = {},
): HistoryEntry {
  return {
    id: release.id,
    time: new Date().toISOString(),
    gitSha: release.gitSha,
    actor: release.actor,
    runUrl: release.runUrl,
    images: release.images,
    result,
    composeFiles: release.composeFiles,
    envFile: release.envFile,
    ...(release.projectDirectory ? { projectDirectory: release.projectDirectory } : {}),
    services: release.services,
    ...extra,
  };
}

/** Goes back to `previous` (or takes a first release down) with the same machinery as a deploy. */
async function revert(run: HostRun, options: HostDeployOptions): Promise<void> {
  const { session, release, previous } = run;
  if (!session || !release) return;
  if (previous) await applyRelease(session, releaseFromHistory(previous), options, false);
  else await takeDown(session, release, options);
}

/** A host's deploy options: its project folder, and its lock, which every phase renews. */
function hostOptionsOf(run: HostRun, options: FleetOptions): HostDeployOptions {
  return {
    ...options,
    place: { dir: options.dir, project: options.project },
    heldLock: run.lock && { handle: run.lock, ttlMs: options.lock.ttlMs },
    ...(run.canary ? { canary: run.canary } : {}),
    previousReleaseId: run.previous?.id,
    onColours: (event) => {
      run.colours = event;
    },
    onPreDeploy: (pre) => {
      run.result.preDeploy = pre;
    },
    onDrain: (ms) => {
      run.drainedAt = Math.max(run.drainedAt ?? 0, Date.now() + ms);
    },
  };
}

async function deployHost(
  run: HostRun,
  session: () => Promise<SshSession>,
  choose: ReleaseChoice,
  options: FleetOptions,
) {
  const started = Date.now();
  const result = run.result;
  try {
    run.session = await session();
    const taken = await acquireLock(run.session, {
      ...options.lock,
      dir: options.dir,
      warn: options.warn,
      log: options.log,
    });
    run.lock = taken.lock;
    options.onLock?.(result.host, run.lock);
    run.history = parseHistory(taken.historyText, run.session.name, options.dir);
    run.previous = currentRelease(run.history);
    const hostOptions = hostOptionsOf(run, options);
    result.previousReleaseId = run.previous?.id;
    const release = choose(run.history, result.host);
    run.release = release;
    if (options.markPreviousBad !== undefined && run.previous && run.previous.id !== release.id) {
      const mark = {
        reason: options.markPreviousBad,
        time: new Date().toISOString(),
        runUrl: options.lock.runUrl,
      };
      markReleaseBad(run.history, run.previous.id, mark);
    }
    result.releaseId = release.id;
    result.images = release.images;
    result.backup = await runBackup(run.session, run.history, hostOptions);
    try {
      result.changed = await applyRelease(run.session, release, hostOptions, release.files.length > 0);
    } catch (thrown) {
      const reason = toError(thrown).message;
      run.canary?.fleet?.leave(undefined, reason);
      run.history.push(
        entryFor(release, 'failed', { reason, backup: result.backup, strategy: options.strategy }),
      );
      let undo = run.previous
        ? `rolled back to ${run.previous.id}`
        : 'was taken down: it had no earlier release, so nothing of this project is left running on it';
      try {
        await revert(run, hostOptions);
      } catch (again) {
        const why = toError(again).message;
        undo = run.previous
          ? `could NOT be rolled back (${why}); check the host`
          : `had no earlier release; taking this one down failed (${why}): its containers may still be running, check with "docker compose -p ${options.project} ps" on the host`;
      }
      await writeHistory(run.session, options.dir, run.history).catch(() => undefined);
      throw new Error(`${reason}\n${result.host} ${undo}.`);
    }
    const colours = colourRecord(
      run.history,
      options.strategy,
      run.colours,
      run.previous?.id,
      result.changed.length > 0,
    );
    Object.assign(result, { colour: colours.colour, colours: run.colours?.kind });
    run.history.push(entryFor(release, 'deployed', { backup: result.backup, ...colours }));
    run.history = await pruneReleases(run.session, options.dir, run.history, options.keepReleases);
    await writeHistory(run.session, options.dir, run.history);
    // The old containers drained meanwhile (their stop on the host waits for it too): the host is done when they
    // did, so the entry point then serves the new containers alone.
    const draining = (run.drainedAt ?? 0) - Date.now();
    if (draining > 0) await (options.sleep ?? sleep)(draining);
    result.status = result.changed.length > 0 ? 'deployed' : 'unchanged';
  } catch (thrown) {
    result.status = 'failed';
    result.error = toError(thrown).message;
    run.canary?.fleet?.leave(undefined, result.error);
  } finally {
    run.canary?.fleet?.leave();
    result.durationMs = Date.now() - started;
  }
}

/** The atomic part: hosts that took the release go back to what they ran before. */
async function revertHost(run: HostRun, options: FleetOptions) {
  const started = Date.now();
  try {
    if (run.previous?.id !== run.release?.id) await revert(run, hostOptionsOf(run, options));
    const last = [...run.history].reverse().find((e) => e.id === run.release?.id && e.result === 'deployed');
    if (last) last.result = 'rolled-back';
    if (run.session) await writeHistory(run.session, options.dir, run.history);
    run.result.status = 'rolled-back';
  } catch (thrown) {
    run.result.status = 'failed';
    run.result.error = `could not be returned to its previous release: ${toError(thrown).message}`;
  } finally {
    run.result.durationMs += Date.now() - started;
  }
}

/**
 * THE entry for deploying a release to a fleet (through Fleet.deploy: deploy-compose, and rollback with a choice
 * that picks a previous release). Per host: its session, lock, history, backup, apply, record. A failing host is
 * rolled back at once; with `atomic`, a failure anywhere also returns every updated host. Locks are released
 * before it returns (the sessions belong to the Fleet); it never throws for a host's failure (see each result).
 */
export async function deployToFleet(
  hosts: ReadonlyArray<{ name: string; session: () => Promise<SshSession> }>,
  choose: ReleaseChoice,
  options: FleetOptions,
): Promise<HostResult[]> {
  const canaryOf = lockstepCanary(
    hosts.map((h) => h.name),
    options,
  );
  const runs: HostRun[] = hosts.map((h) => ({
    result: { host: h.name, status: 'skipped', durationMs: 0, images: {}, changed: [] },
    history: [],
    ...(canaryOf ? { canary: canaryOf(h.name) } : {}),
  }));
  let next = 0;
  const failed = () => runs.some((r) => r.result.status === 'failed');
  const worker = async () => {
    while (next < hosts.length) {
      const i = next++;
      if (options.atomic && failed()) continue;
      await deployHost(runs[i], hosts[i].session, choose, options);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(options.maxParallel, hosts.length)) }, worker),
    );
    if (options.atomic && failed()) {
      const updated = runs.filter((r) => r.result.status === 'deployed' || r.result.status === 'unchanged');
      for (const run of updated)
        options.log(`${run.result.host}: returning to ${run.previous?.id ?? 'nothing'} (atomic).`);
      await Promise.all(updated.map((run) => revertHost(run, options)));
    }
  } finally {
    for (const run of runs) {
      if (run.session && run.lock) {
        await releaseLock(run.session, run.lock).then(
          () => options.onLock?.(run.result.host, undefined),
          (error) =>
            options.warn(
              `${run.result.host}: could not release the deploy lock (${toError(error).message}); it expires with its TTL.`,
            ),
        );
      }
    }
  }
  return runs.map((r) => r.result);
}
