import { type Contexts, evaluateValue } from './expressions';
import type { JobSpec } from './workflow-file';

/**
 * What GitHub itself records for a job that declares `environment:`: one deployment per job run (ref, sha, the
 * environment, task `deploy`, an empty payload), an `in_progress` status when the job starts after its
 * protection rules passed, and a final status from the job's result (`success`, or `failure`, also for a
 * rejected approval), with the environment's URL. With `environment.deployment: false` GitHub creates none
 * (docs.github.com/en/actions/how-tos/deploy/configure-and-manage-deployments/control-deployments
 * #using-environments-without-deployments). Made here through the same REST API the actions use, so a test
 * counts GitHub's records and the actions' records in one list.
 */
export interface JobDeployment {
  started(): Promise<void>;
  finished(result: 'success' | 'failure', url?: string): Promise<void>;
}

/** The job's `environment.deployment` (a boolean or an expression), `true` when not given, as on GitHub. */
export function createsDeployment(job: JobSpec, contexts: Contexts): boolean {
  if (typeof job.environment !== 'object' || job.environment.deployment === undefined) return true;
  const value = evaluateValue(job.environment.deployment, contexts);
  return !(value === false || value === 'false');
}

export async function startJobDeployment(
  api: { url?: string; token?: string },
  github: Record<string, unknown>,
  environment: string,
): Promise<JobDeployment | undefined> {
  // Without an API to record to (a unit test of a workflow), there is nothing to model.
  if (!api.url || !api.token) return undefined;
  const base = `${api.url}/repos/${String(github.repository)}/deployments`;
  const call = async (path: string, body: Record<string, unknown>) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `token ${api.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok)
      throw new Error(`GitHub's job deployment (${environment}): HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: number };
  };
  const { id } = await call('', {
    ref: String(github.ref_name ?? github.sha),
    sha: String(github.sha),
    environment,
    task: 'deploy',
    payload: {},
    description: '',
  });
  const log = `${String(github.server_url)}/${String(github.repository)}/actions/runs/${String(github.run_id)}`;
  return {
    started: async () => {
      await call(`/${id}/statuses`, { state: 'in_progress', log_url: log });
    },
    finished: async (result, url) => {
      await call(`/${id}/statuses`, { state: result, log_url: log, environment_url: url ?? '' });
    },
  };
}
