import { rmSync } from 'node:fs';
import { sleep } from '@slipway/shared';
import {
  composeMatrix,
  deleteRegistryRepository,
  describeCounts,
  describeWithInfra,
  failedCount,
  freePort,
  type Infra,
  type LoadResult,
  outcomeCounts,
  outcomeLabel,
  type RequestOutcome,
  type SshHost,
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
  untilLockFree,
} from './fixtures/hosts';
import { copyLayout, type ProxyLayout } from './fixtures/proxy-layouts';
import { buildNginxWebImage } from './fixtures/web-image';

// The layout people run (issue 15): the proxy in the same Compose project as `web`, publishing the only port, its
// config shipped with `files`; every deploy under an open-loop load through the proxy for its whole length.
jest.setTimeout(300_000);

const RATE = 200;
/** Load runs this long before each deploy and after it returns, so the switch and its aftermath are measured. */
const BEFORE_MS = 1000;
const AFTER_MS = 3000;
const HEADER = 'X-Slipway-Config';

/** `{ '200 v2': 590 }`: the requests sent after the step returned, by what they got (and the header, if any). */
function answersAfterStep(load: LoadResult, stepEnded: number): Record<string, number> {
  const label = (o: RequestOutcome) => `${outcomeLabel(o)}${o.header ? ` ${HEADER}=${o.header}` : ''}`;
  return outcomeCounts(sentAfter(load, stepEnded), label);
}

/** What each deploy did, printed as one table at the end (the issue's before/after numbers). */
const measured: string[] = [];

interface Case {
  layout: ProxyLayout;
  host: SshHost;
  /** Only the upgrade (the v1 host's case keeps the suite short). */
  upgradeOnly?: boolean;
  /** Name the proxy with `proxy-service` instead of relying on its image name. */
  proxyServiceInput?: boolean;
  /** The proxy's config at a fixed absolute path on the host (written there by hand), not shipped with `files`. */
  hostPathConfig?: boolean;
  /**
   * Also a new version deaf on the port the proxy dials. Once, behind Caddy: roll-up's upstream check runs before
   * the container joins any proxy's rotation, so the proxy only supplies the port, which example-layouts.test.ts
   * reads from each layout's config without a host (and the host-script golden tests run the check's shell).
   */
  deaf?: boolean;
}

/**
 * The cases run in two test files, so that jest's two workers share them (each proxy's cases take about a minute
 * and a half): this file runs Caddy and Nginx static; proxy-layouts-more.test.ts imports it after setting part 2.
 */
const PART = (globalThis as { slipwayProxyLayoutsPart?: number }).slipwayProxyLayoutsPart ?? 1;

function cases(infra: Infra): Array<[string, Case]> {
  return allCases(infra).filter((_, i) => (PART === 1 ? i < 2 : i >= 2));
}

function allCases(infra: Infra): Array<[string, Case]> {
  const [v1Row, v2Row] = composeMatrix(infra);
  const v2 = (v2Row ?? v1Row)[1];
  const v1 = v1Row[1];
  return [
    [`Caddy (documented config) on ${v2.name}`, { layout: 'caddy', host: v2, deaf: true }],
    [`Nginx static (proxy_pass http://web:8080) on ${v2.name}`, { layout: 'nginx-static', host: v2 }],
    [`Nginx with resolver 127.0.0.11 on ${v2.name}`, { layout: 'nginx-resolver', host: v2 }],
    [
      `HAProxy static (no resolvers), proxy-service input, on ${v2.name}`,
      { layout: 'haproxy-static', host: v2, proxyServiceInput: true },
    ],
    [
      `Nginx static, its config at an absolute host path (not in files), on ${v2.name}`,
      { layout: 'nginx-static', host: v2, upgradeOnly: true, hostPathConfig: true },
    ],
    [
      `Nginx static on ${v1.name} (Compose ${v1.compose ?? 'v1'})`,
      { layout: 'nginx-static', host: v1, upgradeOnly: true },
    ],
    // its kept-alive connections to the old containers, pooled by name, outlive the switch unless it is reloaded
    [
      `Caddy as most people write it (reverse_proxy web:8080) on ${v2.name}`,
      { layout: 'caddy-plain', host: v2, upgradeOnly: true },
    ],
  ];
}

