/** One table of the benchmark report: each figure beside its reference, measured in the same run. */
export interface Section {
  title: string;
  note: string;
  headers: string[];
  rows: string[][];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function renderSection(section: Section): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    `## ${section.title}`,
    '',
    section.note,
    '',
    line(section.headers),
    line(section.headers.map(() => '---')),
    ...section.rows.map(line),
    '',
  ].join('\n');
}

/** How many times sections 2 and 3 repeat their scenario (`BENCH_RUNS`, default 3): each figure is a median. */
export function benchRuns(env = process.env): number {
  const raw = env.BENCH_RUNS ?? '3';
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
    throw new Error(`BENCH_RUNS must be a whole number from 1 to 20, not "${raw}".`);
  }
  return runs;
}

/** A time over several runs: the median, and every run's figure in order (`12.3 s (11.9, 12.3, 14.0)`). */
export function spread(ms: number[]): string {
  const s = (v: number) => (v / 1000).toFixed(1);
  return ms.length === 1 ? `${s(ms[0])} s` : `${s(median(ms))} s (${ms.map(s).join(', ')})`;
}
