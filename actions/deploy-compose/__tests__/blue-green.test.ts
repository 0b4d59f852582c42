import { rmSync } from 'node:fs';
import { sleep } from '@slipway/shared';
import {
  composeMatrix,
  deleteRegistryRepository,
  describeCounts,
  describeWithInfra,
  failedCount,
  freePort,
  outcomeCounts,
  outcomeLabel,
  sentAfter,
  startRateLoad,
  summarizeLoad,
  waitForBody,
} from '@slipway/testing';
import {
  baseInputs,
  cleanHost,
  deploy,
  history,
  REMOTE_DIR,
  randomTag,
  runningImages,
  sh,
} from './fixtures/hosts';
import { copyLayout, type ProxyLayout } from './fixtures/proxy-layouts';
import { rollbackInProcess } from './fixtures/rollback';
import { buildNginxWebImage } from './fixtures/web-image';

// strategy: blue-green behind the proxy of the project (issue 16), on a real host and real Docker, every step under
// an open-loop load of 200 req/s through the proxy: the switch, a new colour refused before the switch, a switch
// back inside keep-previous (the rollback action), and the keep-previous timer. One project per proxy, shared by
// its cases in order.
jest.setTimeout(300_000);

const RATE = 200;
const BEFORE_MS = 1000;
const AFTER_MS = 2000;
const measured: string[] = [];

/** [label, layout, with the api service, the switch only (keeps the file short)] */
const cases: Array<[string, ProxyLayout, boolean, boolean]> = [
  ['Nginx static, web and api switching together', 'nginx-static', true, false],
  ['Caddy (documented config), web', 'caddy', false, false],
  ['HAProxy static, web (the switch only)', 'haproxy-static', false, true],
  // Caddy pools its kept-alive connections by the name `web`: the old colour, kept running, would keep them
  [
    'Caddy as most people write it (reverse_proxy web:8080), web (the switch only)',
    'caddy-plain',
    false,
    true,
  ],
];