describeWithInfra(
  'deploy-compose behind a proxy in the same project (real sshd, Docker, Caddy, Nginx, HAProxy)',
  (infra) => {
    const repoName = `${randomTag()}/web`;
    const repo = `${infra.registry?.open}/${repoName}`;
    const images = { v1: '', v2: '', v3: '' };

    beforeAll(() => {
      if (!infra.images.nginxRemote || !infra.images.haproxyRemote) {
        throw new Error('infra.json has no nginx/haproxy images: run "scripts/infra.sh up" again');
      }
      images.v1 = buildNginxWebImage(repo, 'v1');
      images.v2 = buildNginxWebImage(repo, 'v2');
      images.v3 = buildNginxWebImage(repo, 'v3');
    });
    afterAll(async () => {
      await deleteRegistryRepository(infra.registry.open, repoName);
      console.log(
        `proxy layouts at ${RATE} req/s:\n| case | step | result | requests | failed | proxy container | after the step |\n| --- | --- | --- | --- | --- | --- | --- |\n${measured.join('\n')}`,
      );
    });

    describe.each(cases(infra))(
      '%s',
      (label, { layout, host, upgradeOnly, proxyServiceInput, hostPathConfig, deaf }) => {
        const project = randomTag();
        // made in beforeAll, so a case that a -t filter skips leaves no folder behind
        let app = {} as ReturnType<typeof copyLayout>;
        // the host-path variant: the same config, in a folder of the host's own (removed after the test)
        const hostConfigDir = `${host.home}/${REMOTE_DIR}/${project}-proxy-config`;
        let port = 0;
        let url = '';
        const inputs = (image: string, extra: Record<string, string> = {}) =>
          baseInputs(infra, [host], project, app.composeFile, {
            images: `web=${image}`,
            'drain-period': '2s',
            ...(hostPathConfig ? {} : { files: app.files }),
            env: `PROXY_PORT=${port}`,
            ...(proxyServiceInput ? { 'proxy-service': 'proxy' } : {}),
            ...extra,
          });
        const proxyContainers = () =>
          sh(
            infra,
            host,
            `docker ps -aq --no-trunc --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=proxy`,
          ).then((out) => out.trim().split('\n').filter(Boolean).sort());

        /** One deploy under the load, from BEFORE_MS before it to AFTER_MS after it returned. */
        async function underLoad(step: string, values: Record<string, string>) {
          const proxyBefore = await proxyContainers();
          const load = startRateLoad(url, { rate: RATE, header: HEADER });
          await sleep(BEFORE_MS);
          const result = await deploy(values);
          const stepEnded = load.now();
          // and while the old containers drain and stop after the step, under the deploy lock
          await untilLockFree(infra, host, project);
          await sleep(AFTER_MS);
          const counts = await load.stop();
          const proxyAfter = await proxyContainers();
          const facts = {
            failed: failedCount(counts),
            proxyRecreated: proxyAfter.join() !== proxyBefore.join(),
            afterStep: answersAfterStep(counts, stepEnded),
          };
          const after = Object.entries(facts.afterStep)
            .map(([k, n]) => `${k} ×${n}`)
            .join(', ');
          measured.push(
            `| ${label} | ${step} | ${result.error ? `failed: ${result.error.message.split('\n')[0].slice(0, 120)}` : 'passed'} | ${counts.sent} | ${facts.failed} | ${facts.proxyRecreated ? '**recreated**' : 'kept'} | ${after} |`,
          );
          console.log(
            `${label} / ${step}: ${summarizeLoad(counts)}; proxy ${facts.proxyRecreated ? 'RECREATED' : 'kept'}; after the step: ${after}`,
          );
          return { result, counts, facts };
        }

        beforeAll(async () => {
          app = copyLayout(layout);
          if (hostPathConfig) app.useHostConfig(hostConfigDir);
          port = await freePort();
          url = `http://127.0.0.1:${port}/`;
          if (hostPathConfig) {
            const write = `mkdir -p ${hostConfigDir} && cat > ${hostConfigDir}/${app.configName} <<'SLIPWAY_EOF'`;
            await sh(infra, host, `${write}\n${app.configText()}SLIPWAY_EOF\n`);
          }
          const first = await deploy(inputs(images.v1));
          if (first.error) throw first.error;
          await waitForBody(url, 'v1');
        });
        afterAll(async () => {
          await cleanHost(infra, host, project);
          if (hostPathConfig) await sh(infra, host, `rm -rf ${hostConfigDir}`);
          if (app.dir) rmSync(app.dir, { recursive: true, force: true });
        });

        // The reference for every figure below: what the proxy and the app lose at this rate with no deploy at all
        // (on a machine too loaded to serve the rate, the deploy tests cannot be judged: this one says so).
        it('serves 200 req/s through the proxy without failures when nothing is deployed', async () => {
          const load = startRateLoad(url, { rate: RATE, header: HEADER });
          await sleep(BEFORE_MS + AFTER_MS);
          const counts = await load.stop();
          measured.push(
            `| ${label} | no deploy (baseline) | — | ${counts.sent} | ${failedCount(counts)} | — | ${describeCounts(counts.bodies)} |`,
          );
          console.log(`${label} / baseline: ${summarizeLoad(counts)}`);
          expect({ failed: failedCount(counts), errors: counts.errors, statuses: counts.statuses }).toEqual({
            failed: 0,
            errors: new Map(),
            statuses: new Map(),
          });
        });

        it('only web changes, under 200 req/s: 0 failed requests, the proxy keeps its container, v2 answers after the step', async () => {
          const { result, facts } = await underLoad('web v1 → v2', inputs(images.v2));
          expect(result.error).toBeUndefined();
          const sentAfterStep = Object.values(facts.afterStep).reduce((a, b) => a + b, 0);
          expect(sentAfterStep).toBeGreaterThan((RATE * AFTER_MS) / 2000);
          expect(facts).toEqual({ failed: 0, proxyRecreated: false, afterStep: { '200 v2': sentAfterStep } });
          expect(await runningImages(infra, host, project)).toEqual([`${images.v2} running`]);
        });

        if (upgradeOnly) return;

        it('a changed proxy config is reloaded in place: same container, the new header in effect, 0 failed requests', async () => {
          app.addResponseHeader(HEADER, '2');
          const { result, facts } = await underLoad('proxy config changed (reload)', inputs(images.v2));
          expect(result.error).toBeUndefined();
          const sentAfterStep = Object.values(facts.afterStep).reduce((a, b) => a + b, 0);
          expect(sentAfterStep).toBeGreaterThan((RATE * AFTER_MS) / 2000);
          expect(facts).toEqual({
            failed: 0,
            proxyRecreated: false,
            afterStep: { [`200 v2 ${HEADER}=2`]: sentAfterStep },
          });
        });

        if (deaf)
          it('a new version deaf on the port the proxy uses never joins the rotation: the step fails naming it, the old version serves, 0 failed requests', async () => {
            // v3 listens on 8081 and its own healthcheck (on that port) passes; the proxy sends to 8080.
            const { result, facts } = await underLoad(
              "web v3 deaf on the proxy's port, public-url",
              inputs(images.v3, {
                env: `PROXY_PORT=${port}\nWEB_PORT=8081`,
                'public-url': url,
                'expect-version': 'v3',
                // how long a new container may take to answer where the proxy dials, too: short, as it never will
                // (its wait starts once v3 is healthy, ~1 s after its start; 10 s leaves room on a loaded machine)
                'container-health-timeout': '10s',
              }),
            );
            expect(result.error?.message).toMatch(
              /container \S+ does not answer on port 8080, where the project's proxy sends web its requests: it never joined the rotation/,
            );
            const sentAfterStep = Object.values(facts.afterStep).reduce((a, b) => a + b, 0);
            expect(facts).toEqual({
              failed: 0,
              proxyRecreated: false,
              afterStep: { [`200 v2 ${HEADER}=2`]: sentAfterStep },
            });
            expect(await runningImages(infra, host, project)).toEqual([`${images.v2} running`]);
            expect((await history(infra, host, project)).at(-1)).toMatchObject({
              result: 'failed',
              images: { web: images.v3 },
            });
          });

        it('a public-url that does not answer as the new release undoes the switch: the step fails naming the answer, the old version serves, 0 failed requests', async () => {
          // v3 is reachable and healthy, but the entry point must report v9: it never does.
          const { result, facts } = await underLoad(
            'web v3, public-url expecting v9',
            inputs(images.v3, {
              env: `PROXY_PORT=${port}`,
              'public-url': url,
              'expect-version': 'v9',
              'container-health-timeout': '10s',
            }),
          );
          expect(result.error?.message).toContain('public-url http://127.0.0.1:');
          expect(result.error?.message).toMatch(
            /it answered HTTP 200 "v[23]": version v9 not found in the body/,
          );
          expect(result.error?.message).toContain('The switch was undone; the old containers serve on.');
          const sentAfterStep = Object.values(facts.afterStep).reduce((a, b) => a + b, 0);
          expect(facts).toEqual({
            failed: 0,
            proxyRecreated: false,
            afterStep: { [`200 v2 ${HEADER}=2`]: sentAfterStep },
          });
          expect(await runningImages(infra, host, project)).toEqual([`${images.v2} running`]);
        });
      },
    );
  },
);
