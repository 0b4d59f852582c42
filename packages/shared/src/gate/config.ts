import { formatDuration } from '../duration';
import { InputError } from '../errors';
import { READY_STATUS } from '../ready-status';
import { buildCheck, type CheckConfig, type CheckOptions } from './check-config';
import { parseStatusRanges, SpecError, type StatusRange } from './expectations';

export type { CheckConfig, CheckOptions } from './check-config';
export { isSecretHeader } from './check-config';

/** Everything `runGate` needs. Build it with `buildGateConfig`, which validates and fills in the defaults. */
export interface GateConfig {
  checks: CheckConfig[];
  timeoutMs: number;
  readyTimeoutMs: number;
  readyBackoffMs: number;
  readyBackoffMaxMs: number;
  /** Statuses that mean "not up yet" during readiness. */
  readyStatus: StatusRange[];
  /** Valid samples (responses) wanted per check in verification. */
  samples: number;
  intervalMs: number;
  concurrency: number;
  /** Stop verification as passed after this many passing samples in a row (0: off). */
  consecutiveSuccesses: number;
  /** Assertion failures allowed (undefined: only `minSuccessRate` judges). */
  failureLimit?: number;
  errorLimit: number;
  minSuccessRate: number;
  maxP95Ms?: number;
  maxP99Ms?: number;
  deadlineMs: number;
  tls: { ca?: string; insecure: boolean };
  /** Values that must never appear in a result (secret header values, URL passwords). */
  secrets: string[];
}

/** The gate's settings as plain data, named as the action's inputs; durations in milliseconds. */
export interface GateOptions {
  /** The checks: plain objects (a `url` each at least). */
  checks: unknown;
  /** Which input the checks came from, for error messages (default `checks`). */
  'checks-source'?: string;
  /** Per-check settings applied to every check that does not set them itself. */
  defaults?: CheckOptions;
  timeout?: number;
  'ready-timeout'?: number;
  'ready-backoff'?: number;
  'ready-backoff-max'?: number;
  'ready-status'?: string;
  samples?: number;
  duration?: number;
  interval?: number;
  concurrency?: number;
  'consecutive-successes'?: number;
  'failure-limit'?: number;
  'error-limit'?: number;
  'min-success-rate'?: number;
  'max-p95'?: number;
  'max-p99'?: number;
  deadline?: number;
  ca?: string;
  insecure?: boolean;
}

export const GATE_DEFAULTS = {
  timeoutMs: 10_000,
  readyTimeoutMs: 300_000,
  readyBackoffMs: 1_000,
  readyBackoffMaxMs: 15_000,
  readyStatus: READY_STATUS,
  samples: 10,
  intervalMs: 1_000,
  concurrency: 1,
  deadlineMs: 600_000,
} as const;

/** Validates plain options and fills in defaults. Throws InputError naming the input at fault. */
export function buildGateConfig(options: GateOptions): GateConfig {
  const secrets: string[] = [];
  const source = options['checks-source'] ?? 'checks';
  if (!Array.isArray(options.checks) || options.checks.length === 0) {
    throw new InputError(source, `Input "${source}" must give at least one check (a URL).`);
  }
  const checks = options.checks.map((entry, index) =>
    buildCheck(
      entry,
      options.defaults ?? {},
      { source, index, total: (options.checks as unknown[]).length },
      secrets,
    ),
  );
  const names = new Set<string>();
  for (const check of checks) {
    if (names.has(check.name)) {
      throw new InputError(
        source,
        `Input "${source}" has two checks named ${JSON.stringify(check.name)}: give each its own "name".`,
      );
    }
    names.add(check.name);
  }
  const n = (name: keyof GateOptions, fallback: number | undefined, min: number, max?: number) =>
    setting(options, name, fallback, min, max, true);
  const count = (name: keyof GateOptions, fallback: number | undefined, min: number, max?: number) =>
    setting(options, name, fallback, min, max, false);
  const intervalMs = n('interval', GATE_DEFAULTS.intervalMs, 0)!;
  const concurrency = count('concurrency', GATE_DEFAULTS.concurrency, 1, 256)!;
  const durationMs = n('duration', undefined, 1);
  if (durationMs !== undefined && options.samples !== undefined) {
    throw new InputError(
      'duration',
      'Inputs "samples" and "duration" both set how long verification runs: set one of them.',
    );
  }
  if (durationMs !== undefined && intervalMs === 0) {
    throw new InputError(
      'duration',
      'Input "duration" needs an "interval" above 0 (samples are taken every interval for the duration).',
    );
  }
  const samples =
    durationMs !== undefined
      ? Math.max(1, Math.ceil(durationMs / intervalMs)) * concurrency
      : count('samples', GATE_DEFAULTS.samples, 1, 100_000)!;
  const readyBackoffMs = n('ready-backoff', GATE_DEFAULTS.readyBackoffMs, 0)!;
  return {
    checks,
    timeoutMs: n('timeout', GATE_DEFAULTS.timeoutMs, 1)!,
    readyTimeoutMs: n('ready-timeout', GATE_DEFAULTS.readyTimeoutMs, 0)!,
    readyBackoffMs,
    readyBackoffMaxMs: n(
      'ready-backoff-max',
      Math.max(readyBackoffMs, GATE_DEFAULTS.readyBackoffMaxMs),
      readyBackoffMs,
    )!,
    readyStatus: spec(
      'ready-status',
      options['ready-status'] ?? GATE_DEFAULTS.readyStatus,
      parseStatusRanges,
    ),
    samples,
    intervalMs,
    concurrency,
    consecutiveSuccesses: count('consecutive-successes', 0, 0, 100_000)!,
    failureLimit: count('failure-limit', undefined, 0),
    errorLimit: count('error-limit', 0, 0)!,
    minSuccessRate: count('min-success-rate', 1, 0, 1)!,
    maxP95Ms: n('max-p95', undefined, 1),
    maxP99Ms: n('max-p99', undefined, 1),
    deadlineMs: n('deadline', GATE_DEFAULTS.deadlineMs, 1)!,
    tls: { ca: options.ca || undefined, insecure: options.insecure ?? false },
    secrets,
  };
}

/** A typed setting within bounds; callers other than the action are checked too. Durations are in ms. */
function setting(
  options: GateOptions,
  name: keyof GateOptions,
  fallback: number | undefined,
  min: number,
  max: number | undefined,
  duration: boolean,
): number | undefined {
  const value = options[name] ?? fallback;
  if (value === undefined) return undefined;
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    (max === undefined || value <= max)
  ) {
    return value;
  }
  const show = (v: number) => (duration ? formatDuration(v) : String(v));
  const bounds = max === undefined ? `at least ${show(min)}` : `from ${show(min)} to ${show(max)}`;
  const given = typeof value === 'number' ? show(value) : JSON.stringify(value);
  throw new InputError(
    name,
    `Input "${name}" must be ${duration ? 'a duration' : 'a number'} of ${bounds}; got ${given}.`,
  );
}

/** Runs a parser on one input's value and turns its SpecError into an InputError that names the input. */
function spec<T>(name: string, value: string, parse: (text: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof SpecError) throw new InputError(name, `Input "${name}" ${error.message}.`);
    throw error;
  }
}
