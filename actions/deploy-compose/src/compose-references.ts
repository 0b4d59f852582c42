import { posix } from 'node:path';
import { InputError } from '@slipway/shared';

/** A path a Compose file names relative to itself: it must be on the host, next to the release's Compose files. */
export interface LocalReference {
  kind: 'env_file' | 'configs' | 'secrets' | 'bind mount';
  /** Where it is written, for messages: `docker-compose.yml (service web)`. */
  where: string;
  /** As written, e.g. `./app.env`. */
  path: string;
  /** An `env_file` entry with `required: false` may be missing. */
  optional?: boolean;
}

type Doc = {
  services?: Record<string, { env_file?: unknown; volumes?: unknown } | null>;
  configs?: Record<string, { file?: unknown } | null>;
  secrets?: Record<string, { file?: unknown } | null>;
};

/** A local path relative to the Compose file: not absolute, not `~`, no `${VAR}` we cannot know. */
const isRelative = (path: unknown): path is string =>
  typeof path === 'string' && path !== '' && !/^[/~]/.test(path) && !path.includes('$');

/** env_file entries, `file:` of configs and secrets, and bind-mount sources (`./x`, `../x`) of one Compose file. */
export function localReferences(compose: object, file: string): LocalReference[] {
  const doc = compose as Doc;
  const refs: LocalReference[] = [];
  for (const [name, service] of Object.entries(doc.services ?? {})) {
    const where = `${file} (service ${name})`;
    const envFiles = service?.env_file;
    for (const entry of Array.isArray(envFiles) ? envFiles : envFiles === undefined ? [] : [envFiles]) {
      const path = typeof entry === 'object' && entry ? (entry as { path?: unknown }).path : entry;
      const optional =
        typeof entry === 'object' && entry && (entry as { required?: unknown }).required === false;
      if (isRelative(path)) refs.push({ kind: 'env_file', where, path, ...(optional ? { optional } : {}) });
    }
    for (const volume of Array.isArray(service?.volumes) ? service.volumes : []) {
      const source =
        typeof volume === 'string'
          ? volume.split(':')[0]
          : volume?.type === 'bind'
            ? (volume as { source?: unknown }).source
            : undefined;
      if (isRelative(source) && source.startsWith('.'))
        refs.push({ kind: 'bind mount', where, path: source });
    }
  }
  for (const kind of ['configs', 'secrets'] as const) {
    for (const [name, spec] of Object.entries(doc[kind] ?? {})) {
      if (isRelative(spec?.file)) refs.push({ kind, where: `${file} (${kind}.${name})`, path: spec.file });
    }
  }
  return refs;
}

/** `./conf/../app.env` -> `app.env`; `.` for the folder itself; undefined when it leaves the folder. */
export function normalizeReference(path: string): string | undefined {
  const normal = posix.normalize(path).replace(/\/+$/, '');
  return normal === '..' || normal.startsWith('../') ? undefined : normal || '.';
}

/**
 * Checks that every reference resolves among the uploaded files (paths relative to the first Compose file's
 * folder). A missing env_file, config or secret file is an error: Compose would fail on every host. A bind
 * mount may mean a folder the host has on its own, so an uncovered one is only a warning. Returns the uploaded
 * paths that hold secrets (mode 0600): env files, the `file:` of `secrets:` (a folder: everything in it).
 */
export function checkReferences(
  refs: readonly LocalReference[],
  uploaded: readonly string[],
  warn: (message: string) => void,
): Set<string> {
  const secret = new Set<string>();
  for (const ref of refs) {
    const rel = normalizeReference(ref.path);
    const inside = rel === undefined ? [] : uploaded.filter((u) => isWithin(u, rel));
    const covered = inside.length > 0;
    if (ref.kind === 'env_file' || ref.kind === 'secrets') for (const u of inside) secret.add(u);
    if (covered || ref.optional) continue;
    const problem =
      rel === undefined
        ? `is outside the first Compose file's folder, so it cannot be uploaded next to it; move it inside and list it in "files"`
        : `is not uploaded: list ${JSON.stringify(rel)} (or a folder holding it) in the "files" input, relative to the first Compose file's folder`;
    const message = `${ref.where}: the ${ref.kind} ${JSON.stringify(ref.path)} ${problem}.`;
    if (ref.kind === 'bind mount') {
      warn(
        `${message} Compose resolves it inside each release's folder on the hosts, where it will not exist.`,
      );
    } else {
      throw new InputError('files', `Input "files": ${message}`);
    }
  }
  return secret;
}

/** Whether the uploaded `path` is `rel` or inside the folder `rel` (`.` is the whole folder). */
export function isWithin(path: string, rel: string): boolean {
  return rel === '.' || path === rel || path.startsWith(`${rel}/`);
}
