import { posix } from 'node:path';
import { currentRelease, type HistoryEntry } from '../host-history';
import { hostScript, type ScriptValue } from '../remote/host-script';
import type { SshSession } from '../ssh/ssh-session';
import type { LockHandle } from './host-lock';
import { type ProjectPlace, type ProjectVerb, projectScript, type RemoteTimings } from './project-script';
import type { Release } from './release';

export interface Hooks {
  /** A one-off container of the new image runs this before any service changes (e.g. migrations). */
  preDeploy?: { service: string; command: string };
  /** Runs on the host, in the project folder, after every service is healthy. */
  postDeploy?: string;
  /** Runs on the host before anything changes; its last line of output is recorded as the backup's path. */
  backup?: string;
}

export interface HostDeployOptions {
  place: ProjectPlace;
  strategy: 'rolling' | 'recreate';
  timings: RemoteTimings;
  registry?: { host: string; username: string; password: string };
  hooks: Hooks;
  commandTimeoutMs: number;
  log: (message: string) => void;
  notice: (message: string) => void;
  /** The host's deploy lock: every phase first checks it is still ours and renews it. */
  heldLock?: { handle: LockHandle; ttlMs: number };
}

/**
 * Runs one phase in the project folder with the release's Compose files, after renewing the deploy lock until the
 * lock's TTL or the phase's own timeout from now, whichever is later: its watchdog stops it by then (TERM, KILL
 * 2 s later), so a run that died does not lose its lock to the next one while its last phase may still run.
 */
function runInProject(
  session: SshSession,
  release: Release | undefined,
  options: HostDeployOptions,
  verb: ProjectVerb,
  values: Readonly<Record<string, ScriptValue>>,
  label: string,
  extra: { stdin?: string; timeoutMs?: number } = {},
) {
  const timeoutMs = extra.timeoutMs ?? options.commandTimeoutMs;
  const held = options.heldLock;
  const lock = held && {
    handle: held.handle,
    seconds: Math.ceil(Math.max(held.ttlMs, timeoutMs + 5_000) / 1000),
  };
  const context = { place: options.place, timings: options.timings, lock };
  return session.exec(projectScript(context, release, verb, values), {
    label,
    timeoutMs,
    stdin: extra.stdin,
  });
}

/** Services whose running containers differ from what the release asks for (Compose's own config hash). */
async function changedServices(
  session: SshSession,
  release: Release,
  options: HostDeployOptions,
): Promise<string[]> {
  const { stdout } = await runInProject(session, release, options, 'hashes', {}, 'comparing services');
  const want = new Map<string, string>();
  const have = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const [kind, service, hash] = line.trim().split(/\s+/);
    if (kind === 'want' && service) want.set(service, hash);
    if (kind === 'have' && service) have.set(service, [...(have.get(service) ?? []), hash]);
  }
  return release.services
    .map((s) => s.name)
    .filter((name) => {
      const running = have.get(name) ?? [];
      return running.length === 0 || running.some((hash) => hash !== want.get(name));
    });
}

/**
 * Puts one release on one host: its files, its images, then each changed service in dependency order, rolled
 * or recreated, each waited for until healthy. Hooks run only for new releases (`withHooks`), not when going
 * back. Returns the services it changed or removed.
 */
export async function applyRelease(
  session: SshSession,
  release: Release,
  options: HostDeployOptions,
  withHooks: boolean,
): Promise<string[]> {
  const { place } = options;
  if (release.files.length > 0) {
    const folder = `${place.dir}/releases/${release.id}`;
    const dirs = new Set(release.files.map((f) => posix.dirname(`${folder}/${f.name}`)));
    await session.exec(hostScript({ DIRS: [...dirs].join('\n') }, 'make-dirs'), {
      label: 'creating the release folder',
    });
    for (const file of release.files) {
      await session.upload(`${folder}/${file.name}`, file.content, file.mode);
    }
  }
  const registry = options.registry;
  const login = { REGISTRY_HOST: registry?.host ?? '', REGISTRY_USER: registry?.username ?? '' };
  await runInProject(session, release, options, 'pull', login, 'pulling images', {
    stdin: registry?.password,
  });
  const changed = await changedServices(session, release, options);
  if (changed.length === 0) {
    options.log(`${session.name}: every service already runs release ${release.id}.`);
    return removeOrphans(session, release, options);
  }
  const pre = withHooks ? options.hooks.preDeploy : undefined;
  if (pre) {
    options.log(`${session.name}: pre-deploy hook in a one-off ${pre.service} container.`);
    const values = { PRE_SERVICE: pre.service, PRE_COMMAND: pre.command };
    await runInProject(session, release, options, 'pre-deploy', values, 'the pre-deploy hook');
  }
  const healthSeconds = Math.ceil(options.timings.healthTimeoutMs / 1000);
  for (const service of release.services.filter((s) => changed.includes(s.name))) {
    const rolling = options.strategy === 'rolling' && !service.recreateReason;
    if (options.strategy === 'rolling' && service.recreateReason) {
      options.notice(`${session.name}: ${service.name} is recreated, not rolled: ${service.recreateReason}.`);
    }
    options.log(`${session.name}: ${rolling ? 'rolling' : 'recreating'} ${service.name}.`);
    const values = {
      SERVICE: service.name,
      HTTP_CHECK: service.httpCheck ?? '',
      HEALTH_SECONDS: healthSeconds,
    };
    await runInProject(
      session,
      release,
      options,
      rolling ? 'roll' : 'recreate',
      values,
      `${rolling ? 'rolling' : 'recreating'} ${service.name}`,
      {
        timeoutMs: options.commandTimeoutMs + options.timings.healthTimeoutMs + options.timings.drainMs,
      },
    );
  }
  if (withHooks && options.hooks.postDeploy) {
    const values = { RELEASE_ID: release.id, POST_COMMAND: options.hooks.postDeploy };
    await runInProject(session, release, options, 'post-deploy', values, 'the post-deploy hook');
  }
  return [...changed, ...(await removeOrphans(session, release, options))];
}

/** Once the release is up: retires services it does not have (see orphansScript), and returns their names. */
async function removeOrphans(session: SshSession, release: Release, options: HostDeployOptions) {
  const values = { KEEP_SERVICES: release.services.map((s) => s.name).join(' ') };
  const { stdout } = await runInProject(
    session,
    release,
    options,
    'orphans',
    values,
    'removing orphan services',
    {
      timeoutMs: options.commandTimeoutMs + options.timings.drainMs,
    },
  );
  const removed = stdout.split('\n').filter(Boolean);
  if (removed.length > 0) {
    options.log(
      `${session.name}: removed orphan services (not in release ${release.id}): ${removed.join(', ')}.`,
    );
  }
  return removed;
}

/** Stops and removes the project (a first release that has to be undone has nothing to go back to). */
export async function takeDown(
  session: SshSession,
  release: Release,
  options: HostDeployOptions,
): Promise<void> {
  await runInProject(session, release, options, 'take-down', {}, 'taking the project down');
}

export async function runBackup(
  session: SshSession,
  history: readonly HistoryEntry[],
  options: HostDeployOptions,
) {
  if (!options.hooks.backup) return undefined;
  const values = { CURRENT_RELEASE: currentRelease(history)?.id ?? '', BACKUP_COMMAND: options.hooks.backup };
  const { stdout } = await runInProject(session, undefined, options, 'backup', values, 'the backup command');
  return stdout.trim().split('\n').at(-1) || undefined;
}
