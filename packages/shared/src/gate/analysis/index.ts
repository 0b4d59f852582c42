// Metric analysis for the gate: a bake period judged on what a monitoring system sees (Prometheus), with Argo
// Rollouts' semantics. One library: smoke-test runs it after its checks; other gates join through
// `analyseRelease` and `joinVerdicts`.

export { analyseRelease, defaultAnalysisDeps, joinVerdicts } from './analyse-release';
export {
  ANALYSIS_DEFAULTS,
  type AnalysisConfig,
  type AnalysisOptions,
  buildAnalysisConfig,
  type CloudWatchMetric,
  type CloudWatchSettings,
  type MetricConfig,
  type PrometheusSettings,
} from './analysis-config';
export { readAnalysisInputs } from './analysis-inputs';
export { type AnalysisInputs, readAnalysisSpec, readYamlInput } from './analysis-spec';
export { analysisSummaryMarkdown, metricChart } from './analysis-summary';
export { createCloudWatchProvider } from './cloudwatch-provider';
export { createPrometheusProvider } from './prometheus-provider';
export {
  type AnalysisDeps,
  type AnalysisResult,
  type Measurement,
  type MetricProvider,
  type MetricResult,
  runAnalysis,
  type Series,
} from './run-analysis';
