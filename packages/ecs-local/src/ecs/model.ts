import { randomBytes, randomUUID } from 'node:crypto';

// The in-memory state of the ECS stand-in. Records keep the wire shapes (plain JSON objects as ECS returns
// them) where the operations only echo them, and typed fields where the scheduler acts on them.

export type Json = Record<string, unknown>;

export interface TaskDefinitionRecord {
  /** The task definition exactly as DescribeTaskDefinition returns it. */
  body: Json & { taskDefinitionArn: string; family: string; revision: number; status: string };
  tags: Json[];
}

export interface ClusterRecord {
  arn: string;
  name: string;
  region: string;
  tags: Json[];
  settings: Json[];
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface DeploymentRecord {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  serviceRevisionArn: string;
  serviceDeployment: ServiceDeploymentRecord;
  /** When the primary first had every desired task healthy (steady state is declared a while later). */
  healthySince?: number;
  /** Set on the deployment ECS started to roll back a failed one. */
  rollbackOf?: DeploymentRecord;
  /** A failed deployment whose rollback ECS has decided but not started yet (`rollbackAfterMs`). */
  pendingRollback?: { to: DeploymentRecord; by: string; reason: string; dueAt: number };
  /** The CloudWatch alarms that failed this deployment. */
  triggeredAlarms?: string[];
  /** Blue/green, linear and canary deployments: the stage, and when the bake began. */
  lifecycleStage?: string;
  bakeStartedAt?: number;
  /** LINEAR and CANARY: green's share of production at PRODUCTION_TRAFFIC_SHIFT, and when that step began. */
  productionWeight?: number;
  stepStartedAt?: number;
  /** Lifecycle hooks run so far (DescribeServiceDeployments' lifecycleHookDetails); the last may be paused. */
  hooks?: HookRecord[];
  /** The "unable to consistently start tasks" event was given. */
  warnedUnable?: boolean;
}

/** A lifecycle hook's run at one stage, as DescribeServiceDeployments' lifecycleHookDetails shows it. */
export interface HookRecord {
  hookId: string;
  stage: string;
  targetType: 'PAUSE' | 'AWS_LAMBDA';
  targetArn?: string;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  /** Epoch seconds. */
  expiresAt: number;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
}

/** One entry of the service deployments API: a user's deployment, with its rollback if ECS made one. */
export interface ServiceDeploymentRecord {
  arn: string;
  service: ServiceRecord;
  status: string;
  statusReason?: string;
  createdAt: number;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  sourceRevisionArns: string[];
  targetRevisionArn: string;
  deploymentConfiguration: Json;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  deployment: DeploymentRecord;
}

export interface ServiceRevisionRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinition: string;
  createdAt: number;
  launchType?: string;
  networkConfiguration?: Json;
  containerImages: Json[];
}

export interface ServiceRecord {
  arn: string;
  name: string;
  cluster: ClusterRecord;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  deploymentConfiguration: Json;
  /** Fields echoed as given (launchType, networkConfiguration, loadBalancers, ...). */
  echo: Json;
  healthCheckGracePeriodSeconds: number;
  deployments: DeploymentRecord[];
  events: { id: string; createdAt: number; message: string }[];
  createdAt: number;
  tags: Json[];
  /** Whether the service was at its steady state at the last tick (after its deployment completed). */
  steady?: boolean;
  /** The last deployment that reached COMPLETED: what a circuit-breaker rollback goes back to. */
  lastCompleted?: DeploymentRecord;
}

export interface ContainerRecord {
  arn: string;
  name: string;
  image: string;
  imageDigest?: string;
  runtimeId?: string;
  essential: boolean;
  hasHealthCheck: boolean;
  stopTimeout?: number;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  networkBindings: Json[];
}

export interface TaskRecord {
  arn: string;
  id: string;
  cluster: ClusterRecord;
  service?: ServiceRecord;
  deployment?: DeploymentRecord;
  taskDefinitionArn: string;
  group: string;
  startedBy?: string;
  lastStatus: string;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  containers: ContainerRecord[];
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  cpu?: string;
  memory?: string;
  launchType?: string;
  version: number;
  /** The task failed (did not start, exited, failed health checks): a failure for the circuit breaker. */
  failed?: boolean;
  failureCounted?: boolean;
  /** Set once the task was healthy, so a later failure is not a failure to start. */
  everHealthy?: boolean;
}

export interface EcsState {
  accountId: string;
  taskDefinitions: Map<string, TaskDefinitionRecord[]>;
  clusters: Map<string, ClusterRecord>;
  services: ServiceRecord[];
  tasks: TaskRecord[];
  revisions: Map<string, ServiceRevisionRecord>;
  serviceDeployments: Map<string, ServiceDeploymentRecord>;
  /** CloudWatch alarm states, set by tests through `EcsService.setAlarmState` (there is no CloudWatch here). */
  alarms: Map<string, 'OK' | 'ALARM'>;
}

export function createState(accountId: string): EcsState {
  return {
    accountId,
    taskDefinitions: new Map(),
    clusters: new Map(),
    services: [],
    tasks: [],
    revisions: new Map(),
    serviceDeployments: new Map(),
    alarms: new Map(),
  };
}

/** ECS timestamps travel as epoch seconds with a fraction. */
export const nowSeconds = () => Date.now() / 1000;

export const hexId = (bytes = 16) => randomBytes(bytes).toString('hex');

/** Digits the way ECS numbers deployments (`ecs-svc/` + 19 digits) and service revisions. */
export function digits(count: number): string {
  let out = String(1 + (randomBytes(1)[0] % 9));
  while (out.length < count) out += String(randomBytes(1)[0] % 10);
  return out;
}

export const uuid = () => randomUUID();
