import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanaryStepReport } from '@slipway/shared';
import { reportStrategy } from '../src/canary-report';

const step = (
  host: string,
  n: number,
  verdict: CanaryStepReport['verdict'],
  effective = 50,
): CanaryStepReport => ({
  host,
  service: 'web',
  step: n,
  declared: effective === 100 ? 100 : 5 * n,
  effective,
  newContainers: 1,
  oldContainers: effective === 100 ? 0 : 1,
  observed: {
    newAnswers: 40,
    oldAnswers: 41,
    unattributed: verdict === 'failed' ? 1 : 0,
    observedShare: 49.4,
  },
  verdict,
  reason: `${verdict} because`,
});

describe('the canary outputs and summary', () => {
  let dir = '';
  let outputs: Record<string, string> = {};
  const io = {
    info: () => {},
    notice: () => {},
    warning: () => {},
    setOutput: (name: string, value: string) => {
      outputs[name] = value;
    },
  };
  // @actions/core keeps the summary file's path once it has seen it: one file for the whole file, emptied per test.
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dc-canary-report-'));
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary.md');
  });
  beforeEach(() => {
    writeFileSync(join(dir, 'summary.md'), '');
    outputs = {};
  });
  afterAll(() => {
    delete process.env.GITHUB_STEP_SUMMARY;
    rmSync(dir, { recursive: true, force: true });
  });

  it('an abort at step 2 on one host: the fewest steps completed, the abort reason, every step with its shares', async () => {
    await reportStrategy(
      'canary',
      [
        step('h1', 1, 'passed'),
        step('h1', 2, 'passed'),
        step('h1', 3, 'passed', 100),
        step('h2', 1, 'passed'),
        step('h2', 2, 'failed'),
      ],
      io,
    );
    expect(outputs).toMatchObject({
      strategy: 'canary',
      'steps-completed': '1',
      'abort-reason': 'h2: web: step 2: failed: failed because',
    });
    expect(JSON.parse(outputs['traffic-share'])[4]).toEqual({
      host: 'h2',
      service: 'web',
      step: 2,
      declared: 10,
      effective: 50,
      observed: 49.4,
      newContainers: 1,
      oldContainers: 1,
      weights: null,
      answers: { new: 40, old: 41, unattributed: 1 },
      verdict: 'failed',
    });
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('| h2 | web | 2 | 10% | 50% (1 new, 1 old) | 49.4% | failed: failed because |');
  });

  it('an inconclusive step the canary went on from is no abort; rolling sets only the strategy', async () => {
    await reportStrategy('canary', [step('h1', 1, 'inconclusive'), step('h1', 2, 'passed', 100)], io);
    expect(outputs).toMatchObject({ 'steps-completed': '2', 'abort-reason': '' });
    outputs = {};
    await reportStrategy('rolling', [], io);
    expect(outputs).toEqual({ strategy: 'rolling' });
  });

  it('a step given by server weights reports them, in the outputs and the summary', async () => {
    const weighted = {
      ...step('h1', 1, 'passed', 10),
      weights: { proxy: 'HAProxy', old: 9, new: 1, oldServers: 1 },
    };
    await reportStrategy('canary', [weighted, step('h1', 2, 'passed', 100)], io);
    expect(JSON.parse(outputs['traffic-share'])[0]).toMatchObject({
      effective: 10,
      weights: { old: 9, new: 1 },
    });
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain(
      '| h1 | web | 1 | 5% | 10% (HAProxy weights 1 new : 9 old) | 49.4% | passed: passed because |',
    );
  });
});
