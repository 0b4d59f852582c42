import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  composeMatrix,
  deleteRegistryRepository,
  describeWithInfra,
  failedCount,
  freePort,
  outcomeCounts,
  sentAfter,
} from '@slipway/testing';
import {
  CANARY_INTERVAL_MS,
  CANARY_RATE,
  canaryUnderLoad,
  firstRelease,
  measuredTable,
  shareBetween,
  stepWindows,
} from './fixtures/canary-load';
import {
  baseInputs,
  cleanHost,
  deploy,
  history,
  randomTag,
  runningImages,
  sh,
  untilLockFree,
} from './fixtures/hosts';
import { copyLayout, type ProxyLayout } from './fixtures/proxy-layouts';
import { buildNginxWebImage } from './fixtures/web-image';

// strategy: canary behind the proxies people run (Nginx `proxy_pass http://web:8080`, Caddy following Docker's
// DNS), each in the same Compose project as web with two web containers, under a 200 req/s open-loop load for
// the whole deploy: what share of the load each step really gives the new version, and how fast a canary that
// goes bad is taken out.
jest.setTimeout(300_000);

/** After a step's containers joined the rotation: Caddy's DNS refresh (1s) and a reload's old workers finish. */
const SETTLE_MS = 1500;
/** How far the load's observed share may stray from the effective one (Caddy picks upstreams at random). */
const TOLERANCE = 10;

const measured: string[] = [];

const cases: Array<[string, ProxyLayout]> = [
  ['Nginx static (proxy_pass http://web:8080)', 'nginx-static'],
  ['Caddy (dynamic a, refresh 1s)', 'caddy'],
];

describeWithInfra('deploy-compose strategy: canary (real sshd, Docker, Nginx, Caddy)', (infra) => {
  const [v1Row, v2Row] = composeMatrix(infra);
  const host = (v2Row ?? v1Row)[1];
  const repoName = `${randomTag()}/web`;
  const repo = `${infra.registry?.open}/${repoName}`;
  const images = { v1: '', v2: '', v3: '' };

  beforeAll(() => {
    images.v1 = buildNginxWebImage(repo, 'v1');
    images.v2 = buildNginxWebImage(repo, 'v2');
    images.v3 = buildNginxWebImage(repo, 'v3');
  });
  afterAll(async () => {
    await deleteRegistryRepository(infra.registry.open, repoName);
    console.log(measuredTable(`canary at ${CANARY_RATE} req/s`, measured));
  });

  describe.each(cases)('%s', (label, layout) => {
    const project = randomTag();
    let app = {} as ReturnType<typeof copyLayout>;
    let port = 0;
    let url = '';
    const inputs = (image: string, version: string, extra: Record<string, string> = {}) =>
      baseInputs(infra, [host], project, app.composeFile, {
        images: `web=${image}`,
        files: app.files,
        env: `PROXY_PORT=${port}`,
        strategy: 'canary',
        'canary-steps': '30%,50%,100%',
        'canary-interval': `${CANARY_INTERVAL_MS / 1000}s`,
        'public-url': url,
        'expect-version': version,
        ...extra,
      });

    const underLoad = (values: Record<string, string>, onStep?: (step: number) => Promise<void>) =>
      canaryUnderLoad(url, label, values, onStep);

    beforeAll(async () => {
      app = copyLayout(layout);
      // Two web containers: steps of 1 new beside 2 old (33.3%) and 2 beside 2 (50%).
      const compose = readFileSync(app.composeFile, 'utf8');
      writeFileSync(app.composeFile, compose.replace('  web:\n', '  web:\n    scale: 2\n'));
      port = await freePort();
      url = `http://127.0.0.1:${port}/`;
      const rolling = { strategy: 'rolling', 'canary-steps': '', 'canary-interval': '' };
      const running = await firstRelease(infra, host, project, inputs(images.v1, 'v1', rolling), {
        url,
        version: 'v1',
      });
      expect(running).toEqual([`${images.v1} running`, `${images.v1} running`]);
    });
    afterAll(async () => {
      await cleanHost(infra, host, project);
      if (app.dir) rmSync(app.dir, { recursive: true, force: true });
    });

    it('a healthy canary: each step gives the new version the effective share (33.3%, 50%, 100%) within the tolerance, 0 failed requests, reported per step', async () => {
      const { result, load, logged } = await underLoad(inputs(images.v2, 'v2'));
      expect(result.error).toBeUndefined();
      expect(logged.map((l) => l.line)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /: web: canary step 1 of 3: declared 30%, effective 33\.3% \(1 new beside 2 old\)\.$/,
          ),
          expect.stringMatching(
            /: web: canary step 2 of 3: declared 50%, effective 50% \(2 new beside 2 old\)\.$/,
          ),
          expect.stringMatching(
            /: web: canary step 3 of 3: declared 100%, effective 100% \(2 new, the 2 old out of rotation\)\.$/,
          ),
        ]),
      );
      const shares = JSON.parse(result.outputs['traffic-share']) as Array<{
        effective: number;
        observed: number;
        verdict: string;
      }>;
      const windows = stepWindows(logged, SETTLE_MS);
      const seen = windows.map((w) => shareBetween(load, 'v2', w.from, w.to));
      measured.push(
        `| ${label} | v1 → v2 | passed | ${load.sent} | ${failedCount(load)} | ${shares.map((s, i) => `${s.effective === 100 ? '100' : ['30', '50'][i]}% / ${s.effective}% / ${seen[i].share.toFixed(1)}% / ${s.observed}%`).join('; ')} |`,
      );
      expect(failedCount(load)).toBe(0);
      expect(result.outputs).toMatchObject({
        strategy: 'canary',
        'steps-completed': '3',
        'abort-reason': '',
      });
      expect(shares.map((s) => [s.effective, s.verdict])).toEqual([
        [33.3, 'passed'],
        [50, 'passed'],
        [100, 'passed'],
      ]);
      for (const [i, s] of shares.entries()) {
        expect(seen[i].answers).toBeGreaterThan(CANARY_RATE * 2);
        expect(Math.abs(seen[i].share - s.effective)).toBeLessThanOrEqual(TOLERANCE);
        // The judge's own sample is smaller (20 requests a second): a wider band.
        expect(Math.abs(s.observed - s.effective)).toBeLessThanOrEqual(2 * TOLERANCE);
      }
      // the old containers stop after the verdict, under the deploy lock
      await untilLockFree(infra, host, project);
      expect(await runningImages(infra, host, project)).toEqual([
        `${images.v2} running`,
        `${images.v2} running`,
      ]);
      expect((await history(infra, host, project)).at(-1)).toMatchObject({
        result: 'deployed',
        strategy: 'canary',
      });
    });

    it('a canary that starts answering 500 at step 2 is aborted within one canary-interval; every request after the abort is answered by the old version', async () => {
      const { result, load, ended } = await underLoad(inputs(images.v3, 'v3'), async (step) => {
        if (step !== 2) return;
        // Every container of v3 goes bad at once, as a release whose dependency breaks under real traffic.
        await sh(
          infra,
          host,
          `for id in $(docker ps -q --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=web); do
  if [ "$(docker inspect -f '{{.Config.Image}}' $id)" = '${images.v3}' ]; then docker exec $id touch /tmp/fail; fi
done`,
        );
      });
      // From the first request the bad canary answered to the last one it was sent (a loaded proxy may answer
      // late: when an answer arrives says nothing about how long the canary kept getting requests).
      const bad = load.outcomes.filter((o) => o.status === 500);
      const abortMs = bad.length ? bad[bad.length - 1].sentAt - bad[0].sentAt : 0;
      const after = outcomeCounts(sentAfter(load, ended));
      measured.push(
        `| ${label} | v2 → v3, 500 from step 2 | aborted at step ${result.outputs['steps-completed'] === '1' ? 2 : '?'} | ${load.sent} | ${failedCount(load)} (500 ×${bad.length}) | first to last bad answer ${Math.round(abortMs)} ms; after the step: ${JSON.stringify(after)} |`,
      );
      console.log(`${label}: canary abort time (first to last bad answer): ${Math.round(abortMs)} ms`);
      expect(result.error?.message).toMatch(
        /canary step 2 of 3 \(declared 50%, effective 50% \(2 new beside 2 old\)\) failed: .*HTTP 500.*All traffic went back to the old version; the new containers were removed\./,
      );
      expect(result.outputs).toMatchObject({ strategy: 'canary', 'steps-completed': '1' });
      expect(result.outputs['abort-reason']).toMatch(/: web: step 2: failed: .*HTTP 500/);
      expect(bad.length).toBeGreaterThan(0);
      expect(abortMs).toBeLessThan(CANARY_INTERVAL_MS);
      // Only v2 answers from the moment the step failed.
      expect(Object.keys(after)).toEqual(['200 v2']);
      // the old containers stop after the verdict, under the deploy lock
      await untilLockFree(infra, host, project);
      expect(await runningImages(infra, host, project)).toEqual([
        `${images.v2} running`,
        `${images.v2} running`,
      ]);
      expect((await history(infra, host, project)).at(-1)).toMatchObject({
        result: 'failed',
        strategy: 'canary',
      });
    });
  });
});

