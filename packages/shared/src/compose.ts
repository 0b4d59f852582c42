import type { CommandRunner } from './exec';

/** How Docker Compose is called: the v2 plugin (`docker compose`) or the v1 binary (`docker-compose`). */
export type ComposeCommand = readonly ['docker', 'compose'] | readonly ['docker-compose'];

/** Prefers `docker compose` (v2, on GitHub runners); falls back to `docker-compose` (v1). */
export async function detectCompose(runner: CommandRunner): Promise<ComposeCommand> {
  const v2 = await runner
    .run('docker', ['compose', 'version'], { quiet: true, allowFailure: true })
    .catch(() => ({ code: 1 }));
  if (v2.code === 0) return ['docker', 'compose'];
  const v1 = await runner
    .run('docker-compose', ['version'], { quiet: true, allowFailure: true })
    .catch(() => ({ code: 1 }));
  if (v1.code === 0) return ['docker-compose'];
  throw new Error('Neither "docker compose" (v2) nor "docker-compose" (v1) is installed.');
}

/**
 * The same detection for a remote host, as a POSIX shell function: scripts sent over SSH define it first and
 * then call `compose ...`.
 */
export const REMOTE_COMPOSE_FUNCTION = [
  'compose() {',
  '  if docker compose version >/dev/null 2>&1; then docker compose "$@";',
  '  elif command -v docker-compose >/dev/null 2>&1; then docker-compose "$@";',
  '  else echo "neither docker compose nor docker-compose is installed on this host" >&2; return 127; fi',
  '}',
].join('\n');
