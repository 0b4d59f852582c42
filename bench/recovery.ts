import { performance } from 'node:perf_hooks';
import type { Infra } from '@slipway/testing';
import { type ComposeApp, createComposeApp, DEPLOY_SETTINGS } from './compose-app';
import { benchRuns, type Section, spread } from './table';

/** The gate after the deploy: the new version must answer, with a well-formed page. */
const GATE = {
  'expect-body': String.raw`/^v\d+\s*$/`,
  samples: '10',
  interval: '100ms',
  'ready-timeout': '30s',
  deadline: '2m',
};
/** rollback's own settings: the restored release must answer v1. */
const ROLLBACK = {
  'container-health-timeout': DEPLOY_SETTINGS['container-health-timeout'],
  'expect-version': 'v1',
  'health-samples': '3',
  'health-interval': '100ms',
  'ready-timeout': '30s',
};
const POLL_MS = 50;

/** What the proxy answered, polled back to back (one request at a time, POLL_MS apart) until stopped. */
function watch(url: string) {
  const seen: Array<{ at: number; body: string }> = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const body = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        async (r) => (r.ok ? (await r.text()).trim() : `HTTP ${r.status}`),
        (error: Error) => error.name,
      );
      seen.push({ at: performance.now(), body });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return {
    seen,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** One recovery, times from the bad deploy's start. */
interface Recovery {
  deployMs: number;
  gateMs: number;
  gateResult: string;
  rollbackMs: number;
  servingAtMs: number;
  badServedMs: number;
  answers: number;
  other: string[];
}

async function recoverOnce(app: ComposeApp, bad: string): Promise<Recovery> {
  const good = 'v1';
  const watcher = watch(app.url);
  const t0 = performance.now();
  const deployed = await app.deploy(bad);
  const gate = await app.step('smoke-test', { url: app.url, ...GATE, 'expect-version': bad.split('-')[0] });
  if (gate.run.exitCode === 0) throw new Error(`the gate passed the broken version ${bad}`);
  const rollback = await app.step('rollback', {
    ...app.sshInputs(),
    ...ROLLBACK,
    target: 'compose',
    environment: 'production',
    'health-url': app.url,
  });
  if (rollback.run.outputs.result !== 'rolled-back') {
    throw new Error(`rollback did not roll back: ${app.errorsOf(rollback.run).join('; ')}`);
  }
  await watcher.stop();

  const served = watcher.seen.filter((s) => s.body === bad);
  if (!served.length) throw new Error(`the poller never saw the broken version ${bad}`);
  const lastBad = served[served.length - 1].at;
  const back = watcher.seen.find((s) => s.at > lastBad && s.body === good);
  if (!back) throw new Error(`the poller never saw ${good} again after ${bad}`);
  return {
    deployMs: deployed.ms,
    gateMs: gate.ms,
    gateResult: gate.run.outputs.result ?? 'no result',
    rollbackMs: rollback.ms,
    servingAtMs: back.at - t0,
    badServedMs: lastBad - served[0].at,
    answers: watcher.seen.length,
    other: watcher.seen.filter((s) => s.body !== good && s.body !== bad).map((s) => s.body),
  };
}

/**
 * Time to recover on Compose: a bad version (Docker-healthy, so deploy-compose succeeds, but its answers are
 * wrong) deployed by deploy-compose → smoke-test's gate fails → rollback (target compose) restores the previous
 * release → the old version answers again. Each step is its action's bundle, run as the runner runs it.
 * Repeated `BENCH_RUNS` times, each with a bad version of its own (rollback marks the one it leaves as bad).
 */
export async function recoverySection(repoRoot: string, infra: Infra): Promise<Section> {
  const runs = benchRuns();
  const badVersions = Array.from({ length: runs }, (_, r) => `v${r + 2}-broken`);
  const app = await createComposeApp(repoRoot, infra, 'benchrc', ['v1', ...badVersions]);
  try {
    await app.deploy('v1');
    await app.waitForBody('v1');
    const results: Recovery[] = [];
    for (const bad of badVersions) {
      results.push(await recoverOnce(app, bad));
      await app.waitForBody('v1');
    }

    const times = (pick: (r: Recovery) => number) => spread(results.map(pick));
    const other = results.flatMap((r) => r.other);
    const answers = results.map((r) => r.answers).reduce((a, b) => a + b, 0);
    return {
      title: '3. Time to recover (Compose): bad version → gate fails → rolled back → old version serving',
      note:
        `On ${app.host.name}, the app of section 2 at v1; each run deploys a bad release (\`v2-broken\`, ` +
        "`v3-broken`, …) that is Docker-healthy but answers a malformed page. Each step is its action's bundle; " +
        `"done at" is from the bad deploy's start. A poller asked the proxy every ${POLL_MS} ms throughout ` +
        `(${answers} answers` +
        `${other.length ? `, ${other.length} neither version: ${[...new Set(other)].join(', ')}` : ''}). ` +
        'rollback ran without a GitHub token, so it chose the release the host ran before (v1) from its history. ' +
        `${runs} run(s): the median, each run's figure in brackets.`,
      headers: ['phase', 'took', 'done at', 'configured timeout'],
      rows: [
        [
          'deploy-compose: the bad version deployed (rolling)',
          times((r) => r.deployMs),
          times((r) => r.deployMs),
          `container-health-timeout ${DEPLOY_SETTINGS['container-health-timeout']}, drain-period ${DEPLOY_SETTINGS['drain-period']}`,
        ],
        [
          `smoke-test: the gate fails (${[...new Set(results.map((r) => r.gateResult))].join('/')})`,
          times((r) => r.gateMs),
          times((r) => r.deployMs + r.gateMs),
          `ready-timeout ${GATE['ready-timeout']}, deadline ${GATE.deadline}`,
        ],
        [
          'rollback: previous release restored and its health checked',
          times((r) => r.rollbackMs),
          times((r) => r.deployMs + r.gateMs + r.rollbackMs),
          `container-health-timeout ${ROLLBACK['container-health-timeout']}, ready-timeout ${ROLLBACK['ready-timeout']}`,
        ],
        [
          'old version serving again (first v1 after the last bad answer)',
          '—',
          times((r) => r.servingAtMs),
          '—',
        ],
        [
          '**total**: bad deploy started → pipeline done',
          times((r) => r.deployMs + r.gateMs + r.rollbackMs),
          '—',
          '—',
        ],
        ['the bad version was served (first → last bad answer)', times((r) => r.badServedMs), '—', '—'],
      ],
    };
  } finally {
    await app.cleanup();
  }
}
