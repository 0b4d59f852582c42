import type { Duplex } from 'node:stream';
import { currentRelease, type HistoryEntry, type ServicePlan } from '../host-history';
import type { ScriptValue } from '../remote/host-script';
import { writeFiles } from '../remote/write-files';
import { sleep } from '../retry';
import type { SshSession } from '../ssh/ssh-session';
import { applyColours, type BlueGreenSettings, type ColourEvent, switchBackIfKept } from './blue-green';
import { type CanaryOptions, rollCanary } from './canary';
import type { LockHandle } from './host-lock';
import { type HostPreDeploy, preDeployOnHost } from './host-pre-deploy';
import { type ProjectPlace, type ProjectVerb, projectScript, type RemoteTimings } from './project-script';
import type { Release } from './release';
import { finishRoll } from './roll-finish';
import { type Change, parseHashes, serviceAction, serviceChanges } from './service-changes';

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
  strategy: 'rolling' | 'recreate' | 'blue-green' | 'canary';
  timings: RemoteTimings;
  /** blue-green's settings (default: keep the previous colour 10 minutes). */
  blueGreen?: BlueGreenSettings;
  /** The release the host ran before (set per host): the colour blue-green keeps running is that release. */
  previousReleaseId?: string;
  /** Told what a host did with the colours (kept the previous one, or switched back to it). */
  onColours?: (event: ColourEvent) => void;
  /** Told how the pre-deploy hook's one-off container ended (its exit code and last lines). */
  onPreDeploy?: (run: HostPreDeploy) => void;
  registry?: { host: string; username: string; password: string };
  hooks: Hooks;
  commandTimeoutMs: number;
  log: (message: string) => void;
  notice: (message: string) => void;
  /** Waits on the runner (the drain before the entry point is judged); default a timer, a fake in tests. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Told that old containers, out of rotation and queued for the stop after the verdict, drain for `ms` from now
   * (their stop on the host waits for it): the step reports once the last drain is over (fleet-deploy.ts).
   */
  onDrain?: (ms: number) => void;
  /** The host's deploy lock: every phase first checks it is still ours and renews it. */
  heldLock?: { handle: LockHandle; ttlMs: number };
  /**
   * The entry point's checks (`public-url`), for a new release's services behind it: `ready` while old and new
   * containers are both in rotation (the new version must answer through the entry point), `verify` once the old
   * ones left it (before any of them stops). Either failing undoes the switch.
   */
  entry?: EntryChecks;
  /** `strategy: canary`: a public service that runs already goes through these steps instead of one switch. */
  canary?: CanaryOptions;
}

export interface EntryChecks {
  ready(what: string): Promise<void>;
  verify(what: string): Promise<void>;
  /** blue-green: the same checks against one new container directly (`connect`: through the host), pre-switch. */
  preSwitch?(what: string, connect: () => Promise<Duplex>): Promise<void>;
}

/** Compose's project directory of releases that mount their files from the stable `live` folder. */
export const LIVE = 'live';

/**
 * Runs one phase in the project folder with the release's Compose files, after renewing the deploy lock until the
 * lock's TTL or the phase's own timeout from now, whichever is later: its watchdog stops it by then (TERM, KILL
 * 2 s later), so a run that died does not lose its lock to the next one while its last phase may still run.
 */
async function runInProject(
  session: SshSession,
  release: Release | undefined,
  options: HostDeployOptions,
  verb: ProjectVerb | readonly ProjectVerb[],
  values: Readonly<Record<string, ScriptValue>>,
  label: string,
  extra: { stdin?: string; timeoutMs?: number; allowFailure?: boolean } = {},
) {
  const timeoutMs = extra.timeoutMs ?? options.commandTimeoutMs;
  const held = options.heldLock;
  const lock = held && {
    handle: held.handle,
    seconds: Math.ceil(Math.max(held.ttlMs, timeoutMs + 5_000) / 1000),
  };
  const context = { place: options.place, timings: options.timings, lock };
  const result = await session.exec(projectScript(context, release, verb, values), {
    label,
    timeoutMs,
    stdin: extra.stdin,
    allowFailure: extra.allowFailure,
  });
  return takeNotices(result, (message) => options.notice(`${session.name}: ${message}`));
}

/** How a phase tells the step something the user should see (reload_proxies: a Caddy it could not reload). */
const NOTICE = 'slipway-notice: ';

