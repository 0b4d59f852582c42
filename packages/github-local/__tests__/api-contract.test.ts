// github-local against the real @actions/github client: the REST and GraphQL behaviour the suite relies on,
// as GitHub documents it (auth, validation, automatic `inactive`, newest-first order).
import { getOctokit } from '@actions/github';
import { type GitHubLocal, startGitHubLocal } from '../src';

const TOKEN = 'ghs_contract0123456789';
const repo = { owner: 'acme', repo: 'shop' };
let github: GitHubLocal;

beforeEach(async () => {
  github = await startGitHubLocal({ token: TOKEN });
});
afterEach(async () => {
  await github.close();
});

const client = (token = TOKEN) => getOctokit(token, { baseUrl: github.url });

async function deploy(environment: string, sha: string, state?: 'success' | 'failure', transient = false) {
  const octokit = client();
  const { data } = await octokit.rest.repos.createDeployment({
    ...repo,
    ref: 'main',
    sha,
    environment,
    auto_merge: false,
    required_contexts: [],
    transient_environment: transient,
    payload: { images: { web: `app@sha256:${sha.padEnd(64, '0')}` } },
  });
  const id = (data as { id: number }).id;
  if (state) await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state });
  return id;
}

const states = (id: number) =>
  github.store.find('acme/shop', id)?.statuses.map((s) => s.state) ?? ['(no such deployment)'];

describe('github-local REST', () => {
  it('answers a wrong token with 401 Bad credentials and records nothing', async () => {
    await expect(client('ghs_wrong').rest.repos.listDeployments(repo)).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    });
    expect(github.store.deployments).toEqual([]);
  });

  it('marks the earlier successful deployment of the same environment inactive, and only that one', async () => {
    const first = await deploy('production', 'aaa1', 'success');
    const staging = await deploy('staging', 'aaa1', 'success');
    const failed = await deploy('production', 'bbb2', 'failure');
    expect(states(first)).toEqual(['success']); // a failure does not replace what runs
    const second = await deploy('production', 'ccc3', 'success');
    expect(states(first)).toEqual(['success', 'inactive']);
    expect(states(failed)).toEqual(['failure']);
    expect(states(staging)).toEqual(['success']);
    expect(states(second)).toEqual(['success']);
  });

  it('leaves transient environments alone (no automatic inactive)', async () => {
    const first = await deploy('pr-7', 'aaa1', 'success', true);
    await deploy('pr-7', 'bbb2', 'success', true);
    expect(states(first)).toEqual(['success']);
  });

  it('refuses an unknown state and an over-long description with 422, as GitHub does', async () => {
    const id = await deploy('production', 'aaa1');
    const octokit = client();
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        ...repo,
        deployment_id: id,
        state: 'done' as 'success', // not a state: the type says so, the server must too
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: id,
        state: 'success',
        description: 'x'.repeat(141),
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining('140') });
    expect(states(id)).toEqual([]);
  });

  it('lists newest first, filtered by environment, in pages', async () => {
    for (const sha of ['a1', 'b2', 'c3']) await deploy('production', sha, 'success');
    await deploy('staging', 'd4', 'success');
    const octokit = client();
    const page = async (n: number) =>
      (
        await octokit.rest.repos.listDeployments({ ...repo, environment: 'production', per_page: 2, page: n })
      ).data.map((d) => d.sha);
    expect(await page(1)).toEqual(['c3', 'b2']);
    expect(await page(2)).toEqual(['a1']);
    const { data } = await octokit.rest.repos.listDeploymentStatuses({
      ...repo,
      deployment_id: github.store.list('acme/shop', { environment: 'production' })[2].id,
    });
    expect(data.map((s) => s.state)).toEqual(['inactive', 'success']); // newest first
  });
});

describe('github-local GraphQL', () => {
  const QUERY = /* GraphQL */ `
    query ($owner: String!, $name: String!, $envs: [String!], $dir: OrderDirection!) {
      repository(owner: $owner, name: $name) {
        deployments(environments: $envs, first: 2, orderBy: { field: CREATED_AT, direction: $dir }) {
          totalCount
          nodes { commitOid environment state latestStatus { state } payload }
        }
      }
    }
  `;
  type Answer = {
    repository: {
      deployments: {
        totalCount: number;
        nodes: Array<{
          commitOid: string;
          state: string;
          latestStatus: { state: string } | null;
          payload: string;
        }>;
      };
    };
  };

  it('answers the deployments query with GitHub names, order and states', async () => {
    await deploy('production', 'a1', 'success');
    await deploy('production', 'b2', 'failure');
    await deploy('production', 'c3', 'success');
    await deploy('staging', 'd4');
    const ask = (dir: 'ASC' | 'DESC', envs = ['production']) =>
      client().graphql<Answer>(QUERY, { owner: 'acme', name: 'shop', envs, dir });
    const newest = (await ask('DESC')).repository.deployments;
    expect(newest.totalCount).toBe(3);
    expect(newest.nodes.map((n) => [n.commitOid, n.state, n.latestStatus?.state])).toEqual([
      ['c3', 'ACTIVE', 'SUCCESS'],
      ['b2', 'FAILURE', 'FAILURE'],
    ]);
    expect(JSON.parse(newest.nodes[0].payload)).toEqual({
      images: { web: `app@sha256:${'c3'.padEnd(64, '0')}` },
    });
    const oldest = (await ask('ASC')).repository.deployments;
    expect(oldest.nodes.map((n) => [n.commitOid, n.state])).toEqual([
      ['a1', 'INACTIVE'],
      ['b2', 'FAILURE'],
    ]);
    const staging = (await ask('DESC', ['staging'])).repository.deployments;
    expect(staging.nodes.map((n) => [n.commitOid, n.state, n.latestStatus])).toEqual([
      ['d4', 'PENDING', null],
    ]);
    expect(github.requests.filter((r) => r === 'POST /graphql')).toHaveLength(3);
  });

  it('refuses a query outside the schema with GraphQL errors, not data', async () => {
    await expect(client().graphql('{ viewer { login } }')).rejects.toMatchObject({
      errors: [expect.objectContaining({ message: expect.stringContaining('viewer') })],
    });
  });
});
