// The runner commands of the start-up path (inputs, state, masks, logs, failure), as @actions/core writes them,
// through core's own command writers. Core's index loads @actions/http-client and undici (for OIDC tokens) and
// @actions/exec: most of an action's start-up time and ~20 MB. The error boundary and the input parser use this
// module instead, so a bad input fails before any of that loads; the engines import `@actions/core` as usual,
// after the inputs are checked (README, Decisions: lazy loading; test/startup-load.test.ts keeps it so).
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { issueCommand } from '@actions/core/lib/command';
import type * as FileCommand from '@actions/core/lib/file-command';
import { toCommandValue } from '@actions/core/lib/utils';

/** core.getInput: the `INPUT_*` variable, trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

/** core.getState: what `saveState` saved in an earlier step of this action. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] || '';
}

/**
 * core.saveState: to the runner's state file, or as a command where there is none. A one-line value (the post
 * marker the boundary saves first thing) is written in the file's `name=value` form, which needs no delimiter:
 * core's `name<<delimiter` form draws a random one from node:crypto, whose load was a tenth of the start-up.
 */
export function saveState(name: string, value: string): void {
  const file = process.env.GITHUB_STATE;
  if (!file) issueCommand('save-state', { name }, toCommandValue(value));
  else if (/^[\w.-]+$/.test(name) && !/[\r\n]/.test(value)) appendFileSync(file, `${name}=${value}${EOL}`);
  else {
    const { issueFileCommand, prepareKeyValueMessage } =
      require('@actions/core/lib/file-command') as typeof FileCommand;
    issueFileCommand('STATE', prepareKeyValueMessage(name, value));
  }
}

/** core.setSecret: the runner masks the value in the log from now on. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function warning(message: string): void {
  issueCommand('warning', {}, message);
}

export function notice(message: string): void {
  issueCommand('notice', {}, message);
}

/** core.setFailed: an error annotation, and the step fails when the process exits. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  issueCommand('error', {}, message);
}
