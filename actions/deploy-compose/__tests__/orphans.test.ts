import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeMatrix, describeWithInfra } from '@slipway/testing';
import { baseInputs, cleanHost, deploy, history, randomTag, sh, untilLockFree } from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

describeWithInfra('deploy-compose removes services a release does not have', (infra) => {
  describe.each(composeMatrix(infra))('%s', (_label, host) => {
    const project = randomTag();
    const repo = `127.0.0.1:5000/${project}/web`;
    const dir = mkdtempSync(join(tmpdir(), 'dc-orphans-'));
    const images = { v1: '', v2: '' };
    const web = `  web:\n    image: ${repo}:unpinned\n    stop_grace_period: 1s\n`;
    // A second service of the same image that does not serve HTTP (so no health check); it stops on SIGTERM (sleep
    // as PID 1 would not, and each stop would wait out the grace period).
    const worker = `  worker:\n    image: ${repo}:unpinned\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n    healthcheck:\n      disable: true\n    stop_grace_period: 1s\n`;
    const composeFile = (name: string, ...services: string[]) => {
      const file = join(dir, `${name}.yml`);
      writeFileSync(file, `services:\n${services.join('')}`);
      return file;
    };
    const webOnly = composeFile('web', web);
    const withWorker = composeFile('web-worker', web, worker);
    /** `service container-id` of each of the project's containers, running or not. */
    // (once the old containers' stop after the verdict, under the deploy lock, is over)
    const containers = () =>
      untilLockFree(infra, host, project).then(() =>
        sh(
          infra,
          host,
          `docker ps -a --filter label=com.docker.compose.project=${project} --format '{{.Label "com.docker.compose.service"}} {{.ID}}' | sort`,
        ).then((out) => out.trim().split('\n').filter(Boolean)),
      );
    const services = async () => (await containers()).map((line) => line.split(' ')[0]);

    beforeAll(() => {
      images.v1 = buildWebImage(repo, 'v1');
      images.v2 = buildWebImage(repo, 'v2');
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await cleanHost(infra, host, project);
    });

    it('a release that is reverted (v2 added a worker) leaves no worker behind', async () => {
      const first = await deploy(baseInputs(infra, [host], project, webOnly, { images: `web=${images.v1}` }));
      expect(first.error).toBeUndefined();
      const failing = await deploy(
        baseInputs(infra, [host], project, withWorker, {
          images: `web=${images.v2}\nworker=${images.v2}`,
          'post-deploy': 'echo "smoke check failed" >&2; exit 3',
        }),
      );
      expect(failing.error?.message).toContain(`rolled back to ${first.outputs['release-id']}`);
      expect(await services()).toEqual(['web']);
      const entries = await history(infra, host, project);
      expect(entries.at(-1)).toMatchObject({ result: 'failed' });
    });

    it('a deploy that drops a service removes its containers; the service that stays is not touched', async () => {
      const added = await deploy(
        baseInputs(infra, [host], project, withWorker, { images: `web=${images.v2}\nworker=${images.v2}` }),
      );
      expect(added.error).toBeUndefined();
      expect(await services()).toEqual(['web', 'worker']);
      const webBefore = (await containers()).find((line) => line.startsWith('web '));
      const dropped = await deploy(
        baseInputs(infra, [host], project, webOnly, { images: `web=${images.v2}` }),
      );
      expect(dropped.error).toBeUndefined();
      expect(dropped.hosts[Object.keys(dropped.hosts)[0]]).toMatchObject({ status: 'deployed' });
      expect(await containers()).toEqual([webBefore]);
    });
  });
});
