import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Contexts, evaluateCondition, evaluateText, evaluateValue } from './expressions';
import { createsDeployment, startJobDeployment } from './job-deployments';
import { JobMasks } from './masks';
import { runActionStep, runScriptStep, type StepOutcome } from './steps';
import {
  type InputSpec,
  type JobSpec,
  jobOrder,
  loadWorkflow,
  needsOf,
  type StepSpec,
} from './workflow-file';

export type Result = 'success' | 'failure' | 'skipped';

export interface TimelineEvent {
  at: number;
  /** `caller-job/called-job` for jobs of a reusable workflow. */
  job: string;
  step?: string;
  kind: 'job' | 'step' | 'approval';
  result: Result | 'approved' | 'rejected';
  detail?: string;
  /** For a step: its log, masked as GitHub shows it. */
  log?: string;
}

/** A step as recorded: its log and summary masked as GitHub shows them. */
export interface StepRecord extends Omit<StepOutcome, 'masks'> {
  id: string;
  name: string;
  conclusion: Result;
}

export interface JobRecord {
  result: Result;
  outputs: Record<string, string>;
  steps: StepRecord[];
  environment?: { name: string; url?: string };
  /** For a job that calls a reusable workflow: its jobs. */
  jobs?: Record<string, JobRecord>;
}

export interface WorkflowResult {
  result: Result;
  jobs: Record<string, JobRecord>;
  outputs: Record<string, string>;
}

/** What a stand-in sees of its job: the job's workspace (a fresh folder per job, as on a fresh runner). */
export interface StandInContext {
  workspace: string;
  github: Record<string, unknown>;
}

/** A stand-in for a third-party action (actions/checkout, ...), keyed by `owner/name` without the ref. */
export type ActionStandIn = (
  inputs: Record<string, string>,
  context: StandInContext,
) => Promise<StepOutcome> | StepOutcome;

/** An environment's own variables and secrets, seen only by jobs that declare that environment (as on GitHub). */
export interface EnvironmentSettings {
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
}

export interface RunWorkflowOptions {
  repoRoot: string;
  /** The workflow file, relative to repoRoot. */
  workflow: string;
  eventName: 'workflow_dispatch' | 'workflow_call' | 'push' | 'pull_request';
  inputs?: Record<string, string | number | boolean>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** The github context (sha, ref, repository, ...), merged over defaults. */
  github?: Record<string, unknown>;
  /** Process environment for steps (e.g. AWS_ENDPOINT_URL_ECS, GITHUB_API_URL). */
  env?: Record<string, string>;
  /** Environment-scoped variables and secrets, by environment name. */
  environments?: Record<string, EnvironmentSettings>;
  /** The approval gate: asked for each job that declares an environment. Default: approved. */
  approve?: (environment: string) => boolean | Promise<boolean>;
  standIns?: Record<string, ActionStandIn>;
  onEvent?: (event: TimelineEvent) => void;
  stepTimeoutMs?: number;
}

/**
 * Runs a workflow file as written: jobs in `needs` order, `if:` with success()/failure()/always(), `with:` and
 * `env:` evaluated by GitHub's expression engine, outputs passed between steps, jobs and reusable workflows,
 * GITHUB_ENV passed to a job's later steps, a fresh workspace per job, our own actions run from their bundles
 * through the runner-contract harness, `run:` steps with bash. As GitHub shows them, step logs and summaries are
 * recorded with the job's secrets, its token and `::add-mask::` values masked.
 * For a job with `environment:` (unless `deployment: false`) it records the deployment GitHub creates for the
 * job, through GITHUB_API_URL (see job-deployments.ts).
 * Jobs run one after another (a valid order of what GitHub would run in parallel). Not modelled: matrices,
 * concurrency groups, services and containers (refused where they would change the result).
 */