describeWithInfra(
  'strategy: blue-green behind a proxy in the project (real sshd, Docker, Nginx, Caddy, HAProxy)',
  (infra) => {
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
      console.log(
        `blue-green at ${RATE} req/s:\n| case | step | result | requests | failed | answers |\n| --- | --- | --- | --- | --- | --- |\n${measured.join('\n')}`,
      );
    });

    describe.each(cases)('%s', (label, layout, withApi, switchOnly) => {
      const project = randomTag();
      let app = {} as ReturnType<typeof copyLayout>;
      let port = 0;
      let url = '';
      const services = withApi ? ['web', 'api'] : ['web'];
      const inputs = (image: string, extra: Record<string, string> = {}) =>
        baseInputs(infra, [host], project, app.composeFile, {
          images: services.map((s) => `${s}=${image}`).join('\n'),
          files: app.files,
          env: `PROXY_PORT=${port}`,
          strategy: 'blue-green',
          'public-url': url,
          // As users run it (and as proxy-layouts does); a 0 s drain behind Nginx is blue-green-nginx-reload.test.ts.
          'drain-period': '2s',
          ...extra,
        });
      /** Every container of `service` (running or not): `<image> <status>`, sorted. */
      const containers = (service: string) =>
        sh(
          infra,
          host,
          `docker inspect -f '{{.Config.Image}} {{.State.Status}}' $(docker ps -aq --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=${service})`,
        ).then((out) => out.trim().split('\n').filter(Boolean).sort());

      /** The containers of `service`, by short id. */
      const ids = (service: string) =>
        sh(
          infra,
          host,
          `docker ps -aq --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=${service}`,
        ).then((out) => out.trim().split('\n').filter(Boolean).sort());

      /** Does the project's deploy lock exist on the host (held by a deploy or the keep-previous timer)? */
      const locked = () =>
        sh(infra, host, `ls -a ${REMOTE_DIR}/${project}`).then((list) => /slipway\.lock/.test(list));

      async function underLoad(step: string, run: () => Promise<{ error?: Error }>) {
        const load = startRateLoad(url, { rate: RATE });
        await sleep(BEFORE_MS);
        const started = load.now();
        const result = await run();
        const ended = load.now();
        await sleep(AFTER_MS);
        const counts = await load.stop();
        measured.push(
          `| ${label} | ${step} | ${result.error ? `failed: ${result.error.message.split('\n')[0].slice(0, 100)}` : 'passed'} | ${counts.sent} | ${failedCount(counts)} | ${describeCounts(counts.bodies)} |`,
        );
        console.log(`${label} / ${step}: ${summarizeLoad(counts)}`);
        return { result, counts, started, ended };
      }

      beforeAll(async () => {
        app = copyLayout(layout);
        if (withApi) app.addApiService();
        port = await freePort();
        url = `http://127.0.0.1:${port}/`;
        const first = await deploy(inputs(images.v1, { strategy: 'rolling', 'public-url': '' }));
        if (first.error) throw first.error;
        await waitForBody(url, 'v1');
      });
      afterAll(async () => {
        await cleanHost(infra, host, project);
        if (app.dir) rmSync(app.dir, { recursive: true, force: true });
      });

      it('switches v1 → v2 under 200 req/s with 0 failed requests; the previous colour keeps running out of rotation', async () => {
        const { result, counts, ended } = await underLoad('blue-green v1 → v2', () =>
          deploy(inputs(images.v2, { 'expect-version': 'v2' })),
        );
        expect(result.error).toBeUndefined();
        // once the step reports, the new colour alone answers: the old one, still running, gets no request
        const afterStep = new Set(sentAfter(counts, ended).map(outcomeLabel));
        expect(afterStep).toEqual(new Set(['200 v2']));
        expect({ failed: failedCount(counts), errors: counts.errors, statuses: counts.statuses }).toEqual({
          failed: 0,
          errors: new Map(),
          statuses: new Map(),
        });
        expect(counts.outcomes.at(-1)?.body).toBe('v2');
        if (withApi) expect((await fetch(`${url}api/`).then((r) => r.text())).trim()).toBe('v2');
        for (const service of services) {
          expect(await containers(service)).toEqual([`${images.v1} running`, `${images.v2} running`].sort());
        }
        const last = (await history(infra, host, project)).at(-1) as Record<string, unknown>;
        expect(last).toMatchObject({ result: 'deployed', strategy: 'blue-green', colour: 'blue' });
        const kept = last.kept as { containers: Record<string, string[]>; until: string };
        expect(Object.keys(kept.containers).sort()).toEqual([...services].sort());
        expect(Date.parse(kept.until) - Date.now()).toBeGreaterThan(8 * 60_000);
      });

      if (switchOnly) return;

      it('inside keep-previous the rollback action only switches back: 0 failed requests, v1 answers seconds after the decision (no pull, no start)', async () => {
        const { result, counts, started } = await underLoad(
          'rollback inside keep-previous (switch back)',
          () => rollbackInProcess(infra, [host], project, url, 'v1'),
        );
        expect(result.error).toBeUndefined();
        expect(failedCount(counts)).toBe(0);
        // from the decision (the rollback's start) to the first answer of the final, unbroken run of v1 answers
        const fromEnd = [...counts.outcomes].reverse().findIndex((o) => o.body !== 'v1');
        const firstBack = counts.outcomes[fromEnd < 0 ? 0 : counts.outcomes.length - fromEnd];
        const switchBackMs = firstBack.doneAt - started;
        measured.push(
          `| ${label} | switch back: decision → v1 answering | ${switchBackMs.toFixed(0)} ms | | | |`,
        );
        console.log(
          `${label}: switch back took ${switchBackMs.toFixed(0)} ms from the decision to v1 answering`,
        );
        // The goal is 2 s: the bench (section 6) measures it. A single run on this shared 2-core machine varies
        // with its load (1.1-6 s seen), so this bound only tells a switch from a redeploy (17 s in the bench); the
        // proof that nothing was started is below: the containers serving v1 are the very ones kept.
        expect(switchBackMs).toBeLessThan(10_000);
        const kept = (await history(infra, host, project)).at(-2) as {
          kept?: { containers: Record<string, string[]> };
        };
        for (const service of services) {
          expect(await containers(service)).toEqual([`${images.v1} running`]);
          expect(await ids(service)).toEqual(kept.kept?.containers[service]);
        }
        expect((await history(infra, host, project)).at(-1)).toMatchObject({
          result: 'deployed',
          images: { web: images.v1 },
          strategy: 'switch-back',
          colour: 'green',
        });
      });

      it('a new colour that fails the pre-switch checks never receives a user request: the load sees only v1, the step fails with the evidence', async () => {
        const { result, counts } = await underLoad('v3 failing pre-switch (expect-version v9)', () =>
          deploy(inputs(images.v3, { 'expect-version': 'v9', 'container-health-timeout': '20s' })),
        );
        expect(result.error?.message).toMatch(
          /^- \S+: web: the new container \S+ \([0-9.]+:8080\) failed the pre-switch checks \(http:\/\/127\.0\.0\.1:[^/]+\/: .*version v9 not found in the body\)\. The new colour was removed before any user request reached it/m,
        );
        expect(outcomeCounts(counts.outcomes)).toEqual({ '200 v1': counts.sent });
        for (const service of services) expect(await containers(service)).toEqual([`${images.v1} running`]);
        expect((await history(infra, host, project)).at(-1)).toMatchObject({ result: 'failed' });
      });

      it('the previous colour stops when keep-previous ends (a detached timer on the host)', async () => {
        const done = await deploy(inputs(images.v3, { 'expect-version': 'v3', 'keep-previous': '3s' }));
        expect(done.error).toBeUndefined();
        expect(done.hosts[Object.keys(done.hosts)[0]]).toMatchObject({ colour: 'blue', previous: 'kept' });
        expect(await containers('web')).toEqual([`${images.v1} running`, `${images.v3} running`].sort());
        // 3 s, then `docker stop` and `docker rm` on a loaded machine: polled, up to 30 s
        for (let i = 0; i < 30 && (await containers('web')).length > 1; i++) await sleep(1000);
        for (const service of services) expect(await containers(service)).toEqual([`${images.v3} running`]);
        expect(await runningImages(infra, host, project)).toEqual([`${images.v3} running`]);
        // it did so under the project's deploy lock, released right after (the next deploy here has lock-wait 0s)
        for (let i = 0; i < 10 && (await locked()); i++) await sleep(500);
        expect(await locked()).toBe(false);
      });

      // One proxy is enough here: the timer's lock does not depend on it.
      if (withApi) return;

      it('when keep-previous ends while a deploy holds the lock, the timer leaves the kept colour to it; once the lock is free, it stops it', async () => {
        const before = await containers('web');
        // v3 runs after the cases above, which marked v2 bad (the rollback): back to v1 (v2 when run alone)
        const [image, version] = before.join().includes(images.v1) ? [images.v2, 'v2'] : [images.v1, 'v1'];
        const done = await deploy(inputs(image, { 'expect-version': version, 'keep-previous': '8s' }));
        expect(done.error).toBeUndefined();
        const both = [...before, `${image} running`].sort();
        expect(await containers('web')).toEqual(both);
        // a deploy (a rollback switching back, say) takes the project's lock before the window ends
        const lock = `${REMOTE_DIR}/${project}/.slipway.lock`;
        await sh(
          infra,
          host,
          `mkdir ${lock} && printf 'owner=a-rollback\\nrun=https://example.test/run/1\\ntoken=fake\\nexpires=%s\\n' $(( $(date +%s) + 600 )) > ${lock}/info`,
        );
        // the window (8 s), the timer's wait for the lock (8 s), its retry 8 s later: the kept colour still runs
        await sleep(20_000);
        expect(await containers('web')).toEqual(both);
        expect(await sh(infra, host, `cat ${lock}/info`)).toContain('token=fake\n');
        // that deploy ends without touching the kept colour (it failed before its first step): the timer retires it
        await sh(infra, host, `rm -rf ${lock}`);
        for (let i = 0; i < 30 && (await containers('web')).length > 1; i++) await sleep(1000);
        expect(await containers('web')).toEqual([`${image} running`]);
        for (let i = 0; i < 10 && (await locked()); i++) await sleep(500);
        expect(await locked()).toBe(false);
      });
    });
  },
);
