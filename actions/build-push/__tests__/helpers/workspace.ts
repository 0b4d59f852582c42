import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp folder with a Dockerfile FROM the local base image; each build makes a different image. */
export function makeWorkspace(): { root: string; workspace: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'bp-'));
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(
    join(workspace, 'Dockerfile'),
    `FROM local/busybox:1\nARG STAMP\nLABEL stamp=$STAMP\nCOPY Dockerfile /Dockerfile\n`,
  );
  return { root, workspace, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export const randomSha = () => randomBytes(20).toString('hex');

/**
 * Removes the local images of one test file: those in its own repositories (`<registry>/bp-<suffix>/...`),
 * never anything else in the shared daemon.
 */
export function removeImages(suffix: string): void {
  const mine = `/bp-${suffix}/`;
  // an image whose tag moved to another build is left as `<repo>:<none>`: removed by its ID
  const refs = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])
    .toString()
    .split('\n')
    .filter((line) => line.includes(mine))
    .map((line) => {
      const [ref, id] = line.split(' ');
      return ref.endsWith(':<none>') ? id : ref;
    });
  if (refs.length) execFileSync('docker', ['rmi', '-f', ...new Set(refs)], { stdio: 'ignore' });
}
