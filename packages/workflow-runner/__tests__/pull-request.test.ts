import { join } from 'node:path';
import { runWorkflow } from '../src';

const repoRoot = join(__dirname, 'fixtures/repo');

/** The pull_request run of pull-request.yml, its head in `head` (this repository: acme/app). */
const run = (head: string) =>
  runWorkflow({
    repoRoot,
    workflow: '.github/workflows/pull-request.yml',
    eventName: 'pull_request',
    github: { token: 'ghs_job', event: { pull_request: { number: 3, head: { repo: { full_name: head } } } } },
    secrets: { REPO_SECRET: 'repository' },
    environments: { staging: { secrets: { ENV_SECRET: 'environment' } } },
  });

describe('pull_request runs (as GitHub gives them secrets)', () => {
  it("from this repository: the repository's and the environment's secrets", async () => {
    const result = await run('acme/app');
    expect(result.jobs.read.outputs).toEqual({
      'repository-secret': 'true',
      'environment-secret': 'true',
      token: 'true',
      event: 'pull_request',
    });
  });

  it('from a fork: no secret but GITHUB_TOKEN, neither the repository nor the environment', async () => {
    const result = await run('mallory/app');
    expect(result.jobs.read.outputs).toEqual({
      'repository-secret': 'false',
      'environment-secret': 'false',
      token: 'true',
      event: 'pull_request',
    });
  });
});
