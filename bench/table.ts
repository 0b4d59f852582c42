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
