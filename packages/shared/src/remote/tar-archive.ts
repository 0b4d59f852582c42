/**
 * A POSIX ustar archive of flat files (names of up to 100 bytes, no folders), for `tar -x -f -` on a host: the
 * dry run sends a release's Compose files on standard input, never on the command line (its length is limited).
 */
export function tarArchive(
  files: ReadonlyArray<{ name: string; content: string | Buffer; mode: number }>,
): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const data = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8');
    if (Buffer.byteLength(file.name) > 100 || file.name.includes('/')) {
      throw new Error(`Bug: ${file.name} is not a flat file name for the archive.`);
    }
    const header = Buffer.alloc(512);
    const field = (offset: number, length: number, text: string) =>
      header.write(text, offset, length, 'utf8');
    const octal = (offset: number, length: number, value: number) =>
      field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
    field(0, 100, file.name);
    octal(100, 8, file.mode & 0o777);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, data.length);
    octal(136, 12, 0);
    field(148, 8, '        ');
    field(156, 1, '0');
    field(257, 6, 'ustar\0');
    field(263, 2, '00');
    let sum = 0;
    for (const byte of header) sum += byte;
    field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
