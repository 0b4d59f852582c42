// deploy-compose's own test fixtures: real deploys of its action to the real SSH hosts make the release history.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubLocal } from '@slipway/github-local';
import { createDeploymentRecords, createGitHubClient } from '@slipway/shared';
import { composeMatrix, describeWithInfra, runBundle } from '@slipway/testing';
import { writeCompose } from '../../deploy-compose/__tests__/fixtures/compose';
import { baseInputs, cleanHost, deploy, history } from '../../deploy-compose/__tests__/fixtures/hosts';
import { buildWebImage } from '../../deploy-compose/__tests__/fixtures/web-image';
import { REPO, TOKEN } from './ecs-fixture';

jest.setTimeout(240_000);
const action = join(__dirname, '..');

describeWithInfra(
  'rollback on a Compose host (bundle, real sshd and Docker, deploy-compose history)',
  (infra) => {
    // One host, of Compose v2 (what users run): the hosts' daemons share the machine's loopback, so one host
    // publishes the port the health checks ask. compose-fleet-rollback.test.ts rolls a fleet of a v1 and a v2 host
    // back (records, host histories, a host that cannot go back), so each Compose version is rolled back there.
    describe.each(composeMatrix(infra).slice(-1))('%s', (_label, host) => {
      const hosts = [host];
      const project = `rb${Date.now().toString(36)}${host.name}`;
      const repo = `127.0.0.1:5000/${project}/web`;
      const port = 19000 + Math.floor(Math.random() * 1000);
      const dir = mkdtempSync(join(tmpdir(), 'rb-compose-'));
      const compose = writeCompose(dir, repo, port);
      const images: Record<string, string> = {};
      const ids: Record<string, string> = {};
      let github: Awaited<ReturnType<typeof startGitHubLocal>>;
      const fleet = (extra: Record<string, string> = {}) => baseInputs(infra, hosts, project, compose, extra);

      /** deploy-compose deploys `version` to both hosts; the deploy is recorded as deploy-compose records it. */
      async function release(version: string) {
        const done = await deploy(fleet({ images: `web=${images[version]}` }));
        expect(done.error).toBeUndefined();
        ids[version] = done.outputs['release-id'];
      }

      function rollback(inputs: Record<string, string>) {
        const { hosts: list, 'ssh-key': key, 'known-hosts': known } = fleet();
        return runBundle({
          action,
          inputs: {
            target: 'compose',
            hosts: list,
            'ssh-key': key,
            'known-hosts': known,
            project,
            'remote-dir': '.slipway-test',
            'container-health-timeout': '30s',
            'drain-period': '0s', // no load here: the drain is rolling.test.ts's subject
            'lock-wait': '0s',
            'health-url': `http://127.0.0.1:${port}/`,
            'health-samples': '3',
            'health-interval': '50ms',
            'ready-timeout': '20s',
            ...inputs,
          },
          env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPO },
          timeoutMs: 180_000,
        });
      }

      beforeAll(async () => {
        github = await startGitHubLocal({ token: TOKEN, wallClock: true });
        for (const v of ['v1', 'v2', 'v3']) images[v] = buildWebImage(repo, v);
      });
      afterAll(async () => {
        await Promise.all(hosts.map((h) => cleanHost(infra, h, project)));
        await github?.close();
        rmSync(dir, { recursive: true, force: true });
      });

      it('goes back to the last good release of the records, and marks the one rolled away from', async () => {
        const records = createDeploymentRecords(createGitHubClient(TOKEN, github.url), REPO);
        const recorded: Record<string, number> = {};
        for (const v of ['v1', 'v2']) {
          await release(v);
          recorded[v] = await records.start({
            environment: 'production',
            sha: 'a'.repeat(40),
            description: v,
            payload: {
              slipway: 1,
              target: 'compose',
              images: { web: images[v] },
              releaseId: ids[v],
              sha: '',
            },
          });
          await records.finish(recorded[v], 'success');
        }

        const run = await rollback({
          environment: 'production',
          'github-token': TOKEN,
          'expect-version': 'v1',
        });

        expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
        expect(run.outputs).toEqual({
          'rolled-back-to': ids.v1,
          'rolled-back-from': ids.v2,
          result: 'rolled-back',
        });
        for (const host of hosts) {
          const entries = await history(infra, host, project);
          expect(entries.at(-1)).toMatchObject({
            id: ids.v1,
            result: 'deployed',
            images: { web: images.v1 },
          });
        }
        const after = await records.history('production');
        expect(after.find((d) => d.id === recorded.v2)?.badReason).toBe('rolled back');
        expect(after[0].payload).toMatchObject({ releaseId: ids.v1, rollback: { fromId: recorded.v2 } });
        expect(run.summary).toContain(`**${ids.v2}** → **${ids.v1}**`);
        expect(run.summary).toContain('#### Health checks: ✅ passed');
        for (const text of [run.stdout, run.stderr, run.summary]) {
          expect(text).not.toContain(TOKEN);
          expect(text).not.toContain('PRIVATE KEY');
        }
      });

      it('without GitHub API access, goes back to the newest release every host ran before its current one', async () => {
        await release('v3');

        const run = await rollback({ environment: 'staging', 'github-token': '', 'expect-version': 'v1' });

        expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
        expect(run.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^No GitHub API access/)]),
        );
        // The release that ran before v3 is v1 (restored by the rollback above), not "the previous deploy" v2.
        expect(run.outputs).toEqual({
          'rolled-back-to': ids.v1,
          'rolled-back-from': ids.v3,
          result: 'rolled-back',
        });
      });

      it('refuses a release a host does not have, before changing anything', async () => {
        const before = await history(infra, hosts[0], project);
        const run = await rollback({ environment: 'staging', 'github-token': '', to: 'no-such-release' });
        expect(run.exitCode).toBe(1);
        expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
          expect.stringMatching(/has no release no-such-release in its history/),
        ]);
        expect(run.outputs).toEqual({ result: 'refused' });
        expect(await history(infra, hosts[0], project)).toEqual(before);
      });
    });
  },
);
