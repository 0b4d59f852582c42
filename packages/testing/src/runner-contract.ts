import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface StepResult {
  exitCode: number | null;
  /** Standard output without `::add-mask::` commands, NOT masked: what a leak test must search. */
  stdout: string;
  stderr: string;
  /** What the runner would show: stdout and stderr with registered masks applied. */
  log: string;
  annotations: Annotation[];
  masks: string[];
  timedOut: boolean;
  /** The step was cancelled (`cancelWhen`); `signal` is the one that ended it. */
  cancelled: boolean;
  signal: NodeJS.Signals | null;
}

export interface ActionRun extends StepResult {
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  summary: string;
  /** The post step, when action.yml declares one and it ran. */
  post?: StepResult;
  /** The temporary runner folders (workspace, temp, files); removed by the caller or left for inspection. */
  dirs: { root: string; workspace: string; temp: string; toolCache: string };
}

export interface RunOptions {
  /** The action folder (with action.yml), e.g. `actions/smoke-test`. */
  action: string;
  /** Inputs by their action.yml names. Missing ones get action.yml's defaults, as on the runner. */
  inputs?: Record<string, string>;
  /** Extra environment (AWS_ENDPOINT_URL_ECS, DOCKER_HOST, ...). */
  env?: Record<string, string>;
  /** The webhook event payload (written to GITHUB_EVENT_PATH). */
  event?: unknown;
  eventName?: string;
  /** Run the post step when there is one (default true). */
  post?: boolean;
  timeoutMs?: number;
  /**
   * Cancels the main step as the runner does when a run is cancelled, as soon as its standard output so far
   * satisfies `cancelWhen`: SIGINT, SIGTERM 7.5 s later, the kill 2.5 s after that. The post step then runs.
   */
  cancelWhen?: (stdout: string) => boolean;
  /** The job's token, for inputs whose action.yml default is `${{ github.token }}` (default: none). */
  githubToken?: string;
  /** Reuse these runner folders (e.g. a tool cache kept between runs). */
  dirs?: Partial<ActionRun['dirs']>;
}

interface ActionYaml {
  inputs?: Record<string, { default?: unknown; required?: boolean }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

/** A default as the runner evaluates it: `${{ github.token }}` is the job's token; other expressions are refused. */
function inputDefault(name: string, value: string, options: RunOptions): string {
  if (!value.includes('${{')) return value;
  if (/^\$\{\{\s*github\.token\s*\}\}$/.test(value.trim())) return options.githubToken ?? '';
  throw new Error(
    `${options.action}: the default of input "${name}" (${value}) is an expression the harness cannot evaluate.`,
  );
}

/** The runner's rule for input variable names: upper-cased, spaces to `_`, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

// The runner folders runBundle made itself (not the caller's): tests read them after a run, so they are removed
// at the end of each test file (jest-setup.ts), never left in /tmp with the secrets a run may have written.
const ownFolders = new Set<string>();
const ownFolder = (dir: string) => {
  ownFolders.add(dir);
  return dir;
};

/** Removes every runner folder that runBundle created. */
export function removeRunnerFolders(): void {
  for (const dir of ownFolders) rmSync(dir, { recursive: true, force: true });
  ownFolders.clear();
}

/**
 * Runs an action's bundle as the GitHub runner does: `node <runs.main>` with `INPUT_*` variables (defaults from
 * action.yml filled in), fresh GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV / GITHUB_STEP_SUMMARY files, the usual
 * `GITHUB_*` context, then `runs.post` with the saved state as `STATE_*` variables.
 */
export async function runBundle(options: RunOptions): Promise<ActionRun> {
  const actionDir = resolve(options.action);
  const meta = parseYaml(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as ActionYaml;
  if (!/^node\d+$/.test(meta.runs.using))
    throw new Error(`${options.action}: runs.using is ${meta.runs.using}`);

  const root = options.dirs?.root ?? ownFolder(mkdtempSync(join(tmpdir(), 'slipway-runner-')));
  const dirs = {
    root,
    workspace: options.dirs?.workspace ?? join(root, 'workspace'),
    temp: options.dirs?.temp ?? join(root, 'temp'),
    toolCache: options.dirs?.toolCache ?? join(root, 'tool-cache'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const files = join(root, `files-${randomUUID().slice(0, 8)}`);
  mkdirSync(files);
  const file = (name: string) => {
    const path = join(files, name);
    writeFileSync(path, '');
    return path;
  };
  const eventPath = join(files, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.event ?? {}));

  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    if (spec.default !== undefined)
      inputs[inputVariable(name)] = inputDefault(name, String(spec.default), options);
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) inputs[inputVariable(name)] = value;

  const paths = {
    GITHUB_OUTPUT: file('output'),
    GITHUB_STATE: file('state'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    GITHUB_STEP_SUMMARY: file('summary.md'),
  };
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? root,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: 'slipway-step',
    GITHUB_ACTION_PATH: actionDir,
    GITHUB_ACTOR: 'octocat',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_WORKFLOW: 'pipeline',
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_WORKSPACE: dirs.workspace,
    RUNNER_TEMP: dirs.temp,
    RUNNER_TOOL_CACHE: dirs.toolCache,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'slipway-harness',
  };
  const env = { ...base, ...paths, ...inputs, ...options.env };

  const main = await runStep(
    join(actionDir, meta.runs.main),
    env,
    dirs.workspace,
    options.timeoutMs,
    options.cancelWhen,
  );
  const state = parseCommandFile(readFileSync(paths.GITHUB_STATE, 'utf8'));
  const result: ActionRun = {
    ...main,
    outputs: parseCommandFile(readFileSync(paths.GITHUB_OUTPUT, 'utf8')),
    state,
    env: parseCommandFile(readFileSync(paths.GITHUB_ENV, 'utf8')),
    summary: readFileSync(paths.GITHUB_STEP_SUMMARY, 'utf8'),
    dirs,
  };
  if (meta.runs.post && options.post !== false) {
    const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
    const postEnv = {
      ...env,
      ...stateEnv,
      GITHUB_OUTPUT: file('post-output'),
      GITHUB_STATE: file('post-state'),
    };
    result.post = await runStep(join(actionDir, meta.runs.post), postEnv, dirs.workspace, options.timeoutMs);
    result.summary = readFileSync(paths.GITHUB_STEP_SUMMARY, 'utf8');
  }
  return result;
}

function runStep(
  script: string,
  env: Record<string, string>,
  cwd: string,
  timeoutMs = 120_000,
  cancelWhen?: (stdout: string) => boolean,
): Promise<StepResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let cancelled = false;
    const timers = [
      setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs),
    ];
    // The runner's cancellation: SIGINT, then SIGTERM after 7.5 s, then the kill after 2.5 s more.
    const cancel = () => {
      cancelled = true;
      child.kill('SIGINT');
      timers.push(setTimeout(() => child.kill('SIGTERM'), 7500));
      timers.push(setTimeout(() => child.kill('SIGKILL'), 10_000));
    };
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (cancelWhen && !cancelled && cancelWhen(Buffer.concat(out).toString('utf8'))) cancel();
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const timer of timers) clearTimeout(timer);
      const rawOut = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const { stdout, annotations, masks } = parseWorkflowCommands(rawOut);
      const mask = (text: string) => maskText(text, masks);
      resolvePromise({
        exitCode: code,
        stdout,
        stderr,
        log: mask(stdout + stderr),
        annotations,
        masks,
        timedOut,
        cancelled,
        signal,
      });
    });
  });
}

