// A rolling deploy of a stack of two public services (web, and api behind /api/) behind Nginx as most people write
// it (`proxy_pass http://web:8080;`, reloaded at each switch), the proxy in the same Compose project, on a real
// host, under 100 req/s to each service for the whole step. The old containers of web drain while api rolls (they
// are queued to stop, not waited for between services), the step reports only once the last drain is over, and no
// request fails.
import { rmSync } from 'node:fs';
import { sleep } from '@slipway/shared';
import {
  composeMatrix,
  deleteRegistryRepository,
  describeWithInfra,
  failedCount,
  freePort,
  startRateLoad,
  summarizeLoad,
  waitForBody,
} from '@slipway/testing';
import { baseInputs, cleanHost, deploy, randomTag, sh, untilLockFree } from './fixtures/hosts';
import { copyLayout } from './fixtures/proxy-layouts';
import { buildNginxWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

const DRAIN_MS = 3_000;

describeWithInfra('rolling a stack of two services behind Nginx in the same project', (infra) => {
  const [v1Row, v2Row] = composeMatrix(infra);
  const host = (v2Row ?? v1Row)[1];
  const project = randomTag();
  const repoName = `${randomTag()}/web`;
  const repo = `${infra.registry.open}/${repoName}`;
  const app = copyLayout('nginx-static');
  app.addApiService();
  let port = 0;
  const images = { v1: '', v2: '' };
  const inputs = (image: string) =>
    baseInputs(infra, [host], project, app.composeFile, {
      images: `web=${image}\napi=${image}`,
      files: app.files,
      env: `PROXY_PORT=${port}`,
      'drain-period': `${DRAIN_MS / 1000}s`,
    });

  beforeAll(async () => {
    images.v1 = buildNginxWebImage(repo, 'v1');
    images.v2 = buildNginxWebImage(repo, 'v2');
    port = await freePort();
    const first = await deploy(inputs(images.v1));
    if (first.error) throw first.error;
    await waitForBody(`http://127.0.0.1:${port}/api/`, 'v1');
  });
  afterAll(async () => {
    await cleanHost(infra, host, project);
    await deleteRegistryRepository(infra.registry.open, repoName);
    rmSync(app.dir, { recursive: true, force: true });
  });

  it('web v1 → v2 and api v1 → v2 under load: 0 failed, api rolls while web drains, the step ends after the last drain', async () => {
    const url = `http://127.0.0.1:${port}/`;
    const loads = [startRateLoad(url, { rate: 100 }), startRateLoad(`${url}api/`, { rate: 100 })];
    await sleep(1_000);
    /** When each info line was written, from the step's start. */
    const said: Array<[number, string]> = [];
    // the step's debug lines (timed-connect.ts: how long each remote command took), as the runner would get them
    const debug: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
      debug.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
    const started = Date.now();
    const result = await deploy(inputs(images.v2), undefined, (line) =>
      said.push([Date.now() - started, line]),
    ).finally(() => spy.mockRestore());
    const ended = Date.now() - started;
    await sleep(1_000);
    const [web, api] = await Promise.all(loads.map((l) => l.stop()));
    console.log(`rolling web and api: web ${summarizeLoad(web)}; api ${summarizeLoad(api)}`);
    expect(result.error).toBeUndefined();
    expect({ web: failedCount(web), api: failedCount(api) }).toEqual({ web: 0, api: 0 });
    expect([web.outcomes.at(-1)?.body, api.outcomes.at(-1)?.body]).toEqual(['v2', 'v2']);

    const at = (pattern: RegExp) => {
      const found = said.find(([, line]) => pattern.test(line));
      if (!found) throw new Error(`no line ${pattern} in:\n${said.map(([, l]) => l).join('\n')}`);
      return found[0];
    };
    // web's old containers were queued to stop at once, not drained before api's roll could begin
    const finish = /rolling web \(the old containers are queued to stop once drained\): (\d+) ms/.exec(
      debug.join(''),
    );
    expect(finish).not.toBeNull();
    expect(Number(finish?.[1])).toBeLessThan(DRAIN_MS - 1_000);
    const apiDrains = at(/: api: the old containers are out of rotation and drain for 3 s;/);
    // and the step reported only once api's old containers had drained too
    expect(ended - apiDrains).toBeGreaterThanOrEqual(DRAIN_MS - 100);
    // the old containers stop after the step, on the host, under the lock: none is left once it is free
    await untilLockFree(infra, host, project);
    const left = await sh(
      infra,
      host,
      `docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}} {{.Config.Image}} {{.State.Status}}' $(docker ps -aq --filter label=com.docker.compose.project=${project}) | sort`,
    );
    expect(left.trim().split('\n')).toEqual([
      `api ${images.v2} running`,
      `proxy ${infra.images.nginxRemote} running`,
      `web ${images.v2} running`,
    ]);
  });
});
