import { performance } from 'node:perf_hooks';
import { abortableSleep } from '../probe';
import type { Verdict } from '../verification';
import type { AnalysisConfig } from './analysis-config';
import { createPrometheusProvider } from './prometheus-provider';
import { type AnalysisDeps, type AnalysisResult, type MetricProvider, runAnalysis } from './run-analysis';

/** The real providers the config asks for, a monotonic clock, abortable sleeps. Call `close` when done. */
export function defaultAnalysisDeps(
  config: AnalysisConfig,
  log: (message: string) => void = () => {},
): AnalysisDeps & { close(): Promise<void> } {
  const providers: Record<string, MetricProvider & { close(): Promise<void> }> = {};
  if (config.prometheus) providers.prometheus = createPrometheusProvider(config.prometheus, config.secrets);
  if (config.cloudwatch) providers.cloudwatch = lazyCloudWatch(config, log);
  return {
    providers,
    now: () => performance.now(),
    sleep: abortableSleep,
    log,
    close: async () => {
      await Promise.all(Object.values(providers).map((p) => p.close()));
    },
  };
}

/**
 * The hook other gates join: runs an analysis with the real providers (or `deps`), closes them, and masks
 * the config's secrets out of every line and of the result.
 */
export async function analyseRelease(
  config: AnalysisConfig,
  options: { log?: (message: string) => void; deps?: AnalysisDeps; signal?: AbortSignal } = {},
): Promise<AnalysisResult> {
  const mask = (text: string) => maskText(text, config.secrets);
  const log = (line: string) => options.log?.(mask(line));
  const real = options.deps ? undefined : defaultAnalysisDeps(config, log);
  const deps = options.deps ? { ...options.deps, log } : real!;
  try {
    const result = await runAnalysis(config, deps, options.signal);
    return JSON.parse(mask(JSON.stringify(result))) as AnalysisResult;
  } finally {
    await real?.close();
  }
}

/** Two gates' verdicts as one: failed wins, then inconclusive. */
export function joinVerdicts(...verdicts: (Verdict | undefined)[]): Verdict {
  if (verdicts.includes('failed')) return 'failed';
  if (verdicts.includes('inconclusive')) return 'inconclusive';
  return 'passed';
}

function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)]))
      out = out.split(form).join('***');
  }
  return out;
}

/** The AWS SDK is loaded only when a CloudWatch metric is measured (bundles put it in a chunk of its own). */
function lazyCloudWatch(
  config: AnalysisConfig,
  log: (message: string) => void,
): MetricProvider & { close(): Promise<void> } {
  const startedAt = config.since ?? Date.now();
  const startedWhat = config.since === undefined ? 'the analysis began' : 'the deploy began';
  let provider: Promise<MetricProvider & { close(): Promise<void> }> | undefined;
  const load = () => {
    provider ??= import('./cloudwatch-provider').then((m) =>
      m.createCloudWatchProvider(config.cloudwatch ?? {}, { startedAt, startedWhat, log }),
    );
    return provider;
  };
  return {
    measure: async (metric, signal) => (await load()).measure(metric, signal),
    close: async () => {
      if (provider) await (await provider).close();
    },
  };
}
