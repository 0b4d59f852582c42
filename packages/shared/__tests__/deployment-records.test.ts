import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import {
  badDigestReason,
  createDeploymentRecorder,
  createDeploymentRecords,
  createGitHubClient,
  type DeploymentPayload,
  type DeploymentRecords,
  lastGoodDeployment,
} from '../src';

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const payload = (n: number): DeploymentPayload => ({
  slipway: 1,
  target: 'compose',
  images: { web: `127.0.0.1:5000/app@${digest(n)}` },
  releaseId: `r${n}`,
  sha: `sha${n}`,
});

describe('deployment records (through @actions/github against the local GitHub API)', () => {
  let github: GitHubLocal;
  let records: DeploymentRecords;

  beforeEach(async () => {
    github = await startGitHubLocal({ token: 'ghs_local_token' });
    records = createDeploymentRecords(createGitHubClient('ghs_local_token', github.url), 'acme/app');
  });
  afterEach(() => github.close());

  const deploy = async (n: number, state: 'success' | 'failure', environment = 'production') => {
    const id = await records.start({
      environment,
      sha: `sha${n}`,
      payload: payload(n),
      description: `r${n}`,
    });
    await records.finish(id, state, { environmentUrl: 'https://app.example.com' });
    return id;
  };

  it('records in_progress then the final state, with the payload', async () => {
    const id = await deploy(1, 'success');
    const [recorded] = await records.history('production');
    expect(recorded).toMatchObject({ id, environment: 'production', sha: 'sha1', payload: payload(1) });
    expect(recorded.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
  });

  it('reads the history newest first with one GraphQL query', async () => {
    await deploy(1, 'success');
    await deploy(2, 'success');
    await deploy(3, 'success', 'staging');
    github.requests.length = 0;
    const history = await records.history('production');
    expect(github.requests).toEqual(['POST /graphql']);
    expect(history.map((d) => d.sha)).toEqual(['sha2', 'sha1']);
    expect(history[1].statuses.map((s) => s.state)).toEqual(['in_progress', 'success', 'inactive']);
    expect((await records.history()).map((d) => d.sha)).toEqual(['sha3', 'sha2', 'sha1']);
  });

  it('finds the last good release: not failed, not the current one, not marked bad', async () => {
    const good1 = await deploy(1, 'success');
    const good2 = await deploy(2, 'success');
    await deploy(3, 'failure');
    const current = await deploy(4, 'success');
    let history = await records.history('production');
    expect(lastGoodDeployment(history, { excludeId: current })?.id).toBe(good2);

    await records.markBad(current, 'smoke test failed after deploy');
    await records.markBad(good2, 'found bad later');
    history = await records.history('production');
    expect(lastGoodDeployment(history)?.id).toBe(good1);
    expect(badDigestReason(history, digest(4))).toBe('smoke test failed after deploy');
    expect(badDigestReason(history, digest(1))).toBeUndefined();
  });

  it('never picks a release that runs a digest marked bad in another deployment', async () => {
    const first = await deploy(1, 'success');
    const again = await deploy(1, 'success');
    await records.markBad(again, 'bad');
    expect(lastGoodDeployment(await records.history('production'))).toBeUndefined();
    expect(first).toBeLessThan(again);
  });

  it('reads past the first page: an old bad mark and an old last good release are not forgotten', async () => {
    const good = await deploy(1, 'success');
    const bad = await deploy(2, 'success');
    await records.markBad(bad, 'gate failed long ago');
    for (let n = 3; n < 133; n++) await deploy(n, 'failure');
    github.requests.length = 0;
    const history = await records.history('production');
    // 132 deployments: two pages of GitHub's largest size, through the cursor.
    expect(github.requests).toEqual(['POST /graphql', 'POST /graphql']);
    expect(history).toHaveLength(132);
    expect(new Set(history.map((d) => d.id)).size).toBe(132);
    expect(history.at(-1)?.id).toBe(good);
    expect(lastGoodDeployment(history)?.id).toBe(good);
    expect(badDigestReason(history, digest(2))).toBe('gate failed long ago');
    // The deploy actions' guard reads every environment's records: the old mark still refuses.
    const recorder = createDeploymentRecorder(
      { enabled: true, environment: 'staging', force: false, sha: 'x' },
      { records, notice: () => {}, warning: () => {} },
    );
    await expect(recorder.guard([digest(2)])).rejects.toThrow(
      /marked bad by a rollback \(gate failed long ago\)/,
    );
  }, 60_000);

  /** Deployments written straight into the store: a long history without thousands of requests. */
  const seed = (count: number, environment = 'production') => {
    for (let n = 0; n < count; n++) {
      const d = github.store.createDeployment('acme/app', {
        sha: `old${n}`,
        ref: `old${n}`,
        environment,
        task: 'deploy',
        payload: payload(1000 + n),
        description: '',
        transient_environment: false,
        production_environment: false,
      });
      github.store.addStatus(d, { state: 'failure', description: '', environment_url: '', log_url: '' });
    }
  };

  it('says, once, that it stopped at its bound and older marks are not checked', async () => {
    const warnings: string[] = [];
    records = createDeploymentRecords(createGitHubClient('ghs_local_token', github.url), 'acme/app', {
      warning: (message) => warnings.push(message),
    });
    seed(1001);
    github.requests.length = 0;
    const history = await records.history('production');
    expect(history).toHaveLength(1000);
    expect(github.requests).toHaveLength(10);
    expect(warnings).toEqual([
      expect.stringMatching(/newest 1000 GitHub Deployments of production.*older ones are not checked/),
    ]);
    await records.history();
    expect(warnings).toHaveLength(1);
  }, 60_000);

  it('says nothing of a bound it did not reach', async () => {
    const warnings: string[] = [];
    records = createDeploymentRecords(createGitHubClient('ghs_local_token', github.url), 'acme/app', {
      warning: (message) => warnings.push(message),
    });
    seed(1000);
    expect(await records.history('production')).toHaveLength(1000);
    expect(warnings).toEqual([]);
  }, 60_000);

  const addStatuses = (id: number, count: number) => {
    const d = github.store.find('acme/app', id)!;
    for (let n = 0; n < count; n++) {
      github.store.addStatus(
        d,
        { state: 'inactive', description: `later ${n}`, environment_url: '', log_url: '' },
        false,
      );
    }
  };

  it('finds a bad mark under more statuses than one query holds', async () => {
    const bad = await deploy(1, 'success');
    await records.markBad(bad, 'gate failed');
    addStatuses(bad, 150);
    github.requests.length = 0;
    const [recorded] = await records.history('production');
    expect(recorded.badReason).toBe('gate failed');
    expect(recorded.statuses).toHaveLength(153);
    expect(recorded.statuses.slice(0, 3).map((s) => s.state)).toEqual(['in_progress', 'success', 'failure']);
    // One query, then every status of the deployment that had more, in GitHub's pages of 100.
    expect(github.requests).toEqual([
      'POST /graphql',
      `GET /repos/acme/app/deployments/${bad}/statuses`,
      `GET /repos/acme/app/deployments/${bad}/statuses`,
    ]);
    expect(badDigestReason(await records.history(), digest(1))).toBe('gate failed');
  });

  it('finds a bad mark under a few dozen statuses with the one query', async () => {
    const bad = await deploy(1, 'success');
    await records.markBad(bad, 'smoke failed');
    addStatuses(bad, 30);
    github.requests.length = 0;
    const [recorded] = await records.history('production');
    expect(recorded.badReason).toBe('smoke failed');
    expect(recorded.statuses).toHaveLength(33);
    expect(github.requests).toEqual(['POST /graphql']);
  });

  it("answers GitHub's error for a page larger than 100", async () => {
    const client = createGitHubClient('ghs_local_token', github.url);
    await expect(
      client.graphql(
        'query { repository(owner: "acme", name: "app") { deployments(first: 101) { totalCount } } }',
      ),
    ).rejects.toThrow(/exceeds the `first` limit of 100 records/);
  });

  it('fails clearly with a bad token', async () => {
    const bad = createDeploymentRecords(createGitHubClient('wrong', github.url), 'acme/app');
    await expect(bad.history('production')).rejects.toMatchObject({ status: 401 });
  });
});
