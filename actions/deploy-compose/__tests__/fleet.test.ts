import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeWithInfra } from '@slipway/testing';
import { writeWebCompose } from './fixtures/app';
import {
  baseInputs,
  cleanHost,
  deploy,
  history,
  hostName,
  randomTag,
  sh,
  untilLockFree,
} from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

describeWithInfra('deploy-compose across three hosts', (infra) => {
  const hosts = infra.ssh.hosts;
  const project = randomTag();
  const repo = `127.0.0.1:5000/${project}/web`;
  const compose = writeWebCompose(repo);
  const images = { v1: '', v2: '' };
  // @actions/core keeps the summary file's path once it has seen it: one file for the whole file, emptied per test.
  const summaryDir = mkdtempSync(join(tmpdir(), 'dc-fleet-summary-'));
  const summaryFile = join(summaryDir, 'summary.md');
  const summary = () => readFileSync(summaryFile, 'utf8');
  // (once the old containers' stop after the verdict, under the deploy lock, is over)
  const running = (i: number) =>
    untilLockFree(infra, hosts[i], project)
      .then(() =>
        sh(
          infra,
          hosts[i],
          `docker inspect -f '{{.Config.Image}}' $(docker ps -q --filter label=com.docker.compose.project=${project})`,
        ),
      )
      .then((s) => s.trim());

  beforeAll(() => {
    process.env.GITHUB_STEP_SUMMARY = summaryFile;
    images.v1 = buildWebImage(repo, 'v1');
    images.v2 = buildWebImage(repo, 'v2');
  });
  beforeEach(() => writeFileSync(summaryFile, ''));
  afterAll(async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    rmSync(summaryDir, { recursive: true, force: true });
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
        'pre-deploy-command': 'echo "index is $(cat /www/index.html)"; test "$(cat /www/index.html)" = v1',
        backup: 'echo "dumping $CURRENT_RELEASE"; echo /var/backups/shop-1.sql',
      }),
    );
    expect(first.error).toBeUndefined();
    for (const h of hosts) {
      expect(first.hosts[hostName(h)]).toMatchObject({
        status: 'deployed',
        images: { web: images.v1 },
        backup: '/var/backups/shop-1.sql',
        preDeploy: { status: 'succeeded', exitCode: 0 },
      });
    }
    // As deploy-ecs's outputs and summary read: the exit code, the backups, a backup and a pre-deploy section.
    expect(first.outputs['pre-deploy-exit-code']).toBe('0');
    expect(first.outputs.backups).toBe(hosts.map((h) => `${hostName(h)}:/var/backups/shop-1.sql`).join(','));
    expect(summary()).toContain(`| ${hostName(hosts[2])} | \`/var/backups/shop-1.sql\` |`);
    for (const h of hosts) {
      expect(summary()).toContain(
        `### ✅ Pre-deploy container on ${hostName(h)}: succeeded\n\n\`echo "index is $(cat /www/index.html)"; test "$(cat /www/index.html)" = v1\` in a one-off \`web\` container of the new image`,
      );
    }
    expect(summary()).toContain('Last 1 log line(s):\n\n```\nindex is v1\n```');
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

  it('a pre-deploy that exits 3: no service changes, its exit code is the output and its last lines are in the summary', async () => {
    const failing = await deploy(
      baseInputs(infra, hosts, project, compose, {
        images: `web=${images.v2}`,
        'max-parallel': '1',
        'pre-deploy-command':
          'echo "migrating postgres://app:hunter2pw@db/shop"; echo "applying 0042"; echo "ERROR: relation orders exists" >&2; exit 3',
      }),
    );
    const h1 = hostName(hosts[0]);
    expect(failing.error?.message).toContain(`the pre-deploy hook on ${h1} exited with code 3:`);
    expect(failing.error?.message).toContain('ERROR: relation orders exists');
    expect(failing.outputs['pre-deploy-exit-code']).toBe('3');
    expect(failing.hosts[h1]).toMatchObject({
      status: 'failed',
      preDeploy: { status: 'failed', exitCode: 3 },
    });
    const text = summary();
    expect(text).toContain(`### ❌ Pre-deploy container on ${h1}: failed`);
    expect(text).toContain(`No service was changed on ${h1}: the pre-deploy command exited with code 3.`);
    for (const line of ['migrating postgres://***@db/shop', 'applying 0042', 'ERROR: relation orders exists'])
      expect(text).toContain(`\n${line}\n`);
    // The URL's password is masked in the summary, the error and the outputs.
    expect(text + failing.error?.message + JSON.stringify(failing.outputs)).not.toContain('hunter2pw');
    expect(await Promise.all([0, 1, 2].map(running))).toEqual([images.v1, images.v1, images.v1]);
  });
});
