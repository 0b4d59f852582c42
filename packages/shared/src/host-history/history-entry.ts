import { imageDigest } from '../deployments/release-history';

/** A reverse proxy, by how it learns about upstream changes (see reload_proxy in remote/sh/lib.sh). */
export type ProxyKind = 'nginx' | 'haproxy' | 'caddy' | 'traefik' | 'envoy' | 'other';

export interface ServicePlan {
  name: string;
  /** Why this service cannot run twice side by side (fixed container_name, published host ports), if so. */
  recreateReason?: string;
  /** An HTTP path checked on each new container, e.g. `:8080/health`. */
  httpCheck?: string;
  /** The service is the project's reverse proxy, of this kind. */
  proxy?: ProxyKind;
  /**
   * The proxy reuses kept-alive connections it pools by an upstream's service name (Caddy's `reverse_proxy
   * web:8080`), so it is reloaded when containers leave that name (reload_proxies in remote/sh/lib.sh).
   */
  pooledByName?: boolean;
  /** The service answers requests that come through the entry point (a proxy routes to it). */
  public?: boolean;
  /** The ports the project's proxies send it requests on (from their configuration: `web:8080`). */
  upstreamPorts?: number[];
  /** A digest of the release files the service mounts (bind mounts, configs, secrets, env files). */
  filesDigest?: string;
}

/** A rollback rolled away from this release: it is never chosen again, and its digests are refused. */
export interface BadMark {
  reason: string;
  time: string;
  runUrl: string;
}

/** One line of a host's release history (`history.json` in the project folder, kept by deploy-compose). */
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
  projectDirectory?: string;
  services: ServicePlan[];
  bad?: BadMark;
  /** How the release went live: rolling, recreate, blue-green, canary, or switch-back (to a colour kept running). */
  strategy?: string;
  /** blue-green: the release's colour (blue and green alternate on a host). */
  colour?: 'blue' | 'green';
  /** blue-green: the previous release's containers kept running out of rotation, per service, and until when. */
  kept?: { release: string; containers: Record<string, string[]>; until: string };
}

/** The release a host runs now: the newest entry that is deployed. */
export function currentRelease(history: readonly HistoryEntry[]): HistoryEntry | undefined {
  return [...history].reverse().find((entry) => entry.result === 'deployed');
}

/** Why a host must not run `digest` again (a release running it was marked bad there), if it must not. */
export function hostBadDigest(
  history: readonly HistoryEntry[],
  digest: string,
): { releaseId: string; mark: BadMark } | undefined {
  const entry = [...history]
    .reverse()
    .find((e) => e.bad && Object.values(e.images).some((ref) => imageDigest(ref) === digest));
  return entry?.bad && { releaseId: entry.id, mark: entry.bad };
}

/** Why a host must not go back to release `id` (marked bad, or running a digest marked bad), if it must not. */
export function hostBadRelease(history: readonly HistoryEntry[], id: string): BadMark | undefined {
  const entries = history.filter((e) => e.id === id);
  const marked = entries.find((e) => e.bad)?.bad;
  if (marked) return marked;
  for (const ref of entries.flatMap((e) => Object.values(e.images))) {
    const digest = imageDigest(ref);
    const found = digest && hostBadDigest(history, digest);
    if (found) return found.mark;
  }
  return undefined;
}

/**
 * Releases a host could go back to: successful ones other than the current, newest first, one per id, never one
 * marked bad or running a digest marked bad (not "the previous one" blindly).
 */
export function previousReleases(history: readonly HistoryEntry[]): HistoryEntry[] {
  const seen = new Set([currentRelease(history)?.id]);
  return [...history].reverse().filter((entry) => {
    if (entry.result !== 'deployed' || seen.has(entry.id)) return false;
    seen.add(entry.id);
    return hostBadRelease(history, entry.id) === undefined;
  });
}

/** Marks every entry of release `id` bad (in place): a rollback rolled away from it. */
export function markReleaseBad(history: HistoryEntry[], id: string, mark: BadMark): void {
  for (const entry of history) if (entry.id === id) entry.bad = mark;
}
