import type { Duplex } from 'node:stream';
import type { HistoryEntry, ServicePlan } from '../host-history';
import { hostScript, type ScriptValue, shellFile } from '../remote/host-script';
import { sleep } from '../retry';
import type { RemoteResult } from '../ssh/ssh-session';
import type { EntryChecks, HostDeployOptions } from './host-deploy';
import { KEEP_PREVIOUS_TIMER, lockReleaseScript } from './host-lock';
import type { ProjectVerb } from './project-script';
import type { Release } from './release';
import type { Change } from './service-changes';

/** Blue-green on one host: its settings (deploy-compose's `keep-previous`) and what it tells the history. */
export interface BlueGreenSettings {
  /** How long the previous colour keeps running out of rotation after a switch (0: stopped at once). */
  keepPreviousMs: number;
}

/** What a host did with the colours, for its history entry and the step's outputs. */
export type ColourEvent =
  | { kind: 'kept'; containers: Record<string, string[]>; until: string }
  | { kind: 'switched-back'; services: string[] };

export const DEFAULT_KEEP_PREVIOUS_MS = 10 * 60_000;

/** How long the keep-previous timer holds the deploy lock at most before a deploy may take it over (it died). */
const TIMER_LOCK_TTL_SECONDS = 120;

/**
 * The script the keep-previous timer runs on the host when the window ends (bg-timer.sh): it takes the project's
 * deploy lock as a deploy does (lock-acquire.sh), waiting up to 10 s (at most the window); a deploy that holds it
 * owns the kept colour, and the timer tries again a minute (at most the window) later, until a deploy cancelled
 * it or the lock is free. Then it stops the kept colour and releases the lock (lock-release.sh).
 */
export function keepTimerScript(keepSeconds: number): string {
  return hostScript(
    {
      LOCK_ACQUIRE: shellFile('lock-acquire'),
      LOCK_RELEASE: lockReleaseScript(),
      LOCK_INFO: `owner=${KEEP_PREVIOUS_TIMER}\nrun=the end of keep-previous: stopping the previous blue-green colour`,
      LOCK_TTL: TIMER_LOCK_TTL_SECONDS,
      LOCK_WAIT: Math.max(1, Math.min(10, keepSeconds)),
      RETRY_SECONDS: Math.max(1, Math.min(60, keepSeconds)),
    },
    'bg-timer',
  );
}

/** Runs one phase (a shell verb) in the project folder of the release being applied. */
export type Phase = (
  verb: ProjectVerb,
  values: Readonly<Record<string, ScriptValue>>,
  label: string,
) => Promise<RemoteResult>;

/** blue and green alternate: a release takes the colour its predecessor on the host did not have. */
export function nextColour(history: readonly HistoryEntry[]): 'blue' | 'green' {
  const last = [...history].reverse().find((e) => e.result === 'deployed');
  return last?.colour === 'blue' ? 'green' : 'blue';
}

/** `service digest` lines: the files each service runs with, as the host records them (.slipway-state). */
const filesDigests = (services: readonly ServicePlan[]) =>
  services.map((s) => `${s.name} ${s.filesDigest ?? ''}`).join('\n');

/**
 * Before every deploy (bg-prepare.sh): a previous colour still kept running out of rotation is switched back to
 * when this deploy goes back to that very release (a rollback, or an atomic revert, inside keep-previous: no
 * pull, no start), else stopped. A switch back first makes that release's files live again (and their digests
 * the recorded ones), so the kept colour and the proxies read the files they ran with. Returns the services
 * switched back, or undefined (the deploy goes on).
 */
export async function switchBackIfKept(
  phase: Phase,
  release: Pick<Release, 'id' | 'services'>,
  where: string,
  log: (message: string) => void,
): Promise<string[] | undefined> {
  const values = { TARGET_RELEASE: release.id, FILES_DIGESTS: filesDigests(release.services) };
  const { stdout } = await phase('bg-prepare', values, 'the previous colour');
  const lines = stdout.split('\n').map((line) => line.trim().split(/\s+/));
  const back = lines.filter(([kind]) => kind === 'switched-back').map(([, service]) => service);
  const retired = lines.filter(([kind]) => kind === 'retired').length;
  if (retired > 0)
    log(
      `${where}: stopped the previous colour kept by the last blue-green deploy (${retired} container(s)).`,
    );
  if (back.length === 0) return undefined;
  log(
    `${where}: switched back to release ${release.id}, still running out of rotation (${back.join(', ')}): nothing pulled or started.`,
  );
  return back;
}

