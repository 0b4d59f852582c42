// A fleet of real Compose hosts (h1-h3: each its own sshd and dockerd), deployed to by deploy-compose's own code,
// rolled back by the rollback bundle. Nothing is published on the machine's loopback (the hosts' daemons share
// it): each host's proxy is reached at its bridge address, so every host is health-checked on its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubLocal } from '@slipway/github-local';
import {
  connectSsh,
  createDeploymentRecords,
  createGitHubClient,
  type DeploymentRecords,
  InputReader,
  mapInputs,
} from '@slipway/shared';
import { describeWithInfra, runBundle, type SshHost } from '@slipway/testing';
import { writeCompose } from '../../deploy-compose/__tests__/fixtures/compose';
import {
  baseInputs,
  cleanHost,
  deploy,
  history,
  hostName,
  proxyUrl as projectProxyUrl,
  REMOTE_DIR,
  runningImages,
} from '../../deploy-compose/__tests__/fixtures/hosts';
import { buildWebImage } from '../../deploy-compose/__tests__/fixtures/web-image';
import { type ComposeDeps, composeTarget } from '../src/compose/compose-target';
import { getInputs } from '../src/inputs';
import { NO_BAD_MARKS } from '../src/records/bad-marks';
import { REPO, TOKEN } from './ecs-fixture';

jest.setTimeout(300_000);
const action = join(__dirname, '..');
const ENVIRONMENT = 'production';

