// ECS deployments (deploy-ecs deploys with them, rollback restores with them): the ECS calls behind one small
// interface, "put a service on a task definition and follow it to its outcome", and the deployment watch.
export {
  checkController,
  type DeployOptions,
  deployService,
  isFailure,
  type ServiceResult,
  type Status,
} from './deploy-service';
export { createEcsApi, type EcsApi } from './ecs-api';
export {
  describeEcsDeployment,
  type EcsDecision,
  type EcsOutcome,
  type EcsSnapshot,
  type EcsStep,
  type EcsWatchState,
  type EcsWatchTarget,
  ecsEventKey,
  ecsStrategyOf,
  initialEcsWatchState,
  observeEcsDeployment,
} from './ecs-deployment-state';
export {
  type EcsDeploymentReader,
  type EcsWatchOptions,
  type EcsWatchResult,
  watchEcsDeployment,
} from './ecs-deployment-watch';
export { formatStoppedTask, type StoppedTask } from './stopped-tasks';
