import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { githubTools } from './github-tools';

export interface InputSpec {
  type?: 'string' | 'boolean' | 'number' | 'choice' | 'environment';
  required?: boolean;
  default?: unknown;
  options?: string[];
}

export interface StepSpec {
  id?: string;
  name?: string;
  if?: unknown;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  shell?: string;
  'continue-on-error'?: unknown;
  'timeout-minutes'?: number;
  'working-directory'?: string;
}

export interface JobSpec {
  name?: string;
  needs?: string | string[];
  if?: unknown;
  'runs-on'?: unknown;
  environment?: string | { name: string; url?: string; deployment?: unknown };
  env?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  steps?: StepSpec[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: 'inherit' | Record<string, unknown>;
  strategy?: unknown;
  'timeout-minutes'?: number;
}

export interface WorkflowSpec {
  name?: string;
  on: Record<
    string,
    { inputs?: Record<string, InputSpec>; outputs?: Record<string, { value: unknown }> } | null
  >;
  env?: Record<string, unknown>;
  jobs: Record<string, JobSpec>;
}

/**
 * Reads a workflow file. GitHub's own parser checks it first (an invalid file is refused here as GitHub would
 * refuse it); the structure then comes from the YAML as written.
 */
export function loadWorkflow(repoRoot: string, path: string): WorkflowSpec {
  const file = join(repoRoot, path);
  if (!existsSync(file)) throw new Error(`No workflow file at ${path}`);
  const content = readFileSync(file, 'utf8');
  const t = githubTools();
  const parsed = t.parseWorkflow({ name: path, content }, new t.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0)
    throw new Error(`${path} is not a valid workflow:\n${errors.map((e) => e.message).join('\n')}`);
  const spec = parseYaml(content) as WorkflowSpec & { on: unknown };
  const on = spec.on;
  spec.on =
    typeof on === 'string'
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map((e: string) => [e, null]))
        : (on as WorkflowSpec['on']);
  return spec;
}

/** The order to run jobs in: every job after all it needs; refuses unknown needs and cycles. */
export function jobOrder(jobs: Record<string, JobSpec>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, from?: string) => {
    if (!jobs[id]) throw new Error(`Job "${from}" needs "${id}", which does not exist.`);
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting')
      throw new Error(`Jobs depend on each other in a cycle through "${id}".`);
    state.set(id, 'visiting');
    for (const need of needsOf(jobs[id])) visit(need, id);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id);
  return order;
}

export function needsOf(job: JobSpec): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}