describeWithInfra(
  'rollback of a Compose fleet (bundle, h1-h3 over real sshd, deploy-compose deploys)',
  (infra) => {
    const [h1, h2, h3] = infra.ssh.hosts;
    const project = `rbf${Date.now().toString(36)}`;
    const repo = `127.0.0.1:5000/${project}/web`;
    const dir = mkdtempSync(join(tmpdir(), 'rb-fleet-'));
    const compose = writeCompose(dir, repo);
    const images: Record<string, string> = {};
    const ids: Record<string, string> = {};
    let github: Awaited<ReturnType<typeof startGitHubLocal>>;
    let records: DeploymentRecords;
    const savedSha = process.env.GITHUB_SHA;

    /** deploy-compose's own run() deploys `version` to `hosts`, recording it as it does on a runner. */
    async function release(version: string, hosts: SshHost[], extra: Record<string, string> = {}) {
      const done = await deploy(
        baseInputs(infra, hosts, project, compose, {
          images: `web=${images[version]}`,
          'deployment-environment': ENVIRONMENT,
          'drain-period': '0s', // no load here: the drain is rolling.test.ts's subject
          ...extra,
        }),
        extra['github-token'] === '' ? undefined : records,
      );
      return done;
    }

    const running = (host: SshHost) => runningImages(infra, host, project);
    const proxyUrl = (host: SshHost) => projectProxyUrl(infra, host, project);

    function rollbackInputs(hosts: SshHost[], inputs: Record<string, string>): Record<string, string> {
      const fleet = baseInputs(infra, hosts, project, compose);
      return {
        target: 'compose',
        environment: ENVIRONMENT,
        hosts: fleet.hosts,
        'ssh-key': fleet['ssh-key'],
        'known-hosts': fleet['known-hosts'],
        project,
        'remote-dir': REMOTE_DIR,
        'container-health-timeout': '30s',
        'drain-period': '0s', // no load here: the drain is rolling.test.ts's subject
        'lock-wait': '0s',
        'health-samples': '3',
        'health-interval': '50ms',
        'ready-timeout': '30s',
        'github-token': TOKEN,
        ...inputs,
      };
    }

    function rollback(hosts: SshHost[], inputs: Record<string, string>) {
      return runBundle({
        action,
        inputs: rollbackInputs(hosts, inputs),
        env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPO },
        timeoutMs: 240_000,
      });
    }

    const errors = (run: Awaited<ReturnType<typeof rollback>>) =>
      run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

    beforeAll(async () => {
      process.env.GITHUB_SHA = 'b'.repeat(40);
      github = await startGitHubLocal({ token: TOKEN, wallClock: true });
      records = createDeploymentRecords(createGitHubClient(TOKEN, github.url), REPO);
      for (const v of ['v1', 'v2']) images[v] = buildWebImage(repo, v);
      // v1 on h1 and h2; then v2 (the bad one) on h1, h2 and h3, a host that joined the fleet after v1.
      for (const [v, hosts] of [
        ['v1', [h1, h2]],
        ['v2', [h1, h2, h3]],
      ] as const) {
        const done = await release(v, [...hosts]);
        expect(done.error).toBeUndefined();
        ids[v] = done.outputs['release-id'];
      }
    });
    afterAll(async () => {
      if (savedSha === undefined) delete process.env.GITHUB_SHA;
      else process.env.GITHUB_SHA = savedSha;
      await Promise.all([h1, h2, h3].map((h) => cleanHost(infra, h, project)));
      await github?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses when one host cannot go back (its history lacks the release), naming it; no host changes', async () => {
      const before = await Promise.all([h1, h2, h3].map((h) => history(infra, h, project)));

      const run = await rollback([h1, h2, h3], { 'health-url': await proxyUrl(h1) });

      expect(run.exitCode).toBe(1);
      expect(errors(run)).toEqual([
        expect.stringContaining(`${hostName(h3)} has no release ${ids.v1} in its history`),
      ]);
      expect(errors(run)[0]).toContain('Nothing was changed on any host');
      expect(errors(run)[0]).toContain(`${hostName(h3)}: ${ids.v2}`);
      expect(run.outputs).toEqual({ result: 'refused' });
      for (const host of [h1, h2, h3]) expect(await running(host)).toEqual([`${images.v2} running`]);
      expect(await Promise.all([h1, h2, h3].map((h) => history(infra, h, project)))).toEqual(before);
      const newest = (await records.history(ENVIRONMENT))[0];
      expect(newest.payload?.releaseId).toBe(ids.v2);
      expect(newest.badReason).toBeUndefined();
    });

    it('puts every host back on the last good release, proven healthy on each host', async () => {
      const urls = await Promise.all([h1, h2].map(proxyUrl));

      const run = await rollback([h1, h2], { 'health-url': urls.join('\n'), 'expect-version': 'v1' });

      expect(errors(run)).toEqual([]);
      expect(run.outputs).toEqual({
        'rolled-back-to': ids.v1,
        'rolled-back-from': ids.v2,
        result: 'rolled-back',
      });
      for (const host of [h1, h2]) {
        expect(await running(host)).toEqual([`${images.v1} running`]);
        const entries = await history(infra, host, project);
        expect(entries.at(-1)).toMatchObject({ id: ids.v1, result: 'deployed', images: { web: images.v1 } });
      }
      // h3 was not part of this rollback: it still runs v2.
      expect(await running(h3)).toEqual([`${images.v2} running`]);
      for (const url of urls) expect(run.summary).toContain(`- GET ${url}`);
      expect(run.summary).toContain('#### Health checks: ✅ passed');
      expect(run.summary.match(/\| ✅ passed \| 3\/3 \|/g)).toHaveLength(2);
      const after = await records.history(ENVIRONMENT);
      expect(after.find((d) => d.payload?.releaseId === ids.v2 && !d.payload.rollback)?.badReason).toBe(
        'rolled back',
      );
      // The hosts remember it too, for deploys and rollbacks without GitHub API access.
      for (const host of [h1, h2]) {
        const v2 = (await history(infra, host, project)).filter((e) => e.id === ids.v2);
        expect(v2.map((e) => e.bad?.reason)).toEqual(['rolled back']);
      }
      expect((await history(infra, h3, project)).some((e) => e.bad)).toBe(false);
    });

    it('deploy-compose refuses a digest a host marked bad, without GitHub records, unless force', async () => {
      const before = await Promise.all([h1, h2].map((h) => history(infra, h, project)));
      const digest = images.v2.split('@')[1];

      const refused = await release('v2', [h1, h2], { 'github-token': '' });

      expect(refused.error?.message).toBe(
        `${digest} was marked bad by a rollback away from release ${ids.v2} on ${hostName(h1)} at ` +
          `${before[0].find((e) => e.bad)?.bad?.time} (rolled back). Deploy a fixed image, or set force: true ` +
          'to deploy it anyway.',
      );
      expect(await Promise.all([h1, h2].map((h) => history(infra, h, project)))).toEqual(before);
      for (const host of [h1, h2]) expect(await running(host)).toEqual([`${images.v1} running`]);

      const forced = await release('v2', [h1, h2], { 'github-token': '', force: 'true' });

      expect(forced.error).toBeUndefined();
      for (const host of [h1, h2]) expect(await running(host)).toEqual([`${images.v2} running`]);
    });

    it('without GitHub records, a rollback never goes back to a release marked bad, nor to its digest', async () => {
      images.v3 = buildWebImage(repo, 'v3');
      const v3 = await release('v3', [h1, h2], { 'github-token': '' });
      expect(v3.error).toBeUndefined();
      ids.v3 = v3.outputs['release-id'];
      const urls = await Promise.all([h1, h2].map(proxyUrl));

      // Newest first, the hosts ran: v3, v2 again (forced: its digest is marked bad), v1, v2 (marked bad), v1.
      const run = await rollback([h1, h2], {
        environment: 'staging',
        'github-token': '',
        reason: 'v3 breaks checkout',
        'health-url': urls.join('\n'),
        'expect-version': 'v1',
      });

      expect(errors(run)).toEqual([]);
      expect(run.outputs).toEqual({
        'rolled-back-to': ids.v1,
        'rolled-back-from': ids.v3,
        result: 'rolled-back',
      });
      for (const host of [h1, h2]) {
        expect(await running(host)).toEqual([`${images.v1} running`]);
        const entries = await history(infra, host, project);
        expect(entries.at(-1)).toMatchObject({ id: ids.v1, result: 'deployed' });
        expect(entries.filter((e) => e.id === ids.v3).map((e) => e.bad?.reason)).toEqual([
          'v3 breaks checkout',
        ]);
      }
      expect(run.summary).toContain('#### Health checks: ✅ passed');

      // Named explicitly, a release marked bad is refused too, before anything changes.
      const named = await rollback([h1, h2], {
        environment: 'staging',
        'github-token': '',
        to: ids.v3,
        'health-url': urls.join('\n'),
      });
      expect(named.outputs).toEqual({ result: 'refused' });
      expect(errors(named)).toEqual([
        expect.stringContaining(
          `Release ${ids.v3} was marked bad by a rollback on ${hostName(h1)} (v3 breaks checkout)`,
        ),
      ]);
      for (const host of [h1, h2]) expect(await running(host)).toEqual([`${images.v1} running`]);
    });

    it('connects to each host once per rollback, and closes every session, also when it refuses', async () => {
      const forced = await release('v2', [h1, h2], { 'github-token': '', force: 'true' });
      expect(forced.error).toBeUndefined();
      const opened: Record<string, number> = {};
      const closed: Record<string, number> = {};
      const connect: ComposeDeps['connect'] = async (options) => {
        const session = await connectSsh(options);
        opened[session.name] = (opened[session.name] ?? 0) + 1;
        return {
          ...session,
          close: () => {
            closed[session.name] = (closed[session.name] ?? 0) + 1;
            session.close();
          },
        };
      };
      const inputs = getInputs(
        new InputReader(
          mapInputs(rollbackInputs([h1, h2], { 'github-token': '', 'health-url': 'http://x/' })),
        ),
      );
      const target = composeTarget(inputs.compose!, { connect, env: {} }, 'counted');
      const once = { [hostName(h1)]: 1, [hostName(h2)]: 1 };

      await expect(target.plan({ explicit: { kind: 'release', id: ids.v3 } }, NO_BAD_MARKS)).rejects.toThrow(
        `Release ${ids.v3} was marked bad`,
      );
      expect([opened, closed]).toEqual([once, once]);

      for (const counts of [opened, closed]) for (const key of Object.keys(counts)) delete counts[key];
      const plan = await target.plan({ explicit: { kind: 'release', id: ids.v1 } }, NO_BAD_MARKS);
      const outcome = await plan.execute();

      expect(outcome.units.map((u) => [u.name, u.status])).toEqual([
        [hostName(h1), 'deployed'],
        [hostName(h2), 'deployed'],
      ]);
      expect([opened, closed]).toEqual([once, once]);
      for (const host of [h1, h2]) {
        expect(await running(host)).toEqual([`${images.v1} running`]);
        expect((await history(infra, host, project)).at(-1)).toMatchObject({
          id: ids.v1,
          result: 'deployed',
        });
      }
    });
  },
);
