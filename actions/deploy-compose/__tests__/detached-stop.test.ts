// Rolling reports once the entry point serves the new version: the old containers (out of rotation already) drain
// and stop afterwards, detached on the host, under the project's deploy lock. An app that ignores SIGTERM makes
// that stop take its whole stop grace period (10 s), which the step no longer waits for. In the layout users run
// (Caddy in the same project, the only published port), under a 200 req/s open-loop load from before the first
// of these deploys until the last stop is over: no request fails while an old container waits out its grace.

import { readFileSync, writeFileSync } from 'node:fs';
import { sleep } from '@slipway/shared';
import { describeWithInfra, failedCount, startRateLoad, summarizeLoad, waitForBody } from '@slipway/testing';
import { baseInputs, deploy, REMOTE_DIR, sh } from './fixtures/hosts';
import { proxyProject } from './fixtures/proxy-project';

jest.setTimeout(180_000);

/** web's PID 1 ignores SIGTERM (its nginx, a child, never gets it): `docker stop` waits 10 s, then kills. */
function ignoreSigterm(composeFile: string) {
  const text = readFileSync(composeFile, 'utf8');
  const grace = '    stop_grace_period: 2s\n';
  if (!text.includes(grace)) throw new Error(`${composeFile}: no "${grace.trim()}" line under web`);
  const deaf = `    stop_grace_period: 10s\n    command: ["sh", "-c", "trap '' TERM; /start.sh & wait"]\n`;
  writeFileSync(composeFile, text.replace(grace, deaf));
}

describeWithInfra(
  'deploy-compose: the old containers stop after the verdict (real sshd, Docker, Caddy in the project)',
  (infra) => {
    const host = infra.ssh.hosts[infra.ssh.hosts.length - 1];
    const p = proxyProject(infra, { layout: 'caddy', hosts: [host], versions: ['v1', 'v2', 'v3'] });
    const { project, images } = p;
    const inputs = (image: string) =>
      baseInputs(infra, [host], project, p.app.composeFile, {
        images: `web=${image}`,
        files: p.app.files,
        'drain-period': '1s',
      });
    const webIds = async () =>
      (
        await sh(
          infra,
          host,
          `docker ps -aq --no-trunc --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=web`,
        )
      )
        .trim()
        .split('\n')
        .filter(Boolean);

    beforeAll(() => ignoreSigterm(p.app.composeFile));

    it('an app that ignores SIGTERM: the step ends before its old container is gone; a deploy right after waits for the stop', async () => {
      expect((await deploy(inputs(images.v1))).error).toBeUndefined();
      const [v1] = await webIds();
      expect(v1).toBeDefined();
      await waitForBody(p.url(host), 'v1');

      const load = startRateLoad(p.url(host), { rate: 200 });
      await sleep(1000);
      const started = Date.now();
      const second = await deploy(inputs(images.v2));
      const stepMs = Date.now() - started;
      expect(second.error).toBeUndefined();
      // the old container still exists: the step did not wait out its 10 s stop grace period (a bound on the step's
      // time would say the same less surely: on a saturated machine a step alone can take seconds)
      expect(await webIds()).toContain(v1);
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
      // through both rolls and both 10 s stops, every request was answered, and the last ones by v3
      await sleep(1000);
      const counts = await load.stop();
      console.log(`detached stops under load (Caddy): ${summarizeLoad(counts)}`);
      expect(failedCount(counts)).toBe(0);
      expect(counts.bodies.get('v2')).toBeGreaterThan(0);
      expect(counts.outcomes.at(-1)?.body).toBe('v3');
    });
  },
);
