import { formatDuration } from '../../duration';
import type { Verdict } from '../verification';
import type { AnalysisConfig, MetricConfig } from './analysis-config';
import { type Condition, holds, thresholds } from './condition';

/** One series a provider answered: its labels and its values (one for an instant query, more for a range). */
export interface Series {
  labels: Record<string, string>;
  values: number[];
}

/** Asks one kind of monitoring system. Throws for what is not an answer (network, auth, a bad query). */
export interface MetricProvider {
  measure(metric: MetricConfig, signal: AbortSignal): Promise<Series[]>;
}

export interface AnalysisDeps {
  providers: Record<string, MetricProvider>;
  /** A monotonic clock in milliseconds. */
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  log: (message: string) => void;
}

export type MeasurementPhase = 'successful' | 'failed' | 'inconclusive' | 'error';

export interface Measurement {
  /** Milliseconds since the analysis started. */
  atMs: number;
  phase: MeasurementPhase;
  /** The value charted: the first failing value, or else the first value. */
  value?: number;
  /** Every series' value(s), labels as `{a="b"}`. */
  series?: { labels: string; values: number[] }[];
  message: string;
}

export interface MetricResult {
  name: string;
  provider: string;
  query: string;
  condition: string;
  /** Bounds to draw on a chart. */
  thresholds: number[];
  result: Verdict;
  reason: string;
  counts: Record<MeasurementPhase, number>;
  measurements: Measurement[];
}

export interface AnalysisResult {
  result: Verdict;
  reason: string;
  metrics: MetricResult[];
  durationMs: number;
}

/**
 * Measures every metric (in parallel) every `interval`, `count` times or until the bake ends, and judges them
 * as Argo Rollouts does: a metric fails when its failed measurements exceed `failure-limit` (-1: never) or its
 * provider errors in a row exceed `consecutive-error-limit`; it is inconclusive when inconclusive measurements
 * (no data, NaN, neither condition met) exceed `inconclusive-limit`. A failed metric stops the whole analysis.
 * The verdict: failed if any metric failed, else inconclusive if any was, else passed. Never throws for what a
 * provider answered.
 */
