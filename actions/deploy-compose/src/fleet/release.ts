/** A file of a release, as it is stored in the release's folder on every host. */
export interface ReleaseFile {
  name: string;
  content: string;
  /** 0o600 for the env file, 0o644 for the rest. */
  mode: number;
}

/** What a release is made of. `files` is empty for a release that is already on the hosts (a rollback). */
export interface Release {
  id: string;
  /** Compose files in order, as named in the release folder (`compose-0.yml`, ..., `override.yml`). */
  composeFiles: string[];
  /** The env file's name in the release folder, if there is one. */
  envFile?: string;
  files: ReleaseFile[];
  /** service -> image reference (by digest) that this release pins. */
  images: Record<string, string>;
  /** Services in dependency order (dependencies first) and what each one allows. */
  services: ServicePlan[];
  gitSha: string;
  actor: string;
  runUrl: string;
}

export interface ServicePlan {
  name: string;
  /** Why this service cannot run twice side by side (fixed container_name, published host ports), if so. */
  recreateReason?: string;
  /** An HTTP path checked on each new container, e.g. `:8080/health`. */
  httpCheck?: string;
}

/** One line of a host's release history (`history.json` in the project folder). */
export interface HistoryEntry {
  id: string;
  time: string;
  gitSha: string;
  actor: string;
  runUrl: string;
  images: Record<string, string>;
  /** deployed: went live (the newest such entry is what runs); failed: never served; rolled-back: undone. */
  result: 'deployed' | 'failed' | 'rolled-back';
  reason?: string;
  backup?: string;
  /** The release folder's description, so a later run can deploy this release again. */
  composeFiles: string[];
  envFile?: string;
  services: ServicePlan[];
}

/** The release a host runs now: the newest entry that is deployed. */
export function currentRelease(history: readonly HistoryEntry[]): HistoryEntry | undefined {
  return [...history].reverse().find((entry) => entry.result === 'deployed');
}

/** Releases a host could go back to: successful ones other than the current, newest first, one per id. */
export function previousReleases(history: readonly HistoryEntry[]): HistoryEntry[] {
  const seen = new Set([currentRelease(history)?.id]);
  return [...history].reverse().filter((entry) => {
    if (entry.result !== 'deployed' || seen.has(entry.id)) return false;
    seen.add(entry.id);
    return true;
  });
}

/** Turns a history entry back into a release that is already on the host (for rollbacks). */
export function releaseFromHistory(entry: HistoryEntry): Release {
  return {
    id: entry.id,
    composeFiles: entry.composeFiles,
    envFile: entry.envFile,
    files: [],
    images: entry.images,
    services: entry.services,
    gitSha: entry.gitSha,
    actor: entry.actor,
    runUrl: entry.runUrl,
  };
}

export const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
