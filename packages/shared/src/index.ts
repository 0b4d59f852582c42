// The curated public API of @slipway/shared. Everything an action imports comes from here.

export { checkAwsRegion, checkEcsName } from './aws/aws-names';
export { keepNonJsonBodies } from './aws/aws-response';
export {
  type AwsAuthProblem,
  type AwsClientConfig,
  awsAuthProblem,
  awsClientConfig,
  explainAwsError,
  resolveAwsRegion,
} from './aws/client-config';
export {
  type EcrAuthOptions,
  type EcrCredentials,
  type EcrHost,
  getEcrCredentials,
  parseEcrHost,
} from './aws/ecr-auth';
export { type ComposeCommand, detectCompose } from './compose';
export {
  type CanaryOptions,
  type CanaryStepPlan,
  type CanaryStepReport,
  canaryPlan,
  describeStep,
  type EntryChecks,
  type Fleet,
  type FleetInputs,
  type FleetOptions,
  fleetOptions,
  getFleetInputs,
  type HostPlan,
  type HostPlanOptions,
  type HostPreDeploy,
  type HostResult,
  LIVE,
  type LockHandle,
  openFleet,
  type PlannedChange,
  parseCanarySteps,
  planHost,
  type Release,
  type ReleaseFile,
  refuseHostBadDigests,
  releaseFromHistory,
  releaseLock,
  withFleet,
} from './compose-fleet';
export { connectOptions } from './compose-fleet/fleet-inputs';
export {
  BAD_MARKER,
  badDigestReason,
  createDeploymentRecorder,
  createDeploymentRecords,
  createGitHubClient,
  type DeploymentPayload,
  type DeploymentRecorder,
  type DeploymentRecords,
  digestsOf,
  type FinalState,
  type GitHubClient,
  imageDigest,
  lastGoodDeployment,
  type RecordedDeployment,
  type RecorderDeps,
  type RecordingSettings,
  refuseBadDigest,
} from './deployments';
export {
  formatDuration,
  formatDurationLimit,
  MAX_TIMER_MS,
  parseDuration,
  timerDelay,
} from './duration';
export {
  answerPause,
  apiNotOffered,
  apiUnavailable,
  checkController,
  classifiedEcsCall,
  createEcsApi,
  type DeploySettings,
  deployService,
  describeEcsDeployment,
  describePause,
  type EcsApi,
  type EcsPause,
  ecsEventKey,
  formatStoppedTask,
  isFailure,
  LIFECYCLE_STAGES,
  type PauseAnswerers,
  pauseStagesOf,
  rollBackFleet,
  rollBackPausesLeftBehind,
  type ServiceResult,
  type Status,
  serviceUnchanged,
  watchEcsDeployment,
} from './ecs';
export { CommandError, InputError, isBug, toError, UserError } from './errors';
export { type CommandRunner, createCommandRunner, type ExecOptions, type ExecResult } from './exec';
export {
  buildGateConfig,
  type CanaryAnalysis,
  type CanaryObservation,
  type CanaryStep,
  type CheckOptions,
  type CheckResult,
  defaultGateDeps,
  entryCanaryJudge,
  entryChecks,
  type GateConfig,
  type GateDeps,
  type GateResult,
  inputsCanaryAnalysis,
  joinCanaryAnalyses,
  metricsCanaryAnalysis,
  pct,
  preSwitchCheck,
  readUrlAssertions,
  runGate,
  type StepJudgement,
  summaryMarkdown,
  urlGate,
} from './gate';
export {
  type AnalysisConfig,
  type AnalysisDeps,
  type AnalysisInputs,
  type AnalysisOptions,
  type AnalysisResult,
  analyseRelease,
  analysisSummaryMarkdown,
  buildAnalysisConfig,
  createPrometheusProvider,
  defaultAnalysisDeps,
  joinVerdicts,
  type Measurement,
  type MetricConfig,
  type MetricProvider,
  type MetricResult,
  readAnalysisInputs,
  readAnalysisSpec,
  readYamlInput,
  runAnalysis,
  type Series,
} from './gate/analysis';
export {
  type BadMark,
  currentRelease,
  type HistoryEntry,
  hostBadDigest,
  hostBadRelease,
  markReleaseBad,
  type ProxyKind,
  previousReleases,
  pruneReleases,
  readHistory,
  type ServicePlan,
  writeHistory,
} from './host-history';
export { InputReader, type InputSource, mapInputs, runnerInputs } from './inputs';
export { backupSection, type PreDeploySummary, preDeploySection } from './pre-deploy-summary';
export {
  type CopyImageOptions,
  type CopyImageResult,
  copyImage,
  type ImageLocation,
  verifyTags,
} from './registry/copy-image';
export {
  formatImageReference,
  type ImageReference,
  isLoopbackRegistry,
  parseImageReference,
  registryApiHost,
  repositoryName,
} from './registry/image-reference';
export { type Challenge, parseChallenge, type RegistryCredentials } from './registry/registry-auth';
export {
  type Descriptor,
  type ImageConfig,
  MANIFEST_ACCEPT,
  type Manifest,
  MEDIA_TYPES,
  platformName,
  RegistryClient,
  type RegistryClientOptions,
  RegistryError,
  sha256Digest,
} from './registry/registry-client';
export { backoffDelay, isTransient, type RetryOptions, retry, sleep } from './retry';
export { type ActionEntry, runAction } from './run-action';
export {
  maskedExcerpt,
  maskSecrets,
  redactText,
  redactValue,
  registeredSecrets,
  registerSecret,
} from './secrets';
export { shellCommand, shellQuote } from './shell-quote';
export {
  connectSsh,
  fingerprintOf,
  formatSshTarget,
  knownHostName,
  parseKnownHosts,
  parseSshTarget,
  RemoteCommandError,
  SshConnectionLostError,
  type SshConnectOptions,
  type SshSession,
  verifyHostKey,
} from './ssh';
export { createStateStore, type StateStore } from './state';
export { appendSummary, details, escapeHtml, logGroup, markdownTable } from './summary';
export {
  type CheckedPath,
  checkWorkspacePath,
  MAX_FILE_BYTES,
  MAX_TREE_BYTES,
  MAX_TREE_ENTRIES,
  readWorkspaceFile,
  readWorkspaceText,
  readWorkspaceTree,
  type TreeFile,
  type WorkspacePathOptions,
  type WorkspaceTreeOptions,
} from './workspace-files';
