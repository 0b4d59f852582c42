import { posix } from 'node:path';
import { limiter } from '../limiter';
import type { SshSession } from '../ssh/ssh-session';
import { hostScript } from './host-script';
import { type ArchiveFile, ustarArchive } from './ustar';

const UPLOADS_AT_ONCE = 4;

/**
 * Files into `folder` on a host (names relative to it), each written whole (a reader never sees half of one), in
 * one command: their folders made, a ustar archive on standard input unpacked beside them under umask 077, each
 * file given its mode and renamed into place (make-dirs.sh, write-files.sh). A path ustar cannot name sends every
 * file by SFTP instead (several round trips each, a few at once).
 */
export async function writeFiles(
  session: SshSession,
  folder: string,
  files: readonly ArchiveFile[],
  label: string,
): Promise<void> {
  const dirs = new Set([folder, ...files.map((f) => posix.dirname(`${folder}/${f.name}`))]);
  const made = { DIRS: [...dirs].join('\n') };
  const archive = ustarArchive(files);
  if (archive) {
    const modes = files.map((f) => `${f.mode.toString(8)} ${f.name}`).join('\n');
    await session.exec(hostScript({ ...made, FOLDER: folder, MODES: modes }, 'make-dirs', 'write-files'), {
      label,
      stdin: archive,
    });
    return;
  }
  await session.exec(hostScript(made, 'make-dirs'), { label });
  // sshd serves at most 10 channels per connection when SFTP falls back to exec
  const upload = limiter(UPLOADS_AT_ONCE);
  await Promise.all(
    files.map((file) => upload(() => session.upload(`${folder}/${file.name}`, file.content, file.mode))),
  );
}
