import { createHash } from 'node:crypto';
import type { ProxyKind, ReleaseFile } from '@slipway/shared';
import { isWithin, type LocalReference, normalizeReference } from './compose-references';

/** What the plan needs of a Compose service (all files merged). */
export interface PlannedService {
  image?: string;
  depends_on?: string[] | Record<string, unknown>;
  labels?: string[] | Record<string, unknown>;
  configs?: Array<string | { source?: string }>;
  secrets?: Array<string | { source?: string }>;
}

const PROXY_IMAGE = /(?:^|\/)(nginx|openresty|haproxy|caddy|traefik|envoy)[^/:@]*(?:[:@]|$)/;
const KINDS: Record<string, ProxyKind> = {
  nginx: 'nginx',
  openresty: 'nginx',
  haproxy: 'haproxy',
  caddy: 'caddy',
  traefik: 'traefik',
  envoy: 'envoy',
};

/** The proxy kind an image name says (`nginx:1.27`, `ghcr.io/acme/edge-haproxy@sha256:…`), if any. */
export function proxyKindOf(image: string | undefined): ProxyKind | undefined {
  const match = image ? PROXY_IMAGE.exec(image.toLowerCase()) : null;
  return match ? KINDS[match[1]] : undefined;
}

const names = (list: PlannedService['depends_on'] | PlannedService['configs']): string[] =>
  Array.isArray(list)
    ? list.map((e) => (typeof e === 'string' ? e : (e?.source ?? ''))).filter(Boolean)
    : list && typeof list === 'object'
      ? Object.keys(list)
      : [];

const labelText = (labels: PlannedService['labels']): string =>
  Array.isArray(labels) ? labels.join('\n') : labels ? Object.keys(labels).join('\n') : '';

/**
 * A digest per service of the release files it mounts (bind mounts and env files of the service, files of the
 * configs and secrets it uses), by path, mode and content: a proxy whose Caddyfile did not change keeps the
 * same digest from release to release, one whose did gets a new one. Services that mount nothing of the release
 * have none.
 */
export function filesDigests(
  services: ReadonlyMap<string, PlannedService>,
  refs: readonly LocalReference[],
  files: readonly ReleaseFile[],
): Map<string, string> {
  const digests = new Map<string, string>();
  for (const [name, spec] of services) {
    const used = new Set([
      `(service ${name})`,
      ...names(spec.configs).map((c) => `(configs.${c})`),
      ...names(spec.secrets).map((s) => `(secrets.${s})`),
    ]);
    const paths = refs
      .filter((ref) => [...used].some((u) => ref.where.endsWith(u)))
      .map((ref) => normalizeReference(ref.path))
      .filter((rel) => rel !== undefined);
    const mounted = files
      .filter((file) => paths.some((rel) => isWithin(file.name, rel)))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (mounted.length === 0) continue;
    const hash = createHash('sha256');
    for (const file of mounted) {
      const content = createHash('sha256').update(file.content).digest('hex');
      hash.update(`${file.name}\0${file.mode.toString(8)}\0${content}\n`);
    }
    digests.set(name, `sha256:${hash.digest('hex')}`);
  }
  return digests;
}

/**
 * The project's reverse proxies (named in `proxy-service`, or known by their image) and the services behind
 * them: those a proxy depends on, names in its mounted files (`web:8080`, Caddy's `dynamic a web 8080`), or
 * services with Traefik labels; and the ports the proxies send each one requests on. `pooled`: the Caddy proxies
 * that name a service as `web:8080`, whose kept-alive connections are pooled by that name (so they outlive a
 * container leaving it: reload_proxies reloads them then); with `dynamic a web 8080` they are pooled by address.
 * Without a proxy, the last service to start (the one depending on the others) is taken as the public one.
 */
export function proxyPlan(
  services: ReadonlyMap<string, PlannedService>,
  order: readonly string[],
  images: Readonly<Record<string, string>>,
  proxyServices: readonly string[],
  mountedText: (service: string) => string,
): {
  proxies: Map<string, ProxyKind>;
  public: Set<string>;
  ports: Map<string, Set<number>>;
  pooled: Set<string>;
} {
  const proxies = new Map<string, ProxyKind>();
  for (const [name, spec] of services) {
    const kind = proxyKindOf(images[name] ?? spec.image);
    if (proxyServices.includes(name)) proxies.set(name, kind ?? 'other');
    else if (proxyServices.length === 0 && kind) proxies.set(name, kind);
  }
  const behind = new Set<string>();
  const ports = new Map<string, Set<number>>();
  const pooled = new Set<string>();
  for (const [proxy, kind] of proxies) {
    const spec = services.get(proxy) ?? {};
    // its configuration without comments (`#` at a line's start or after a blank, in all four): a comment that
    // names `web:8080` neither routes to web nor makes a `dynamic a` Caddy look pooled by name
    const text = mountedText(proxy).replace(/(^|\s)#.*$/gm, '$1');
    for (const name of services.keys()) {
      if (proxies.has(name)) continue;
      const escaped = name.replace(/[.]/g, '\\.');
      // `web:8080` (Nginx, HAProxy, Caddy), or Caddy's dynamic upstreams: `dynamic a web 8080`
      const byName = [...text.matchAll(new RegExp(`(?:^|[^A-Za-z0-9_.-])${escaped}:(\\d{1,5})\\b`, 'g'))];
      const upstreams = [
        ...byName,
        ...text.matchAll(new RegExp(`dynamic\\s+a\\s+${escaped}\\s+(\\d{1,5})\\b`, 'g')),
      ].map((m) => Number(m[1]));
      if (kind === 'caddy' && byName.length > 0) pooled.add(proxy);
      // `name web` inside a `dynamic a { }` block names the service without its port
      const named = new RegExp(`(^|\\s)(dynamic\\s+(a|srv)|name)\\s+${escaped}(\\s|$)`, 'm').test(text);
      if (names(spec.depends_on).includes(name) || upstreams.length > 0 || named) behind.add(name);
      for (const port of upstreams) ports.set(name, (ports.get(name) ?? new Set()).add(port));
    }
  }
  for (const [name, spec] of services) if (/^traefik\./m.test(labelText(spec.labels))) behind.add(name);
  if (proxies.size === 0 && order.length > 0) behind.add(order[order.length - 1]);
  return { proxies, public: behind, ports, pooled };
}
