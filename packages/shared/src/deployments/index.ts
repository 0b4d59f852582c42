export {
  createDeploymentRecorder,
  type DeploymentRecorder,
  type RecorderDeps,
  type RecordingSettings,
} from './deployment-recorder';
export {
  BAD_MARKER,
  createDeploymentRecords,
  type DeploymentPayload,
  type DeploymentRecords,
  type FinalState,
  type RecordedDeployment,
} from './deployment-records';
export { createGitHubClient, type GitHubClient } from './github-client';
export {
  badDigestReason,
  digestsOf,
  imageDigest,
  lastGoodDeployment,
  refuseBadDigest,
} from './release-history';
