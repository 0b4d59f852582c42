import { parseDuration } from '@slipway/shared';
import {
  composeMatrix,
  describeCounts,
  failedCount,
  type Infra,
  type LoadResult,
  type SshHost,
  startRateLoad,
} from '@slipway/testing';
import type { ProxyLayout } from '../actions/deploy-compose/__tests__/fixtures/proxy-layouts';
import { describePace } from '../actions/deploy-compose/__tests__/fixtures/web-image';
import { bareProject } from './bare-roll';
import { createComposeApp, DEPLOY_SETTINGS } from './compose-app';
import { type RollPhases, rollPhases } from './step-phases';
import { benchRuns, median, type Section, spread } from './table';

const RATE = 200;
/** Load runs this long before each deploy starts and after it ends, so the whole switch is inside the window. */
const MARGIN_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One run: the floor, a quiet rolling upgrade, then a rolling and a recreate upgrade under load. */
interface Run {
  floorMs: number;
  pullMs: number;
  /** the floor's new container, from `docker run` to healthy */
  startMs: number;
  /** the same upgrade by the bare minimum any Compose-driven roll over SSH does (bare-roll.ts) */
  bareMs: number;
  quietMs: number;
  /** where the quiet step's time went (its debug lines) */
  phases?: RollPhases;
  rolling: { ms: number; load: LoadResult };
  recreate: { ms: number; load: LoadResult };
}

/** The layouts benched (nginx-weights is nginx-static with the canary's opt-in: the same rolling deploy). */
const LAYOUTS: Record<Exclude<ProxyLayout, 'nginx-weights'>, string> = {
  caddy: 'Caddy (documented config)',
  'caddy-plain': 'Caddy as most people write it (`reverse_proxy web:8080`)',
  'nginx-static': 'Nginx static (`proxy_pass http://web:8080;`)',
  'nginx-resolver': 'Nginx with `resolver 127.0.0.11 valid=1s`',
  'haproxy-static': 'HAProxy static (no resolvers)',
};

interface LayoutRun {
  ms: number;
  load: LoadResult;
}

/** The load columns over every run: requests sent, failed requests per run (and why), answers per run. */
function loadCells(loads: LoadResult[]): string[] {
  const sent = loads.map((l) => l.sent);
  const rates = loads.map((l) => Math.round(l.sent / (l.durationMs / 1000)));
  const failed = loads.map(failedCount);
  const causes = new Map<string | number, number>();
  for (const [cause, n] of loads.flatMap((l) => [...l.statuses, ...l.errors])) {
    causes.set(cause, (causes.get(cause) ?? 0) + n);
  }
  const why = describeCounts(causes);
  return [
    `${median(sent)} (${median(rates)}/s)`,
    failed.some((n) => n > 0) ? `**${failed.join(', ')}** (${why})` : failed.join(', '),
    loads.map((l) => describeCounts(l.bodies)).join('; '),
  ];
}

/**
 * A one-service upgrade on one host by deploy-compose's bundle over SSH, on a Compose v1 host and then on a v2
 * host, each beside its floor (the same new image pulled and started by hand with `docker run` on that host's
 * daemon until healthy); then the same upgrade under 200 requests/s through the app's proxy, rolled and
 * recreated. Repeated `BENCH_RUNS` times per host, each with new images.
 */