export async function runWorkflow(options: RunWorkflowOptions, prefix = ''): Promise<WorkflowResult> {
  const spec = loadWorkflow(options.repoRoot, options.workflow);
  const trigger = spec.on[options.eventName];
  if (trigger === undefined)
    throw new Error(`${options.workflow} has no "on: ${options.eventName}" trigger.`);
  const inputs = resolveInputs(options.workflow, trigger?.inputs ?? {}, options.inputs ?? {});
  const github: Record<string, unknown> = {
    event_name: options.eventName,
    repository: 'acme/app',
    repository_owner: 'acme',
    sha: '0123456789abcdef0123456789abcdef01234567',
    ref: 'refs/heads/main',
    ref_name: 'main',
    run_id: '4242',
    run_attempt: '1',
    actor: 'octocat',
    server_url: 'https://github.com',
    workflow: spec.name ?? options.workflow,
    ...options.github,
  };
  // As on GitHub, the job's token is also secrets.GITHUB_TOKEN, in called workflows too.
  const token = typeof github.token === 'string' && github.token ? { GITHUB_TOKEN: github.token } : {};
  const fork = fromFork(github);
  const base: Contexts = {
    github,
    inputs,
    vars: options.vars ?? {},
    secrets: { ...token, ...(fork ? {} : options.secrets) },
  };
  const workflowEnv = evaluateMap(spec.env, base);
  const jobs: Record<string, JobRecord> = {};
  for (const id of jobOrder(spec.jobs)) {
    const job = spec.jobs[id];
    const name = prefix ? `${prefix}/${id}` : id;
    if (job.strategy)
      throw new Error(`Job "${name}": strategy/matrix is not supported by the workflow runner.`);
    const needs = Object.fromEntries(
      needsOf(job).map((n) => [n, { result: jobs[n].result, outputs: jobs[n].outputs }]),
    );
    const ancestors = allNeeds(spec.jobs, id).map((n) => jobs[n].result);
    const contexts: Contexts = { ...base, needs, env: workflowEnv };
    const status = {
      success: needsOf(job).every((n) => jobs[n].result === 'success'),
      failure: ancestors.includes('failure'),
    };
    if (!evaluateCondition(job.if, contexts, status)) {
      jobs[id] = { result: 'skipped', outputs: {}, steps: [] };
      emit(options, { job: name, kind: 'job', result: 'skipped' });
      continue;
    }
    jobs[id] = job.uses
      ? await runCalledWorkflow(options, job, contexts, name)
      : await runStepsJob(options, job, contexts, name);
    emit(options, { job: name, kind: 'job', result: jobs[id].result, detail: jobs[id].environment?.url });
  }
  const jobsContext = Object.fromEntries(
    Object.entries(jobs).map(([k, v]) => [k, { result: v.result, outputs: v.outputs }]),
  );
  const outputs: Record<string, string> = {};
  for (const [key, out] of Object.entries(trigger?.outputs ?? {})) {
    outputs[key] = evaluateText(out.value, { ...base, jobs: jobsContext });
  }
  const result = Object.values(jobs).some((j) => j.result === 'failure') ? 'failure' : 'success';
  return { result, jobs, outputs };
}

async function runCalledWorkflow(
  options: RunWorkflowOptions,
  job: JobSpec,
  contexts: Contexts,
  name: string,
) {
  const path = localWorkflowPath(options.repoRoot, job.uses as string);
  const withValues = Object.fromEntries(
    Object.entries(job.with ?? {}).map(([k, v]) => [k, evaluateValue(v, contexts)]),
  );
  const secrets =
    job.secrets === 'inherit'
      ? options.secrets
      : evaluateMap(job.secrets as Record<string, unknown> | undefined, contexts);
  const called = await runWorkflow(
    {
      ...options,
      workflow: path,
      eventName: 'workflow_call',
      inputs: withValues as RunWorkflowOptions['inputs'],
      secrets,
      // A called workflow sees its caller's github context: event_name is the caller's event.
      github: { ...options.github, event_name: (contexts.github as Record<string, unknown>).event_name },
    },
    name,
  );
  return { result: called.result, outputs: called.outputs, steps: [], jobs: called.jobs };
}

