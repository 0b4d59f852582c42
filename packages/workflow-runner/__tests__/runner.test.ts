import { join } from 'node:path';
import { jobOrder, runWorkflow, type TimelineEvent } from '../src';

const repoRoot = join(__dirname, 'fixtures/repo');
const checkout = async () => ({ outcome: 'success' as const, outputs: {}, log: 'checked out' });

describe('workflow runner (the files as written)', () => {
  it('runs jobs by needs, passes outputs through a reusable workflow, skips the failure() job', async () => {
    const events: TimelineEvent[] = [];
    const result = await runWorkflow({
      repoRoot,
      workflow: '.github/workflows/pipeline.yml',
      eventName: 'workflow_dispatch',
      inputs: { version: '2.0.0' },
      standIns: { 'actions/checkout': checkout },
      onEvent: (e) => events.push(e),
    });
    expect(result.result).toBe('success');
    expect(result.jobs.build.outputs).toEqual({ ref: 'app@2.0.0' });
    expect(result.jobs.deploy.outputs).toEqual({ url: 'https://production.example.com/app@2.0.0' });
    expect(result.jobs.deploy.jobs?.deploy.environment).toEqual({
      name: 'production',
      url: 'https://production.example.com',
    });
    expect(result.jobs.rollback.result).toBe('skipped');
    expect(result.jobs.announce.steps[0].log).toContain('deployed https://production.example.com/app@2.0.0');
    const steps = result.jobs.deploy.jobs?.deploy.steps.map((s) => [s.name, s.conclusion]);
    expect(steps).toEqual([
      ['actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', 'success'],
      ['./actions/echo', 'success'],
      ['run 3', 'skipped'],
      ['run 4', 'success'],
    ]);
    expect(events.filter((e) => e.kind === 'job').map((e) => `${e.job}:${e.result}`)).toEqual([
      'build:success',
      'deploy/deploy:success',
      'deploy:success',
      'rollback:skipped',
      'announce:success',
    ]);
    // a step's event carries its log, so a timeline can say what the step did while the run goes on
    const announced = events.find((e) => e.kind === 'step' && e.job === 'announce');
    expect(announced?.log).toContain('deployed https://production.example.com/app@2.0.0');
  });

  it('runs the failure() job when a needed job fails, and skips what needed the failed one', async () => {
    const result = await runWorkflow({
      repoRoot,
      workflow: '.github/workflows/pipeline.yml',
      eventName: 'workflow_dispatch',
      inputs: { version: '2.0.1', 'break-deploy': true },
      standIns: { 'actions/checkout': checkout },
    });
    expect(result.result).toBe('failure');
    expect(result.jobs.deploy.result).toBe('failure');
    const inner = result.jobs.deploy.jobs?.deploy.steps.map((s) => [s.name, s.conclusion]);
    expect(inner?.slice(1)).toEqual([
      ['./actions/echo', 'failure'],
      ['run 3', 'success'],
      ['run 4', 'skipped'],
    ]);
    expect(result.jobs.rollback.result).toBe('success');
    expect(result.jobs.rollback.steps[0].outputs).toEqual({ 'rolled-back': 'app@2.0.1' });
    expect(result.jobs.announce.result).toBe('skipped');
  });

  it('stops at a rejected approval', async () => {
    const result = await runWorkflow({
      repoRoot,
      workflow: '.github/workflows/pipeline.yml',
      eventName: 'workflow_dispatch',
      inputs: { version: '3.0.0' },
      standIns: { 'actions/checkout': checkout },
      approve: (environment) => environment !== 'production',
    });
    expect(result.jobs.deploy.result).toBe('failure');
    expect(result.jobs.deploy.jobs?.deploy.steps).toEqual([]);
    expect(result.jobs.rollback.result).toBe('success');
  });

  it('refuses what GitHub would refuse', async () => {
    await expect(
      runWorkflow({ repoRoot, workflow: '.github/workflows/invalid.yml', eventName: 'workflow_dispatch' }),
    ).rejects.toThrow(/is not a valid workflow:\n.*runs-on/);
    await expect(
      runWorkflow({ repoRoot, workflow: '.github/workflows/pipeline.yml', eventName: 'workflow_dispatch' }),
    ).rejects.toThrow('required input "version" was not given');
    await expect(
      runWorkflow({
        repoRoot,
        workflow: '.github/workflows/pipeline.yml',
        eventName: 'workflow_dispatch',
        inputs: { version: '1' },
      }),
    ).rejects.toThrow(
      'no local way to run "uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"',
    );
  });

  it('orders jobs and refuses cycles', () => {
    expect(jobOrder({ c: { needs: ['a', 'b'] }, b: { needs: 'a' }, a: {} })).toEqual(['a', 'b', 'c']);
    expect(() => jobOrder({ a: { needs: 'b' }, b: { needs: 'a' } })).toThrow(/cycle/);
    expect(() => jobOrder({ a: { needs: 'zz' } })).toThrow('Job "a" needs "zz", which does not exist.');
  });
});
