import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ActionStandIn, runWorkflow } from '../src';

const repoRoot = join(__dirname, 'fixtures/repo');
const TOKEN = 'ghs_jobstestTOKEN0123456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('workflow runner: what each job gets', () => {
  const seen: string[] = [];
  const checkout: ActionStandIn = (_inputs, { workspace }) => {
    writeFileSync(join(workspace, 'checked-out'), '');
    return { outcome: 'success', outputs: {}, log: 'checked out' };
  };
  const credentials: ActionStandIn = (inputs) => {
    seen.push(inputs['role-to-assume']);
    return { outcome: 'success', outputs: {}, log: 'assumed', env: { AWS_ACCESS_KEY_ID: 'AKIDSTANDIN' } };
  };
  let result: Awaited<ReturnType<typeof runWorkflow>>;

  beforeAll(async () => {
    result = await runWorkflow({
      repoRoot,
      workflow: '.github/workflows/jobs.yml',
      eventName: 'workflow_dispatch',
      github: { token: TOKEN },
      vars: { WHERE: 'repository' },
      secrets: { KEY: 'repository-key' },
      environments: {
        staging: { vars: { WHERE: 'staging' }, secrets: { KEY: 'staging-key' } },
        production: { vars: { WHERE: 'production' } },
      },
      standIns: {
        'actions/checkout': checkout,
        'aws-actions/configure-aws-credentials': credentials,
      },
    });
  });

  it('gives each job a fresh workspace, removed after the job', () => {
    expect(result.result).toBe('success');
    const { first, second } = result.jobs;
    expect(first.outputs.workspace).not.toBe(second.outputs.workspace);
    // the stand-in wrote into the job's workspace; the first job's file is not there
    expect(second.outputs.found).toBe('checked-out');
    expect(existsSync(first.outputs.workspace)).toBe(false);
    expect(existsSync(second.outputs.workspace)).toBe(false);
  });

  it('passes GITHUB_ENV to the later steps of the same job only, from scripts, actions and stand-ins', () => {
    const { first, second, token } = result.jobs;
    expect(first.outputs.exported).toBe('from-first/from-first');
    expect(first.outputs.credentials).toBe('AKIDSTANDIN');
    expect(seen).toEqual(['arn:aws:iam::123456789012:role/deploy']);
    expect(second.outputs.exported).toBe('none');
    expect(token.outputs.exported).toBe(sha256(TOKEN));
  });

  it("gives a job that declares an environment that environment's variables and secrets, over the repository's", () => {
    const { first, second } = result.jobs;
    expect([first.outputs.where, first.outputs.key]).toEqual(['repository', 'repository-key']);
    expect([second.outputs.where, second.outputs.key]).toEqual(['staging', 'staging-key']);
    expect(second.environment).toEqual({ name: 'staging', url: undefined });
  });

  it('makes the job token secrets.GITHUB_TOKEN (in called workflows too) and the default of github.token inputs', () => {
    expect(result.jobs.token.outputs).toEqual({
      given: sha256(TOKEN),
      default: sha256(TOKEN),
      exported: sha256(TOKEN),
      same: 'true',
    });
  });

  it('has no token when the run was given none', async () => {
    const bare = await runWorkflow({
      repoRoot,
      workflow: '.github/workflows/token.yml',
      eventName: 'workflow_call',
    });
    expect(bare.outputs).toEqual({ given: '', default: '', exported: '', same: 'true' });
  });
});
