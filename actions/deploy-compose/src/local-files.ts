import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import {
  InputError,
  MAX_TREE_BYTES,
  readWorkspaceTree,
  type TreeFile,
  type WorkspaceTreeOptions,
} from '@slipway/shared';

/** A file of the `files` input, named by its path relative to the first Compose file's folder. */
export interface LocalFile {
  /** POSIX path inside the release folder, e.g. `conf/nginx.conf`. */
  path: string;
  content: Buffer;
}

/** The file system as the `files` input needs it: a file or a folder read whole, by the suite's one reader. */
export interface LocalFs {
  readTree(path: string, options: WorkspaceTreeOptions): TreeFile[];
}

export const nodeFs: LocalFs = { readTree: (path, options) => readWorkspaceTree('files', path, options) };

const HOW = 'Give paths relative to the folder of the first Compose file, inside it (files or folders).';

/** A path of the input or of a Compose reference, as a POSIX path relative to `baseDir`; undefined if outside. */
export function insideBase(baseDir: string, path: string): string | undefined {
  const rel = relative(baseDir, resolve(baseDir, path));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join(posix.sep);
}

/**
 * Reads every file the `files` input names (folders recursively) with its path relative to `baseDir`, the
 * layout it keeps in each release folder. Links are followed only while they stay inside the workspace, the
 * runner's temp folder or `baseDir`; devices, pipes and sockets are refused; all files together are capped
 * (the shared reader's rules, `readWorkspaceTree`).
 */
export function collectFiles(entries: readonly string[], baseDir: string, fs: LocalFs = nodeFs): LocalFile[] {
  const found = new Map<string, LocalFile>();
  let total = 0;
  for (const entry of entries) {
    const rel = isAbsolute(entry) ? undefined : insideBase(baseDir, entry);
    if (!rel) {
      throw new InputError('files', `Input "files": ${JSON.stringify(entry)} is outside ${baseDir}. ${HOW}`);
    }
    // The Compose files' folder is read from even when it is outside the workspace: compose-file named it.
    for (const file of fs.readTree(rel, {
      base: baseDir,
      roots: [baseDir],
      maxTotalBytes: MAX_TREE_BYTES - total,
    })) {
      const path = file.path ? `${rel}/${file.path}` : rel;
      if (!found.has(path)) total += file.content.length;
      found.set(path, { path, content: file.content });
    }
  }
  return [...found.values()];
}