async function runStepsJob(options: RunWorkflowOptions, job: JobSpec, jobContexts: Contexts, name: string) {
  const workspace = mkdtempSync(join(tmpdir(), 'slipway-job-'));
  try {
    return await runSteps(options, job, jobContexts, name, workspace);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function runSteps(
  options: RunWorkflowOptions,
  job: JobSpec,
  jobContexts: Contexts,
  name: string,
  workspace: string,
) {
  const environment = environmentOf(job, jobContexts);
  const scoped = environment ? options.environments?.[environment.name] : undefined;
  const fork = fromFork(jobContexts.github as Record<string, unknown>);
  const contexts: Contexts = {
    ...jobContexts,
    vars: { ...(jobContexts.vars as object), ...scoped?.vars },
    secrets: { ...(jobContexts.secrets as object), ...(fork ? {} : scoped?.secrets) },
  };
  let env = { ...(contexts.env as Record<string, string>), ...evaluateMap(job.env, contexts) };
  // Every secret the job can reference (the workflow's, its environment's, the job token) is masked in its logs.
  const masks = new JobMasks(Object.values(contexts.secrets as Record<string, unknown>));
  const github = contexts.github as Record<string, unknown>;
  const record =
    environment && createsDeployment(job, contexts)
      ? await startJobDeployment(
          { url: options.env?.GITHUB_API_URL, token: github.token as string | undefined },
          github,
          environment.name,
        )
      : undefined;
  if (environment) {
    const approved = await (options.approve ?? (() => true))(environment.name);
    emit(options, {
      job: name,
      kind: 'approval',
      result: approved ? 'approved' : 'rejected',
      detail: environment.name,
    });
    if (!approved) {
      await record?.finished('failure');
      return { result: 'failure' as const, outputs: {}, steps: [], environment };
    }
  }
  await record?.started();
  const steps: StepRecord[] = [];
  const stepsContext: Record<
    string,
    { outputs: Record<string, string>; outcome: string; conclusion: string }
  > = {};
  let failed = false;
  for (const [index, step] of (job.steps ?? []).entries()) {
    const id = step.id ?? `__step${index}`;
    const stepName = step.name ?? step.uses ?? `run ${index + 1}`;
    const stepEnv = { ...env, ...evaluateMap(step.env, { ...contexts, env, steps: stepsContext }) };
    const ctx: Contexts = {
      ...contexts,
      env: stepEnv,
      steps: stepsContext,
      job: { status: failed ? 'failure' : 'success' },
    };
    let record: StepRecord;
    if (!evaluateCondition(step.if, ctx, { success: !failed, failure: failed })) {
      record = { id, name: stepName, outcome: 'success', conclusion: 'skipped', outputs: {}, log: '' };
    } else {
      const { masks: added = [], ...outcome } = await runStep(
        options,
        step,
        ctx,
        stepEnv,
        `${name}/${stepName}`,
        workspace,
      );
      for (const value of added) masks.add(value);
      outcome.log = masks.apply(outcome.log);
      if (outcome.summary !== undefined) outcome.summary = masks.apply(outcome.summary);
      const continueOnError = evaluateValue(step['continue-on-error'] ?? false, ctx) === true;
      const conclusion = outcome.outcome === 'failure' && !continueOnError ? 'failure' : 'success';
      if (conclusion === 'failure') failed = true;
      record = { id, name: stepName, ...outcome, conclusion };
    }
    steps.push(record);
    env = { ...env, ...exported(record.env) };
    stepsContext[id] = {
      outputs: record.outputs,
      outcome: record.conclusion === 'skipped' ? 'skipped' : record.outcome,
      conclusion: record.conclusion,
    };
    emit(options, { job: name, step: stepName, kind: 'step', result: record.conclusion, log: record.log });
  }
  const endCtx: Contexts = { ...contexts, env, steps: stepsContext };
  const outputs = failed ? {} : evaluateMap(job.outputs, endCtx);
  const url =
    typeof job.environment === 'object' && job.environment.url
      ? evaluateText(job.environment.url, endCtx)
      : undefined;
  await record?.finished(failed ? 'failure' : 'success', url);
  return {
    result: (failed ? 'failure' : 'success') as Result,
    outputs,
    steps,
    environment: environment ? { name: environment.name, url } : undefined,
  };
}

async function runStep(
  options: RunWorkflowOptions,
  step: StepSpec,
  ctx: Contexts,
  env: Record<string, string>,
  label: string,
  workspace: string,
) {
  const timeoutMs = step['timeout-minutes']
    ? step['timeout-minutes'] * 60_000
    : (options.stepTimeoutMs ?? 600_000);
  const github = ctx.github as Record<string, string>;
  const processEnv = { ...options.env, ...env, ...githubEnv(github), GITHUB_WORKSPACE: workspace };
  if (step.run !== undefined) {
    const script = evaluateText(step.run, ctx);
    return runScriptStep(
      script,
      { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...processEnv },
      workspace,
      timeoutMs,
    );
  }
  const uses = step.uses ?? '';
  const withInputs = Object.fromEntries(
    Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluateText(v, ctx)]),
  );
  const actionDir = localActionDir(options.repoRoot, uses);
  if (actionDir)
    return runActionStep(actionDir, withInputs, processEnv, timeoutMs, {
      workspace,
      githubToken: github.token,
    });
  const standIn = options.standIns?.[uses.split('@')[0]];
  if (standIn) return standIn(withInputs, { workspace, github });
  throw new Error(`${label}: no local way to run "uses: ${uses}" (add a stand-in for it).`);
}