export async function runAnalysis(
  config: AnalysisConfig,
  deps: AnalysisDeps,
  signal?: AbortSignal,
): Promise<AnalysisResult> {
  const started = deps.now();
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const metrics = await Promise.all(
      config.metrics.map(async (metric) => {
        const result = await runMetric(metric, config, deps, started, controller.signal);
        if (result.result === 'failed') controller.abort();
        return result;
      }),
    );
    const failed = metrics.filter((m) => m.result === 'failed');
    const inconclusive = metrics.filter((m) => m.result === 'inconclusive');
    const result: Verdict = failed.length ? 'failed' : inconclusive.length ? 'inconclusive' : 'passed';
    const reason = (failed.length ? failed : inconclusive.length ? inconclusive : metrics)
      .map((m) => `${m.name}: ${m.reason}`)
      .join('; ');
    return { result, reason, metrics, durationMs: Math.round(deps.now() - started) };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function runMetric(
  metric: MetricConfig,
  config: AnalysisConfig,
  deps: AnalysisDeps,
  started: number,
  signal: AbortSignal,
): Promise<MetricResult> {
  const provider = deps.providers[metric.provider];
  const counts: Record<MeasurementPhase, number> = { successful: 0, failed: 0, inconclusive: 0, error: 0 };
  const measurements: Measurement[] = [];
  let errorsInRow = 0;
  const base = {
    name: metric.name,
    provider: metric.provider,
    query: metric.query,
    condition: describeCondition(metric),
    thresholds: [
      ...(metric.success ? thresholds(metric.success) : []),
      ...(metric.failure ? thresholds(metric.failure) : []),
    ],
    counts,
    measurements,
  };
  const done = (result: Verdict, reason: string): MetricResult => {
    deps.log(`analysis ${metric.name}: ${result}: ${reason}`);
    return { ...base, result, reason };
  };
  // In a bake the first measurement comes one interval in: right after the switch there is little to see.
  const first = metric.initialDelayMs + (metric.count === undefined ? metric.intervalMs : 0);
  for (let index = 0; ; index++) {
    if (metric.count !== undefined && index >= metric.count) break;
    const dueAt = first + index * metric.intervalMs;
    if (metric.count === undefined && config.bakeMs !== undefined && dueAt > config.bakeMs) break;
    await deps.sleep(started + dueAt - deps.now(), signal);
    if (signal.aborted) break;
    const measurement = await measure(metric, provider, signal, Math.round(deps.now() - started));
    if (signal.aborted && measurement.phase === 'error') break;
    measurements.push(measurement);
    counts[measurement.phase]++;
    errorsInRow = measurement.phase === 'error' ? errorsInRow + 1 : 0;
    deps.log(
      `analysis ${metric.name}: measurement ${index + 1} ${measurement.phase}: ${measurement.message}`,
    );
    if (metric.failureLimit >= 0 && counts.failed > metric.failureLimit) {
      return done(
        'failed',
        `${counts.failed} measurement(s) failed ${base.condition} (failure-limit ${metric.failureLimit}); last: ${measurement.message}`,
      );
    }
    if (errorsInRow > metric.consecutiveErrorLimit) {
      return done(
        'failed',
        `${errorsInRow} provider errors in a row (consecutive-error-limit ${metric.consecutiveErrorLimit}); last: ${measurement.message}`,
      );
    }
    if (counts.inconclusive > metric.inconclusiveLimit) {
      return done(
        'inconclusive',
        `${counts.inconclusive} inconclusive measurement(s) (inconclusive-limit ${metric.inconclusiveLimit}); last: ${measurement.message}`,
      );
    }
  }
  const judged = counts.successful + counts.failed + counts.inconclusive;
  if (!judged) {
    const why = signal.aborted
      ? 'stopped before any measurement'
      : `no measurement got an answer (${counts.error} provider errors)`;
    return done('inconclusive', why);
  }
  if (!counts.successful) {
    return done(
      'inconclusive',
      `no measurement met ${base.condition} (${counts.inconclusive} inconclusive, ${counts.failed} failed, ${counts.error} errors)`,
    );
  }
  const over =
    config.bakeMs !== undefined && metric.count === undefined ? ` over ${formatDuration(config.bakeMs)}` : '';
  return done(
    'passed',
    `${counts.successful} of ${measurements.length} measurements met ${base.condition}${over}`,
  );
}

/** One measurement: the provider's answer judged against the conditions. */
async function measure(
  metric: MetricConfig,
  provider: MetricProvider,
  signal: AbortSignal,
  atMs: number,
): Promise<Measurement> {
  let answer: Series[];
  try {
    answer = await provider.measure(metric, signal);
  } catch (error) {
    return { atMs, phase: 'error', message: String((error as Error)?.message ?? error) };
  }
  const series = answer.map((s) => ({ labels: formatLabels(s.labels), values: s.values }));
  const values = answer.flatMap((s) => s.values);
  if (!values.length)
    return { atMs, phase: 'inconclusive', series, message: 'no data (the query returned nothing)' };
  const failing = values.find((v) => !Number.isNaN(v) && judgeValue(metric, v) === 'failed');
  if (failing !== undefined) {
    const labels = series.find((s) => s.values.includes(failing))?.labels;
    const where = labels && labels !== '{}' ? ` in ${labels}` : '';
    return {
      atMs,
      phase: 'failed',
      value: failing,
      series,
      message: `${format(failing)}${where} fails ${describeCondition(metric)}`,
    };
  }
  const value = values.find((v) => !Number.isNaN(v));
  if (values.some((v) => Number.isNaN(v))) {
    return { atMs, phase: 'inconclusive', value, series, message: 'NaN (no traffic to divide by?)' };
  }
  if (values.some((v) => judgeValue(metric, v) === 'inconclusive')) {
    return {
      atMs,
      phase: 'inconclusive',
      value,
      series,
      message: `${format(value!)} meets neither condition`,
    };
  }
  const shown =
    values.length > 1
      ? `${values.length} values, ${format(Math.min(...values))}…${format(Math.max(...values))}`
      : format(values[0]);
  return {
    atMs,
    phase: 'successful',
    value,
    series,
    message: `${shown} meet(s) ${describeCondition(metric)}`,
  };
}

/** Argo's rule: the failure condition wins; with only one condition, the other outcome is its negation. */
function judgeValue(metric: MetricConfig, value: number): 'successful' | 'failed' | 'inconclusive' {
  if (metric.failure && holds(metric.failure, value)) return 'failed';
  if (metric.success)
    return holds(metric.success, value) ? 'successful' : metric.failure ? 'inconclusive' : 'failed';
  return 'successful';
}

function describeCondition(metric: MetricConfig): string {
  const parts: string[] = [];
  if (metric.success) parts.push(metric.success.text);
  if (metric.failure) parts.push(`not (${metric.failure.text})`);
  return parts.join(' and ');
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

export type { Condition };
