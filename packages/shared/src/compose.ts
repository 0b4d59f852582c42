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
