import * as core from '@actions/core';
import { maskSecrets } from './secrets';

/** Escapes text for a cell of a Markdown table. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A Markdown table. */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

/** A collapsible section. */
export function details(title: string, body: string): string {
  return `<details><summary>${escapeHtml(title)}</summary>\n\n${body}\n\n</details>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Appends Markdown to the job summary, masked. Does nothing where the runner gives no summary file. */
export async function appendSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(maskSecrets(markdown), true).write();
}

/** Runs `fn` inside a collapsible log group named consistently across the suite: `<action>: <what>`. */
export function logGroup<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return core.group(name, fn);
}
