// Rollbacks of a Compose fleet (h1, h2: each its own sshd and dockerd) to a release named by "to", by release id and
// by image digest, and the refusal when only one release was ever deployed. deploy-compose's own run() makes the
// history; the rollback bundle runs as on a runner. Nothing is published on the machine's loopback: each host's
// proxy is reached at its bridge address.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubLocal } from '@slipway/github-local';
import { createDeploymentRecords, createGitHubClient, type DeploymentRecords } from '@slipway/shared';
import { describeWithInfra, runBundle, type SshHost } from '@slipway/testing';
import { writeCompose } from '../../deploy-compose/__tests__/fixtures/compose';
import {
  baseInputs,
  cleanHost,
  deploy,
  history,
  proxyUrl,
  REMOTE_DIR,
  runningImages,
} from '../../deploy-compose/__tests__/fixtures/hosts';
import { buildWebImage } from '../../deploy-compose/__tests__/fixtures/web-image';
import { REPO, TOKEN } from './ecs-fixture';

jest.setTimeout(300_000);
const action = join(__dirname, '..');
const ENVIRONMENT = 'production';

describeWithInfra(
  'rollback of a Compose fleet to a named release (bundle, h1-h2 over real sshd)',
  (infra) => {
    const hosts = infra.ssh.hosts.slice(0, 2);
    const stamp = Date.now().toString(36);
    const project = `rbx${stamp}`;
    // A second project on the same hosts that only ever gets one release.
    const single = `rbs${stamp}`;
    const repo = `127.0.0.1:5000/${project}/web`;
    const dir = mkdtempSync(join(tmpdir(), 'rb-explicit-'));
    const compose = writeCompose(dir, repo);
    const images: Record<string, string> = {};
    const ids: Record<string, string> = {};
    let github: Awaited<ReturnType<typeof startGitHubLocal>>;
    let records: DeploymentRecords;
    const savedSha = process.env.GITHUB_SHA;

    async function release(name: string, version: string) {
      const done = await deploy(
        baseInputs(infra, hosts, name, compose, {
          images: `web=${images[version]}`,
          'deployment-environment': name === project ? ENVIRONMENT : `${ENVIRONMENT}-single`,
          'drain-period': '0s', // no load here: the drain is rolling.test.ts's subject
        }),
        records,
      );
      expect(done.error).toBeUndefined();
      return done.outputs['release-id'];
    }

    const running = (host: SshHost, name = project) => runningImages(infra, host, name);

    async function rollback(inputs: Record<string, string>, name = project) {
      const fleet = baseInputs(infra, hosts, name, compose);
      const urls = await Promise.all(hosts.map((h) => proxyUrl(infra, h, name)));
      return runBundle({
        action,
        inputs: {
          target: 'compose',
          environment: name === project ? ENVIRONMENT : `${ENVIRONMENT}-single`,
          hosts: fleet.hosts,
          'ssh-key': fleet['ssh-key'],
          'known-hosts': fleet['known-hosts'],
          project: name,
          'remote-dir': REMOTE_DIR,
          'container-health-timeout': '30s',
          'drain-period': '0s', // no load here: the drain is rolling.test.ts's subject
          'lock-wait': '0s',
          'health-url': urls.join('\n'),
          'health-samples': '3',
          'health-interval': '50ms',
          'ready-timeout': '30s',
          ...inputs,
        },
        env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPO },
        timeoutMs: 240_000,
      });
    }

    const errors = (run: Awaited<ReturnType<typeof rollback>>) =>
      run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

    beforeAll(async () => {
      process.env.GITHUB_SHA = 'c'.repeat(40);
      github = await startGitHubLocal({ token: TOKEN, wallClock: true });
      records = createDeploymentRecords(createGitHubClient(TOKEN, github.url), REPO);
      for (const v of ['v1', 'v2', 'v3']) images[v] = buildWebImage(repo, v);
      // the two projects are independent: the single release goes out beside the three of the other
      const three = async () => {
        for (const v of ['v1', 'v2', 'v3']) ids[v] = await release(project, v);
      };
      [, ids.single] = await Promise.all([three(), release(single, 'v1')]);
    });
    afterAll(async () => {
      if (savedSha === undefined) delete process.env.GITHUB_SHA;
      else process.env.GITHUB_SHA = savedSha;
      await Promise.all(hosts.flatMap((h) => [cleanHost(infra, h, project), cleanHost(infra, h, single)]));
      await github?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('"to" a release id skips the newer good release and puts every host on the one named', async () => {
      // The last good release before v3 is v2; "to" names v1, two releases back.
      const run = await rollback({ 'github-token': TOKEN, to: ids.v1, 'expect-version': 'v1' });

      expect(errors(run)).toEqual([]);
      expect(run.outputs).toEqual({
        'rolled-back-to': ids.v1,
        'rolled-back-from': ids.v3,
        result: 'rolled-back',
      });
      for (const host of hosts) {
        expect(await running(host)).toEqual([`${images.v1} running`]);
        const entries = await history(infra, host, project);
        expect(entries.at(-1)).toMatchObject({ id: ids.v1, result: 'deployed', images: { web: images.v1 } });
        expect(entries.filter((e) => e.id === ids.v3).map((e) => e.bad?.reason)).toEqual(['rolled back']);
        expect(entries.filter((e) => e.id === ids.v2 && e.bad)).toEqual([]);
      }
      const after = await records.history(ENVIRONMENT);
      expect(after[0].payload).toMatchObject({ releaseId: ids.v1, images: { web: images.v1 } });
      expect(after.find((d) => d.payload?.releaseId === ids.v3)?.badReason).toBe('rolled back');
      expect(run.summary).toContain(`**${ids.v3}** → **${ids.v1}**`);
      expect(run.summary).toContain('#### Health checks: ✅ passed');
    });

    it('"to" an image digest puts every host on the newest release that ran it (no GitHub records)', async () => {
      const digest = images.v2.split('@')[1];
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

      const run = await rollback({ 'github-token': '', to: digest, 'expect-version': 'v2' });

      expect(errors(run)).toEqual([]);
      expect(run.outputs).toEqual({
        'rolled-back-to': ids.v2,
        'rolled-back-from': ids.v1,
        result: 'rolled-back',
      });
      for (const host of hosts) {
        expect(await running(host)).toEqual([`${images.v2} running`]);
        expect((await history(infra, host, project)).at(-1)).toMatchObject({
          id: ids.v2,
          result: 'deployed',
          images: { web: images.v2 },
        });
      }
    });

    it('with only one release ever deployed, refuses "nothing to roll back to" and changes nothing', async () => {
      const before = await Promise.all(hosts.map((h) => history(infra, h, single)));
      const recordsBefore = await records.history(`${ENVIRONMENT}-single`);
      expect(before.map((entries) => entries.map((e) => e.id))).toEqual([[ids.single], [ids.single]]);

      // With the deployment records, and from the hosts' own history without them.
      for (const token of [TOKEN, '']) {
        const run = await rollback({ 'github-token': token }, single);

        expect(run.exitCode).toBe(1);
        expect(run.outputs).toEqual({ result: 'refused' });
        expect(errors(run)).toEqual([expect.stringMatching(/^Nothing to roll back to: /)]);
        expect(errors(run)[0]).toMatch(/Name the release (to restore )?with "to"\.$/);
        for (const host of hosts) expect(await running(host, single)).toEqual([`${images.v1} running`]);
        expect(await Promise.all(hosts.map((h) => history(infra, h, single)))).toEqual(before);
        expect(await records.history(`${ENVIRONMENT}-single`)).toEqual(recordsBefore);
      }
    });
  },
);
