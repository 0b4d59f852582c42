import { type DeployOptions, isFailure, rollBackService, type ServiceResult } from './deploy-service';
import type { EcsApi } from './ecs-api';

/**
 * All or nothing over the services of one run (as a Compose deploy rolls its whole fleet back): when any
 * service's deployment did not succeed and `rollbackOnFailure` is on, every service this run moved that still
 * runs the new definition goes back to its own previous one, followed like the deploy. Whatever step failed:
 * a service whose UpdateService was refused (nothing started there) takes the others back too, even without
 * `wait` (then the rollbacks are started, not followed). The failed services have already been handled by
 * `deployService` (our rollback, or ECS's); one whose deployment could not be followed (unknown) is left to ECS.
 * Each result records its rollback; a rollback that cannot be started or followed is recorded as failed,
 * never thrown, so that the others are still reported.
 */
export async function rollBackFleet(
  api: EcsApi,
  results: ServiceResult[],
  options: DeployOptions,
): Promise<void> {
  if (!options.rollbackOnFailure) return;
  const failed = results.filter((r) => isFailure(r.status) && (options.wait || r.notStarted));
  if (!failed.length) return;
  const because = `${failed.map((r) => `${r.service} ${r.status}`).join(', ')}`;
  const moved = results.filter(
    (r) =>
      r.status === (options.wait ? 'succeeded' : 'started') &&
      r.previousTaskDefinitionArn &&
      r.previousTaskDefinitionArn !== r.taskDefinitionArn,
  );
  await Promise.all(
    moved.map(async (r) => {
      options.log(
        `${r.service}: rolling back to ${r.previousTaskDefinitionArn} with the other services, because ${because} (rollback-on-failure).`,
      );
      try {
        await rollBackService(api, r, options, because);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        options.log(`${r.service}: the rollback could not be followed: ${message}`);
        r.rollback = { status: 'failed', reason: `the rollback could not be followed: ${message}`, because };
      }
    }),
  );
}
