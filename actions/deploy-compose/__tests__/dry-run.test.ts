import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubLocal } from '@slipway/github-local';
import { createDeploymentRecords, createGitHubClient } from '@slipway/shared';
import { composeMatrix, describeWithInfra, type Infra, type SshHost } from '@slipway/testing';
import type { ComposePlan } from '../src/plan';
import { writeCompose } from './fixtures/compose';
import { baseInputs, cleanHost, deploy, hostName, REMOTE_DIR, randomTag, sh } from './fixtures/hosts';
import { copyLayout } from './fixtures/proxy-layouts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

const TOKEN = 'ghs_dryRunTestToken000000000000000000';
// One job summary file for the whole file: @actions/core remembers the first path it wrote to.
const summaryDir = mkdtempSync(join(tmpdir(), 'dc-dry-run-summary-'));
const summary = join(summaryDir, 'summary.md');
beforeAll(() => {
  writeFileSync(summary, '');
  process.env.GITHUB_STEP_SUMMARY = summary;
});
afterAll(() => {
  delete process.env.GITHUB_STEP_SUMMARY;
  rmSync(summaryDir, { recursive: true, force: true });
});

/**
 * Everything a deploy could change on a host, for this project: its folder (every file and folder with size,
 * mode and time: history, releases, live, the lock), its containers (id, image, state, start time), networks
 * and volumes, and the images of the test's repository the host's daemon holds (a pull would add one).
 */
function hostState(infra: Infra, host: SshHost, project: string, repo: string) {
  return sh(
    infra,
    host,
    `echo '# files'; find ${REMOTE_DIR}/${project} -printf '%p %y %s %m %T@\\n' 2>/dev/null | sort
echo '# containers'; docker ps -a --filter label=com.docker.compose.project=${project} --format '{{.ID}} {{.Image}} {{.State}} {{.Label "com.docker.compose.config-hash"}}' | sort
docker ps -aq --filter label=com.docker.compose.project=${project} | xargs -r docker inspect -f '{{.Id}} {{.State.StartedAt}} {{.RestartCount}}' | sort
echo '# networks'; docker network ls -q --filter label=com.docker.compose.project=${project} | sort
echo '# volumes'; docker volume ls -q --filter label=com.docker.compose.project=${project} | sort
echo '# images'; docker images --digests --format '{{.Repository}}@{{.Digest}} {{.ID}}' | grep -F '${repo}' | sort || true`,
  );
}

