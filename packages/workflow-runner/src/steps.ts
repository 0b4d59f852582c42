import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandFile, parseWorkflowCommands, runBundle } from '@slipway/testing';

export interface StepOutcome {
  outcome: 'success' | 'failure';
  outputs: Record<string, string>;
  /** stdout and stderr, without `::add-mask::` commands. The job masks it before recording it. */
  log: string;
  /** Values the step registered with `::add-mask::`: masked in its log and in the job's later steps. */
  masks?: string[];
  summary?: string;
  /** What the step exported through GITHUB_ENV, for the job's later steps. */
  env?: Record<string, string>;
}

/** Runs one `uses:` of this repository's actions from its bundle, through the runner-contract harness. */
export async function runActionStep(
  actionDir: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  timeoutMs: number,
  job: { workspace: string; githubToken?: string },
): Promise<StepOutcome> {
  const run = await runBundle({
    action: actionDir,
    inputs,
    env,
    timeoutMs,
    dirs: { workspace: job.workspace },
    githubToken: job.githubToken,
  });
  // The step's runner files (GITHUB_ENV, GITHUB_STATE...) can hold what the step exported: not left behind.
  rmSync(run.dirs.root, { recursive: true, force: true });
  const failed = run.exitCode !== 0 || (run.post !== undefined && run.post.exitCode !== 0);
  return {
    outcome: failed ? 'failure' : 'success',
    outputs: run.outputs,
    log: run.log + (run.post ? run.post.log : ''),
    masks: [...run.masks, ...(run.post?.masks ?? [])],
    summary: run.summary,
    env: run.env,
  };
}

/** Runs a `run:` step with bash, as the runner does (`bash --noprofile --norc -eo pipefail`). */
export async function runScriptStep(
  script: string,
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
): Promise<StepOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-run-'));
  const scriptFile = join(dir, 'step.sh');
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  const envFile = join(dir, 'env');
  writeFileSync(scriptFile, script);
  for (const file of [outputFile, summaryFile, envFile]) writeFileSync(file, '');
  const fullEnv = {
    ...env,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ENV: envFile,
  };
  try {
    return await runScript(scriptFile, fullEnv, cwd, timeoutMs, { outputFile, summaryFile, envFile });
  } finally {
    // The script holds the evaluated step (secrets included): not left behind.
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runScript(
  scriptFile: string,
  fullEnv: Record<string, string>,
  cwd: string,
  timeoutMs: number,
  files: { outputFile: string; summaryFile: string; envFile: string },
): Promise<StepOutcome> {
  const { code, log } = await new Promise<{ code: number | null; log: string }>((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
      env: fullEnv,
      cwd: existsSync(cwd) ? cwd : undefined,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      resolve({ code: exit, log: Buffer.concat(chunks).toString('utf8') });
    });
  });
  // The runner reads workflow commands from both streams.
  const { stdout, masks } = parseWorkflowCommands(log);
  return {
    outcome: code === 0 ? 'success' : 'failure',
    outputs: parseCommandFile(readFileSync(files.outputFile, 'utf8')),
    log: stdout,
    masks,
    summary: readFileSync(files.summaryFile, 'utf8'),
    env: parseCommandFile(readFileSync(files.envFile, 'utf8')),
  };
}
