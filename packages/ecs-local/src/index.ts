export { type AlarmState, type CloudWatchLocal, startCloudWatchLocal } from './cloudwatch';
export { createDockerEngine, type DockerEngine } from './docker-engine';
export { type EcrOptions, type EcrService, ecrService } from './ecr';
export { type RegistryFront, type RegistryFrontOptions, startRegistryFront } from './ecr-registry-front';
export { createEcsService, type EcsService } from './ecs/ecs-service';
export type { EcsOptions, EcsTimings } from './ecs/options';
export { INSTANCE_LABEL } from './ecs/task-runner';
export { type FaultRule, Faults } from './faults';
export type { LogsService } from './logs';
export {
  AwsError,
  type Caller,
  clientError,
  invalidParameter,
  type Operation,
  type Service,
} from './protocol';
export { type RdsLocal, type SnapshotRecord, startRdsLocal } from './rds';
export { type Endpoint, type EndpointOptions, startEndpoint } from './server';
export { type EcsLocal, type EcsLocalOptions, startEcsLocal } from './start-ecs-local';
