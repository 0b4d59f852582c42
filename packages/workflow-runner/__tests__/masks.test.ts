import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type ActionStandIn, runWorkflow, type WorkflowResult } from '../src';

// A workflow whose steps print secrets on purpose: what the runner records must be masked as GitHub shows it.
const repoRoot = join(__dirname, 'fixtures/repo');
const TOKEN = 'ghs_masksTestTOKEN0123456789';
const KEY = 'repository-key-5e3f';
const MULTI = 'line-one-a8c1\nline-two-77d0';
const STAGING_KEY = 'staging-key-c4e2';
const ONLY_STAGING = 'only-staging-91ab';
const derived = `derived-${createHash('sha256').update(KEY).digest('hex').slice(0, 12)}`;

describe('workflow runner: secrets masked in step logs', () => {
  const standInSaw: string[] = [];
  const printSecret: ActionStandIn = (inputs) => {
    standInSaw.push(inputs.value);
    return { outcome: 'success', outputs: {}, log: `stand-in printed ${inputs.value}` };
  };
  let result: WorkflowResult;

  beforeAll(async () => {
    result = await runWorkflow({
      repoRoot,
      workflow: '.github/workflows/masks.yml',
      eventName: 'workflow_dispatch',
      github: { token: TOKEN },
      secrets: { KEY, MULTI },
      environments: { staging: { secrets: { KEY: STAGING_KEY, ONLY_STAGING } } },
      standIns: { 'acme/print-secret': printSecret },
    });
  });
  const step = (job: string, id: string) => result.jobs[job].steps.find((s) => s.id === id);

  it('runs the steps with the real values (only the record is masked)', () => {
    expect(result.result).toBe('success');
    expect(step('plain', 'print')?.outputs.len).toBe(String(KEY.length));
    expect(standInSaw).toEqual([TOKEN]);
  });

  it("masks the workflow's secrets and the job token in stdout, stderr and the summary", () => {
    const print = step('plain', 'print');
    expect(print?.log).toContain('inline ***');
    expect(print?.log).toContain('from env ***');
    expect(print?.log).toContain('token ***');
    // a multi-line secret is masked line by line as well
    expect(print?.log).toContain('multi ***');
    expect(print?.log).toContain('second line ***');
    expect(print?.summary).toContain('summary ***');
    for (const secret of [KEY, TOKEN, 'line-one-a8c1', 'line-two-77d0']) {
      expect(print?.log).not.toContain(secret);
    }
    expect(step('plain', 'stand-in')?.log).toBe('stand-in printed ***');
  });

  it('masks ::add-mask:: values in that step and the later steps (run: and actions), and drops the command', () => {
    const register = step('plain', 'register');
    expect(register?.log).toContain('after ***');
    expect(register?.log).not.toContain('add-mask');
    expect(step('plain', 'later')?.log).toContain('later ***');
    expect(step('plain', 'action')?.outputs.echoed).toBe(derived);
    expect(step('plain', 'action')?.log).toContain('echo: *** (sha');
    for (const s of result.jobs.plain.steps) expect(s.log).not.toContain(derived);
  });

  it("masks an environment's secrets in the job that declares it", () => {
    const [scoped] = result.jobs.scoped.steps;
    expect(scoped.log.trim()).toBe('scoped *** ***');
    expect(scoped.log).not.toContain(STAGING_KEY);
    expect(scoped.log).not.toContain(ONLY_STAGING);
  });

  it('records no mask values', () => {
    expect(JSON.stringify(result)).not.toContain('"masks"');
  });
});
