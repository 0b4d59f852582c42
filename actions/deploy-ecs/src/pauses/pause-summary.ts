import { analysisSummaryMarkdown, details, markdownTable, summaryMarkdown } from '@slipway/shared';
import type { PauseVerdict } from './pause-answerer';

const ANSWER = { CONTINUE: '▶️ CONTINUE', ROLLBACK: '↩️ ROLLBACK', none: '⏸️ not answered' };

/** The summary's "Pauses" section: each pause, its answer and why, with the gate's evidence. */
export function pauseSection(verdicts: PauseVerdict[]): string[] {
  if (!verdicts.length) return [];
  return [
    '',
    '### Pauses',
    '',
    markdownTable(
      ['service', 'stage', 'answer', 'by', 'reason'],
      verdicts.map((v) => [v.service, v.stage, ANSWER[v.action], v.by, v.reason]),
    ),
    ...verdicts.flatMap((v) => [
      ...(v.gate
        ? ['', details(`checks at ${v.stage} (${v.service}): ${v.gate.result}`, summaryMarkdown(v.gate))]
        : []),
      ...(v.analysis
        ? [
            '',
            details(
              `analysis at ${v.stage} (${v.service}): ${v.analysis.result}`,
              analysisSummaryMarkdown(v.analysis),
            ),
          ]
        : []),
    ]),
  ];
}
