import { formatDuration } from '../../duration';
import { details, markdownTable } from '../../summary';
import type { AnalysisResult, MetricResult } from './run-analysis';

const ICON: Record<string, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  inconclusive: '⚠️ inconclusive',
};

/** The job summary of an analysis: one row per metric, then per metric a chart and every measurement. */
export function analysisSummaryMarkdown(result: AnalysisResult): string {
  const rows = result.metrics.map((m) => [
    m.name,
    ICON[m.result],
    m.condition,
    `${m.counts.successful} ok, ${m.counts.failed} failed, ${m.counts.inconclusive} inconclusive, ${m.counts.error} errors`,
    m.reason,
  ]);
  return [
    `### Analysis: ${ICON[result.result]} in ${formatDuration(result.durationMs)}`,
    '',
    markdownTable(['metric', 'result', 'condition', 'measurements', 'why'], rows),
    '',
    ...result.metrics.flatMap((m) => [
      metricChart(m),
      '',
      details(`${m.name}: ${m.measurements.length} measurements`, measurementTable(m)),
      '',
    ]),
  ].join('\n');
}

/**
 * A Mermaid `xychart-beta` (GitHub renders it): the measured values over the bake, and one flat line per
 * threshold of the condition. Measurements without a value (errors, no data) are left out of the chart.
 */
export function metricChart(metric: MetricResult): string {
  const points = metric.measurements.filter((m) => m.value !== undefined && Number.isFinite(m.value));
  if (!points.length) return `_${metric.name}: no values to chart._`;
  const values = points.map((p) => p.value as number);
  const all = [...values, ...metric.thresholds];
  const low = Math.min(0, ...all);
  const high = Math.max(...all);
  const top = high === low ? low + 1 : high + (high - low) * 0.1;
  const label = (text: string) => JSON.stringify(text.replace(/"/g, "'"));
  const lines = [
    '```mermaid',
    'xychart-beta',
    `  title ${label(`${metric.name} (${metric.condition})`)}`,
    `  x-axis "seconds into the bake" [${points.map((p) => String(Math.round(p.atMs / 1000))).join(', ')}]`,
    `  y-axis ${label(metric.name)} ${num(low)} --> ${num(top)}`,
    `  line [${values.map(num).join(', ')}]`,
    ...metric.thresholds.map((t) => `  line [${points.map(() => num(t)).join(', ')}]`),
    '```',
  ];
  return lines.join('\n');
}

function measurementTable(metric: MetricResult): string {
  return [
    `Query (${metric.provider}): \`${metric.query.replace(/`/g, "'")}\``,
    '',
    markdownTable(
      ['at', 'result', 'value', 'detail'],
      metric.measurements.map((m) => [
        formatDuration(m.atMs),
        m.phase,
        m.value === undefined ? '–' : num(m.value),
        m.message,
      ]),
    ),
  ].join('\n');
}

function num(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
