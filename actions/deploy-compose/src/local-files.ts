import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { InputError } from '@slipway/shared';

/** A file of the `files` input, named by its path relative to the first Compose file's folder. */
export interface LocalFile {
  /** POSIX path inside the release folder, e.g. `conf/nginx.conf`. */
  path: string;
  content: Buffer;
}

/** The file system as the `files` input needs it; tests pass a fake. */
export interface LocalFs {
  kind(path: string): 'file' | 'dir' | 'missing' | 'other';
  list(dir: string): string[];
  read(path: string): Buffer;
}

export const nodeFs: LocalFs = {
  kind(path) {
    try {
      const stat = statSync(path);
      return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other';
    } catch {
      return 'missing';
    }
  },
  list: (dir) => readdirSync(dir).sort(),
  read: (path) => readFileSync(path),
};

const HOW = 'Give paths relative to the folder of the first Compose file, inside it (files or folders).';

/** A path of the input or of a Compose reference, as a POSIX path relative to `baseDir`; undefined if outside. */
export function insideBase(baseDir: string, path: string): string | undefined {
  const rel = relative(baseDir, resolve(baseDir, path));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join(posix.sep);
}

/**
 * Reads every file the `files` input names (folders recursively; symbolic links followed, a folder at most 32
 * deep) with its path relative to `baseDir`, the layout it keeps in each release folder.
 */
export function collectFiles(entries: readonly string[], baseDir: string, fs: LocalFs = nodeFs): LocalFile[] {
  const found = new Map<string, LocalFile>();
  const walk = (abs: string, rel: string, depth: number) => {
    const kind = fs.kind(abs);
    if (kind === 'file') found.set(rel, { path: rel, content: fs.read(abs) });
    else if (kind === 'dir') {
      if (depth > 32)
        throw new InputError('files', `Input "files": ${rel} is nested too deep (a link loop?).`);
      for (const name of fs.list(abs)) walk(join(abs, name), `${rel}/${name}`, depth + 1);
    }
  };
  for (const entry of entries) {
    const rel = isAbsolute(entry) ? undefined : insideBase(baseDir, entry);
    if (!rel) {
      throw new InputError('files', `Input "files": ${JSON.stringify(entry)} is outside ${baseDir}. ${HOW}`);
    }
    const kind = fs.kind(join(baseDir, rel));
    if (kind === 'missing' || kind === 'other') {
      throw new InputError(
        'files',
        `Input "files": ${rel} ${kind === 'missing' ? 'does not exist' : 'is not a file or folder'} in ${baseDir}. ${HOW}`,
      );
    }
    walk(join(baseDir, rel), rel, 0);
  }
  return [...found.values()];
}
