// The health gate (smoke-test's action and the rollback action run the same checks through it): build a config
// from plain data, run it, read the typed result, render it for a job summary. Nothing here talks to the runner.
export {
  type CanaryAnalysis,
  type CanaryObservation,
  type CanaryStep,
  entryCanaryJudge,
  joinCanaryAnalyses,
  type StepJudgement,
} from './canary-judge';
export { inputsCanaryAnalysis, metricsCanaryAnalysis } from './canary-metrics';
export { buildGateConfig, type CheckOptions, type GateConfig } from './config';
export { entryChecks } from './entry-checks';
export { summaryMarkdown } from './gate-summary';
export { preSwitchCheck } from './pre-switch';
export type { GateDeps } from './probe';
export { type CheckResult, defaultGateDeps, type GateResult, runGate } from './run-gate';
export { readUrlAssertions, urlGate } from './url-gate';
export { pct } from './verification';
