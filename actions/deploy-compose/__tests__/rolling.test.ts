import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeMatrix, describeWithInfra, type SshHost, waitForBody } from '@slipway/testing';
import { writeCompose } from './fixtures/compose';
import { baseInputs, cleanHost, deploy, history, randomTag, sh, untilLockFree } from './fixtures/hosts';
import { startLoad } from './fixtures/load';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

/** The name Compose gives a service's container: v1 `<project>_<service>_<n>`, v2 `<project>-<service>-<n>`. */
const containerName = (host: SshHost, project: string, service: string) => {
  const name = host.compose === 'v2' ? `${project}-${service}-\\d+` : `${project}_${service}_\\d+`;
  // and the `com.docker.compose.version` label says which Compose version made it (without Debian's revision)
  return new RegExp(`^${name} ${(host.composeVersion ?? '').split('-')[0].replace(/\./g, '\\.')}$`);
};

describeWithInfra('deploy-compose on one host (real sshd and Docker)', (infra) => {
  describe.each(composeMatrix(infra))('%s', (label, host) => {
    const project = randomTag();
    const repo = `127.0.0.1:5000/${project}/web`;
    const port = 18000 + Math.floor(Math.random() * 1000);
    const url = `http://127.0.0.1:${port}/`;
    const dir = mkdtempSync(join(tmpdir(), 'dc-compose-'));
    const compose = writeCompose(dir, repo, port);
    const images = { v1: '', v2: '', v3: '', bad: '' };
    const inputs = (image: string, extra: Record<string, string> = {}) =>
      baseInputs(infra, [host], project, compose, {
        images: `web=${image}`,
        env: 'GREETING=hello',
        // the old containers drain while the load runs (Caddy follows DNS every 1s)
        'drain-period': '2s',
        ...extra,
      });

    beforeAll(() => {
      images.v1 = buildWebImage(repo, 'v1');
      images.v2 = buildWebImage(repo, 'v2');
      images.v3 = buildWebImage(repo, 'v3');
      images.bad = buildWebImage(repo, 'bad', { healthy: false });
    });
    afterAll(async () => {
      await cleanHost(infra, host, project);
      rmSync(dir, { recursive: true, force: true });
    });

    it('first deploy: waits until healthy, records the release, keeps the env file private', async () => {
      const first = await deploy(inputs(images.v1));
      expect(first.error).toBeUndefined();
      expect(first.outputs['release-id']).toMatch(/^\d{8}T\d{6}Z-0123456|^\d{8}T\d{6}Z-/);
      expect(first.outputs['previous-release-id']).toBe('');
      const result = first.hosts[`${host.user}@${host.host}:${host.port}`];
      expect(result).toMatchObject({ status: 'deployed', images: { web: images.v1 } });
      await waitForBody(url, 'v1');
      const [entry] = await history(infra, host, project);
      expect(entry).toMatchObject({
        id: first.outputs['release-id'],
        result: 'deployed',
        images: { web: images.v1 },
      });
      const checks = await sh(
        infra,
        host,
        `cd .slipway-test/${project}/releases/${entry.id} && stat -c '%a %n' release.env
c=$(docker ps -q --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=web)
docker inspect -f '{{.State.Health.Status}} {{.Image}}' $c; docker exec $c sh -c 'echo "$GREETING"'
test -e ../../.slipway.lock && echo locked || echo unlocked`,
      );
      const lines = checks.trim().split('\n');
      expect(lines[0]).toBe('600 release.env');
      expect(lines[1]).toMatch(/^healthy sha256:/);
      expect(lines.slice(2)).toEqual(['hello', 'unlocked']);
      // the host's own Compose made the containers (each names them its own way)
      const names = await sh(
        infra,
        host,
        `docker ps --filter label=com.docker.compose.project=${project} --format '{{.Names}} {{.Label "com.docker.compose.version"}}'`,
      );
      expect(names.trim().split('\n').sort()).toEqual([
        expect.stringMatching(containerName(host, project, 'proxy')),
        expect.stringMatching(containerName(host, project, 'web')),
      ]);
    });

    it('rolling upgrade under load: 0 failed requests; a no-change re-deploy changes nothing', async () => {
      const load = startLoad(url);
      const upgrade = await deploy(inputs(images.v2));
      // the load runs on while the old container drains and stops after the step (under the deploy lock)
      await untilLockFree(infra, host, project);
      const counts = await load.stop();
      console.log(
        `rolling (${label}): ${counts.ok} ok, ${counts.failed} failed`,
        counts.bodies,
        counts.errors.slice(0, 5),
      );
      expect(upgrade.error).toBeUndefined();
      expect(counts.ok).toBeGreaterThan(20);
      expect(counts.bodies.get('v2')).toBeGreaterThan(0);
      expect(counts.failed).toBe(0);
      const again = await deploy(inputs(images.v2, { 'keep-releases': '2' }));
      expect(again.error).toBeUndefined();
      const kept = await sh(infra, host, `ls .slipway-test/${project}/releases`);
      expect(kept.trim().split('\n')).toEqual(
        [upgrade.outputs['release-id'], again.outputs['release-id']].sort(),
      );
      expect((await history(infra, host, project)).map((e) => e.id)).toEqual([
        upgrade.outputs['release-id'],
        again.outputs['release-id'],
      ]);
      expect(Object.values(again.hosts)[0]).toMatchObject({ status: 'unchanged' });
      expect(again.outputs['previous-release-id']).toBe(upgrade.outputs['release-id']);
    });

    // How many requests recreate loses depends on timing (Caddy's retry window against the container's
    // stop and boot): bench/ measures it beside rolling; here it only has to complete and serve the new version.
    it('recreate under the same load completes and serves the new version', async () => {
      const load = startLoad(url);
      const recreate = await deploy(inputs(images.v3, { strategy: 'recreate' }));
      const counts = await load.stop();
      console.log(
        `recreate (${label}): ${counts.ok} ok, ${counts.failed} failed`,
        counts.bodies,
        counts.errors.slice(0, 5),
      );
      expect(recreate.error).toBeUndefined();
      expect(counts.ok).toBeGreaterThan(0);
      await waitForBody(url, 'v3');
    });

    it('an unhealthy new version is rolled back: the old one keeps serving and the history says so', async () => {
      const before = (await history(infra, host, project)).filter((e) => e.result === 'deployed').at(-1);
      const bad = await deploy(inputs(images.bad, { 'container-health-timeout': '8s' }));
      expect(bad.error?.message).toContain(`failed on ${host.user}@${host.host}:${host.port}`);
      expect(bad.error?.message).toMatch(/is running unhealthy|not healthy within/);
      expect(bad.error?.message).toContain(`rolled back to ${before?.id}`);
      expect(Object.values(bad.hosts)[0]).toMatchObject({ status: 'failed' });
      expect((await fetch(url).then((r) => r.text())).trim()).toBe('v3');
      const entries = await history(infra, host, project);
      expect(entries.at(-1)).toMatchObject({
        id: bad.outputs['release-id'],
        result: 'failed',
        images: { web: images.bad },
      });
      expect(entries.filter((e) => e.result === 'deployed').at(-1)?.id).toBe(before?.id);
      const running = await sh(
        infra,
        host,
        `docker ps --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=web --format '{{.Image}}' | wc -l`,
      );
      expect(running.trim()).toBe('1');
    });
  });
});
