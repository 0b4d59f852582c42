// plan.yml through the workflow runner, as GitHub runs it on pull_request, against the real SSH hosts and
// github-local: the application's plan workflow (examples/compose) posts ONE comment with the staging and
// production plans, the next push updates that comment in place, and a fork's pull request never runs with secrets.
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import { describeWithInfra, type Infra, repoRoot, type SshHost } from '@slipway/testing';
import { type ActionStandIn, runWorkflow, type WorkflowResult } from '@slipway/workflow-runner';
import { hostName, REMOTE_DIR, sh } from '../actions/deploy-compose/__tests__/fixtures/hosts';
import { CREDENTIALS, Fixture } from '../actions/deploy-ecs/__tests__/ecs-local-fixture';

jest.setTimeout(300_000);

const REPOSITORY = 'acme/shop';
const MARKER = '<!-- slipway-plan -->';

describeWithInfra('plan.yml on pull requests (workflow runner, real hosts, github-local)', (infra: Infra) => {
  const token = `ghs_plan${randomBytes(12).toString('hex')}`;
  const project = `plan${randomBytes(4).toString('hex')}`;
  const staging = infra.ssh.hosts.find((h) => h.compose !== 'v2') as SshHost;
  const production = infra.ssh.hosts.find((h) => h.compose === 'v2') as SshHost;
  const sshKey = readFileSync(infra.ssh.clientKey, 'utf8');
  let github: GitHubLocal;

  beforeAll(async () => {
    github = await startGitHubLocal({ token });
  });
  afterAll(async () => {
    await github.close();
  });

  const checkout: ActionStandIn = (_inputs, { workspace }) => {
    cpSync(join(repoRoot, 'examples/compose'), workspace, { recursive: true, dereference: true });
    return { outcome: 'success', outputs: {}, log: 'checked out the example app' };
  };

  /** The example's plan workflow for a push to pull request #12 (from `head`, this repository by default). */
  function push(sha: string, head = REPOSITORY): Promise<WorkflowResult> {
    return runWorkflow({
      repoRoot,
      workflow: 'examples/compose/.github/workflows/plan.yml',
      ...pullRequest(sha, head),
      vars: {
        SLIPWAY_PROJECT: project,
        SLIPWAY_REMOTE_DIR: REMOTE_DIR,
        SLIPWAY_KNOWN_HOSTS: readFileSync(infra.ssh.knownHostsHashed, 'utf8'),
      },
      secrets: { SSH_KEY: sshKey },
      environments: {
        'staging-plan': { vars: { SLIPWAY_HOSTS: hostName(staging) } },
        'production-plan': { vars: { SLIPWAY_HOSTS: hostName(production) } },
      },
      env: { GITHUB_API_URL: github.url },
      standIns: { 'actions/checkout': checkout },
    });
  }

  /** A push to a pull request of acme/shop, as GitHub's pull_request event gives it (head from `head`). */
  function pullRequest(sha: string, head: string, number = 12) {
    return {
      eventName: 'pull_request' as const,
      github: {
        sha,
        repository: REPOSITORY,
        repository_owner: 'acme',
        token,
        event: {
          number,
          pull_request: {
            number,
            head: { sha, repo: { full_name: head } },
            base: { repo: { full_name: REPOSITORY } },
          },
        },
      },
    };
  }

  const comments = () => github.comments.list(REPOSITORY, 12);
  const projectFolders = () =>
    Promise.all(
      [staging, production].map((h) => sh(infra, h, `ls -d ${REMOTE_DIR}/${project} 2>/dev/null || true`)),
    );

  it('the first push posts one comment with both plans; the next push updates it in place', async () => {
    const first = await push('a'.repeat(40));
    expect(first.result).toBe('success');
    expect(comments()).toHaveLength(1);
    const [posted] = comments();
    expect(posted.body.startsWith(MARKER)).toBe(true);
    expect(posted.body).toContain('Slipway plan for aaaaaaa');
    const [stagingPart, productionPart] = posted.body.split('## production');
    expect(stagingPart).toContain('## staging');
    expect(stagingPart).toContain(hostName(staging));
    expect(stagingPart).toMatch(/\| web \| start \| no container of it runs \|/);
    expect(productionPart).toContain(hostName(production));
    expect(productionPart).toMatch(/\| proxy \| start \|/);
    // a plan changes nothing: no deployment recorded, no project folder made on any host
    expect(github.store.deployments).toEqual([]);
    expect(await projectFolders()).toEqual(['', '']);

    const second = await push('b'.repeat(40));
    expect(second.result).toBe('success');
    expect(comments()).toHaveLength(1);
    expect(comments()[0].id).toBe(posted.id);
    expect(comments()[0].body).toContain('Slipway plan for bbbbbbb');
    expect(comments()[0].updated_at > comments()[0].created_at).toBe(true);
    expect(
      github.requests.filter((r) => r.startsWith('POST /repos/acme/shop/issues/12/comments')),
    ).toHaveLength(1);
  });

  it('a pull request from a fork: no job runs with secrets, nothing is planned, no comment is written', async () => {
    const before = { comments: comments().length, requests: github.requests.length };
    const fork = await push('c'.repeat(40), 'mallory/shop');
    const jobs = fork.jobs.plan.jobs ?? {};
    expect(Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, j.result]))).toEqual({
      staging: 'skipped',
      production: 'skipped',
      comment: 'skipped',
    });
    expect(comments()).toHaveLength(before.comments);
    expect(github.requests.length).toBe(before.requests);
  });

  describe('target: ecs (ecs-local)', () => {
    const fx = new Fixture();
    const services = { staging: '', production: '', first: '' };
    // configure-aws-credentials: exports credentials for the job's later steps, as the real action does.
    const configureAwsCredentials: ActionStandIn = (inputs) => ({
      outcome: 'success',
      outputs: {},
      log: `assumed ${inputs['role-to-assume']}`,
      env: { ...CREDENTIALS, AWS_REGION: inputs['aws-region'] },
    });
    beforeAll(async () => {
      await fx.start();
      const staging = await fx.prepare('healthy');
      const production = await fx.prepare('healthy');
      Object.assign(services, { staging: staging.name, production: production.name, first: staging.first });
    });
    afterAll(() => fx.stop());

    it("posts the task-definition plan of each environment's services on pull request #13; ECS is only read", async () => {
      fx.resetFiles();
      const result = await runWorkflow({
        repoRoot,
        workflow: 'examples/ecs/.github/workflows/plan.yml',
        ...pullRequest('d'.repeat(40), REPOSITORY, 13),
        vars: {
          SLIPWAY_AWS_REGION: CREDENTIALS.AWS_REGION,
          SLIPWAY_AWS_ROLE: 'arn:aws:iam::123456789012:role/plan',
        },
        environments: {
          'staging-plan': { vars: { SLIPWAY_ECS_SERVICES: services.staging } },
          'production-plan': { vars: { SLIPWAY_ECS_SERVICES: services.production } },
        },
        env: { GITHUB_API_URL: github.url, AWS_ENDPOINT_URL_ECS: fx.ecs.url },
        standIns: {
          'actions/checkout': checkout,
          'aws-actions/configure-aws-credentials': configureAwsCredentials,
        },
      });
      expect(result.result).toBe('success');
      const [posted] = github.comments.list(REPOSITORY, 13);
      expect(github.comments.list(REPOSITORY, 13)).toHaveLength(1);
      expect(posted.body).toContain(`#### ${services.staging}: stays (already runs it)`);
      expect(posted.body).toContain(`#### ${services.production}: stays (already runs it)`);
      expect(posted.body).toContain('would be reused, nothing registered');
      const plan = JSON.parse(result.jobs.plan.outputs['staging-plan']);
      expect(plan).toMatchObject({ target: 'ecs', revision: { action: 'reuse', arn: services.first } });
      expect(fx.ecs.calls.filter((c) => /\.(Register|Update|Create|Delete|Deregister)/.test(c))).toEqual([]);
    });
  });
});