export async function composeDeploySection(repoRoot: string, infra: Infra): Promise<Section> {
  const runs = benchRuns();
  const measured: Array<{ label: string; host: SshHost; results: Run[] }> = [];
  // once per Compose kind: a v1 host (docker-compose) and a v2 host (the docker compose plugin)
  for (const [label, host] of composeMatrix(infra)) {
    measured.push({ label, host, results: await measure(repoRoot, infra, host, runs) });
  }
  // the layouts people run, on the v2 host (the last one measured): the proxy in the app's own Compose file
  const proxyHost = measured[measured.length - 1];
  const layouts: Array<{ layout: keyof typeof LAYOUTS; results: LayoutRun[] }> = [];
  for (const layout of Object.keys(LAYOUTS) as Array<keyof typeof LAYOUTS>) {
    layouts.push({ layout, results: await measureLayout(repoRoot, infra, proxyHost.host, layout, runs) });
  }
  const proxyFloorMs = median(proxyHost.results.map((r) => r.floorMs));
  const { results } = measured[0];
  const times = (pick: (r: Run) => number) => results.map(pick);
  return {
    title: '2. Compose rolling deploy: one-service upgrade on one host, Compose v1 and v2',
    note:
      `deploy-compose's bundle (run as the runner runs it) over SSH to one host per Compose kind (${measured
        .map((m) => m.label)
        .join('; ')}; each its own dockerd), ` +
      `upgrading \`web\` of deploy-compose's test app (busybox httpd that ${describePace('bench')}) ` +
      `behind a Caddy proxy; container-health-timeout ${DEPLOY_SETTINGS['container-health-timeout']}, ` +
      `drain-period ${DEPLOY_SETTINGS['drain-period']} (rolling: the step ends once the old container has drained, its record written meanwhile; it then stops after the verdict, ` +
      'detached on the host under the deploy lock; a deploy that follows waits for it, and its wall time includes that wait). ' +
      `Every upgrade and the floor pull a new image first (pull ${spread(times((r) => r.pullMs))} in the first host's floor). ` +
      `Load: ${RATE} GETs/s open-loop through the proxy's published port, from ${MARGIN_MS / 1000} s before ` +
      'each deploy to 1 s after; failed = error status or no answer (10 s timeout). ' +
      `${runs} run(s) per host, each with new images: times are the median (each run's figure in brackets), ` +
      'failed requests are listed per run; "vs floor" is against the same host\'s floor. ' +
      `The "same project" rows run deploy-compose's proxy-layouts test fixtures on the ${proxyHost.label} host: ` +
      'the proxy in the same Compose file as `web`, publishing the only port, its config shipped with `files`; ' +
      "only `web`'s image changes (there the app is served by nginx, which sustains the rate on a loaded machine). " +
      "The goal rows are issue 15's bound for a one-service rolling step: 1.3 × the floor's start-to-healthy " +
      '(`docker run` to healthy, the pull excluded) + drain-period; the no-load row says where its time went ' +
      "(medians, from the step's own debug lines). The bare-minimum rows (bench/bare-roll.ts) do, on the same host " +
      'with the same new image, only what any roll that drives Compose over SSH from a step must do: a new Node ' +
      'process, one SSH connection (ssh2), one command that pulls, creates the new container beside the old one, ' +
      "starts it off the service's name, waits until Docker says healthy (every 0.1 s), moves the name to it and " +
      'drains; no lock, history, files, comparison, checks or proxy handling.',
    headers: [
      'run',
      'wall time',
      'vs floor',
      'requests',
      'failed',
      'answers by version, per run (no load: where the time went)',
    ],
    rows: [
      ...measured.flatMap(({ host, results }) => rowsOf(`Compose ${host.compose ?? 'v1'}`, results)),
      ...layouts.map(({ layout, results }) => [
        `Compose ${proxyHost.host.compose ?? 'v1'}: same project, ${LAYOUTS[layout]}: \`rolling\`, ${RATE} req/s`,
        spread(results.map((r) => r.ms)),
        `${(median(results.map((r) => r.ms)) / proxyFloorMs).toFixed(1)}×`,
        ...loadCells(results.map((r) => r.load)),
      ]),
    ],
  };
}

/** Issue 15's goal for a one-service rolling step: 1.3 × the new container's start-to-healthy + drain-period. */
const DRAIN_MS = parseDuration(DEPLOY_SETTINGS['drain-period']) ?? Number.NaN;
const goalMs = (r: Run) => 1.3 * r.startMs + DRAIN_MS;

/** The median of each phase of the quiet steps, as `phase N s` items. */
function phaseCells(results: Run[]): string {
  const all = results.map((r) => r.phases).filter((p): p is RollPhases => p !== undefined);
  if (all.length === 0) return 'no debug lines';
  const names: Record<keyof RollPhases, string> = {
    connect: 'start + connect',
    before: 'lock, history, files, pull + compare',
    newUp: 'new container up (in rotation)',
    switch: 'switch',
    after:
      'after the switch: the drain-period (the old container queued, orphans, history written inside it), lock, exit',
  };
  return (Object.keys(names) as Array<keyof RollPhases>)
    .map((key) => `${names[key]} ${(median(all.map((p) => p[key])) / 1000).toFixed(2)} s`)
    .join('; ');
}

/**
 * The rows of one host: the floor, issue 15's goal beside rolling without load (and where its time went), rolling
 * and recreate under load.
 */
