import * as core from '@actions/core';

const registered = new Set<string>();

/**
 * Registers a secret with the runner (`::add-mask::`) before anything can print it, and remembers it so that
 * our own logs, summaries and reports are masked even where no runner masks them. Multi-line values are
 * registered line by line as well, as the runner masks line by line.
 */
export function registerSecret(value: string | undefined): void {
  if (!value) return;
  const parts = [value, ...value.split(/\r?\n/)].map((v) => v.trim()).filter((v) => v.length >= 3);
  for (const part of new Set(parts)) {
    if (registered.has(part)) continue;
    registered.add(part);
    core.setSecret(part);
  }
}

/** Replaces every registered secret in `text` with `***`. */
export function maskSecrets(text: string): string {
  if (registered.size === 0 || !text) return text;
  let out = text;
  for (const secret of [...registered].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out;
}

/** The secrets registered so far (for tests of the suite itself). */
export function registeredSecrets(): readonly string[] {
  return [...registered];
}
