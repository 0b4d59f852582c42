import type { ProxyKind, ServicePlan } from '../host-history';
import type { Release } from './release';

// THE rules that decide what a deploy does to each service of a release on one host: the deploy applies them
// (host-deploy.ts) and the dry run reports them (host-plan.ts), from the same `hashes` output, so a plan can
// never say something the deploy would not do.

/** What `hashes.sh` printed: the hash each service of the release wants, those running, the files applied. */
export interface HostHashes {
  want: Map<string, string>;
  have: Map<string, string[]>;
  files: Map<string, string>;
}

export function parseHashes(stdout: string): HostHashes {
  const hashes: HostHashes = { want: new Map(), have: new Map(), files: new Map() };
  for (const line of stdout.split('\n')) {
    const [kind, service, hash] = line.trim().split(/\s+/);
    if (!service) continue;
    if (kind === 'want') hashes.want.set(service, hash);
    if (kind === 'have') hashes.have.set(service, [...(hashes.have.get(service) ?? []), hash]);
    if (kind === 'files') hashes.files.set(service, hash);
  }
  return hashes;
}

/** What differs on the host for one service: its Compose configuration, or only the files it mounts. */
export interface Change {
  what: 'config' | 'files';
  /** Containers of the service run now (false: it is started, nothing old to replace). */
  running: boolean;
  /** How many containers of it run now (a canary's replica ratio counts them). */
  count: number;
  /** Why, in words: `its Compose configuration changed (hash a -> b)`, `not running`, `its files changed`. */
  why: string;
}

/**
 * What differs per service between the host and the release: its Compose configuration (Compose's own config
 * hash; the same paths in every release, as files are mounted from `live`), or only the files it mounts (their
 * digest beside the one recorded when the service last had its files applied). Unchanged services are absent.
 */
export function serviceChanges(release: Release, hashes: HostHashes): Map<string, Change> {
  const changes = new Map<string, Change>();
  for (const service of release.services) {
    const running = hashes.have.get(service.name) ?? [];
    const want = hashes.want.get(service.name);
    if (running.length === 0) {
      changes.set(service.name, { what: 'config', running: false, count: 0, why: 'no container of it runs' });
    } else if (running.some((hash) => hash !== want)) {
      const from = running.find((hash) => hash !== want)?.slice(0, 12);
      const why = `its Compose configuration changed (hash ${from} -> ${want?.slice(0, 12)})`;
      changes.set(service.name, { what: 'config', running: true, count: running.length, why });
    } else if (service.filesDigest !== undefined && hashes.files.get(service.name) !== service.filesDigest) {
      changes.set(service.name, {
        what: 'files',
        running: true,
        count: running.length,
        why: 'its files changed',
      });
    }
  }
  return changes;
}

/** Proxies that re-read their configuration in place (reload.sh); others are recreated when it changes. */
const RELOADS = new Set<ProxyKind | undefined>(['nginx', 'haproxy', 'caddy']);

export type ServiceAction = 'roll' | 'recreate' | 'reload';

export interface ServiceDecision {
  action: ServiceAction;
  /** Why rolling gave way to recreate (a fixed container_name, a published host port), if it did. */
  notRolled?: string;
}

/**
 * How one changed service is applied: a proxy whose files alone changed is reloaded in place; a service that
 * can run twice is rolled under `rolling` (and `canary`, in steps); anything else is recreated.
 */
export function serviceAction(service: ServicePlan, change: Change, strategy: string): ServiceDecision {
  if (change.what === 'files' && RELOADS.has(service.proxy)) return { action: 'reload' };
  // Every strategy but recreate runs the new containers beside the old ones (a canary rolls in steps).
  const beside = strategy !== 'recreate';
  if (beside && !service.recreateReason) return { action: 'roll' };
  return {
    action: 'recreate',
    ...(beside && service.recreateReason ? { notRolled: service.recreateReason } : {}),
  };
}
