// ECS deployments (deploy-ecs deploys with them, rollback restores with them): the ECS calls behind one small
// interface, and "put a service on a task definition and follow it to its outcome" (the watch: ecs-deployment-*).
export { answerPause } from './answer-pause';
export {
  checkController,
  type DeploySettings,
  deployService,
  isFailure,
  type ServiceResult,
  type Status,
  serviceUnchanged,
} from './deploy-service';
export {
  apiNotOffered,
  apiUnavailable,
  classifiedEcsCall,
  createEcsApi,
  type EcsApi,
} from './ecs-api';
export { describeEcsDeployment, describePause, type EcsPause, ecsEventKey } from './ecs-deployment-state';
export { watchEcsDeployment } from './ecs-deployment-watch';
export { rollBackFleet } from './fleet-rollback';
export {
  closeRecordLeftBehind,
  ecsVerdict,
  type LeftBehindVerdict,
  pausesRolledBackVerdict,
  standingOf,
} from './left-behind-verdict';
export {
  type PauseAnswerers,
  pauseStagesOf,
  rollBackPausesLeftBehind,
  type SeeThroughWait,
  seeRollbacksThroughPauses,
} from './pauses-left-behind';
export { formatStoppedTask } from './stopped-tasks';
