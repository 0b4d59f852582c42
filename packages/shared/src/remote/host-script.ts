import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '../shell-quote';

/**
 * The shell files that run on hosts (`sh/*.sh`, POSIX sh, checked by shellcheck in `npm test`; ncc ships them
 * beside each bundle, where a user can read exactly what runs on their hosts).
 */
export type ShellFile =
  | 'backup'
  | 'canary-open'
  | 'canary-up'
  | 'bg-back'
  | 'bg-keep'
  | 'bg-prepare'
  | 'bg-switch'
  | 'bg-timer'
  | 'bg-up'
  | 'detach'
  | 'group'
  | 'hashes'
  | 'history-read'
  | 'lib'
  | 'lock-acquire'
  | 'lock-release'
  | 'lock-renew'
  | 'make-dirs'
  | 'orphans'
  | 'plan-prelude'
  | 'post-deploy'
  | 'pre-deploy'
  | 'prelude'
  | 'pull'
  | 'pulled'
  | 'recreate'
  | 'releases-remove'
  | 'reload'
  | 'retire'
  | 'roll-finish'
  | 'roll-switch'
  | 'roll-undo'
  | 'roll-up'
  | 'stop-group'
  | 'sync-live'
  | 'take-down'
  | 'tunnel'
  | 'weights'
  | 'wrap'
  | 'write-files';

const texts = new Map<ShellFile, string>();

export function shellFile(name: ShellFile): string {
  let text = texts.get(name);
  if (text === undefined) {
    text = readFileSync(join(__dirname, 'sh', `${name}.sh`), 'utf8');
    texts.set(name, text);
  }
  return text;
}

/** A value a script reads: strings are passed as they are, numbers in decimal, booleans as yes/no. */
export type ScriptValue = string | number | boolean;

const NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * THE one place values reach a remote script: one quoted assignment per value (`NAME='value'`), before the
 * script's files. Nothing is ever spliced into a file's text.
 */
export function assignments(values: Readonly<Record<string, ScriptValue>>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      if (!NAME.test(name)) throw new Error(`Bug: "${name}" is not a script variable name.`);
      if (typeof value === 'number' && !Number.isSafeInteger(value)) {
        throw new Error(`Bug: ${name}=${value} is not an integer.`);
      }
      const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
      return `${name}=${shellQuote(text)}`;
    })
    .join('\n');
}

/** A script for a host: the values, then the files in order. */
export function hostScript(values: Readonly<Record<string, ScriptValue>>, ...files: ShellFile[]): string {
  return [assignments(values), ...files.map(shellFile)].join('\n');
}
