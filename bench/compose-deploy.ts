import type { Infra } from '@slipway/testing';
import { createComposeApp, DEPLOY_SETTINGS, seconds } from './compose-app';
import { describeCounts, failedCount, type LoadResult, startRateLoad } from './rate-load';
import type { Section } from './table';

const RATE = 200;
/** Load runs this long before each deploy starts and after it ends, so the whole switch is inside the window. */
const MARGIN_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function loadCells(load: LoadResult): string[] {
  const failed = failedCount(load);
  const why = describeCounts(new Map<string | number, number>([...load.statuses, ...load.errors]));
  return [
    `${load.sent} (${Math.round(load.sent / (load.durationMs / 1000))}/s)`,
    failed ? `**${failed}** (${why})` : '0',
    describeCounts(load.bodies),
  ];
}

/**
 * A one-service upgrade on one host by deploy-compose's bundle over SSH, beside the floor (the same new image
 * pulled and started by hand with `docker run` on that host's daemon until healthy); then the same upgrade under
 * 200 requests/s through the app's proxy, rolled and recreated.
 */
export async function composeDeploySection(repoRoot: string, infra: Infra): Promise<Section> {
  const app = await createComposeApp(repoRoot, infra, 'benchdc', ['v1', 'v2', 'v3', 'v4']);
  try {
    await app.deploy('v1');
    await app.waitForBody('v1');
    const floor = await app.floor('v2');
    const quiet = await app.deploy('v2');
    await app.waitForBody('v2');

    const underLoad = async (version: string, strategy: 'rolling' | 'recreate') => {
      const load = startRateLoad(app.url, { rate: RATE });
      await sleep(MARGIN_MS);
      const deployed = await app.deploy(version, { strategy });
      await sleep(MARGIN_MS);
      return { deployed, load: await load.stop() };
    };
    const rolling = await underLoad('v3', 'rolling');
    await app.waitForBody('v3');
    const recreate = await underLoad('v4', 'recreate');

    const vsFloor = (ms: number) => `${(ms / floor.ms).toFixed(1)}×`;
    return {
      title: '2. Compose rolling deploy: one-service upgrade on one host',
      note:
        `deploy-compose's bundle (run as the runner runs it) over SSH to ${app.host.name} (its own dockerd, ` +
        `docker-compose v1), upgrading \`web\` of deploy-compose's test app (busybox httpd that boots in 2 s, ` +
        `Docker HEALTHCHECK every 1 s) behind a Caddy proxy; health-timeout ${DEPLOY_SETTINGS['health-timeout']}, ` +
        `drain-period ${DEPLOY_SETTINGS['drain-period']} (rolling waits it out before stopping the old container). ` +
        `Every upgrade and the floor pull a new image first (pull ${seconds(floor.pullMs)} in the floor). ` +
        `Load: ${RATE} GETs/s open-loop through the proxy's published port, from ${MARGIN_MS / 1000} s before ` +
        'each deploy to 1 s after; failed = error status or no answer (10 s timeout). One run each.',
      headers: ['run', 'wall time', 'vs floor', 'requests', 'failed', 'answers by version'],
      rows: [
        ['floor: `docker pull` + `docker run` until healthy', seconds(floor.ms), '1.0×', '—', '—', '—'],
        ['deploy-compose `rolling`, no load', seconds(quiet.ms), vsFloor(quiet.ms), '—', '—', '—'],
        [
          `deploy-compose \`rolling\`, ${RATE} req/s`,
          seconds(rolling.deployed.ms),
          vsFloor(rolling.deployed.ms),
          ...loadCells(rolling.load),
        ],
        [
          `deploy-compose \`recreate\`, ${RATE} req/s`,
          seconds(recreate.deployed.ms),
          vsFloor(recreate.deployed.ms),
          ...loadCells(recreate.load),
        ],
      ],
    };
  } finally {
    await app.cleanup();
  }
}
