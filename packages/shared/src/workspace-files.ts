import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { isAbsolute, join, posix, resolve, sep } from 'node:path';
import { InputError } from './errors';

/** The most one file named by a path input may hold (Compose files, checks, a CA, a task definition). */
export const MAX_FILE_BYTES = 8 * 2 ** 20;
/** The most a folder read whole (deploy-compose's `files`) may hold, and how many entries. */
export const MAX_TREE_BYTES = 100 * 2 ** 20;
export const MAX_TREE_ENTRIES = 10_000;

export interface WorkspacePathOptions {
  /** The folder a relative path is taken from; the workspace by default. */
  base?: string;
  /** The workspace: GITHUB_WORKSPACE, or the current folder. */
  workspace?: string;
  /** The runner's temp folder: RUNNER_TEMP. */
  temp?: string;
  /** More folders whose content may be read (e.g. the folder of a Compose file given by absolute path). */
  roots?: readonly string[];
  /** The most one file may hold; MAX_FILE_BYTES by default. */
  maxBytes?: number;
}

export interface WorkspaceTreeOptions extends WorkspacePathOptions {
  /** The most all files together may hold; MAX_TREE_BYTES by default. */
  maxTotalBytes?: number;
  maxEntries?: number;
}

/** A file read from a folder: its POSIX path inside the folder named (`''` when a file was named). */
export interface TreeFile {
  path: string;
  content: Buffer;
}

/** A path input resolved through its links, checked to stay where it may, and of the kind it must be. */
export interface CheckedPath {
  /** The path with every link resolved. */
  real: string;
  kind: 'file' | 'folder';
}

const WHERE =
  "Paths (and the links in them) must stay inside the workspace or the runner's temp folder; to use a file elsewhere, give its absolute path, which is taken as meant";

/**
 * The one way every action takes a path input. Relative paths are taken from the workspace; every link is
 * resolved and the real path must stay inside the workspace, the runner's temp folder (or `roots`). A path the
 * user gives as absolute is taken as meant: it is read wherever it is, but what a folder given so holds must
 * still stay inside it. Anything not a regular file or folder (a device, pipe or socket) is refused, and every
 * file is size-capped, with an error naming the input.
 */
export function checkWorkspacePath(
  input: string,
  path: string,
  want: 'file' | 'folder' | 'any',
  options: WorkspacePathOptions = {},
): CheckedPath {
  const { absolute, roots, base } = place(path, options);
  const real = realPath(input, path, absolute, isAbsolute(path) ? undefined : base);
  if (!isAbsolute(path) && !inside(real, roots)) {
    throw new InputError(
      input,
      `Input "${input}": ${path} leads outside the workspace (to ${real}). ${WHERE}.`,
    );
  }
  return { real, kind: kindOf(input, path, real, want, options.maxBytes ?? MAX_FILE_BYTES) };
}

/** A file named by a path input, read whole (at most `maxBytes`), after `checkWorkspacePath`. */
export function readWorkspaceFile(input: string, path: string, options: WorkspacePathOptions = {}): Buffer {
  const { real } = checkWorkspacePath(input, path, 'file', options);
  return readCapped(input, path, real, options.maxBytes ?? MAX_FILE_BYTES);
}

/** `readWorkspaceFile` as UTF-8 text. */
export function readWorkspaceText(input: string, path: string, options: WorkspacePathOptions = {}): string {
  return readWorkspaceFile(input, path, options).toString('utf8');
}

/**
 * A file, or a folder with everything in it (links followed while they stay inside the workspace, the temp
 * folder, `roots` or the folder named), every file read, in a stable order, within the size and entry caps.
 */