/**
 * `$/actions/x` (GitHub's self-repository reference: this repository at the running commit), `./actions/x` or
 * `<owner>/slipway/actions/x@ref` → this repository's action folder.
 */
export function localActionDir(repoRoot: string, uses: string): string | undefined {
  const match = /^(?:\$\/|\.\/|[^/]+\/slipway\/)(actions\/[a-z0-9-]+)(?:@.+)?$/.exec(uses);
  if (!match) return undefined;
  const dir = join(repoRoot, match[1]);
  return existsSync(join(dir, 'action.yml')) ? dir : undefined;
}

function localWorkflowPath(repoRoot: string, uses: string): string {
  const match = /^(?:\$\/|\.\/|[^/]+\/slipway\/)(\.github\/workflows\/[^@]+\.ya?ml)(?:@.+)?$/.exec(uses);
  if (!match || !existsSync(join(repoRoot, match[1])))
    throw new Error(`No local workflow for "uses: ${uses}".`);
  return match[1];
}

/**
 * A pull_request from a fork (its head repository is not this one): as on GitHub, such a run gets no secrets
 * but GITHUB_TOKEN (read-only there), neither the repository's nor any environment's.
 */
function fromFork(github: Record<string, unknown>): boolean {
  if (github.event_name !== 'pull_request') return false;
  const event = github.event as { pull_request?: { head?: { repo?: { full_name?: string } } } } | undefined;
  const head = event?.pull_request?.head?.repo?.full_name;
  return head !== undefined && head !== github.repository;
}

function environmentOf(job: JobSpec, contexts: Contexts): { name: string } | undefined {
  if (job.environment === undefined) return undefined;
  const name = typeof job.environment === 'string' ? job.environment : job.environment.name;
  return { name: evaluateText(name, contexts) };
}

function resolveInputs(workflow: string, specs: Record<string, InputSpec>, given: Record<string, unknown>) {
  const inputs: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    let value = given[key] ?? spec.default;
    if (value === undefined && spec.required)
      throw new Error(`${workflow}: required input "${key}" was not given.`);
    if (spec.type === 'boolean' && typeof value === 'string') value = value === 'true';
    if (spec.type === 'number' && typeof value === 'string') value = Number(value);
    if (spec.type === 'choice' && value !== undefined && !spec.options?.includes(String(value))) {
      throw new Error(
        `${workflow}: input "${key}" must be one of ${spec.options?.join(', ')}; got "${value}".`,
      );
    }
    inputs[key] = value ?? (spec.type === 'boolean' ? false : spec.type === 'number' ? 0 : '');
  }
  for (const key of Object.keys(given)) {
    if (!(key in specs)) throw new Error(`${workflow}: input "${key}" is not declared.`);
  }
  return inputs;
}

/** What a step wrote to GITHUB_ENV, for the later steps (as on GitHub, GITHUB_* and RUNNER_* cannot be set). */
function exported(env: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).filter(([k]) => !/^(GITHUB|RUNNER)_/.test(k)));
}

function evaluateMap(map: Record<string, unknown> | undefined, contexts: Contexts): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, evaluateText(v, contexts)]));
}

function allNeeds(jobs: Record<string, JobSpec>, id: string, seen = new Set<string>()): string[] {
  for (const need of needsOf(jobs[id])) {
    if (!seen.has(need)) {
      seen.add(need);
      allNeeds(jobs, need, seen);
    }
  }
  return [...seen];
}

function githubEnv(github: Record<string, string>): Record<string, string> {
  return {
    GITHUB_SHA: github.sha,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref_name,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository_owner,
    GITHUB_RUN_ID: github.run_id,
    GITHUB_ACTOR: github.actor,
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_SERVER_URL: github.server_url,
  };
}

function emit(options: RunWorkflowOptions, event: Omit<TimelineEvent, 'at'>) {
  options.onEvent?.({ at: Date.now(), ...event });
}
