import { rmSync } from 'node:fs';
import {
  composeMatrix,
  deleteRegistryRepository,
  describeWithInfra,
  failedCount,
  freePort,
  startRateLoad,
  summarizeLoad,
} from '@slipway/testing';
import { baseInputs, cleanHost, deploy, randomTag } from './fixtures/hosts';
import { copyLayout } from './fixtures/proxy-layouts';
import { buildNginxWebImage } from './fixtures/web-image';

// An Nginx reload (HUP) takes effect a moment after the signal: until the master has started new workers and told
// the old ones to stop, an old worker (old upstream addresses) still accepts new connections. With drain-period 0s
// nothing else waits for that, so the verify after the switch (public-url, expect-version) could meet the outgoing
// colour through such a worker and undo a good switch. reload_proxy waits for it (lib.sh nginx_settled).
jest.setTimeout(300_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithInfra('blue-green behind Nginx with drain-period 0s (real sshd, Docker, Nginx)', (infra) => {
  const [v1Row, v2Row] = composeMatrix(infra);
  const host = (v2Row ?? v1Row)[1];
  const repoName = `${randomTag()}/web`;
  const repo = `${infra.registry?.open}/${repoName}`;
  const project = randomTag();
  const versions = ['v1', 'v2', 'v3', 'v4'];
  const images: Record<string, string> = {};
  let app = {} as ReturnType<typeof copyLayout>;
  let url = '';
  let port = 0;
  const inputs = (version: string, extra: Record<string, string> = {}) =>
    baseInputs(infra, [host], project, app.composeFile, {
      images: `web=${images[version]}`,
      files: app.files,
      env: `PROXY_PORT=${port}`,
      strategy: 'blue-green',
      'public-url': url,
      'expect-version': version,
      'drain-period': '0s',
      ...extra,
    });

  beforeAll(async () => {
    for (const version of versions) images[version] = buildNginxWebImage(repo, version);
    app = copyLayout('nginx-static');
    port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    const first = await deploy(inputs('v1', { strategy: 'rolling', 'public-url': '', 'expect-version': '' }));
    if (first.error) throw first.error;
  });
  afterAll(async () => {
    await cleanHost(infra, host, project);
    if (app.dir) rmSync(app.dir, { recursive: true, force: true });
    await deleteRegistryRepository(infra.registry.open, repoName);
  });

  it('three switches in a row under 200 req/s: the verify after each never meets the old colour', async () => {
    for (const version of versions.slice(1)) {
      const load = startRateLoad(url, { rate: 200 });
      await sleep(500);
      const result = await deploy(inputs(version));
      await sleep(500);
      const counts = await load.stop();
      console.log(`switch to ${version}: ${result.error ? 'failed' : 'passed'}; ${summarizeLoad(counts)}`);
      expect(result.error?.message).toBeUndefined();
      expect(counts.outcomes.at(-1)?.body).toBe(version);
      expect(failedCount(counts)).toBe(0);
    }
  });
});
