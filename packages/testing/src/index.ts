export { freePort } from './free-port';
export { type ProxyOptions, startProxy, startRoundRobin } from './http-proxy';
export { startHttpServer, type TestServer, type TestServerOptions } from './http-server';
export {
  composeLabel,
  composeMatrix,
  describeWithInfra,
  type Infra,
  infraFile,
  loadInfra,
  repoRoot,
  type SshHost,
} from './infra';
export { findLeaks } from './leaks';
export { type MetricsApp, startMetricsApp } from './metrics-app';
export {
  describeCounts,
  failedCount,
  type LoadResult,
  outcomeCounts,
  outcomeLabel,
  type RateLoad,
  type RateLoadOptions,
  type RequestOutcome,
  sentAfter,
  startRateLoad,
  summarizeLoad,
} from './rate-load';
export { deleteRegistryRepository } from './registry-cleanup';
export {
  type ActionRun,
  type Annotation,
  expectCancelledThenWarned,
  inputVariable,
  maskText,
  parseCommandFile,
  parseWorkflowCommands,
  type RunOptions,
  removeRunnerFolders,
  runBundle,
  type StepResult,
} from './runner-contract';
export { generateSshKey } from './ssh-key';
export { createTestCertificates, type TestCertificates } from './test-certificates';
export { waitForBody } from './wait-for-body';