/** A phase's NOTICE lines go to `notice`; the rest of its output is what the phase printed. */
function takeNotices<T extends { stdout: string }>(result: T, notice: (message: string) => void): T {
  if (!result.stdout.includes(NOTICE)) return result;
  const lines = result.stdout.split('\n').filter((line) => {
    if (!line.startsWith(NOTICE)) return true;
    notice(line.slice(NOTICE.length));
    return false;
  });
  return { ...result, stdout: lines.join('\n') };
}

/**
 * What differs on the host from what the release asks for, per service (see service-changes.ts), once the
 * release's files are live (LIVE releases) and its images pulled: one command for the three, the pull beside the
 * comparison (pull.sh, hashes.sh, pulled.sh).
 */
async function pullAndCompare(session: SshSession, release: Release, options: HostDeployOptions) {
  const registry = options.registry;
  const login = { REGISTRY_HOST: registry?.host ?? '', REGISTRY_USER: registry?.username ?? '' };
  const verbs: ProjectVerb[] = [
    ...(release.projectDirectory === LIVE ? ['sync-live' as const] : []),
    'pull',
    'hashes',
  ];
  const { stdout } = await runInProject(
    session,
    release,
    options,
    verbs,
    login,
    'pulling images and comparing services',
    {
      stdin: registry?.password,
    },
  );
  const changes = serviceChanges(release, parseHashes(stdout));
  for (const [name, change] of changes) {
    if (change.what === 'config' && change.running) options.log(`${session.name}: ${name}: ${change.why}.`);
  }
  return changes;
}

function serviceValues(release: Release, service: ServicePlan, options: HostDeployOptions, check: boolean) {
  const healthSeconds = Math.ceil(options.timings.healthTimeoutMs / 1000);
  return {
    SERVICE: service.name,
    HTTP_CHECK: service.httpCheck ?? '',
    HEALTH_SECONDS: healthSeconds,
    UPSTREAM_PORTS: (service.upstreamPorts ?? []).join(' '),
    FILES_DIGEST: service.filesDigest ?? '',
    // Without public-url, the ports the project's proxies publish on the host are the entry point checked.
    ENTRY_CHECK: release.services.some((s) => s.proxy) && check,
    ENTRY_SECONDS: healthSeconds,
  };
}

const phaseTimeout = (options: HostDeployOptions) =>
  options.commandTimeoutMs + options.timings.healthTimeoutMs + options.timings.drainMs;

/**
 * Applies one changed service: a proxy whose files alone changed is reloaded in place; a service that can run
 * twice is rolled (new beside old, then the switch, then the old queued to drain and stop after the verdict:
 * roll-up, roll-switch, roll-finish), with the entry point checked before any old container stops, and the switch
 * undone when it fails (roll-undo); anything else is recreated.
 */