/** Can this changed service get a second colour beside the first? (Else it is recreated or reloaded, as before.) */
export function takesColours(service: ServicePlan, change: { what: 'config' | 'files'; running: boolean }) {
  return change.running && !service.recreateReason && !(change.what === 'files' && service.proxy);
}

/** The port the proxies (or the HTTP check) reach a service on, where the pre-switch checks reach it too. */
function servicePort(service: ServicePlan): number | undefined {
  const fromCheck = /^:(\d+)/.exec(service.httpCheck ?? '')?.[1];
  return service.upstreamPorts?.[0] ?? (fromCheck ? Number(fromCheck) : undefined);
}

/** What applyRelease hands over for a blue-green deploy of one host. */
export interface ColourContext {
  release: Release;
  changes: ReadonlyMap<string, Change>;
  options: HostDeployOptions;
  entry: EntryChecks | undefined;
  phase: Phase;
  where: string;
  forward?: (address: string, port: number) => Promise<Duplex>;
  /** A changed service that cannot have two colours, applied as a rolling deploy would (recreate, reload). */
  applyOne: (service: ServicePlan, change: Change) => Promise<void>;
  valuesOf: (service: ServicePlan) => Record<string, ScriptValue>;
}

/** blue-green for the services that can have two colours; the others as a rolling deploy would, pre-switch. */
export async function applyColours(context: ColourContext): Promise<void> {
  const { release, changes, options, entry } = context;
  const changed = release.services.filter((s) => changes.has(s.name));
  const coloured = changed.filter((s) => takesColours(s, changes.get(s.name)!));
  const others = changed.filter((s) => !coloured.includes(s));
  const applyOthers = async () => {
    for (const service of others) await context.applyOne(service, changes.get(service.name)!);
  };
  if (coloured.length === 0) return applyOthers();
  const event = await applyBlueGreen({
    phase: context.phase,
    where: context.where,
    services: coloured,
    valuesOf: context.valuesOf,
    entryCheck: release.services.some((s) => s.proxy) && !entry,
    entrySeconds: Math.ceil(options.timings.healthTimeoutMs / 1000),
    entry: entry && coloured.some((s) => s.public) ? entry : undefined,
    forward: context.forward,
    applyOthers,
    previousReleaseId: options.previousReleaseId,
    keepPreviousMs: options.blueGreen?.keepPreviousMs ?? DEFAULT_KEEP_PREVIOUS_MS,
    drain: () => (options.sleep ?? sleep)(options.timings.drainMs),
    log: options.log,
    notice: options.notice,
  });
  if (event) options.onColours?.(event);
}

export interface BlueGreenRun {
  phase: Phase;
  where: string;
  services: ServicePlan[];
  /** Per service, the values its phases read (SERVICE, HTTP_CHECK, UPSTREAM_PORTS, ...). */
  valuesOf: (service: ServicePlan) => Record<string, ScriptValue>;
  entryCheck: boolean;
  entrySeconds: number;
  /** The public-url checks: pre-switch against the new colour, verify through the entry point after the switch. */
  entry?: {
    preSwitch?(what: string, connect: () => Promise<Duplex>): Promise<void>;
    verify(what: string): Promise<void>;
  };
  /** A connection made by the host to a new container (ssh forwarding), for the pre-switch checks. */
  forward?: (address: string, port: number) => Promise<Duplex>;
  /** The changed services that cannot have two colours (recreated or reloaded), after the pre-switch checks. */
  applyOthers: () => Promise<void>;
  previousReleaseId?: string;
  keepPreviousMs: number;
  drain: () => Promise<void>;
  log: (message: string) => void;
  /** What the person running the deploy must know (a kept colour nothing will stop). */
  notice: (message: string) => void;
}

/**
 * Blue-green for every service of `services` together: the new colour of each starts beside the old one, out of
 * rotation, healthy (bg-up); the public-url checks run against each new container directly (pre-switch), before
 * any user request reaches it; then one switch for all of them (bg-switch), and public-url through the entry
 * point. Any failure goes back (bg-back): before the switch the new colour is just removed (users saw nothing),
 * after it the old colour rejoins the rotation. Then the old colour is kept out of rotation (bg-keep).
 */
