import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The PATH of a runner without docker buildx, for a bundle run: a `docker` put first on PATH answers
 * `docker buildx ...` as the CLI does when the plugin is missing and hands everything else to the real docker.
 * (buildx installed system-wide is found whatever DOCKER_CONFIG says, so only the command itself can hide it.)
 */
export function pathWithoutBuildx(dir: string): string {
  const docker = execFileSync('sh', ['-c', 'command -v docker']).toString().trim();
  const bin = join(dir, 'no-buildx-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'docker'),
    [
      '#!/bin/sh',
      'if [ "$1" = buildx ]; then',
      `  echo "docker: unknown command: docker buildx" >&2`,
      `  echo "Run 'docker --help' for more information" >&2`,
      '  exit 1',
      'fi',
      `exec '${docker}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'docker'), 0o755);
  return `${bin}:${process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`;
}

/** Fails a test that needs the real docker buildx when the machine has none (scripts/infra.sh installs it). */
export function requireBuildx(): void {
  try {
    execFileSync('docker', ['buildx', 'version'], { stdio: 'ignore' });
  } catch {
    throw new Error('docker buildx is not installed: run "scripts/infra.sh up".');
  }
}
