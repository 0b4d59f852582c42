// The health gate as a library: smoke-test's action and the rollback action run the same checks through it.
// Build a config from plain data, run it, read the typed result. Nothing here talks to the runner.
export type { Evidence } from './assess';
export {
  buildGateConfig,
  type CheckConfig,
  type CheckOptions,
  GATE_DEFAULTS,
  type GateConfig,
  type GateOptions,
} from './config';
export { SpecError } from './expectations';
export type { GateDeps } from './probe';
export { type CheckResult, defaultGateDeps, type GateResult, runGate } from './run-gate';
export type { LatencySummary } from './stats';
export { pct, type Verdict } from './verification';
