import { formatDuration, type GateResult, markdownTable, summaryMarkdown } from '@slipway/shared';
import type { RollbackOutcome } from '../targets';

export interface SummaryInput {
  environment: string;
  target: string;
  from: string;
  to: string;
  result: 'rolled-back' | 'unhealthy' | 'failed';
  why: string[];
  chosenBy: string;
  durationMs: number;
  outcome: RollbackOutcome;
  health?: GateResult;
}

const ICON = {
  'rolled-back': '✅ rolled back',
  unhealthy: '❌ rolled back, NOT healthy',
  failed: '❌ failed',
};

/** The job summary: from → to, why, how long, each service or host, and what the health checks saw. */
export function rollbackSummary(s: SummaryInput): string {
  const lines = [
    `### Rollback of ${s.environment} (${s.target}): ${ICON[s.result]} in ${formatDuration(s.durationMs)}`,
    '',
    `**${s.from || '(unknown)'}** → **${s.to}**`,
    '',
    `- why: ${s.why.length ? s.why.join('; ') : 'no reason given'}`,
    `- restored release chosen from ${s.chosenBy}`,
    '',
    markdownTable(
      [s.target === 'ecs' ? 'service' : 'host', 'from', 'to', 'status', 'detail'],
      s.outcome.units.map((u) => [u.name, u.from, u.to, u.status, u.reason]),
    ),
    '',
  ];
  if (s.health) lines.push(summaryMarkdown(s.health).replace(/^### Smoke test/, '#### Health checks'));
  else lines.push('#### Health checks: not run (the rollback itself failed)', '');
  return lines.join('\n');
}
