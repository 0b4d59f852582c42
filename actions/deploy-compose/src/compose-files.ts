import { InputError, LIVE, type Release, type ReleaseFile, type ServicePlan } from '@slipway/shared';
import { parse, stringify } from 'yaml';
import {
  checkReferences,
  isWithin,
  type LocalReference,
  localReferences,
  normalizeReference,
} from './compose-references';
import { SERVICE_NAME } from './inputs';
import type { LocalFile } from './local-files';
import { filesDigests, type PlannedService, proxyPlan } from './proxy-plan';

const DIGEST_REF = /^[A-Za-z0-9][A-Za-z0-9._/:-]*@sha256:[0-9a-f]{64}$/;

interface ComposeService extends PlannedService {
  container_name?: string;
  ports?: Array<string | number | { published?: string | number }>;
}

export interface ReleaseSource {
  id: string;
  composeFiles: Array<{ path: string; content: string }>;
  /** The `files` input, read: uploaded into the release folder at these paths. */
  files: LocalFile[];
  /** The `secret-files` input: files and folders of `files` the user marks secret (stored 0600). */
  secretFiles?: string[];
  env: Array<[string, string]>;
  images: Array<[string, string]>;
  httpChecks: Array<[string, string]>;
  /** The `proxy-service` input: the project's reverse proxies (empty: known by their images). */
  proxyServices?: string[];
  gitSha: string;
  actor: string;
  runUrl: string;
  warn: (message: string) => void;
}

