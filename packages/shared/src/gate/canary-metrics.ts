import { analyseRelease } from './analysis/analyse-release';
import { type AnalysisConfig, type AnalysisOptions, buildAnalysisConfig } from './analysis/analysis-config';
import type { AnalysisInputs } from './analysis/analysis-spec';
import type { AnalysisDeps } from './analysis/run-analysis';
import type { CanaryAnalysis } from './canary-judge';

/**
 * The metrics analysis (Prometheus, CloudWatch alarms: ./analysis) as a canary step's hook: the same metrics,
 * measured over each step's bake (its canary-interval: metrics without `count` measure every `interval` until
 * it ends), judged as smoke-test judges them. Join it to the entry point's judge with joinCanaryAnalyses; a
 * failing metric stops the step at that measurement. Queries that should see the new version alone select it by
 * label (`version="{{ version }}"`). `analysis` is the plain analysis (as the `analysis` input's YAML gives it),
 * built once here with `bakeMs` (the interval) so that a bad one fails before any step.
 */
export function metricsCanaryAnalysis(
  analysis: unknown,
  options: AnalysisOptions & { bakeMs: number },
  hook: { log?: (message: string) => void; deps?: AnalysisDeps } = {},
): CanaryAnalysis {
  buildAnalysisConfig(analysis, options);
  return stepAnalysis((bakeMs) => buildAnalysisConfig(analysis, { ...options, bakeMs }), hook);
}

/**
 * The same hook from an action's analysis inputs (readAnalysisSpec), already checked when they were read, with the
 * values known only now (`later` when they were read).
 */
export function inputsCanaryAnalysis(
  inputs: AnalysisInputs,
  hook: { log?: (message: string) => void; deps?: AnalysisDeps } = {},
  vars: Record<string, string> = {},
): CanaryAnalysis {
  return stepAnalysis((bakeMs) => inputs.withBake(bakeMs, vars), hook);
}

/** Each step: the analysis built for the step's bake, run until it ends or another hook failed. */
function stepAnalysis(
  build: (bakeMs: number) => AnalysisConfig,
  hook: { log?: (message: string) => void; deps?: AnalysisDeps },
): CanaryAnalysis {
  return async (step, signal) => {
    const result = await analyseRelease(build(step.durationMs), { log: hook.log, deps: hook.deps, signal });
    return { verdict: result.result, reason: `metrics: ${result.reason}` };
  };
}
