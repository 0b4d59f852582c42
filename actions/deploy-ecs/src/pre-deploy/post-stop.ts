import type { EngineDeps } from '../deploy';
import type { Inputs } from '../inputs';
import { defaultTasks } from './before-update';

/**
 * The post step's part for the pre-deploy task: when the main step stopped while that task ran (the run was
 * cancelled or timed out), nobody follows it any more and no deploy will come after it, so it is stopped, as
 * `pre-deploy-timeout` would have. Like every post step, it only warns.
 */
export async function stopAbandonedPreDeploy(
  deps: EngineDeps,
  read: () => Inputs | Promise<Inputs>,
): Promise<void> {
  const left = deps.state.get('preDeployTask');
  if (typeof left?.taskArn !== 'string' || typeof left.cluster !== 'string') return;
  deps.warning(
    `The main step stopped while the pre-deploy task ${left.taskArn} ran (the run was cancelled or timed out): ` +
      'stopping it; no service was updated.',
  );
  try {
    const api = await (deps.tasks ?? defaultTasks)(await read(), deps.log);
    await api.stopTask(
      left.cluster,
      left.taskArn,
      'Slipway: the run was cancelled while the pre-deploy task ran',
    );
    deps.log(`Pre-deploy task ${left.taskArn}: StopTask sent.`);
  } catch (error) {
    deps.warning(`Could not stop the pre-deploy task ${left.taskArn} (${(error as Error).message}).`);
  }
  // The GitHub Deployment the main step began (its migration recorded) would stay in progress otherwise.
  const records =
    left.githubDeploymentId === undefined ? undefined : deps.records((await read()).githubToken);
  if (!records || left.githubDeploymentId === undefined) return;
  const description =
    'The run stopped while the pre-deploy task ran; the task was stopped and no service was updated.';
  try {
    await records.finish(left.githubDeploymentId, 'failure', { description });
    deps.log(`GitHub Deployment ${left.githubDeploymentId} set to failure: ${description}`);
  } catch (error) {
    deps.warning(
      `Could not set GitHub Deployment ${left.githubDeploymentId} to failure (${(error as Error).message}).`,
    );
  }
}