function servicesOf(
  file: { path: string; content: string },
  refs: LocalReference[],
): Record<string, ComposeService> {
  let doc: { services?: Record<string, ComposeService> } | null;
  try {
    doc = parse(file.content);
  } catch (error) {
    throw new InputError(
      'compose-file',
      `${file.path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (!doc || typeof doc.services !== 'object') {
    throw new InputError(
      'compose-file',
      `${file.path} has no "services:" section; give a Compose file (compose-file).`,
    );
  }
  refs.push(...localReferences(doc, file.path));
  return doc.services;
}

/** A published HOST port (`8080:80`, `{published: 8080}`) binds one container only; `"80"` alone does not. */
function publishesHostPort(ports: ComposeService['ports']): boolean {
  return (ports ?? []).some((p) =>
    typeof p === 'object' ? p.published !== undefined : String(p).includes(':'),
  );
}

/** Services in dependency order (dependencies first); a cycle is the user's mistake. */
function dependencyOrder(services: Map<string, ComposeService>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new InputError(
        'compose-file',
        `The services depend on each other in a cycle: ${[...path, name].join(' -> ')}.`,
      );
    }
    state.set(name, 'visiting');
    const deps = services.get(name)?.depends_on;
    for (const dep of Array.isArray(deps) ? deps : Object.keys(deps ?? {}))
      if (services.has(dep)) visit(dep, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of services.keys()) visit(name, []);
  return order;
}

/**
 * The variable the env file defines first as a lone `$`, for the values that hold one. Compose v1 (python-dotenv)
 * expands `${NAME}` and `${NAME:-x}` in every value, quoted or not, and has no escape for `$`; v2 expands `$NAME`
 * too, except in single quotes. In double quotes both expand `${SLIPWAY_DOLLAR}` from the line above and read
 * the same escapes (`\\`, `\"`, `\n`, `\r`), so a value written this way reaches the container byte for byte
 * under either.
 */
export const DOLLAR_VARIABLE = 'SLIPWAY_DOLLAR';

/** One line of the env file: the value double-quoted, `$` and what the quotes make special escaped (see above). */
function envLine([key, value]: [string, string]): string {
  if (key === DOLLAR_VARIABLE) {
    throw new InputError(
      'env',
      `Input "env": ${DOLLAR_VARIABLE} is a name Slipway uses in the env file; rename it.`,
    );
  }
  if (value.includes('\0')) {
    throw new InputError(
      'env',
      `Input "env": the value of ${key} contains a NUL byte, which no environment can carry.`,
    );
  }
  const escaped = value.replace(/[\\"\n\r$]/g, (c) =>
    c === '$' ? `\${${DOLLAR_VARIABLE}}` : c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`,
  );
  return `${key}="${escaped}"`;
}

/** The env file's text: the `$` variable first when a value needs it, then one line per `env` entry. */
export function envFileText(env: ReadonlyArray<[string, string]>): string {
  const lines = env.map(envLine);
  if (env.some(([, value]) => value.includes('$'))) lines.unshift(`${DOLLAR_VARIABLE}='$'`);
  return `${lines.join('\n')}\n`;
}

/** Checks the Compose files and inputs and builds the release: its files, services in order and pinned images. */
export function buildRelease(source: ReleaseSource): Release {
  const services = new Map<string, ComposeService>();
  const files: ReleaseFile[] = [];
  const refs: LocalReference[] = [];
  source.composeFiles.forEach((file, i) => {
    for (const [name, spec] of Object.entries(servicesOf(file, refs))) {
      if (!SERVICE_NAME.test(name)) {
        throw new InputError(
          'compose-file',
          `${file.path}: the service name ${JSON.stringify(name)} may contain only letters, digits, ".", "_" and "-".`,
        );
      }
      services.set(name, { ...services.get(name), ...(spec ?? {}) });
    }
    files.push({ name: `compose-${i}.yml`, content: file.content, mode: 0o644 });
  });
  const images: Record<string, string> = {};
  for (const [service, ref] of source.images) {
    if (!services.has(service)) {
      throw new InputError(
        'images',
        `Input "images" names the service ${JSON.stringify(service)}, which is not in the Compose files (${[...services.keys()].join(', ')}).`,
      );
    }
    if (!DIGEST_REF.test(ref)) {
      throw new InputError(
        'images',
        `Input "images": ${service} must be pinned by digest (repo@sha256:<64 hex>); got ${JSON.stringify(ref)}.`,
      );
    }
    images[service] = ref;
  }
  const composeFiles = files.map((f) => f.name);
  if (Object.keys(images).length > 0) {
    const override = {
      services: Object.fromEntries(Object.entries(images).map(([s, image]) => [s, { image }])),
    };
    files.push({
      name: 'images.override.yml',
      content: `# Written by Slipway: the images built for this release, by digest.\n${stringify(override)}`,
      mode: 0o644,
    });
    composeFiles.push('images.override.yml');
  }
  const envFile = source.env.length > 0 ? 'release.env' : undefined;
  if (envFile) files.push({ name: envFile, content: envFileText(source.env), mode: 0o600 });
  const uploaded = source.files.map((f) => f.path);
  const secretFiles = checkReferences(refs, uploaded, source.warn);
  for (const marked of source.secretFiles ?? []) {
    const rel = normalizeReference(marked);
    const inside = rel === undefined ? [] : uploaded.filter((u) => isWithin(u, rel));
    if (inside.length === 0) {
      throw new InputError(
        'secret-files',
        `Input "secret-files": ${JSON.stringify(marked)} is none of the files uploaded by "files" (paths relative to the first Compose file's folder, as in "files").`,
      );
    }
    for (const u of inside) secretFiles.add(u);
  }
  for (const file of source.files) {
    if (/^(compose-\d+\.yml|images\.override\.yml|release\.env)$/.test(file.path)) {
      throw new InputError(
        'files',
        `Input "files": ${file.path} has the name of a file Slipway writes into the release folder; rename it.`,
      );
    }
    files.push({ name: file.path, content: file.content, mode: secretFiles.has(file.path) ? 0o600 : 0o644 });
  }
  const checks = new Map(source.httpChecks);
  for (const [service, path] of checks) {
    if (!services.has(service))
      throw new InputError(
        'health-checks',
        `Input "health-checks" names ${JSON.stringify(service)}, which is not a service of the Compose files.`,
      );
    if (!/^:\d{1,5}\/[A-Za-z0-9._~/?=&%-]*$/.test(path)) {
      throw new InputError(
        'health-checks',
        `Input "health-checks": ${service} needs :port/path, e.g. ${service}=:8080/health; got ${JSON.stringify(path)}.`,
      );
    }
  }
  for (const name of source.proxyServices ?? []) {
    if (!services.has(name)) {
      throw new InputError(
        'proxy-service',
        `Input "proxy-service" names ${JSON.stringify(name)}, which is not a service of the Compose files (${[...services.keys()].join(', ')}).`,
      );
    }
  }
  const order = dependencyOrder(services);
  const digests = filesDigests(services, refs, files);
  const mountedText = (service: string) =>
    files
      .filter((f) =>
        refs.some(
          (r) =>
            r.where.endsWith(`(service ${service})`) && isWithin(f.name, normalizeReference(r.path) ?? '\0'),
        ),
      )
      .map((f) => f.content.toString())
      .join('\n');
  const edge = proxyPlan(services, order, images, source.proxyServices ?? [], mountedText);
  const plans: ServicePlan[] = order.map((name) => {
    const spec = services.get(name) ?? {};
    const recreateReason = spec.container_name
      ? `it has a fixed container_name (${spec.container_name}), so two cannot run at once`
      : publishesHostPort(spec.ports)
        ? 'it publishes a host port, which only one container can bind'
        : undefined;
    const proxy = edge.proxies.get(name);
    const filesDigest = digests.get(name);
    return {
      name,
      ...(recreateReason ? { recreateReason } : {}),
      ...(checks.has(name) ? { httpCheck: checks.get(name) } : {}),
      ...(proxy ? { proxy } : {}),
      ...(edge.pooled.has(name) ? { pooledByName: true } : {}),
      ...(edge.public.has(name) ? { public: true } : {}),
      ...(edge.ports.has(name)
        ? { upstreamPorts: [...(edge.ports.get(name) ?? [])].sort((a, b) => a - b) }
        : {}),
      ...(filesDigest ? { filesDigest } : {}),
    };
  });
  const { id, gitSha, actor, runUrl } = source;
  // Compose runs in `live`, which holds this release's files once it is applied: what the Compose files name
  // relative to themselves is found there, at the same path in every release (see sync-live.sh).
  const projectDirectory = LIVE;
  return {
    id,
    composeFiles,
    envFile,
    projectDirectory,
    files,
    images,
    services: plans,
    gitSha,
    actor,
    runUrl,
  };
}
