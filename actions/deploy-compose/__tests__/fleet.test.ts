import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeWithInfra } from '@slipway/testing';
import { writeWebCompose } from './fixtures/app';
import { baseInputs, cleanHost, deploy, history, hostName, randomTag, sh } from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

describeWithInfra('deploy-compose across three hosts', (infra) => {
  const hosts = infra.ssh.hosts;
  const project = randomTag();
  const repo = `127.0.0.1:5000/${project}/web`;
  const compose = writeWebCompose(repo);
  const images = { v1: '', v2: '' };
  const running = (i: number) =>
    sh(
      infra,
      hosts[i],
      `docker inspect -f '{{.Config.Image}}' $(docker ps -q --filter label=com.docker.compose.project=${project})`,
    ).then((s) => s.trim());

  beforeAll(() => {
    images.v1 = buildWebImage(repo, 'v1');
    images.v2 = buildWebImage(repo, 'v2');
  });
  afterAll(async () => {
    rmSync(dirname(compose), { recursive: true, force: true });
    await Promise.all(hosts.map((h) => cleanHost(infra, h, project)));
  });

  it('deploys to all three hosts in parallel', async () => {
    const first = await deploy(
      baseInputs(infra, hosts, project, compose, {
        images: `web=${images.v1}`,
        'max-parallel': '3',
        'drain-period': '0s', // not what this file tests (rolling.test.ts is): 6 rolls x 2 s saved
        // Runs in a one-off container of the NEW image, before anything changes.
        'pre-deploy-command': 'test "$(cat /www/index.html)" = v1',
        backup: 'echo "dumping $CURRENT_RELEASE"; echo /var/backups/shop-1.sql',
      }),
    );
    expect(first.error).toBeUndefined();
    for (const h of hosts)
      expect(first.hosts[hostName(h)]).toMatchObject({ status: 'deployed', images: { web: images.v1 } });
    expect(await Promise.all([0, 1, 2].map(running))).toEqual([images.v1, images.v1, images.v1]);
    expect((await history(infra, hosts[0], project)).at(-1)).toMatchObject({
      backup: '/var/backups/shop-1.sql',
    });
  });

  it('the third host fails: it rolls itself back and, atomic, the two updated hosts go back too', async () => {
    const before = (await history(infra, hosts[0], project)).at(-1)?.id;
    const failing = await deploy(
      baseInputs(infra, hosts, project, compose, {
        images: `web=${images.v2}`,
        'max-parallel': '1',
        'drain-period': '0s',
        'pre-deploy-command': 'test "$(cat /www/index.html)" = v2',
        'post-deploy': 'test "$(id -un)" != slipway-h3 || { echo "smoke check failed on h3" >&2; exit 7; }',
      }),
    );
    expect(failing.error?.message).toContain(`failed on ${hostName(hosts[2])}`);
    expect(failing.error?.message).toContain('smoke check failed on h3');
    expect(failing.error?.message).toContain(`rolled back to ${before}`);
    expect(failing.error?.message).toMatch(
      /Returned to the previous release \(atomic\): .*slipway-h1.*slipway-h2/,
    );
    expect(Object.values(failing.hosts).map((r) => (r as { status: string }).status)).toEqual([
      'rolled-back',
      'rolled-back',
      'failed',
    ]);
    expect(await Promise.all([0, 1, 2].map(running))).toEqual([images.v1, images.v1, images.v1]);
    const histories = await Promise.all(hosts.map((h) => history(infra, h, project)));
    expect(histories.map((entries) => entries.at(-1)?.result)).toEqual([
      'rolled-back',
      'rolled-back',
      'failed',
    ]);
    for (const entries of histories) {
      expect(entries.filter((e) => e.result === 'deployed').at(-1)?.id).toBe(before);
      expect(entries.at(-1)?.id).toBe(failing.outputs['release-id']);
    }
  });
});