describeWithInfra('deploy-compose dry-run: the plan, and no side effect (real sshd and Docker)', (infra) => {
  describe.each(composeMatrix(infra))('%s', (_label, host) => {
    const project = randomTag();
    const repo = `127.0.0.1:5000/${project}/web`;
    const dir = mkdtempSync(join(tmpdir(), 'dc-dry-run-'));
    const compose = writeCompose(dir, repo);
    const images = { v1: '', v2: '' };
    let github: Awaited<ReturnType<typeof startGitHubLocal>>;
    const records = () => createDeploymentRecords(createGitHubClient(TOKEN, github.url), 'acme/app');
    const inputs = (image: string, extra: Record<string, string> = {}) =>
      baseInputs(infra, [host], project, compose, {
        images: `web=${image}`,
        env: 'GREETING=hello',
        'deployment-environment': 'staging',
        ...extra,
      });
    /** A dry run with the GitHub Deployments of github-local; its plan, summary, error and the API calls. */
    async function dryRun(image: string, extra: Record<string, string> = {}) {
      writeFileSync(summary, '');
      const calls = github.requests.length;
      const run = await deploy(inputs(image, { 'dry-run': 'true', ...extra }), records());
      return {
        ...run,
        plan: run.outputs.plan ? (JSON.parse(run.outputs.plan) as ComposePlan) : undefined,
        summary: readFileSync(summary, 'utf8'),
        github: github.requests.slice(calls),
      };
    }

    beforeAll(async () => {
      github = await startGitHubLocal({ token: TOKEN });
      images.v1 = buildWebImage(repo, 'v1');
      images.v2 = buildWebImage(repo, 'v2');
    });
    afterAll(async () => {
      await github.close();
      await cleanHost(infra, host, project);
      rmSync(dir, { recursive: true, force: true });
    });

    it('on a host never deployed to: every service would start; the project folder is not even created', async () => {
      const before = await hostState(infra, host, project, repo);
      const secret = `dry-run-secret-${project}`;
      const run = await dryRun(images.v1, { env: `GREETING=hello\nAPI_TOKEN=${secret}` });
      expect(run.error).toBeUndefined();
      // the env file went to the host on standard input, into the command's private folder, gone with it
      const leftovers = await sh(
        infra,
        host,
        `grep -rl -- '${secret}' /tmp/slipway.* "$HOME" 2>/dev/null || true`,
      );
      expect(leftovers.trim()).toBe('');
      expect(`${run.outputs.plan}${run.outputs['plan-markdown']}${run.summary}`).not.toContain(secret);
      expect(run.plan).toMatchObject({
        target: 'compose',
        project,
        strategy: 'rolling',
        images: { web: images.v1 },
        // (its Caddyfile is in its environment, not a file the proxy plan reads: no upstream known)
        proxy: { services: ['proxy (caddy)'], behind: [] },
        changes: true,
        hosts: [
          {
            host: hostName(host),
            services: [
              { service: 'web', action: 'start', why: 'no container of it runs' },
              { service: 'proxy', action: 'start', why: 'no container of it runs' },
            ],
            removed: [],
          },
        ],
      });
      expect(run.outputs['release-id']).toBeUndefined();
      expect(run.summary).toContain('(dry run: nothing changed)');
      expect(await hostState(infra, host, project, repo)).toBe(before);
      expect(before).not.toContain(`${REMOTE_DIR}/${project}`);
      // read the deployment records (the bad-digest guard), created none
      expect(run.github.filter((r) => !r.startsWith('GET ') && r !== 'POST /graphql')).toEqual([]);
      expect(github.store.deployments).toEqual([]);
    });

    it('after a deploy: a new image would roll web and leave the proxy; nothing on the host changes', async () => {
      const initial = await hostState(infra, host, project, repo);
      const first = await deploy(inputs(images.v1), records());
      expect(first.error).toBeUndefined();
      const deployed = github.store.deployments.length;
      const before = await hostState(infra, host, project, repo);
      // the control: the watcher sees what a deploy changes (folder, history, containers, the pulled image)
      expect(before).not.toBe(initial);
      expect(before).toContain(`${REMOTE_DIR}/${project}/history.json`);
      const run = await dryRun(images.v2);
      expect(run.error).toBeUndefined();
      const [plan] = run.plan?.hosts ?? [];
      expect(plan).toMatchObject({
        current: first.outputs['release-id'],
        services: [
          {
            service: 'web',
            action: 'roll',
            why: expect.stringMatching(
              /^its Compose configuration changed \(hash [0-9a-f]{12} -> [0-9a-f]{12}\)$/,
            ),
          },
          { service: 'proxy', action: 'stay', why: 'its configuration and files are what runs now' },
        ],
        removed: [],
      });
      expect(run.summary).toMatch(/\| web \| roll \| its Compose configuration changed/);
      expect(await hostState(infra, host, project, repo)).toBe(before);
      expect(github.store.deployments.length).toBe(deployed);
    });

    it('the release that runs: everything stays; with strategy recreate, web would be recreated', async () => {
      const same = await dryRun(images.v1);
      expect(same.plan?.changes).toBe(false);
      expect(same.plan?.hosts[0]).toMatchObject({
        services: [
          { service: 'web', action: 'stay' },
          { service: 'proxy', action: 'stay' },
        ],
      });
      const recreate = await dryRun(images.v2, { strategy: 'recreate' });
      expect(recreate.plan?.strategy).toBe('recreate');
      expect(recreate.plan?.hosts[0]).toMatchObject({
        services: [
          { service: 'web', action: 'recreate' },
          { service: 'proxy', action: 'stay' },
        ],
      });
    });

    it('a held deploy lock is reported, not waited for nor taken; a wrong host key fails with no plan', async () => {
      await sh(
        infra,
        host,
        `mkdir -p ${REMOTE_DIR}/${project}/.slipway.lock && printf 'owner=someone\\nrun=https://ci/run/7\\ntoken=secret\\nexpires=9999999999\\n' > ${REMOTE_DIR}/${project}/.slipway.lock/info`,
      );
      try {
        const before = await hostState(infra, host, project, repo);
        const run = await dryRun(images.v2);
        expect(run.error).toBeUndefined();
        expect(run.plan?.hosts[0]).toMatchObject({ lockedBy: 'owner=someone, run=https://ci/run/7' });
        expect(run.outputs.plan).not.toContain('secret');
        expect(await hostState(infra, host, project, repo)).toBe(before);
      } finally {
        await sh(infra, host, `rm -rf ${REMOTE_DIR}/${project}/.slipway.lock`);
      }
      const other = infra.ssh.hosts.find((h) => h.keyType !== host.keyType) as SshHost;
      const wrongKey = readFileSync(infra.ssh.knownHosts, 'utf8')
        .split('\n')
        .filter((line) => line.includes(`:${other.port}]`))
        .map((line) => line.replace(`:${other.port}]`, `:${host.port}]`))
        .join('\n');
      const refused = await dryRun(images.v2, { 'known-hosts': wrongKey });
      expect(refused.error?.message).toMatch(/host key/i);
      expect(refused.plan).toBeUndefined();
    });
  });
});