const COMMAND = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/;

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** Splits workflow commands out of stdout: annotations and masks are collected, mask commands dropped. */
/** `text` with every value replaced by `***`, as the runner masks: the longest first (one may contain another). */
export function maskText(text: string, values: Iterable<string>): string {
  return [...values].sort((a, b) => b.length - a.length).reduce((t, v) => t.split(v).join('***'), text);
}

export function parseWorkflowCommands(stdout: string): {
  stdout: string;
  annotations: Annotation[];
  masks: string[];
} {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  const kept: string[] = [];
  for (const line of stdout.split('\n')) {
    const match = COMMAND.exec(line.replace(/\r$/, ''));
    if (!match) {
      kept.push(line);
      continue;
    }
    const [, name, props = '', data] = match;
    if (name === 'add-mask') {
      masks.push(unescapeData(data));
      continue;
    }
    if (name === 'error' || name === 'warning' || name === 'notice') {
      const properties: Record<string, string> = {};
      for (const pair of props.split(',').filter(Boolean)) {
        const eq = pair.indexOf('=');
        properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
      }
      annotations.push({ level: name, message: unescapeData(data), properties });
    }
    kept.push(line);
  }
  return { stdout: kept.join('\n'), annotations, masks };
}

/** Reads a GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV file: `name=value` lines and `name<<DELIM` blocks. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]);
      if (i >= lines.length) throw new Error(`Unterminated ${name}<<${delimiter} block in a runner file.`);
      values[name] = body.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new Error(`Malformed line in a runner file: ${JSON.stringify(line)}`);
      values[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return values;
}

/**
 * A run the runner cancelled, whose post step ended well with a warning matching `pattern` (what it did about the
 * cancelled run's deployment): the check every cancelled-run test makes of the post step.
 */
export function expectCancelledThenWarned(run: ActionRun, pattern: RegExp): void {
  expect({ cancelled: run.cancelled, postExitCode: run.post?.exitCode }).toEqual({
    cancelled: true,
    postExitCode: 0,
  });
  expect(run.post?.annotations).toContainEqual(
    expect.objectContaining({ level: 'warning', message: expect.stringMatching(pattern) }),
  );
}
