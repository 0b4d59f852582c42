import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import {
  createDeploymentRecorder,
  createDeploymentRecords,
  createGitHubClient,
  type DeploymentRecords,
  type RecordingSettings,
} from '../src';

const bad = `sha256:${'b'.repeat(64)}`;
const good = `sha256:${'a'.repeat(64)}`;
const settings: RecordingSettings = { enabled: true, environment: 'production', force: false, sha: 'c0ffee' };

describe('deployment recorder (deploy actions and GitHub Deployments)', () => {
  let github: GitHubLocal;
  let records: DeploymentRecords;
  let said: string[];
  const deps = () => ({
    records,
    notice: (m: string) => said.push(`notice: ${m}`),
    warning: (m: string) => said.push(`warning: ${m}`),
  });

  beforeEach(async () => {
    github = await startGitHubLocal({ token: 'tok' });
    records = createDeploymentRecords(createGitHubClient('tok', github.url), 'acme/app');
    said = [];
    const id = await records.start({
      environment: 'production',
      sha: 'old',
      payload: { slipway: 1, target: 'compose', images: { web: `r@${bad}` }, sha: 'old' },
      description: 'bad one',
    });
    await records.markBad(id, 'smoke test failed');
    github.requests.length = 0;
  });
  afterEach(() => github.close());

  it('records in_progress then success, with the payload and the environment url', async () => {
    const recorder = createDeploymentRecorder(
      { ...settings, environmentUrl: 'https://app.example.com' },
      deps(),
    );
    await recorder.guard([good]);
    await recorder.begin({ target: 'ecs', images: { web: `r@${good}` } }, 'deploy web');
    await recorder.end('success');
    const [latest] = await records.history('production');
    expect(latest.id).toBe(recorder.deploymentId);
    expect(latest.payload).toEqual({
      slipway: 1,
      target: 'ecs',
      images: { web: `r@${good}` },
      sha: 'c0ffee',
    });
    expect(latest.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(github.store.find('acme/app', latest.id)?.statuses[1].environment_url).toBe(
      'https://app.example.com',
    );
    expect(said).toEqual([]);
  });

  it('refuses a digest a rollback marked bad, before anything is recorded', async () => {
    const recorder = createDeploymentRecorder(settings, deps());
    await expect(recorder.guard([good, bad])).rejects.toThrow(
      `${bad} was marked bad by a rollback (smoke test failed). Deploy a fixed image, or set force: true`,
    );
    expect(github.requests).toEqual(['POST /graphql']);
  });

  it('names what runs a refused digest, reads the records once and judges each digest once', async () => {
    const recorder = createDeploymentRecorder(settings, deps());
    await recorder.guard([{ digest: good, what: 'container web' }]);
    await expect(recorder.guard([good, { digest: bad, what: 'container log' }])).rejects.toThrow(
      `container log: ${bad} was marked bad by a rollback (smoke test failed).`,
    );
    expect(github.requests).toEqual(['POST /graphql']);
    const forced = createDeploymentRecorder({ ...settings, force: true }, deps());
    await forced.guard([bad]);
    await forced.guard([{ digest: bad, what: 'container log' }]);
    expect(said).toHaveLength(1);
  });

  it('deploys a bad digest with force, and says so', async () => {
    const recorder = createDeploymentRecorder({ ...settings, force: true }, deps());
    await recorder.guard([bad]);
    expect(said).toEqual([
      expect.stringMatching(/^warning: .* Deploying it anyway because force is true\.$/),
    ]);
  });

  it('records nothing when opted out or without an environment, but still guards', async () => {
    for (const s of [
      { ...settings, enabled: false },
      { ...settings, environment: undefined },
    ]) {
      const recorder = createDeploymentRecorder(s, deps());
      await expect(recorder.guard([bad])).rejects.toThrow(/marked bad/);
      await recorder.begin({ target: 'ecs', images: {} }, 'x');
      await recorder.end('success');
      expect(recorder.deploymentId).toBeUndefined();
    }
    expect(github.requests.filter((r) => r.startsWith('POST /repos'))).toEqual([]);
  });

  it('goes on with a notice without a token, and with a warning when the API fails', async () => {
    const noToken = createDeploymentRecorder(settings, { ...deps(), records: undefined });
    await noToken.guard([bad]);
    await noToken.begin({ target: 'ecs', images: {} }, 'x');
    expect(said[0]).toMatch(/^notice: No GitHub token: this deploy is not recorded/);

    said = [];
    const wrong = createDeploymentRecords(createGitHubClient('wrong', github.url), 'acme/app');
    const failing = createDeploymentRecorder(settings, { ...deps(), records: wrong });
    await failing.guard([bad]);
    await failing.begin({ target: 'ecs', images: {} }, 'x');
    await failing.end('success');
    expect(said).toEqual([
      expect.stringMatching(
        /^warning: Could not check the digests against earlier rollbacks \(GitHub API: Bad credentials/,
      ),
      expect.stringMatching(
        /^warning: Could not record the deployment to production \(GitHub API: Bad credentials/,
      ),
    ]);
  });
});
