import * as core from '@actions/core';
import {
  connectSsh,
  createDeploymentRecords,
  createGitHubClient,
  createStateStore,
  readWorkspaceText,
  timedConnect,
} from '@slipway/shared';
import { reportStrategy } from './canary-report';
import { type Deps, deployCompose, type PostState, planDeploy } from './deploy';
import { getInputs, type Inputs } from './inputs';
import { nodeFs } from './local-files';
import { planCompose, reportPlan } from './plan';
import { reportDeploy } from './report';

export type { Deps, PostState } from './deploy';

export const defaultDeps = (): Deps => ({
  // step debug shows how long each remote command took
  connect: timedConnect(connectSsh, core.debug),
  readFile: (path) => readWorkspaceText('compose-file', path),
  fs: nodeFs,
  now: () => new Date(),
  env: process.env,
  state: createStateStore<PostState>(),
  records: (token) =>
    token
      ? createDeploymentRecords(createGitHubClient(token), process.env.GITHUB_REPOSITORY ?? '')
      : undefined,
  io: { info: core.info, notice: core.notice, warning: core.warning, setOutput: core.setOutput },
});

export async function run(inputs: Inputs = getInputs(), deps: Deps = defaultDeps()): Promise<void> {
  if (inputs.insecureSkipHostKeyCheck) {
    deps.io.warning(
      'insecure-skip-host-key-check is on: host keys are NOT verified, so anyone in the middle can take this deploy (and its secrets). Use known-hosts or fingerprints.',
    );
  }
  // Wall clock: the analysis compares it with CloudWatch's alarm timestamps.
  const startedAt = new Date().toISOString();
  const plan = planDeploy(inputs, deps);
  if (inputs.dryRun) return reportPlan(await planCompose(plan, inputs, deps), deps);
  deps.io.setOutput('started-at', startedAt);
  const results = await deployCompose(plan, inputs, deps);
  await reportStrategy(inputs.strategy, plan.canarySteps, deps.io);
  await reportDeploy(inputs.project, plan.release.id, results, deps.io);
}
