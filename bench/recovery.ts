import { performance } from 'node:perf_hooks';
import type { Infra } from '@slipway/testing';
import { createComposeApp, DEPLOY_SETTINGS, seconds } from './compose-app';
import type { Section } from './table';

/** The gate after the deploy: the new version must answer, with a well-formed page. */
const GATE = {
  'expect-version': 'v2',
  'expect-body': String.raw`/^v\d+\s*$/`,
  samples: '10',
  interval: '100ms',
  'ready-timeout': '30s',
  deadline: '2m',
};
/** rollback's own settings: the restored release must answer v1. */
const ROLLBACK = {
  'container-health-timeout': DEPLOY_SETTINGS['health-timeout'],
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

/**
 * Time to recover on Compose: a bad version (Docker-healthy, so deploy-compose succeeds, but its answers are
 * wrong) deployed by deploy-compose → smoke-test's gate fails → rollback (target compose) restores the previous
 * release → the old version answers again. Each step is its action's bundle, run as the runner runs it.
 */
export async function recoverySection(repoRoot: string, infra: Infra): Promise<Section> {
  const app = await createComposeApp(repoRoot, infra, 'benchrc', ['v1', 'v2-broken']);
  try {
    await app.deploy('v1');
    await app.waitForBody('v1');
    const watcher = watch(app.url);
    const t0 = performance.now();
    const deployed = await app.deploy('v2-broken');
    const gate = await app.step('smoke-test', { url: app.url, ...GATE });
    if (gate.run.exitCode === 0) throw new Error('the gate passed the broken version');
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

    const bad = watcher.seen.filter((s) => s.body === 'v2-broken');
    if (!bad.length) throw new Error('the poller never saw the broken version');
    const lastBad = bad[bad.length - 1].at;
    const back = watcher.seen.find((s) => s.at > lastBad && s.body === 'v1');
    if (!back) throw new Error('the poller never saw v1 again');
    const other = watcher.seen.filter((s) => s.body !== 'v1' && s.body !== 'v2-broken');
    const at = (ms: number) => seconds(ms - t0);
    const gateEnd = t0 + deployed.ms + gate.ms;
    const rollbackEnd = gateEnd + rollback.ms;
    return {
      title: '3. Time to recover (Compose): bad version → gate fails → rolled back → old version serving',
      note:
        `On ${app.host.name}, the app of section 2 at v1; the bad release \`v2-broken\` is Docker-healthy but ` +
        `answers a malformed page. Each step is its action's bundle; times are from the bad deploy's start. ` +
        `A poller asked the proxy every ${POLL_MS} ms throughout (${watcher.seen.length} answers` +
        `${other.length ? `, ${other.length} neither version: ${[...new Set(other.map((o) => o.body))].join(', ')}` : ''}). ` +
        'rollback ran without a GitHub token, so it chose the release the host ran before (v1) from its history.',
      headers: ['phase', 'took', 'done at', 'configured timeout'],
      rows: [
        [
          'deploy-compose: the bad version deployed (rolling)',
          seconds(deployed.ms),
          at(t0 + deployed.ms),
          `health-timeout ${DEPLOY_SETTINGS['health-timeout']}, drain-period ${DEPLOY_SETTINGS['drain-period']}`,
        ],
        [
          `smoke-test: the gate fails (${gate.run.outputs.result ?? 'no result'})`,
          seconds(gate.ms),
          at(gateEnd),
          `ready-timeout ${GATE['ready-timeout']}, deadline ${GATE.deadline}`,
        ],
        [
          'rollback: previous release restored and its health checked',
          seconds(rollback.ms),
          at(rollbackEnd),
          `container-health-timeout ${ROLLBACK['container-health-timeout']}, ready-timeout ${ROLLBACK['ready-timeout']}`,
        ],
        ['old version serving again (first v1 after the last bad answer)', '—', at(back.at), '—'],
        ['**total**: bad deploy started → pipeline done', seconds(rollbackEnd - t0), at(rollbackEnd), '—'],
        ['the bad version was served (first → last bad answer)', seconds(lastBad - bad[0].at), '—', '—'],
      ],
    };
  } finally {
    await app.cleanup();
  }
}
