import { sleep } from '@slipway/shared';
import {
  composeMatrix,
  describeWithInfra,
  failedCount,
  startRateLoad,
  summarizeLoad,
} from '@slipway/testing';
import { baseInputs, deploy } from './fixtures/hosts';
import { proxyProject } from './fixtures/proxy-project';

// An Nginx reload (HUP) takes effect a moment after the signal: until the master has started new workers and told
// the old ones to stop, an old worker (old upstream addresses) still accepts new connections. With drain-period 0s
// nothing else waits for that, so the verify after the switch (public-url, expect-version) could meet the outgoing
// colour through such a worker and undo a good switch. reload_proxy waits for it (lib.sh nginx_settled).
jest.setTimeout(300_000);

describeWithInfra('blue-green behind Nginx with drain-period 0s (real sshd, Docker, Nginx)', (infra) => {
  const [v1Row, v2Row] = composeMatrix(infra);
  const host = (v2Row ?? v1Row)[1];
  const versions = ['v1', 'v2', 'v3', 'v4'];
  const p = proxyProject(infra, { layout: 'nginx-static', hosts: [host], versions });
  const inputs = (version: string, extra: Record<string, string> = {}) =>
    baseInputs(infra, [host], p.project, p.app.composeFile, {
      images: `web=${p.images[version]}`,
      files: p.app.files,
      strategy: 'blue-green',
      'public-url': p.url(host),
      'expect-version': version,
      'drain-period': '0s',
      ...extra,
    });

  beforeAll(async () => {
    const first = await deploy(inputs('v1', { strategy: 'rolling', 'public-url': '', 'expect-version': '' }));
    if (first.error) throw first.error;
  });

  it('three switches in a row under 200 req/s: the verify after each never meets the old colour', async () => {
    for (const version of versions.slice(1)) {
      const load = startRateLoad(p.url(host), { rate: 200 });
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
