import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
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
import { buildHaproxySocatImage } from './fixtures/haproxy-image';
import { baseInputs, cleanHost, randomTag, runningImages, sh, untilLockFree } from './fixtures/hosts';
import { copyLayout, type ProxyLayout } from './fixtures/proxy-layouts';
import { buildNginxWebImage } from './fixtures/web-image';

// strategy: canary with ONE web container behind the proxies that take server weights, under a 200 req/s open-loop
// load for the whole deploy: HAProxy (`server web web:8080`, the admin socket rolling already documents; weights
// through its runtime API) and Nginx (an upstream including slipway-web.conf, the opt-in; weights written there
// and reloaded). 10% is 10%, not the 50% one new container beside one old gives.
jest.setTimeout(300_000);

/** After a step's log line: a reload's old workers finishing (HAProxy's weights apply at once). */
const SETTLE_MS = 1000;
/** Weighted round robin is deterministic: the load sees the weights' share within a few points. */
const TOLERANCE = 4;

const cases: Array<[string, ProxyLayout]> = [
  ['HAProxy', 'haproxy-static'],
  ['Nginx', 'nginx-weights'],
];
const measured: string[] = [];

describeWithInfra(
  'deploy-compose strategy: canary by server weights (real sshd, Docker, HAProxy, Nginx)',
  (infra) => {
    afterAll(() => {
      console.log(
        measuredTable(`canary by server weights at ${CANARY_RATE} req/s, one web container`, measured),
      );
    });

    describe.each(cases)('%s', (proxy, layout) => {
      const host = infra.ssh.hosts.find((h) => h.compose === 'v2') ?? infra.ssh.hosts[0];
      const tag = randomTag();
      const repoName = `${tag}/web`;
      const repo = `${infra.registry.open}/${repoName}`;
      const images = { v1: '', v2: '', v3: '', proxy: '' };
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
          'canary-steps': '10%,50%,100%',
          'canary-interval': `${CANARY_INTERVAL_MS / 1000}s`,
          'public-url': url,
          'expect-version': version,
          ...extra,
        });

      const underLoad = (values: Record<string, string>, onStep?: (step: number) => Promise<void>) =>
        canaryUnderLoad(url, `${proxy} weights`, values, onStep);

      beforeAll(async () => {
        images.v1 = buildNginxWebImage(repo, 'v1');
        images.v2 = buildNginxWebImage(repo, 'v2');
        images.v3 = buildNginxWebImage(repo, 'v3');
        app = copyLayout(layout);
        if (proxy === 'HAProxy') {
          images.proxy = buildHaproxySocatImage(
            infra.images?.haproxy ?? 'local/haproxy:1',
            `${infra.registry.open}/${tag}/haproxy`,
          );
          const compose = readFileSync(app.composeFile, 'utf8');
          writeFileSync(
            app.composeFile,
            compose.replace(/image: \S+\/slipway\/haproxy:1/, `image: ${images.proxy}`),
          );
        }
        port = await freePort();
        url = `http://127.0.0.1:${port}/`;
        const rolling = { strategy: 'rolling', 'canary-steps': '', 'canary-interval': '' };
        const running = await firstRelease(infra, host, project, inputs(images.v1, 'v1', rolling), {
          url,
          version: 'v1',
        });
        expect(running).toEqual([`${images.v1} running`]);
      });
      afterAll(async () => {
        await cleanHost(infra, host, project);
        if (app.dir) rmSync(app.dir, { recursive: true, force: true });
        await deleteRegistryRepository(infra.registry.open, repoName);
        if (images.proxy) await deleteRegistryRepository(infra.registry.open, `${tag}/haproxy`);
      });

      it('steps of 10%, 50%, 100% with one web container: the load sees the declared shares (not 50/50), 0 failed requests', async () => {
        const { result, load, logged } = await underLoad(inputs(images.v2, 'v2'));
        expect(result.error).toBeUndefined();
        expect(logged.map((l) => l.line)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              new RegExp(
                `: web: canary step 1 of 3: declared 10%, effective 10% \\(${proxy} weights: 1 new container at 1, 1 old server at 9\\)\\.$`,
              ),
            ),
            expect.stringMatching(
              new RegExp(
                `: web: canary step 2 of 3: declared 50%, effective 50% \\(${proxy} weights: 1 new container at 1, 1 old server at 1\\)\\.$`,
              ),
            ),
            expect.stringMatching(
              /: web: canary step 3 of 3: declared 100%, effective 100% \(1 new, the 1 old out of rotation\)\.$/,
            ),
          ]),
        );
        const shares = JSON.parse(result.outputs['traffic-share']) as Array<{
          declared: number;
          effective: number;
          observed: number;
          verdict: string;
        }>;
        const seen = stepWindows(logged, SETTLE_MS).map((w) => shareBetween(load, 'v2', w.from, w.to));
        measured.push(
          `| ${proxy} | v1 → v2 | ${result.error ? 'failed' : 'passed'} | ${load.sent} | ${failedCount(load)} | ${shares.map((s, i) => `${s.declared}% / ${s.effective}% / ${seen[i]?.share.toFixed(1)}% / ${s.observed}%`).join('; ')} |`,
        );
        expect(failedCount(load)).toBe(0);
        expect(shares.map((s) => [s.declared, s.effective, s.verdict])).toEqual([
          [10, 10, 'passed'],
          [50, 50, 'passed'],
          [100, 100, 'passed'],
        ]);
        for (const [i, s] of shares.entries()) {
          expect(seen[i].answers).toBeGreaterThan(CANARY_RATE * 2);
          expect(Math.abs(seen[i].share - s.declared)).toBeLessThanOrEqual(TOLERANCE);
        }
        // the old containers stop after the verdict, under the deploy lock
        await untilLockFree(infra, host, project);
        expect(await runningImages(infra, host, project)).toEqual([`${images.v2} running`]);
      });

      it('a canary that answers 500 at step 2 is aborted: the weights go back at once, every later request is answered by the old version', async () => {
        const { result, load, ended } = await underLoad(inputs(images.v3, 'v3'), async (step) => {
          if (step !== 2) return;
          await sh(
            infra,
            host,
            `for id in $(docker ps -q --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=web); do
  if [ "$(docker inspect -f '{{.Config.Image}}' $id)" = '${images.v3}' ]; then docker exec $id touch /tmp/fail; fi
done`,
          );
        });
        const bad = load.outcomes.filter((o) => o.status === 500);
        const abortMs = bad.length ? bad[bad.length - 1].sentAt - bad[0].sentAt : 0;
        const after = outcomeCounts(sentAfter(load, ended));
        measured.push(
          `| ${proxy} | v2 → v3, 500 from step 2 | steps completed ${result.outputs['steps-completed']} | ${load.sent} | ${failedCount(load)} (500 ×${bad.length}) | first to last bad answer ${Math.round(abortMs)} ms; after: ${JSON.stringify(after)} |`,
        );
        expect(result.error?.message).toMatch(
          new RegExp(
            `canary step 2 of 3 \\(declared 50%, effective 50% \\(${proxy} weights: .*\\)\\) failed: .*HTTP 500.*All traffic went back to the old version`,
          ),
        );
        expect(result.outputs).toMatchObject({ strategy: 'canary', 'steps-completed': '1' });
        expect(bad.length).toBeGreaterThan(0);
        expect(abortMs).toBeLessThan(CANARY_INTERVAL_MS);
        expect(Object.keys(after)).toEqual(['200 v2']);
        // the old containers stop after the verdict, under the deploy lock
        await untilLockFree(infra, host, project);
        expect(await runningImages(infra, host, project)).toEqual([`${images.v2} running`]);
        // The opted-in file is back as it was: the next deploy sees no change in the proxy's files.
        if (proxy === 'Nginx') {
          expect(await sh(infra, host, `cat ~/.slipway-test/${project}/live/proxy/slipway-web.conf`)).toBe(
            readFileSync(`${app.dir}/proxy/slipway-web.conf`, 'utf8'),
          );
        }
      });
    });
  },
);
