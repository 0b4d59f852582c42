import { performance } from 'node:perf_hooks';
import { failedCount, type Infra, type LoadResult, startRateLoad } from '@slipway/testing';
import { type ComposeApp, createComposeApp } from './compose-app';
import { benchRuns, type Section, spread } from './table';

const RATE = 200;
const MARGIN_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ROLLBACK = {
  'container-health-timeout': '30s',
  'expect-version': 'v1',
  'health-samples': '3',
  'health-interval': '100ms',
  'ready-timeout': '30s',
};

interface SwitchBack {
  /** From the decision (the rollback step spawned) to the first answer of the final, unbroken run of v1. */
  servingMs: number;
  stepMs: number;
  load: LoadResult;
}

/** One rollback under the load: its time, and when v1 answered for good, on the load's clock. */
async function rollbackUnderLoad(app: ComposeApp): Promise<SwitchBack> {
  const load = startRateLoad(app.url, { rate: RATE });
  await sleep(MARGIN_MS);
  const decided = load.now();
  const started = performance.now();
  const step = await app.step('rollback', {
    ...app.sshInputs(),
    ...ROLLBACK,
    target: 'compose',
    environment: 'production',
    'health-url': app.url,
  });
  const stepMs = performance.now() - started;
  if (step.run.outputs.result !== 'rolled-back') {
    throw new Error(`rollback did not roll back: ${app.errorsOf(step.run).join('; ')}`);
  }
  await sleep(MARGIN_MS);
  const result = await load.stop();
  const fromEnd = [...result.outcomes].reverse().findIndex((o) => o.body !== 'v1');
  const back = result.outcomes[fromEnd < 0 ? 0 : result.outcomes.length - fromEnd];
  if (!back) throw new Error('v1 never answered again after the rollback');
  return { servingMs: back.doneAt - decided, stepMs, load: result };
}

/**
 * blue-green's switch back (issue 16): behind Nginx in the same project (the proxy-layouts app), v1 runs; each run
 * deploys the next version with `strategy: blue-green` (v1 kept running out of rotation), then the rollback
 * action goes back to v1 under 200 req/s: inside keep-previous it only switches back. The reference, in the same
 * app: the same rollback after a blue-green deploy with `keep-previous: 0s` (v1 stopped: the usual redeploy).
 */
export async function blueGreenSection(repoRoot: string, infra: Infra): Promise<Section> {
  const runs = benchRuns();
  const versions = ['v1', ...Array.from({ length: runs + 1 }, (_, r) => `v${r + 2}`)];
  const app = await createComposeApp(repoRoot, infra, 'benchbg', versions, undefined, 'nginx-static');
  try {
    await app.deploy('v1');
    await app.waitForBody('v1');
    const back: SwitchBack[] = [];
    for (const version of versions.slice(1, -1)) {
      await app.deploy(version, { strategy: 'blue-green', 'keep-previous': '10m' });
      back.push(await rollbackUnderLoad(app));
    }
    await app.deploy(versions.at(-1)!, { strategy: 'blue-green', 'keep-previous': '0s' });
    const redeploy = await rollbackUnderLoad(app);
    const failed = (r: SwitchBack) => failedCount(r.load);
    const sent = (r: SwitchBack) => r.load.sent;
    return {
      title:
        '6. blue-green: rollback inside keep-previous (a switch back) beside a rollback after it (a redeploy)',
      note:
        `On ${app.host.name}, Nginx (static \`proxy_pass http://web:8080\`) in the same project; each row is the ` +
        "rollback action's bundle going back to v1 from a blue-green deploy, under an open-loop load of " +
        `${RATE} req/s through the proxy. "v1 serving" is from the decision (the step spawned: Node start-up, ` +
        'SSH connection, lock and history included) to the first answer of the final unbroken run of v1 answers. ' +
        `Goal: under 2 s. ${runs} run(s) of the switch back: the median, each run's figure in brackets; one ` +
        'reference run.',
      headers: ['rollback', 'v1 serving', 'step (with its health checks)', 'requests', 'failed'],
      rows: [
        [
          'inside keep-previous (10m): switch back, no pull, no start',
          spread(back.map((r) => r.servingMs)),
          spread(back.map((r) => r.stepMs)),
          String(back.map(sent).reduce((a, b) => a + b, 0)),
          String(back.map(failed).reduce((a, b) => a + b, 0)),
        ],
        [
          'after keep-previous (0s): the usual redeploy (reference)',
          spread([redeploy.servingMs]),
          spread([redeploy.stepMs]),
          String(sent(redeploy)),
          String(failed(redeploy)),
        ],
      ],
    };
  } finally {
    await app.cleanup();
  }
}
