// github-local's issue comments against the real @actions/github client, as GitHub documents them: a pull
// request's comments are its issue's, listed oldest first in pages with a Link to the next, updated in place.
import { getOctokit } from '@actions/github';
import { type GitHubLocal, MAX_BODY, startGitHubLocal } from '../src';

const TOKEN = 'ghs_comments0123456789';
const repo = { owner: 'acme', repo: 'shop' };
let github: GitHubLocal;

beforeEach(async () => {
  github = await startGitHubLocal({ token: TOKEN });
});
afterEach(async () => {
  await github.close();
});

const client = (token = TOKEN) => getOctokit(token, { baseUrl: github.url });

describe('github-local issue comments', () => {
  it('creates, lists (oldest first, per pull request), gets and updates in place', async () => {
    const octokit = client();
    const first = await octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: 'one' });
    expect(first.status).toBe(201);
    expect(first.data).toMatchObject({
      body: 'one',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: expect.stringMatching(/\/acme\/shop\/pull\/7#issuecomment-\d+$/),
    });
    await octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: 'two' });
    await octokit.rest.issues.createComment({ ...repo, issue_number: 8, body: 'elsewhere' });
    const listed = await octokit.rest.issues.listComments({ ...repo, issue_number: 7 });
    expect(listed.data.map((c) => c.body)).toEqual(['one', 'two']);
    const updated = await octokit.rest.issues.updateComment({
      ...repo,
      comment_id: first.data.id,
      body: 'uno',
    });
    expect(updated.data).toMatchObject({ id: first.data.id, body: 'uno' });
    expect(updated.data.updated_at > updated.data.created_at).toBe(true);
    const again = await octokit.rest.issues.getComment({ ...repo, comment_id: first.data.id });
    expect(again.data.body).toBe('uno');
    expect(github.comments.list('acme/shop', 7).map((c) => c.body)).toEqual(['uno', 'two']);
  });

  it('pages as GitHub does: Octokit follows the Link header through every page', async () => {
    const octokit = client();
    for (let i = 0; i < 5; i++)
      await octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: `c${i}` });
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      ...repo,
      issue_number: 1,
      per_page: 2,
    });
    expect(all.map((c) => c.body)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
  });

  it('refuses an empty or too long body (422), an unknown comment (404) and a wrong token (401)', async () => {
    const octokit = client();
    await expect(
      octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: '' }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: 'x'.repeat(MAX_BODY + 1) }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringContaining('too long') });
    await expect(
      octokit.rest.issues.updateComment({ ...repo, comment_id: 999, body: 'x' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      client('ghs_wrong').rest.issues.createComment({ ...repo, issue_number: 1, body: 'x' }),
    ).rejects.toMatchObject({ status: 401 });
    expect(github.comments.all).toEqual([]);
  });
});
