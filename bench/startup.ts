import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type Section } from './table';

const RUNS = 15;

interface Sample {
  ms: number;
  rssKb: number;
  stdout: string;
  code: number | null;
}

/** One run under GNU time (for the peak RSS), timed from spawn to exit with a monotonic clock. */
function sample(args: string[], env: Record<string, string>): Sample {
  const start = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rssKb = Number(run.stderr.trim().split('\n').pop());
  return { ms, rssKb, stdout: run.stdout, code: run.status };
}

/**
 * Start-up of each action's bundle, from process start to its first input error (no inputs at all: the same
 * no-work path for every action), beside `node -e 0`, the floor. Each run must end in an input error, or the
 * figure would measure something else.
 */
export function startupSection(repoRoot: string): Section {
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir, GITHUB_ACTIONS: 'true' };
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY']) {
    env[name] = join(dir, name);
    writeFileSync(env[name], '');
  }
  const actions = readdirSync(join(repoRoot, 'actions')).sort();
  const targets = [
    ['-e', '0'],
    ...actions.map((action) => [join(repoRoot, 'actions', action, 'dist/index.js')]),
  ];
  // Round-robin, the floor in every round: on a shared machine the load drifts, and each ratio should compare
  // runs made under the same load.
  const samples: Sample[][] = targets.map(() => []);
  for (let round = 0; round < RUNS; round++) {
    for (const [i, args] of targets.entries()) samples[i].push(sample(args, env));
  }
  const summary = (runs: Sample[]) => ({
    ms: median(runs.map((s) => s.ms)),
    mb: median(runs.map((s) => s.rssKb)) / 1024,
  });
  const floor = summary(samples[0]);
  const rows: string[][] = [['`node -e 0` (floor)', '—', floor.ms.toFixed(1), floor.mb.toFixed(1), '1.0×']];
  for (const [i, action] of actions.entries()) {
    const bundle = targets[i + 1][0];
    for (const s of samples[i + 1]) {
      if (s.code !== 1 || !/::error::Input "[^"]+"/.test(s.stdout)) {
        throw new Error(
          `${action}: expected an input error with no inputs, got exit ${s.code}:\n${s.stdout}`,
        );
      }
    }
    const result = summary(samples[i + 1]);
    // Chunks of dynamic imports load only when that code runs: shown beside the entry, not in it.
    const chunks = readdirSync(join(repoRoot, 'actions', action, 'dist'))
      .filter((name) => /^\d+\.index\.js$/.test(name))
      .reduce((sum, name) => sum + statSync(join(repoRoot, 'actions', action, 'dist', name)).size, 0);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
    rows.push([
      action,
      `${mb(statSync(bundle).size)}${chunks ? ` (+${mb(chunks)} in chunks)` : ''}`,
      result.ms.toFixed(1),
      result.mb.toFixed(1),
      `${(result.ms / floor.ms).toFixed(2)}×`,
    ]);
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    title: '1. Start-up: process start to the first input error (goal: 1.5× the floor, 60 MB)',
    note: `Median of ${RUNS} runs each, taken in turns with the floor, no inputs given (every action fails on its first required input). Peak memory is the maximum resident set size from GNU time.`,
    headers: ['bundle', 'size', 'median ms', 'peak MB', 'vs floor'],
    rows,
  };
}
