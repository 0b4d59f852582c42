import { details, markdownTable, summaryMarkdown } from '@slipway/shared';
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
    ...verdicts
      .filter((v) => v.gate)
      .flatMap((v) => [
        '',
        details(`${v.by} at ${v.stage} (${v.service}): ${v.gate!.result}`, summaryMarkdown(v.gate!)),
      ]),
  ];
}
