import type { HistoryEntry, ServicePlan } from '../host-history';

/** A file of a release, as it is stored in the release's folder on every host. */
export interface ReleaseFile {
  /** A path inside the release folder (`compose-0.yml`, `conf/nginx.conf`); never absolute, never `..`. */
  name: string;
  content: string | Buffer;
  /** 0o600 for env files, 0o644 for the rest. */
  mode: number;
}

/** What a release is made of. `files` is empty for a release that is already on the hosts (a rollback). */
export interface Release {
  id: string;
  /** Compose files in order, as named in the release folder (`compose-0.yml`, ..., `override.yml`). */
  composeFiles: string[];
  /** The env file's name in the release folder, if there is one. */
  envFile?: string;
  /**
   * Compose's project directory, relative to the project folder (`releases/<id>`: references relative to the
   * Compose files resolve among the release's own files). Absent for releases recorded before it existed: `.`.
   */
  projectDirectory?: string;
  files: ReleaseFile[];
  /** service -> image reference (by digest) that this release pins. */
  images: Record<string, string>;
  /** Services in dependency order (dependencies first) and what each one allows. */
  services: ServicePlan[];
  gitSha: string;
  actor: string;
  runUrl: string;
}

/** Turns a history entry back into a release that is already on the host (for rollbacks). */
export function releaseFromHistory(entry: HistoryEntry): Release {
  return {
    id: entry.id,
    composeFiles: entry.composeFiles,
    envFile: entry.envFile,
    projectDirectory: entry.projectDirectory,
    files: [],
    images: entry.images,
    services: entry.services,
    gitSha: entry.gitSha,
    actor: entry.actor,
    runUrl: entry.runUrl,
  };
}

export const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
