import { join } from 'node:path';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import { runWorkflow } from '../src';

const repoRoot = join(__dirname, 'fixtures/repo');
const TOKEN = 'ghs_jobdeploymentsTOKEN0123456789';

describe("workflow runner: the deployment GitHub creates for a job's environment", () => {
  let github: GitHubLocal;
  beforeEach(async () => {
    github = await startGitHubLocal({ token: TOKEN });
  });
  afterEach(() => github.close());

  const run = (record: boolean, approve?: (env: string) => boolean) =>
    runWorkflow({
      repoRoot,
      workflow: '.github/workflows/environments.yml',
      eventName: 'workflow_dispatch',
      inputs: { record },
      github: { token: TOKEN, repository: 'acme/app' },
      env: { GITHUB_API_URL: github.url },
      approve,
    });
  const records = () =>
    github.store
      .list('acme/app')
      .reverse()
      .map((d) => ({ environment: d.environment, task: d.task, states: d.statuses.map((s) => s.state) }));

  it('one deployment per environment job, none with deployment: false (or an expression that is false)', async () => {
    const result = await run(false);
    expect(result.jobs['by-expression'].result).toBe('failure');
    expect(records()).toEqual([
      { environment: 'staging', task: 'deploy', states: ['in_progress', 'success'] },
    ]);
    expect(github.store.list('acme/app')[0].statuses.at(-1)?.environment_url).toBe(
      'https://staging.example.com',
    );
  });

  it("an expression that is true records the job, with the job's failure as its final status", async () => {
    await run(true);
    expect(records()).toEqual([
      { environment: 'staging', task: 'deploy', states: ['in_progress', 'success'] },
      { environment: 'review', task: 'deploy', states: ['in_progress', 'failure'] },
    ]);
  });

  it('a rejected approval ends the recorded deployment as a failure, before any step runs', async () => {
    const result = await run(false, (env) => env !== 'staging');
    expect(result.jobs.recorded.result).toBe('failure');
    expect(records()).toEqual([{ environment: 'staging', task: 'deploy', states: ['failure'] }]);
  });
});