export function readWorkspaceTree(
  input: string,
  path: string,
  options: WorkspaceTreeOptions = {},
): TreeFile[] {
  const top = checkWorkspacePath(input, path, 'any', options);
  const maxBytes = options.maxBytes ?? MAX_TREE_BYTES;
  if (top.kind === 'file') return [{ path: '', content: readCapped(input, path, top.real, maxBytes) }];
  const { roots } = place(path, options);
  // A folder given by absolute path is taken as meant, with what is in it.
  const allowed = isAbsolute(path) ? [...roots, top.real] : roots;
  const maxTotal = options.maxTotalBytes ?? MAX_TREE_BYTES;
  const maxEntries = options.maxEntries ?? MAX_TREE_ENTRIES;
  const files: TreeFile[] = [];
  let total = 0;
  let entries = 0;
  const walk = (dir: string, rel: string, chain: readonly string[]) => {
    for (const entry of sortedEntries(input, `${path}/${rel}`, dir)) {
      const sub = rel ? `${rel}/${entry.name}` : entry.name;
      const shown = posix.join(path, sub);
      if (++entries > maxEntries) {
        throw new InputError(
          input,
          `Input "${input}": ${path} holds more than ${maxEntries} files and folders.`,
        );
      }
      const real = entry.isSymbolicLink()
        ? realPath(input, shown, join(dir, entry.name))
        : join(dir, entry.name);
      if (!inside(real, allowed)) {
        throw new InputError(
          input,
          `Input "${input}": ${shown} is a link leading outside (to ${real}). ${WHERE}.`,
        );
      }
      const kind = kindOf(input, shown, real, 'any', maxBytes);
      if (kind === 'folder') {
        if (chain.includes(real) || chain.length > 32) {
          throw new InputError(
            input,
            `Input "${input}": ${shown} is a link loop (it leads back to ${real}).`,
          );
        }
        walk(real, sub, [...chain, real]);
        continue;
      }
      const content = readCapped(input, shown, real, maxBytes);
      total += content.length;
      if (total > maxTotal) {
        throw new InputError(
          input,
          `Input "${input}": the files under ${path} hold more than ${formatBytes(maxTotal)} together; upload large files another way (an image, a volume).`,
        );
      }
      files.push({ path: sub, content });
    }
  };
  walk(top.real, '', [top.real]);
  return files;
}

function place(path: string, options: WorkspacePathOptions) {
  const workspace = options.workspace ?? process.env.GITHUB_WORKSPACE ?? process.cwd();
  const temp = options.temp ?? process.env.RUNNER_TEMP;
  const roots = [workspace, temp, ...(options.roots ?? [])]
    .filter((r): r is string => Boolean(r))
    .flatMap((r) => {
      try {
        return [realpathSync(r)];
      } catch {
        return [];
      }
    });
  const base = options.base ?? workspace;
  return { absolute: resolve(base, path), roots, base };
}

function inside(real: string, roots: readonly string[]): boolean {
  return roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`));
}

function realPath(input: string, shown: string, absolute: string, base?: string): string {
  try {
    return realpathSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const broken = code === 'ENOENT' && lstatSync(absolute, { throwIfNoEntry: false })?.isSymbolicLink();
    const what = broken
      ? 'is a link to nothing'
      : code === 'ENOENT' || code === 'ENOTDIR'
        ? `does not exist${base ? ` in ${base}` : ''}`
        : code === 'ELOOP'
          ? 'is a link loop'
          : `cannot be read (${code ?? (error as Error).message})`;
    throw new InputError(input, `Input "${input}": ${shown} ${what}.`);
  }
}

function kindOf(
  input: string,
  shown: string,
  real: string,
  want: 'file' | 'folder' | 'any',
  maxBytes: number,
): 'file' | 'folder' {
  const stat = statSync(real);
  const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : undefined;
  if (!kind) {
    throw new InputError(
      input,
      `Input "${input}": ${shown} is not a regular file or folder (${real} is a device, pipe or socket).`,
    );
  }
  if (want !== 'any' && kind !== want) {
    throw new InputError(input, `Input "${input}": ${shown} is a ${kind}, not a ${want}.`);
  }
  if (kind === 'file' && stat.size > maxBytes) tooLarge(input, shown, maxBytes);
  return kind;
}

/** Reads at most `maxBytes` through one descriptor that is checked to be a regular file: no device, no growth. */
function readCapped(input: string, shown: string, real: string, maxBytes: number): Buffer {
  // O_NONBLOCK: opening a pipe swapped in since the check must not hang; O_NOFOLLOW: nor a link swapped in.
  const fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    if (!fstatSync(fd).isFile()) {
      throw new InputError(input, `Input "${input}": ${shown} is not a regular file.`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - size));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      size += n;
      if (size > maxBytes) tooLarge(input, shown, maxBytes);
    }
    return Buffer.concat(chunks, size);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(input: string, shown: string, maxBytes: number): never {
  throw new InputError(
    input,
    `Input "${input}": ${shown} is larger than ${formatBytes(maxBytes)}, the most it may be.`,
  );
}

function sortedEntries(input: string, shown: string, dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (error) {
    throw new InputError(input, `Input "${input}": ${shown} cannot be listed (${(error as Error).message}).`);
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${bytes / 2 ** 20} MiB` : `${bytes} bytes`;
}
