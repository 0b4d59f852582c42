import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeMatrix, describeWithInfra, freePort, runBundle, waitForBody } from '@slipway/testing';
import { baseInputs, cleanHost, randomTag } from './fixtures/hosts';
import { copyLayout } from './fixtures/proxy-layouts';
import { buildNginxWebImage } from './fixtures/web-image';

// A Caddy that pools by name is reloaded when containers leave the rotation (reload_proxies). One with its admin
// endpoint off cannot be: the deploy goes on as before that reload existed, and the step says so in a notice.
// Run as the runner runs the action (its bundle), on a real host with real Caddy.
jest.setTimeout(180_000);

describeWithInfra(
  'deploy-compose behind Caddy with its admin endpoint off (real sshd, Docker, Caddy)',
  (infra) => {
    const host = (composeMatrix(infra).at(-1) ?? composeMatrix(infra)[0])[1];
    const project = randomTag();
    const repo = `${infra.registry.open}/${project}/web`;
    const app = copyLayout('caddy-plain');
    const caddyfile = join(app.dir, 'proxy/Caddyfile');
    writeFileSync(caddyfile, `{\n\tadmin off\n}\n${readFileSync(caddyfile, 'utf8')}`);
    afterAll(async () => {
      await cleanHost(infra, host, project);
      rmSync(app.dir, { recursive: true, force: true });
    });

    it('rolls web all the same, and names the Caddy it could not reload in a notice', async () => {
      const port = await freePort();
      const step = (version: string) =>
        runBundle({
          action: join(__dirname, '..'),
          inputs: baseInputs(infra, [host], project, app.composeFile, {
            images: `web=${buildNginxWebImage(repo, version)}`,
            'drain-period': '1s',
            files: app.files,
            env: `PROXY_PORT=${port}`,
          }),
          post: false,
        });
      const first = await step('v1');
      expect(first.exitCode).toBe(0);
      await waitForBody(`http://127.0.0.1:${port}/`, 'v1');
      const second = await step('v2');
      expect(second.annotations.filter((a) => a.level === 'error')).toEqual([]);
      expect(second.exitCode).toBe(0);
      expect(second.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toContainEqual(
        expect.stringMatching(
          /: Caddy in proxy was not reloaded \(.+\): it sends requests on its kept-alive connections to the containers that left the rotation until they stop\. Keep its admin endpoint on \(the default\) so Slipway can reload it\.$/,
        ),
      );
      await waitForBody(`http://127.0.0.1:${port}/`, 'v2');
    });
  },
);
