import { readFileSync } from 'node:fs';
import { startGitHubLocal } from '@slipway/github-local';
import { createDeploymentRecords, createGitHubClient } from '@slipway/shared';
import { describeWithInfra } from '@slipway/testing';
import { writeWebCompose } from './fixtures/app';
import { baseInputs, cleanHost, deploy, history, randomTag, sh, untilLockFree } from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(180_000);

describeWithInfra(
  'deploy-compose: HTTP health checks and a passphrase-protected key (real sshd and Docker)',
  (infra) => {
    const host = infra.ssh.hosts[2];
    const project = randomTag();
    const repo = `127.0.0.1:5000/${project}/web`;
    const compose = writeWebCompose(repo);
    const images = { v1: '', v2: '' };
    const inputs = (image: string, extra: Record<string, string> = {}) =>
      baseInputs(infra, [host], project, compose, { images: `web=${image}`, ...extra });
    // (once the old containers' stop after the verdict, under the deploy lock, is over)
    const running = () =>
      untilLockFree(infra, host, project).then(() =>
        sh(
          infra,
          host,
          `docker ps --filter label=com.docker.compose.project=${project} --format '{{.Image}}'`,
        ),
      );

    beforeAll(() => {
      images.v1 = buildWebImage(repo, 'v1');
      images.v2 = buildWebImage(repo, 'v2');
    });
    afterAll(() => cleanHost(infra, host, project));

    it('refuses a new version whose HTTP check fails, though Docker calls it healthy, and keeps the old one', async () => {
      const first = await deploy(inputs(images.v1, { 'health-checks': 'web=:8080/health' }));
      expect(first.error).toBeUndefined();
      const before = (await running()).trim();

      // v2's Docker healthcheck passes; the HTTP check asks for a path it does not serve.
      const second = await deploy(
        inputs(images.v2, { 'health-checks': 'web=:8080/ready', 'container-health-timeout': '6s' }),
      );
      expect(second.error?.message).toMatch(/not healthy within 6 s .*http check: :8080\/ready/s);
      expect((await running()).trim()).toBe(before);
      // The history is oldest first.
      const [previous, latest] = await history(infra, host, project);
      expect(previous).toMatchObject({
        id: first.outputs['release-id'],
        result: 'deployed',
        images: { web: images.v1 },
      });
      expect(latest).toMatchObject({ result: 'failed', images: { web: images.v2 } });
      expect(latest.reason).toMatch(/Docker health: running healthy; http check: :8080\/ready/);
    });

    it('deploys with a passphrase-protected key, and refuses a wrong passphrase before any command', async () => {
      const key = readFileSync(infra.ssh.passphraseKey.path, 'utf8');
      const ok = await deploy(
        inputs(images.v1, { 'ssh-key': key, passphrase: infra.ssh.passphraseKey.passphrase }),
      );
      expect(ok.error).toBeUndefined();

      const bad = await deploy(inputs(images.v2, { 'ssh-key': key, passphrase: 'not-the-passphrase' }));
      expect(bad.error?.message).toMatch(/passphrase|decrypt|private key/i);
      expect(bad.error?.message).not.toContain('not-the-passphrase');
      const latest = (await history(infra, host, project)).at(-1);
      expect(latest).toMatchObject({ id: ok.outputs['release-id'], result: 'deployed' });
    });

    it('records the deploy as a GitHub Deployment, and refuses a digest a rollback marked bad before touching a host', async () => {
      const github = await startGitHubLocal({ token: 'ghs_test' });
      const savedSha = process.env.GITHUB_SHA;
      process.env.GITHUB_SHA = '0123456789abcdef0123456789abcdef01234567';
      try {
        const records = createDeploymentRecords(createGitHubClient('ghs_test', github.url), 'acme/app');
        const done = await deploy(
          inputs(images.v1, { 'deployment-environment': 'staging', migration: '0007_users' }),
          records,
        );
        expect(done.error).toBeUndefined();
        const [recorded] = await records.history('staging');
        expect(recorded.payload).toMatchObject({
          target: 'compose',
          images: { web: images.v1 },
          releaseId: done.outputs['release-id'],
          migration: '0007_users',
        });
        expect(recorded.statuses.map((st) => st.state)).toEqual(['in_progress', 'success']);

        await records.markBad(recorded.id, 'gate failed');
        const before = await history(infra, host, project);
        const refused = await deploy(inputs(images.v1, { 'deployment-environment': 'staging' }), records);
        expect(refused.error?.message).toMatch(
          /was marked bad by a rollback \(gate failed\)\. .*force: true/,
        );
        expect(await history(infra, host, project)).toEqual(before);
      } finally {
        if (savedSha === undefined) delete process.env.GITHUB_SHA;
        else process.env.GITHUB_SHA = savedSha;
        await github.close();
      }
    });
  },
);
