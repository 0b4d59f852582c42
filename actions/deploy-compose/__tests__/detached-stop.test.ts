// Rolling reports once the entry point serves the new version: the old containers (out of rotation already) drain
// and stop afterwards, detached on the host, under the project's deploy lock. An app that ignores SIGTERM makes
// that stop take its whole stop grace period (10 s), which the step no longer waits for.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithInfra } from '@slipway/testing';
import { baseInputs, cleanHost, deploy, REMOTE_DIR, randomTag, sh } from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithInfra(
  'deploy-compose: the old containers stop after the verdict (real sshd and Docker)',
  (infra) => {
    const host = infra.ssh.hosts[infra.ssh.hosts.length - 1];
    const project = randomTag();
    const repo = `127.0.0.1:5000/${project}/web`;
    const dir = mkdtempSync(join(tmpdir(), 'dc-deaf-'));
    const compose = join(dir, 'docker-compose.yml');
    // PID 1 with SIGTERM ignored: `docker stop` waits out the whole stop grace period, then kills it
    writeFileSync(
      compose,
      [
        'services:',
        '  web:',
        `    image: ${repo}:unpinned`,
        '    stop_grace_period: 10s',
        `    command: ["sh", "-c", "trap '' TERM; exec httpd -f -p 8080 -h /www"]`,
        '',
      ].join('\n'),
    );
    const images = { v1: '', v2: '', v3: '' };
    const inputs = (image: string) =>
      baseInputs(infra, [host], project, compose, { images: `web=${image}`, 'drain-period': '1s' });
    const webIds = async () =>
      (await sh(infra, host, `docker ps -aq --no-trunc --filter label=com.docker.compose.project=${project}`))
        .trim()
        .split('\n')
        .filter(Boolean);

    beforeAll(() => {
      images.v1 = buildWebImage(repo, 'v1');
      images.v2 = buildWebImage(repo, 'v2');
      images.v3 = buildWebImage(repo, 'v3');
    });
    afterAll(async () => {
      await cleanHost(infra, host, project);
      rmSync(dir, { recursive: true, force: true });
    });

    it('an app that ignores SIGTERM: the step ends before its old container is gone; a deploy right after waits for the stop', async () => {
      expect((await deploy(inputs(images.v1))).error).toBeUndefined();
      const [v1] = await webIds();
      expect(v1).toBeDefined();

      const started = Date.now();
      const second = await deploy(inputs(images.v2));
      const stepMs = Date.now() - started;
      expect(second.error).toBeUndefined();
      // the old container still exists: the step did not wait out its 10 s stop grace period
      expect(await webIds()).toContain(v1);
      expect(stepMs).toBeLessThan(9_000);
      const lock = await sh(
        infra,
        host,
        `cat ${REMOTE_DIR}/${project}/.slipway.lock/info 2>/dev/null || true`,
      );
      expect(lock).toMatch(/^owner=old-containers-stop$/m);

      // a deploy started right now (lock-wait 0s) waits for the stop under the lock, then runs: the old container
      // was gone before it changed anything
      let goneAt = 0;
      let watching = true;
      const watch = (async () => {
        while (watching && goneAt === 0) {
          if (!(await webIds()).includes(v1)) goneAt = Date.now();
          else await sleep(250);
        }
      })();
      const lines: string[] = [];
      let rollingAt = 0;
      const third = await deploy(inputs(images.v3), undefined, (line) => {
        lines.push(line);
        if (/web: rolling/.test(line) && rollingAt === 0) rollingAt = Date.now();
      });
      watching = false;
      await watch;
      expect(third.error).toBeUndefined();
      expect(lines.join('\n')).toMatch(/waiting for the deploy lock held by the stop of the old containers/);
      expect(goneAt).toBeGreaterThan(0);
      expect(rollingAt).toBeGreaterThan(goneAt);
      // the stop took the whole grace period (the app ignores SIGTERM), after the step had reported
      expect(goneAt - started).toBeGreaterThan(stepMs + 5_000);

      // and the third deploy's own old container (v2) is stopped afterwards too, the lock freed once it is gone
      for (let i = 0; i < 80; i++) {
        const left = await webIds();
        const held = await sh(
          infra,
          host,
          `test -e ${REMOTE_DIR}/${project}/.slipway.lock && echo held || echo free`,
        );
        if (left.length === 1 && held.trim() === 'free') break;
        await sleep(250);
      }
      expect((await webIds()).length).toBe(1);
      expect(
        (
          await sh(infra, host, `test -e ${REMOTE_DIR}/${project}/.slipway.lock && echo held || echo free`)
        ).trim(),
      ).toBe('free');
      expect(
        (await sh(infra, host, `ls -A ${REMOTE_DIR}/${project}/.slipway-retire 2>/dev/null || true`)).trim(),
      ).toBe('');
    });
  },
);