describeWithInfra(
  'deploy-compose dry-run: a proxy whose config alone changed (real sshd and Docker)',
  (infra) => {
    const host = infra.ssh.hosts.find((h) => h.compose === 'v2') ?? infra.ssh.hosts[0];
    const project = randomTag();
    const repo = `127.0.0.1:5000/${project}/web`;
    const layout = copyLayout('caddy');
    const port = 19000 + Math.floor(Math.random() * 1000);
    let image = '';
    const inputs = (extra: Record<string, string> = {}) =>
      baseInputs(infra, [host], project, layout.composeFile, {
        images: `web=${image}`,
        files: layout.files,
        env: `PROXY_PORT=${port}`,
        ...extra,
      });
    beforeAll(() => {
      image = buildWebImage(repo, 'v1');
    });
    afterAll(async () => {
      await cleanHost(infra, host, project);
      rmSync(layout.dir, { recursive: true, force: true });
    });

    it('would reload caddy in place and leave web; the live config on the host is untouched', async () => {
      expect((await deploy(inputs())).error).toBeUndefined();
      layout.addResponseHeader('X-Plan', 'next');
      const before = await hostState(infra, host, project, repo);
      const run = await deploy(inputs({ 'dry-run': 'true' }));
      expect(run.error).toBeUndefined();
      const plan = JSON.parse(run.outputs.plan) as ComposePlan;
      expect(plan.proxy).toMatchObject({ services: ['proxy (caddy)'], behind: ['web'] });
      expect(plan.hosts[0]).toMatchObject({
        services: [
          { service: 'web', action: 'stay' },
          {
            service: 'proxy',
            action: 'reload',
            why: 'its files changed; caddy re-reads its configuration in place',
          },
        ],
      });
      expect(await hostState(infra, host, project, repo)).toBe(before);
      expect(await sh(infra, host, `cat ${REMOTE_DIR}/${project}/live/proxy/Caddyfile`)).not.toContain(
        'X-Plan',
      );
    });
  },
);