async function applyService(
  session: SshSession,
  release: Release,
  service: ServicePlan,
  change: Change,
  options: HostDeployOptions,
  entry: EntryChecks | undefined,
): Promise<void> {
  const values = serviceValues(release, service, options, !entry && change.running);
  const timeoutMs = phaseTimeout(options);
  const run = (verb: ProjectVerb, label: string, extra: Record<string, ScriptValue> = {}) =>
    runInProject(session, release, options, verb, { ...values, ...extra }, label, { timeoutMs });
  const where = `${session.name}: ${service.name}`;
  const decision = serviceAction(service, change, options.strategy);
  if (decision.action === 'reload') {
    options.log(`${where}: its files changed; reloading ${service.proxy} in place.`);
    await run('reload', `reloading ${service.name}`, { KIND: service.proxy ?? '' });
    return;
  }
  if (decision.action === 'recreate') {
    if (decision.notRolled) {
      const gap = service.proxy ? ' The entry point does not answer while it restarts.' : '';
      options.notice(`${where} is recreated, not rolled: ${decision.notRolled}.${gap}`);
    }
    options.log(`${where}: recreating${change.what === 'files' ? ' (its files changed)' : ''}.`);
    await run('recreate', `recreating ${service.name}`, { FORCE: change.what === 'files' });
    // Nothing old is left to go back to here: a failing entry point fails the host, which then goes back.
    if (change.running && service.public) await entry?.verify(service.name);
    return;
  }
  if (options.canary && entry && change.running && service.public) {
    const context = { host: session.name, service: service.name, oldCount: change.count, log: options.log };
    await rollCanary(
      {
        ...context,
        run,
        notice: options.notice,
        drainMs: options.timings.drainMs,
        onDrain: options.onDrain,
      },
      options.canary,
    );
    return;
  }
  options.log(`${where}: rolling${change.what === 'files' ? ' (its files changed)' : ''}.`);
  await run('roll-up', `rolling ${service.name} (new containers)`);
  const checked = change.running && service.public ? entry : undefined;
  try {
    await checked?.ready(service.name);
    await run('roll-switch', `rolling ${service.name} (the switch)`);
    if (checked) {
      // The old containers are out of the service's DNS name but still answer: a proxy that follows DNS (Caddy,
      // Nginx with a resolver, Envoy) sends them requests until its next lookup. They drain first, so the entry
      // point is judged on the new containers alone; a failing check still finds the old ones running.
      await (options.sleep ?? sleep)(options.timings.drainMs);
      await checked.verify(service.name);
    }
  } catch (error) {
    options.log(`${where}: undoing the switch; the old containers serve on.`);
    await run('roll-undo', `undoing the roll of ${service.name}`).catch((again) =>
      options.log(`${where}: could not undo the switch (${(again as Error).message}).`),
    );
    throw error;
  }
  // The verdict is in: the old containers (out of rotation; with public-url they drained before it) are queued to
  // stop after it, detached on the host under the deploy lock (lock-release.sh hands it to that stop), once drained.
  // The next services roll meanwhile, and the step reports once the drain is over (onDrain).
  const drainMs = await finishRoll(
    run,
    `rolling ${service.name} (the old containers are queued to stop once drained)`,
    { drained: checked !== undefined, drainMs: options.timings.drainMs, onDrain: options.onDrain },
  );
  options.log(
    `${where}: the old containers are out of rotation${drainMs > 0 ? ` and drain for ${drainMs / 1000} s` : ''}; they stop on the host after this step's verdict, and the deploy lock stays held until they stopped.`,
  );
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
  const phase = (verb: ProjectVerb, values: Readonly<Record<string, ScriptValue>>, label: string) =>
    runInProject(session, release, options, verb, values, label, { timeoutMs: phaseTimeout(options) });
  // First the previous colour, so that going back to a colour kept running is only a switch (blue-green.ts). The
  // release's files go up meanwhile, on a channel of their own: their folder is new, and nothing reads it yet
  // (only a new release has files to send, and a new release is never the colour kept running).
  const [kept, written] = await Promise.allSettled([
    switchBackIfKept(phase, release, session.name, options.log),
    release.files.length > 0
      ? writeFiles(
          session,
          `${place.dir}/releases/${release.id}`,
          release.files,
          "writing the release's files",
        )
      : undefined,
  ]);
  if (kept.status === 'rejected') throw kept.reason;
  if (written.status === 'rejected') throw written.reason;
  const back = kept.value;
  if (back) {
    options.onColours?.({ kind: 'switched-back', services: back });
    return back;
  }
  const changes = await pullAndCompare(session, release, options);
  const changed = [...changes.keys()];
  if (changed.length === 0) {
    options.log(`${session.name}: every service already runs release ${release.id}.`);
    return removeOrphans(session, release, options);
  }
  const pre = withHooks ? options.hooks.preDeploy : undefined;
  if (pre) {
    options.log(`${session.name}: pre-deploy hook in a one-off ${pre.service} container.`);
    const values = { PRE_SERVICE: pre.service, PRE_COMMAND: pre.command };
    const exec = () =>
      runInProject(session, release, options, 'pre-deploy', values, 'the pre-deploy hook', {
        allowFailure: true,
      });
    await preDeployOnHost(session.name, pre, exec, { log: options.log, report: options.onPreDeploy });
  }
  // A release going back (withHooks false) is not the version public-url expects.
  const entry = withHooks ? options.entry : undefined;
  if (options.strategy === 'blue-green') {
    await applyColours({
      release,
      changes,
      options,
      entry,
      phase,
      where: session.name,
      forward: session.forward?.bind(session),
      applyOne: (service, change) => applyService(session, release, service, change, options, entry),
      valuesOf: (service) => serviceValues(release, service, options, false),
    });
  } else {
    for (const service of release.services) {
      const change = changes.get(service.name);
      if (change) await applyService(session, release, service, change, options, entry);
      // past it: the other hosts' canary of it (if any) no longer waits for this one
      options.canary?.fleet?.leave(service.name);
    }
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
