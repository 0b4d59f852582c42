import { UserError } from '../errors';
import { hostScript } from '../remote/host-script';
import { writeFiles } from '../remote/write-files';
import type { SshSession } from '../ssh';
import type { HistoryEntry } from './history-entry';

export const HISTORY_FILE = 'history.json';

/** Reads a host's release history; a host never deployed to has an empty one. */
export async function readHistory(session: SshSession, dir: string): Promise<HistoryEntry[]> {
  const { stdout } = await session.exec(hostScript(historyValues(dir), 'history-read'), {
    label: 'reading the release history',
  });
  return parseHistory(stdout, session.name, dir);
}

/** The values history-read.sh needs for the history of the project folder `dir`. */
export const historyValues = (dir: string) => ({ HISTORY: `${dir}/${HISTORY_FILE}` });

/** What history-read.sh printed on `host`, as a release history; a clear error for anything else. */
export function parseHistory(text: string, host: string, dir: string): HistoryEntry[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) throw new Error('not a list');
    return parsed as HistoryEntry[];
  } catch (error) {
    throw new UserError(
      `${host}: ${dir}/${HISTORY_FILE} is not a release history (${(error as Error).message}). Fix or remove that file.`,
    );
  }
}

export async function writeHistory(
  session: SshSession,
  dir: string,
  history: readonly HistoryEntry[],
): Promise<void> {
  const content = `${JSON.stringify(history, null, 2)}\n`;
  await writeFiles(
    session,
    dir,
    [{ name: HISTORY_FILE, content, mode: 0o644 }],
    'writing the release history',
  );
}

/**
 * Keeps the newest `keep` releases (by id, the running one and its predecessor always included) in the history
 * and on disk; older release folders, with their env files, are removed. Entries marked bad stay in the history
 * (without their folders), so their digests are still refused.
 */
export async function pruneReleases(
  session: SshSession,
  dir: string,
  history: readonly HistoryEntry[],
  keep: number,
): Promise<HistoryEntry[]> {
  const ids: string[] = [];
  for (const entry of [...history].reverse()) if (!ids.includes(entry.id)) ids.push(entry.id);
  const deployed = [...history]
    .reverse()
    .filter((e) => e.result === 'deployed')
    .map((e) => e.id);
  const kept = new Set([...ids.slice(0, keep), ...deployed.slice(0, 2)]);
  const dropped = ids.filter((id) => !kept.has(id));
  if (dropped.length > 0) {
    const paths = dropped.map((id) => `${dir}/releases/${id}`).join('\n');
    await session.exec(hostScript({ REMOVE: paths }, 'releases-remove'), { label: 'removing old releases' });
  }
  return history.filter((entry) => kept.has(entry.id) || entry.bad !== undefined);
}
