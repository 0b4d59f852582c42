// The runner commands of the start-up path (inputs, state, masks, logs, failure), as @actions/core writes them.
// Core's index loads @actions/http-client and undici (for OIDC tokens) and @actions/exec: most of an action's
// start-up time and ~20 MB. The error boundary and the input parser use this module instead, so a bad input fails
// before any of that loads; the engines import `@actions/core` as usual, after the inputs are checked (README,
// Decisions: lazy loading; test/startup-load.test.ts keeps it so).
import { appendFileSync, writeSync } from 'node:fs';
import { EOL } from 'node:os';
import type * as FileCommand from '@actions/core/lib/file-command';
import { toCommandValue } from '@actions/core/lib/utils';

/** Where the command lines go. */
export type CommandOutput = (text: string) => void;

/** Through process.stdout, as core writes. */
const toStdout: CommandOutput = (text) => {
  process.stdout.write(text);
};

let startingUp = true;

/**
 * The boundary's output: straight to file descriptor 1 until the inputs are read, then through process.stdout.
 * process.stdout on a pipe (the runner reads a step through one) loads node:net and its streams: ~3 ms, a sixth of
 * node's own start, spent on the one error line of a bad input. Once the inputs are read (`startUpDone`) the engine
 * writes through process.stdout (core), and so does this, so every line keeps its order; a descriptor that would
 * block (a pipe left non-blocking) hands over to process.stdout at once.
 */
export const startUpOutput: CommandOutput = (text) => {
  const bytes = Buffer.from(text);
  let written = 0;
  if (startingUp) {
    try {
      while (written < bytes.length) written += writeSync(1, bytes, written);
      return;
    } catch {
      startingUp = false;
    }
  }
  process.stdout.write(bytes.subarray(written));
};

/** The inputs are read: the engine loads next, and writes through process.stdout. */
export function startUpDone(): void {
  startingUp = false;
}

let output: CommandOutput = toStdout;

/** Sets where the commands go: the boundary sets `startUpOutput` for a run, its tests a collector. */
export function writeCommandsTo(to: CommandOutput): void {
  output = to;
}

/**
 * One workflow command, in core's format (`lib/command.js`, whose writer goes only to process.stdout):
 * `::name key=value,...::message`, with `%`, CR and LF escaped (and `:` and `,` in property values).
 */
function issueCommand(command: string, properties: Record<string, string>, message: string): void {
  const escapeData = (value: string) =>
    toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const props = Object.entries(properties)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')}`)
    .join(',');
  output(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

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
  if (!file) issueCommand('save-state', { name }, value);
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
  output(message + EOL);
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