function rowsOf(kind: string, results: Run[]): string[][] {
  const floorMs = median(results.map((r) => r.floorMs));
  const vsFloor = (ms: number[]) => `${(median(ms) / floorMs).toFixed(1)}×`;
  const times = (pick: (r: Run) => number) => results.map(pick);
  return [
    [
      `${kind}: floor, \`docker pull\` + \`docker run\` until healthy`,
      spread(times((r) => r.floorMs)),
      '1.0×',
      '—',
      '—',
      '—',
    ],
    [
      `${kind}: goal, 1.3 × start-to-healthy (${spread(times((r) => r.startMs))}) + drain-period`,
      spread(times(goalMs)),
      vsFloor(times(goalMs)),
      '—',
      '—',
      '—',
    ],
    [
      `${kind}: bare minimum over SSH (a new Node process, one SSH command: pull, create, start, healthy, the name moved, drain; no lock, record, files, comparison or checks)`,
      spread(times((r) => r.bareMs)),
      vsFloor(times((r) => r.bareMs)),
      '—',
      '—',
      '—',
    ],
    [
      `${kind}: deploy-compose \`rolling\`, no load`,
      spread(times((r) => r.quietMs)),
      vsFloor(times((r) => r.quietMs)),
      '—',
      '—',
      phaseCells(results),
    ],
    [
      `${kind}: deploy-compose \`rolling\`, ${RATE} req/s`,
      spread(times((r) => r.rolling.ms)),
      vsFloor(times((r) => r.rolling.ms)),
      ...loadCells(results.map((r) => r.rolling.load)),
    ],
    [
      `${kind}: deploy-compose \`recreate\`, ${RATE} req/s`,
      spread(times((r) => r.recreate.ms)),
      vsFloor(times((r) => r.recreate.ms)),
      ...loadCells(results.map((r) => r.recreate.load)),
    ],
  ];
}

/** `runs` runs on one host: the floor, a quiet rolling upgrade, then rolling and recreate under load. */
async function measure(repoRoot: string, infra: Infra, host: SshHost, runs: number): Promise<Run[]> {
  const versionsOf = (r: number) => [`v${3 * r + 2}`, `v${3 * r + 3}`, `v${3 * r + 4}`];
  const all = ['v1', ...Array.from({ length: runs }, (_, r) => versionsOf(r)).flat()];
  const app = await createComposeApp(repoRoot, infra, 'benchdc', all, host);
  const bare = bareProject(repoRoot, infra, host, `${app.project}bare`, app.images.v1);
  try {
    await app.deploy('v1');
    await app.waitForBody('v1');
    const underLoad = async (version: string, strategy: 'rolling' | 'recreate') => {
      const load = startRateLoad(app.url, { rate: RATE });
      await sleep(MARGIN_MS);
      const deployed = await app.deploy(version, { strategy });
      await sleep(MARGIN_MS);
      const result = { ms: deployed.ms, load: await load.stop() };
      await app.waitForBody(version);
      return result;
    };
    const results: Run[] = [];
    for (let r = 0; r < runs; r++) {
      const [quietVersion, rollingVersion, recreateVersion] = versionsOf(r);
      const floor = await app.floor(quietVersion);
      const bareMs = await bare.roll(app.images[quietVersion], DRAIN_MS);
      const quiet = await app.deploy(quietVersion);
      await app.waitForBody(quietVersion);
      const rolling = await underLoad(rollingVersion, 'rolling');
      const recreate = await underLoad(recreateVersion, 'recreate');
      results.push({
        floorMs: floor.ms,
        pullMs: floor.pullMs,
        startMs: floor.startMs,
        bareMs,
        quietMs: quiet.ms,
        phases: rollPhases(quiet.run.log, quiet.ms, 'web'),
        rolling,
        recreate,
      });
    }

    return results;
  } finally {
    await bare.remove();
    await app.cleanup();
  }
}

/** `runs` rolling upgrades of `web` in one proxy layout, each under the load through the proxy's port. */
async function measureLayout(
  repoRoot: string,
  infra: Infra,
  host: SshHost,
  layout: ProxyLayout,
  runs: number,
): Promise<LayoutRun[]> {
  const versions = Array.from({ length: runs + 1 }, (_, i) => `v${i + 1}`);
  const app = await createComposeApp(repoRoot, infra, 'benchpx', versions, host, layout);
  try {
    await app.deploy('v1');
    await app.waitForBody('v1');
    const results: LayoutRun[] = [];
    for (const version of versions.slice(1)) {
      const load = startRateLoad(app.url, { rate: RATE });
      await sleep(MARGIN_MS);
      // a step that fails (today: the site left down) is a row with its failures, not the end of the section
      const deployed = await app.deploy(version).catch((error: Error) => {
        console.error(`bench: ${layout} to ${version}: ${error.message}`);
        return { ms: Number.NaN };
      });
      await sleep(MARGIN_MS);
      results.push({ ms: deployed.ms, load: await load.stop() });
    }
    return results;
  } finally {
    await app.cleanup();
  }
}
