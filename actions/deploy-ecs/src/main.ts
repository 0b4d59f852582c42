import * as core from '@actions/core';
import {
  appendSummary,
  createDeploymentRecords,
  createEcsApi,
  createGitHubClient,
  createStateStore,
  UserError,
} from '@slipway/shared';
import { type EcsDeployOutcome, type EngineDeps, openEcsDeploy, type PostState, setOutputs } from './deploy';
import { getInputs, type Inputs } from './inputs';
import { renderEcsPlan } from './plan';
import { renderSummary } from './report/summary';

export type { PostState };

export interface Deps extends EngineDeps {
  /** Appends to the job summary. */
  summary: (markdown: string) => Promise<void>;
}

export const defaultDeps = (): Deps => ({
  ecs: (inputs, log, notice) =>
    createEcsApi({
      region: inputs.region,
      endpoint: inputs.endpoint,
      retryBaseDelayMs: Math.min(1000, inputs.pollIntervalMs),
      log,
      notice,
    }),
  records: (token) =>
    token
      ? createDeploymentRecords(createGitHubClient(token), process.env.GITHUB_REPOSITORY ?? '')
      : undefined,
  sha: process.env.GITHUB_SHA ?? '',
  log: (line) => core.info(line),
  output: (name, value) => core.setOutput(name, value),
  warning: (message) => core.warning(message),
  notice: (message) => core.notice(message),
  summary: appendSummary,
  state: createStateStore<PostState>(),
});

export async function run(inputs: Inputs = getInputs(), deps: Deps = defaultDeps()): Promise<void> {
  // Wall clock: the analysis compares it with CloudWatch's alarm timestamps.
  const startedAt = new Date().toISOString();
  const ecsDeploy = openEcsDeploy(inputs, deps);
  if (inputs.dryRun) {
    const plan = await ecsDeploy.plan();
    const markdown = renderEcsPlan(plan);
    deps.output('plan', JSON.stringify(plan));
    deps.output('plan-markdown', markdown);
    await deps.summary(markdown);
    deps.log(
      plan.changes
        ? 'Dry run: the deploy would change the services above.'
        : 'Dry run: nothing would change.',
    );
    return;
  }
  let outcome: EcsDeployOutcome | undefined;
  try {
    outcome = await ecsDeploy.deploy();
    setOutputs(outcome, deps.output);
    deps.output('started-at', startedAt);
    await deps.summary(renderSummary(outcome.report));
  } finally {
    await ecsDeploy.close(outcome);
  }
  if (outcome.failure) throw new UserError(outcome.failure);
  deps.log(`ECS deploy ${outcome.status}: ${outcome.reason}`);
}
