/** One file of an archive: its path (relative, `/`-separated), content and mode. */
export interface ArchiveFile {
  name: string;
  content: string | Buffer;
  mode: number;
}

const BLOCK = 512;

/** `value` in octal, zero-padded to fill `width - 1` characters and NUL-terminated (a ustar number field). */
function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** The ustar name and prefix of a path (name up to 100 bytes, prefix up to 155, split at a `/`), or undefined. */
function splitName(path: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) {
    const prefix = path.slice(0, at);
    const name = path.slice(at + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name) return { name, prefix };
  }
  return undefined;
}

function header(
  file: ArchiveFile,
  size: number,
  parts: { name: string; prefix: string },
  mtime: number,
): Buffer {
  const block = Buffer.alloc(BLOCK);
  const put = (text: string, offset: number) => block.write(text, offset, 'utf8');
  put(parts.name, 0);
  put(octal(file.mode & 0o7777, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(mtime, 12), 136);
  put('        ', 148);
  put('0', 156);
  put('ustar\0', 257);
  put('00', 263);
  put(parts.prefix, 345);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

/**
 * A POSIX ustar archive of regular files (the folders they sit in are made by tar as it unpacks), so many small
 * files reach a host in one command: `tar -x` with GNU tar and busybox alike. Undefined when a path does not fit
 * ustar's name fields (longer than 255 bytes, or a last part longer than 100).
 */
export function ustarArchive(files: readonly ArchiveFile[]): Buffer | undefined {
  const blocks: Buffer[] = [];
  const mtime = Math.floor(Date.now() / 1000);
  for (const file of files) {
    const parts = splitName(file.name);
    if (!parts) return undefined;
    const content = Buffer.from(file.content);
    blocks.push(header(file, content.length, parts, mtime), content);
    const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
    if (pad) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}
