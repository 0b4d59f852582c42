import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Infra, type LoadResult, startRateLoad } from '@slipway/testing';
import type { ProxyLayout } from '../actions/deploy-compose/__tests__/fixtures/proxy-layouts';
import { type ComposeApp, createComposeApp } from './compose-app';
import { benchRuns, type Section, spread } from './table';

const run = promisify(execFile);
const RATE = 200;
const INTERVAL = '10s';
const LAYOUTS: Array<[ProxyLayout, string]> = [
  ['nginx-static', 'Nginx static (`proxy_pass http://web:8080;`)'],
  ['caddy', 'Caddy (documented config)'],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Abort {
  /** From the first request that got a bad answer (500) to the last one, by when they were sent. */
  badMs: number;
  bad: number;
  load: LoadResult;
  /** What the requests sent after the deploy step ended got. */
  after: Map<string, number>;
}

/**
 * Once the canary answers through the proxy (its version seen), every container of it starts answering 500
 * (a flag file the test app reads), as a release whose dependency breaks under real traffic.
 */
async function breakWhenServing(app: ComposeApp, version: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const body = await fetch(app.url, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => (await r.text()).trim(),
      () => '',
    );
    if (body === version) break;
    await sleep(50);
  }
  const docker = (...args: string[]) =>
    run('docker', ['-H', app.host.dockerHost!, ...args], { encoding: 'utf8' }).then((r) => r.stdout.trim());
  const ids = await docker(
    'ps',
    '-q',
    '--filter',
    `label=com.docker.compose.project=${app.project}`,
    '--filter',
    'label=com.docker.compose.service=web',
  );
  for (const id of ids.split('\n').filter(Boolean)) {
    if ((await docker('inspect', '-f', '{{.Config.Image}}', id)) === app.images[version]) {
      await docker('exec', id, 'touch', '/tmp/fail');
    }
  }
}

async function abortOnce(app: ComposeApp, good: string, bad: string): Promise<Abort> {
  const load = startRateLoad(app.url, { rate: RATE });
  await sleep(1000);
  const breaking = breakWhenServing(app, bad);
  const error = await app
    .deploy(bad, {
      strategy: 'canary',
      'canary-steps': '50%,100%',
      'canary-interval': INTERVAL,
      'public-url': app.url,
      'expect-version': bad,
    })
    .then(
      () => undefined,
      (e: Error) => e,
    );
  const ended = load.now();
  await breaking;
  await sleep(1000);
  const done = await load.stop();
  if (!error) throw new Error(`the canary of ${bad} that answered 500 was not aborted`);
  const bads = done.outcomes.filter((o) => o.status === 500);
  const after = new Map<string, number>();
  for (const o of done.outcomes.filter((o) => o.sentAt >= ended)) {
    const key = o.error ?? `${o.status}${o.status === 200 ? ` ${o.body}` : ''}`;
    after.set(key, (after.get(key) ?? 0) + 1);
  }
  if ([...after.keys()].some((k) => k !== `200 ${good}`)) {
    throw new Error(`after the abort not only ${good} answered: ${JSON.stringify([...after])}`);
  }
  return {
    badMs: bads.length ? bads[bads.length - 1].sentAt - bads[0].sentAt : 0,
    bad: bads.length,
    load: done,
    after,
  };
}

/**
 * Canary abort time: deploy-compose's `strategy: canary` (steps 50%,100%: one new container beside the one old)
 * behind each proxy in the app's own Compose project; once the new version answers through the proxy it starts
 * answering 500; the step's judge sees it, every request goes back to the old version and the canary is removed.
 * Measured by the load: from the first 500 it got to the last.
 */
export async function canarySection(repoRoot: string, infra: Infra): Promise<Section> {
  const runs = benchRuns();
  const rows: string[][] = [];
  let hostName = '';
  for (const [layout, label] of LAYOUTS) {
    const versions = ['v1', ...Array.from({ length: runs }, (_, r) => `v${r + 2}`)];
    const app = await createComposeApp(repoRoot, infra, 'benchcn', versions, undefined, layout);
    hostName = app.host.name;
    try {
      await app.deploy('v1');
      await app.waitForBody('v1');
      const results: Abort[] = [];
      for (const bad of versions.slice(1)) results.push(await abortOnce(app, 'v1', bad));
      rows.push([
        `${label}: canary answering 500, aborted`,
        spread(results.map((r) => r.badMs)),
        results.map((r) => r.bad).join(', '),
        results.map((r) => r.load.sent).join(', '),
        results.map((r) => [...r.after].map(([k, n]) => `${k} ×${n}`).join(', ')).join('; '),
      ]);
    } finally {
      await app.cleanup();
    }
  }
  return {
    title: '7. Compose canary: abort time, first bad answer → last bad answer',
    note:
      `deploy-compose's bundle with \`strategy: canary\`, \`canary-steps: 50%,100%\`, \`canary-interval: ${INTERVAL}\` on ${hostName}, ` +
      "the proxy in the app's own Compose project (deploy-compose's proxy-layouts fixtures, one `web` container: " +
      'the first step is 1 new beside 1 old, 50%). Once the new version answers through the proxy, every container ' +
      `of it answers 500. Load: ${RATE} GETs/s open-loop through the proxy from 1 s before the deploy to 1 s after it ` +
      'ended; the time is from the first request answered 500 to the last, by when they were sent (the judge sends 20 requests a second and ' +
      'fails the step at the first failing answer, then the canary leaves the rotation and the proxies reload). ' +
      `${runs} run(s): the median, each run's figure in brackets.`,
    headers: [
      'proxy',
      'first → last bad answer',
      'bad answers, per run',
      'requests, per run',
      'after the step',
    ],
    rows,
  };
}
