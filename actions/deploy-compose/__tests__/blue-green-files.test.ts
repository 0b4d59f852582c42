import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '@slipway/shared';
import { composeMatrix, deleteRegistryRepository, describeWithInfra, freePort } from '@slipway/testing';
import { baseInputs, cleanHost, deploy, history, REMOTE_DIR, randomTag, sh } from './fixtures/hosts';
import { copyLayout } from './fixtures/proxy-layouts';
import { rollbackInProcess } from './fixtures/rollback';
import { buildNginxWebImage } from './fixtures/web-image';

// A switch back (blue-green, inside keep-previous) makes the kept release's files live again: `web` mounts
// conf/app.txt and the proxy its nginx.conf from `live`, both changed by v2; after the rollback to v1 (only a
// switch) the kept v1 container and the proxy see v1's files, the recorded digests are v1's, and the next deploy
// of v2 finds both changed again. No load here: blue-green.test.ts measures the switch itself.
jest.setTimeout(300_000);

describeWithInfra(
  'blue-green switch back: the files of the kept release are live again (real sshd, Docker, Nginx)',
  (infra) => {
    const [v1Row, v2Row] = composeMatrix(infra);
    const host = (v2Row ?? v1Row)[1];
    const repoName = `${randomTag()}/web`;
    const repo = `${infra.registry?.open}/${repoName}`;
    const project = randomTag();
    const folder = `${REMOTE_DIR}/${project}`;
    const images = { v1: '', v2: '' };
    let app = {} as ReturnType<typeof copyLayout>;
    let url = '';

    let nginxConf = '';

    /** The project's files as release `version` has them: web's conf/app.txt, and the proxy's response header. */
    function filesOf(version: string) {
      writeFileSync(join(app.dir, 'conf/app.txt'), `app ${version}\n`);
      const header = nginxConf.replace(
        '# slipway-test: response header',
        `add_header X-Conf ${version} always;`,
      );
      writeFileSync(join(app.dir, 'proxy/nginx.conf'), header);
    }
    const inputs = (version: 'v1' | 'v2', extra: Record<string, string> = {}) => {
      filesOf(version);
      return baseInputs(infra, [host], project, app.composeFile, {
        images: `web=${images[version]}`,
        files: 'proxy\nconf',
        env: `PROXY_PORT=${new URL(url).port}`,
        strategy: 'blue-green',
        'public-url': url,
        'expect-version': version,
        // an Nginx worker from before the switch's reload may still take the verify's first connection
        'drain-period': '1s',
        ...extra,
      });
    };
    const answer = async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return `${(await response.text()).trim()} ${response.headers.get('x-conf')}`;
    };
    const inside = (id: string) =>
      sh(infra, host, `docker exec ${id} cat /srv/app.txt`).then((s) => s.trim());
    const recorded = () =>
      sh(infra, host, `cd ${folder} && cat .slipway-state/web.files .slipway-state/proxy.files`).then((s) =>
        s.trim().split('\n'),
      );
    const digestsOf = async (version: string) => {
      const entry = (await history(infra, host, project)).find(
        (e) => e.result === 'deployed' && e.images.web === images[version as 'v1'],
      ) as unknown as { services: Array<{ name: string; filesDigest?: string }> };
      return ['web', 'proxy'].map((name) => entry.services.find((s) => s.name === name)?.filesDigest);
    };

    beforeAll(async () => {
      images.v1 = buildNginxWebImage(repo, 'v1');
      images.v2 = buildNginxWebImage(repo, 'v2');
      app = copyLayout('nginx-static');
      nginxConf = app.configText();
      mkdirSync(join(app.dir, 'conf'));
      const compose = app.composeFile;
      writeFileSync(
        compose,
        readFileSync(compose, 'utf8').replace(
          '    stop_grace_period: 2s\n',
          '    stop_grace_period: 2s\n    volumes: ["./conf/app.txt:/srv/app.txt:ro"]\n',
        ),
      );
      url = `http://127.0.0.1:${await freePort()}/`;
      const first = await deploy(inputs('v1', { strategy: 'rolling' }));
      if (first.error) throw first.error;
      for (let i = 0; i < 60 && (await answer().catch(() => '')) !== 'v1 v1'; i++) await sleep(500);
    });
    afterAll(async () => {
      await cleanHost(infra, host, project);
      if (app.dir) rmSync(app.dir, { recursive: true, force: true });
      await deleteRegistryRepository(infra.registry.open, repoName);
    });

    it('v1 → v2 (blue-green, v1 kept), rollback to v1 (a switch back): live, the kept container, the proxy and the recorded digests are v1 again; a new deploy of v2 changes them all', async () => {
      expect(await answer()).toBe('v1 v1');
      const v2 = await deploy(inputs('v2'));
      expect(v2.error).toBeUndefined();
      expect(await answer()).toBe('v2 v2');
      const keptId = (
        (await history(infra, host, project)).at(-1) as unknown as {
          kept: { containers: Record<string, string[]> };
        }
      ).kept.containers.web[0];
      expect(await recorded()).toEqual(await digestsOf('v2'));

      const back = await rollbackInProcess(infra, [host], project, url, 'v1');
      expect(back.error).toBeUndefined();
      expect((await history(infra, host, project)).at(-1)).toMatchObject({ strategy: 'switch-back' });
      expect((await sh(infra, host, `cat ${folder}/live/conf/app.txt`)).trim()).toBe('app v1');
      // the very container kept running (nothing started), reading v1's file again through its bind mount
      expect(await inside(keptId)).toBe('app v1');
      // the proxy's reload at the switch read v1's nginx.conf
      expect(await answer()).toBe('v1 v1');
      // the next deploy compares against what runs: v1's files
      expect(await recorded()).toEqual(await digestsOf('v1'));

      // (the rollback marked v2's image bad: deployed again on purpose)
      const again = await deploy(inputs('v2', { force: 'true' }));
      expect(again.error).toBeUndefined();
      expect(await answer()).toBe('v2 v2');
      const current = (
        await sh(
          infra,
          host,
          `docker ps -q --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=web --filter ancestor=${images.v2}`,
        )
      )
        .trim()
        .split('\n');
      for (const id of current) expect(await inside(id)).toBe('app v2');
    });
  },
);