export async function applyBlueGreen(run: BlueGreenRun): Promise<ColourEvent | undefined> {
  const { phase, where, services } = run;
  const names = services.map((s) => s.name).join(' ');
  const fresh: Array<{ service: ServicePlan; id: string; address: string }> = [];
  try {
    for (const service of services) {
      run.log(`${where}: ${service.name}: starting the new colour beside the old one, out of rotation.`);
      const up = await phase('bg-up', run.valuesOf(service), `blue-green: the new colour of ${service.name}`);
      for (const line of up.stdout.split('\n')) {
        const [kind, id, address] = line.trim().split(/\s+/);
        if (kind === 'new' && id) fresh.push({ service, id, address });
      }
    }
    await preSwitch(run, fresh);
    await run.applyOthers();
    run.log(`${where}: switching ${names} to the new colour.`);
    const values = { SERVICES: names, ENTRY_CHECK: run.entryCheck, ENTRY_SECONDS: run.entrySeconds };
    await phase('bg-switch', values, `blue-green: the switch of ${names}`);
    if (run.entry) {
      await run.drain();
      await run.entry.verify(names);
    }
  } catch (error) {
    run.log(`${where}: going back to the old colour of ${names}; it never stopped.`);
    await phase('bg-back', { SERVICES: names }, `blue-green: back to the old colour of ${names}`).catch(
      (again) => run.log(`${where}: could not go back (${(again as Error).message}).`),
    );
    throw error;
  }
  const keepSeconds = Math.ceil(run.keepPreviousMs / 1000);
  const kept = await phase(
    'bg-keep',
    {
      SERVICES: names,
      FILES_DIGESTS: filesDigests(services),
      PREVIOUS_RELEASE: run.previousReleaseId ?? '',
      KEEP_SECONDS: keepSeconds,
      TIMER_SCRIPT: keepTimerScript(keepSeconds),
    },
    'blue-green: keeping the previous colour',
  );
  const containers: Record<string, string[]> = {};
  for (const line of kept.stdout.split('\n')) {
    const [kind, service, id] = line.trim().split(/\s+/);
    if (kind === 'kept' && service && id)
      containers[service] = [...(containers[service] ?? []), id.slice(0, 12)];
  }
  const ids = Object.values(containers).flat();
  if (ids.length === 0) return undefined;
  const until = new Date(Date.now() + keepSeconds * 1000).toISOString();
  if (kept.stdout.split('\n').some((line) => line.trim() === 'timer not-started')) {
    run.notice(
      `${where}: the previous colour (${ids.length} container(s)) keeps running out of rotation, but nothing will stop it at ${until}: its keep-previous timer did not start on the host within 5 s (a busy host?). The next deploy of this project stops it; to stop it now, run "docker rm -f ${ids.join(' ')}" on the host.`,
    );
  } else {
    run.log(
      `${where}: the previous colour (${ids.length} container(s)) stays running out of rotation until ${until}.`,
    );
  }
  return { kind: 'kept', containers, until };
}

/** public-url's checks against each new container of each public service, through the host (ssh forwarding). */
async function preSwitch(
  run: BlueGreenRun,
  fresh: ReadonlyArray<{ service: ServicePlan; id: string; address: string }>,
): Promise<void> {
  const check = run.entry?.preSwitch;
  if (!check || !run.forward) return;
  for (const { service, id, address } of fresh) {
    if (!service.public) continue;
    const port = servicePort(service);
    if (port === undefined || !address) {
      run.log(
        `${run.where}: ${service.name}: no pre-switch check (no port known: the proxy's upstream or a health-checks entry names it).`,
      );
      continue;
    }
    const forward = run.forward;
    await check(`${service.name}: the new container ${id.slice(0, 12)} (${address}:${port})`, () =>
      forward(address, port),
    );
  }
}

/** What a deployed release's history entry says about strategy and colours. */
export function colourRecord(
  history: readonly HistoryEntry[],
  strategy: string,
  event: ColourEvent | undefined,
  previousId: string | undefined,
  changed: boolean,
): Pick<HistoryEntry, 'strategy' | 'colour' | 'kept'> {
  // Back to the colour kept running: the other one than the release switched away from.
  if (event?.kind === 'switched-back') return { strategy: 'switch-back', colour: nextColour(history) };
  if (strategy !== 'blue-green') return { strategy };
  // nothing changed: the colour serving is the one already recorded
  if (!changed) {
    const colour = [...history].reverse().find((e) => e.result === 'deployed')?.colour;
    return { strategy, ...(colour ? { colour } : {}) };
  }
  return {
    strategy,
    colour: nextColour(history),
    ...(event?.kind === 'kept' && previousId
      ? { kept: { release: previousId, containers: event.containers, until: event.until } }
      : {}),
  };
}