// Caddy as most people write it (`reverse_proxy web:8080`) has one upstream and a few kept-alive connections, each
// to one container: behind it a step meant to give the canary 33% gave it 0%, 8% or 100% (measured here, with
// Caddy reloaded as each step's containers joined). A canary there is refused; `dynamic a` spreads by address.
describeWithInfra('strategy: canary behind Caddy as most people write it (real host)', (infra) => {
  const host = (composeMatrix(infra).at(-1) ?? composeMatrix(infra)[0])[1];
  const project = randomTag();
  const app = copyLayout('caddy-plain');
  afterAll(() => rmSync(app.dir, { recursive: true, force: true }));

  it('is refused before any host is contacted, naming the input and what to change', async () => {
    const web = `${infra.registry.open}/${project}/web@sha256:${'a'.repeat(64)}`;
    const result = await deploy(
      baseInputs(infra, [host], project, app.composeFile, {
        images: `web=${web}`,
        files: app.files,
        env: 'PROXY_PORT=8000',
        strategy: 'canary',
        'public-url': 'http://127.0.0.1:8000/',
        'expect-version': 'v2',
      }),
    );
    expect(result.error?.message).toBe(
      'Input "strategy": a canary needs its proxy to spread requests over the service\'s containers, but proxy is Caddy naming the service as host:port (`reverse_proxy web:8080`), which sends them over a few kept-alive connections, each to one container: the canary\'s share would be anything from 0% to 100%. Name it with `dynamic a web 8080` in the Caddyfile (Caddy then spreads requests over its addresses), or use "rolling" or "blue-green".',
    );
    expect(
      (await sh(infra, host, `test -e .slipway-test/${project} && echo there || echo absent`)).trim(),
    ).toBe('absent');
  });
});
