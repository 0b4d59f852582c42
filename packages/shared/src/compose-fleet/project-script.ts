import { READY_STATUS } from '../ready-status';
import { hostScript, type ScriptValue, type ShellFile } from '../remote/host-script';
import { type LockHandle, renewLockValues } from './host-lock';
import type { Release } from './release';

/** Where a project lives on a host. Both values are validated (safe characters) before they get here. */
export interface ProjectPlace {
  /** The project folder, relative to the SSH user's home or absolute. */
  dir: string;
  project: string;
}

/** Timings of the remote loops, configurable so tests can be quick. */
export interface RemoteTimings {
  healthTimeoutMs: number;
  drainMs: number;
  pollMs: number;
}

/** What every script of one project on one host shares. */
export interface ProjectContext {
  place: ProjectPlace;
  timings: RemoteTimings;
  /** The host's deploy lock, held by this run: each phase first checks it is still ours and renews it. */
  lock?: { handle: LockHandle; seconds: number };
}

/** The phases of a deploy, each a shell file (src/remote/sh) run in the project folder. */
export type ProjectVerb = Extract<
  ShellFile,
  | 'backup'
  | 'canary-open'
  | 'canary-up'
  | 'bg-back'
  | 'bg-keep'
  | 'bg-prepare'
  | 'bg-switch'
  | 'bg-up'
  | 'hashes'
  | 'orphans'
  | 'post-deploy'
  | 'pre-deploy'
  | 'pull'
  | 'recreate'
  | 'reload'
  | 'roll-finish'
  | 'roll-switch'
  | 'roll-undo'
  | 'roll-up'
  | 'sync-live'
  | 'take-down'
>;

/** The phases that may set a canary's weights on the project's proxies (weights.sh's functions). */
const WEIGHTED: ReadonlySet<ProjectVerb> = new Set(['canary-open', 'canary-up', 'roll-undo']);

const seconds = (ms: number) => (ms / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';

/** The values prelude.sh reads: the project folder, and the release's Compose files there (none: no release). */
function releaseValues(release: Release | undefined): Record<string, ScriptValue> {
  return {
    RELEASE_DIR: release ? `releases/${release.id}` : '',
    COMPOSE_FILES: release?.composeFiles.join(' ') ?? '',
    ENV_FILE: release?.envFile ?? '',
    // Compose reads `.env` from the project directory. A release's own folder has none, so the host's own
    // settings in the project folder's `.env` (per-host ports, names) still apply, as they did before releases
    // had folders of their own; an `env-file` input replaces it, as Compose's --env-file does.
    HOST_ENV: Boolean(release?.projectDirectory && !release.envFile),
    COMPOSE_DIRECTORY: release?.projectDirectory ?? '.',
    PROXIES: (release?.services ?? [])
      .filter((s) => s.proxy)
      .map((s) => `${s.name} ${s.proxy}${s.pooledByName ? ' pooled' : ''}`)
      .join('\n'),
  };
}

/**
 * The whole script of one deploy phase: its values, the lock check (when a lock is held), the functions
 * (lib.sh), `cd` into the project folder (prelude.sh), and the verb's own file (several verbs: their files in
 * order, one command instead of a round trip each).
 */
export function projectScript(
  context: ProjectContext,
  release: Release | undefined,
  verb: ProjectVerb | readonly ProjectVerb[],
  values: Readonly<Record<string, ScriptValue>> = {},
): string {
  return scriptOf(context, release, 'prelude', verb, values);
}

/**
 * The dry run's one script: the services' hashes (hashes.sh) of a release that is not on the host, its Compose
 * files unpacked from standard input into the command's private folder (plan-prelude.sh); writes nothing.
 */
export function planHashesScript(context: Omit<ProjectContext, 'lock'>, release: Release): string {
  return scriptOf(context, release, 'plan-prelude', 'hashes', {});
}

function scriptOf(
  context: ProjectContext,
  release: Release | undefined,
  prelude: 'prelude' | 'plan-prelude',
  verb: ProjectVerb | readonly ProjectVerb[],
  values: Readonly<Record<string, ScriptValue>>,
): string {
  const { place, timings, lock } = context;
  const verbs: readonly ProjectVerb[] = typeof verb === 'string' ? [verb] : verb;
  return hostScript(
    {
      ...(lock ? renewLockValues(lock.handle, lock.seconds) : {}),
      PROJECT: place.project,
      PROJECT_DIR: place.dir,
      POLL: seconds(timings.pollMs),
      DRAIN: seconds(timings.drainMs),
      READY_STATUS,
      ...releaseValues(release),
      ...values,
    },
    ...(lock ? (['lock-renew'] as const) : []),
    'lib',
    ...(verbs.includes('bg-keep') ? (['detach'] as const) : []),
    ...(verbs.some((v) => WEIGHTED.has(v)) ? (['weights'] as const) : []),
    prelude,
    ...verbs,
    // pull.sh starts the pull in the background, so the verbs after it overlap it; pulled.sh waits for it, last
    ...(verbs.includes('pull') ? (['pulled'] as const) : []),
  );
}
