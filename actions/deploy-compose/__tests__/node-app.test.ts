import { rmSync } from 'node:fs';
import { sleep } from '@slipway/shared';
import {
  composeMatrix,
  deleteRegistryRepository,
  describeWithInfra,
  failedCount,
  freePort,
  outcomeCounts,
  sentAfter,
  startRateLoad,
  summarizeLoad,
  waitForBody,
} from '@slipway/testing';
import { baseInputs, cleanHost, deploy, randomTag, untilLockFree } from './fixtures/hosts';
import { buildNodeWebImage } from './fixtures/node-image';
import { copyLayout, type ProxyLayout } from './fixtures/proxy-layouts';

// An app nobody tuned for Slipway (fixtures/node-image.ts): Node's http server as PID 1, which ignores SIGTERM and
// is killed at the end of its stop grace period, keeps its connections alive and takes 50 ms per answer. Behind
// each proxy as people write it, in the same project, under GETs (over kept-alive connections) and POSTs (each on
// a connection of its own, never sent again: see startRateLoad) for the whole deploy: no request fails, and once
// the step reports only the new version answers. Caddy as most people write it pools its kept-alive connections by
// name and sent the old containers requests until they were killed, failing the POSTs in flight then (502), before
// it was reloaded when containers leave the rotation.
jest.setTimeout(300_000);

const RATE = 100;

describeWithInfra(
  'deploy-compose with a Node app nobody tuned (real sshd, Docker, Caddy, Nginx, HAProxy)',
  (infra) => {
    const host = (composeMatrix(infra).at(-1) ?? composeMatrix(infra)[0])[1];
    const repoName = `${randomTag()}/web`;
    const repo = `${infra.registry.open}/${repoName}`;
    const images = { v1: '', v2: '' };
    beforeAll(() => {
      images.v1 = buildNodeWebImage(repo, 'v1');
      images.v2 = buildNodeWebImage(repo, 'v2');
    });
    afterAll(() => deleteRegistryRepository(infra.registry.open, repoName));

    const layouts: ProxyLayout[] = ['caddy-plain', 'nginx-static', 'haproxy-static'];
    describe.each(layouts)('behind %s in the same project', (layout) => {
      const project = randomTag();
      let app = {} as ReturnType<typeof copyLayout>;
      let port = 0;
      const inputs = (image: string) =>
        baseInputs(infra, [host], project, app.composeFile, {
          images: `web=${image}`,
          'drain-period': '2s',
          files: app.files,
          env: `PROXY_PORT=${port}`,
        });
      beforeAll(async () => {
        app = copyLayout(layout);
        port = await freePort();
      });
      afterAll(async () => {
        await cleanHost(infra, host, project);
        if (app.dir) rmSync(app.dir, { recursive: true, force: true });
      });

      it(`a rolling upgrade under ${RATE} GETs/s and ${RATE} POSTs/s: none fails, only v2 answers once the step reports`, async () => {
        const url = `http://127.0.0.1:${port}/`;
        const first = await deploy(inputs(images.v1));
        expect(first.error).toBeUndefined();
        await waitForBody(url, 'v1');
        const gets = startRateLoad(url, { rate: RATE });
        const posts = startRateLoad(url, { rate: RATE, method: 'POST' });
        await sleep(1000);
        const result = await deploy(inputs(images.v2));
        const ended = gets.now();
        const endedPosts = posts.now();
        // on while the old containers drain, get SIGTERM (ignored) and are killed 2 s later, under the deploy lock
        await untilLockFree(infra, host, project);
        await sleep(1000);
        const [got, posted] = await Promise.all([gets.stop(), posts.stop()]);
        console.log(`${layout}: GET ${summarizeLoad(got)}; POST ${summarizeLoad(posted)}`);
        expect(result.error).toBeUndefined();
        expect({ get: failedCount(got), post: failedCount(posted) }).toEqual({ get: 0, post: 0 });
        expect(got.bodies.get('v1')).toBeGreaterThan(0);
        expect(Object.keys(outcomeCounts(sentAfter(got, ended)))).toEqual(['200 v2']);
        expect(Object.keys(outcomeCounts(sentAfter(posted, endedPosts)))).toEqual(['200 v2']);
      });
    });
  },
);
