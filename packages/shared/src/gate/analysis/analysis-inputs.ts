import { InputError } from '../../errors';
import type { InputReader } from '../../inputs';
import { type AnalysisInputs, readAnalysisSpec } from './analysis-spec';

/**
 * The analysis inputs every gate takes, one meaning each: `analysis` (YAML, inline or a file of the workspace),
 * `bake`, `analysis-vars` ("name=value" lines), `prometheus-url`, `prometheus-token`. `{{ version }}` is
 * `version` (the action's expect-version) unless analysis-vars sets it; `later` names values the action fills in
 * after its inputs are read (checked now with a stand-in value, so a query using one is not refused). Secrets are
 * registered before anything can print them. Undefined without an analysis.
 */
export function readAnalysisInputs(
  read: InputReader,
  options: { workspace: string; ca?: string; version?: string; later?: string[]; since?: number },
): AnalysisInputs | undefined {
  const bakeText = read.string('bake');
  if (!read.string('analysis')) {
    // prometheus-url, its token and analysis-vars may be set for every environment, the analysis for some.
    if (bakeText) {
      throw new InputError(
        'bake',
        'Input "bake" needs an "analysis" (the metrics to judge during the bake): set "analysis" too, or leave "bake" empty.',
      );
    }
  }
  const bakeMs = bakeText ? read.duration('bake', { min: 1000 }) : undefined;
  return readAnalysisSpec(read, { ...options, bakeMs });
}
