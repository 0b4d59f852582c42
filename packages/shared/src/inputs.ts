import { DEFAULT_MAX_DURATION_MS, formatDurationLimit, MAX_TIMER_MS, parseDuration } from './duration';
import { InputError } from './errors';
import { ParserNotLoaded, yamlParser } from './lazy-parser';
import { getInput, startUpDone, warning } from './runner-commands';
import { redactValue, registerSecret } from './secrets';

/** Where raw input text comes from: the runner's `INPUT_*` variables by default, a map in tests. */
export type InputSource = (name: string) => string;

export const runnerInputs: InputSource = getInput;

export function mapInputs(values: Record<string, string>): InputSource {
  return (name) => (values[name] ?? '').trim();
}

interface Base {
  /** Fail when the input is empty. */
  required?: boolean;
  /** Register the value as a secret before anything else, and never show it in an error. */
  secret?: boolean;
  /**
   * The input's deprecated former name: still read (with a warning naming the new one) when the new one is empty;
   * both given is an error. The new input must then have no `default:` in action.yml (the runner would always
   * give it one), so its default stays in the code and in its description, "(default ...)".
   */
  formerly?: string;
}

const TRUE = ['true', 'True', 'TRUE', 'yes', 'on'];
const FALSE = ['false', 'False', 'FALSE', 'no', 'off'];

/**
 * The one input parser of the suite. Every method names the input in its errors, shows what was given
 * (unless secret) and what is accepted; a bad value is an error, never a silent default.
 * Input names are literal strings at the call site, so `scripts/check-actions.js` can match them with action.yml.
 */
export class InputReader {
  private readonly warned = new Set<string>();

  constructor(
    private readonly source: InputSource = runnerInputs,
    private readonly warn: (message: string) => void = warning,
  ) {}

  private raw(name: string, opts: Base = {}): string {
    const value = this.renamed(name, opts.formerly);
    if (opts.secret) registerSecret(value);
    if (!value && opts.required) {
      throw new InputError(name, `Input "${name}" is required: set it in the step's "with:" block.`);
    }
    return value;
  }

  /** The input under its name, or under its deprecated former name (warned); both given is an error. */
  private renamed(name: string, formerly: string | undefined): string {
    const value = this.source(name);
    const old = formerly ? this.source(formerly) : '';
    if (!formerly || !old) return value;
    if (value) {
      throw new InputError(
        formerly,
        `Inputs "${formerly}" and "${name}" are both given: "${formerly}" is the deprecated name of "${name}"; keep only "${name}".`,
      );
    }
    // Once per reader: readInputs reads again after loading a parser.
    const message = `Input "${formerly}" is deprecated: use "${name}" (the same setting).`;
    if (!this.warned.has(message)) this.warn(message);
    this.warned.add(message);
    return old;
  }

  /** The name the value was given under (a deprecated former name, when only that was given), for errors. */
  private given(name: string, opts: Base): string {
    return opts.formerly && !this.source(name) && this.source(opts.formerly) ? opts.formerly : name;
  }

  private fail(name: string, given: string, accepted: string, secret?: boolean): never {
    const shown = secret
      ? '(the value is secret and not shown)'
      : `got ${JSON.stringify(redactValue(given))}`;
    throw new InputError(name, `Input "${name}" must be ${accepted}; ${shown}.`);
  }

  /** Text, trimmed. Empty gives the default (or undefined). */
  string(name: string, opts: Base & { default: string }): string;
  string(name: string, opts?: Base): string | undefined;
  string(name: string, opts: Base & { default?: string } = {}): string | undefined {
    const value = this.raw(name, opts);
    return value === '' ? opts.default : value;
  }

  /** Text that must be given. */
  required(name: string, opts: Omit<Base, 'required'> = {}): string {
    return this.raw(name, { ...opts, required: true });
  }

  /** A secret: masked at once and never echoed. */
  secret(name: string, opts: Omit<Base, 'secret'> = {}): string | undefined {
    return this.raw(name, { ...opts, secret: true }) || undefined;
  }

  boolean(name: string, opts: Base & { default: boolean }): boolean {
    const value = this.raw(name, opts);
    if (value === '') return opts.default;
    if (TRUE.includes(value)) return true;
    if (FALSE.includes(value)) return false;
    return this.fail(this.given(name, opts), value, 'true or false');
  }

  integer(name: string, opts: Base & { default?: number; min?: number; max?: number } = {}): number {
    const value = this.raw(name, opts);
    if (value === '' && opts.default !== undefined) return opts.default;
    const range = rangeText(opts.min, opts.max);
    if (!/^[-+]?\d+$/.test(value))
      this.fail(this.given(name, opts), value, `a whole number${range}`, opts.secret);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || !inRange(n, opts.min, opts.max))
      this.fail(this.given(name, opts), value, `a whole number${range}`, opts.secret);
    return n;
  }

  /** A decimal number such as `0.95`; a percentage such as `95%` is accepted where `percent` is set. */
  number(
    name: string,
    opts: Base & { default?: number; min?: number; max?: number; percent?: boolean } = {},
  ) {
    const value = this.raw(name, opts);
    if (value === '' && opts.default !== undefined) return opts.default;
    const range = rangeText(opts.min, opts.max);
    const accepted = `a number${range}${opts.percent ? ' (or a percentage such as 95%)' : ''}`;
    const pct = opts.percent ? /^(\d+(?:\.\d+)?)%$/.exec(value) : null;
    const n = pct ? Number(pct[1]) / 100 : /^[-+]?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || !inRange(n, opts.min, opts.max))
      this.fail(this.given(name, opts), value, accepted);
    return n;
  }

  /**
   * A duration (`90s`, `5m`, `1h`, `250ms`; a bare number is seconds) in milliseconds. Every duration has a
   * maximum: `max`, 24h when none is given, and never more than a timer holds (2^31 - 1 ms).
   */
  duration(name: string, opts: Base & { default?: string; min?: number; max?: number } = {}): number {
    const value = this.raw(name, opts) || opts.default || '';
    const ms = parseDuration(value);
    const min = opts.min ?? 0;
    const max = Math.min(opts.max ?? DEFAULT_MAX_DURATION_MS, MAX_TIMER_MS);
    const accepted = `a duration such as 90s, 5m or 1h, from ${formatDurationLimit(min)} to ${formatDurationLimit(max)}`;
    if (ms === undefined || !inRange(ms, min, max)) return this.fail(this.given(name, opts), value, accepted);
    return ms;
  }

  /** An http(s) URL; `example` is shown in the error. Empty gives undefined. */
  url(name: string, opts: Base & { example?: string } = {}): string | undefined {
    const value = this.raw(name, opts);
    if (value === '') return undefined;
    let protocol = '';
    try {
      protocol = new URL(value).protocol;
    } catch {
      // refused below
    }
    if (protocol === 'http:' || protocol === 'https:') return value;
    const example = opts.example ? ` such as ${opts.example}` : '';
    return this.fail(this.given(name, opts), value, `an http(s) URL${example}`, opts.secret);
  }

  /** One value per line or comma; blank entries dropped. */
  list(name: string, opts: Base & { separator?: 'comma-or-newline' | 'newline' } = {}): string[] {
    const value = this.raw(name, opts);
    const split = opts.separator === 'newline' ? /\r?\n/ : /[\r\n,]+/;
    return value
      .split(split)
      .map((v) => v.trim())
      .filter((v) => v !== '');
  }

  /** `KEY=VALUE` lines; the value is everything after the first `=`, so it may contain `=`. */
  keyValues(name: string, opts: Base & { keyPattern?: RegExp } = {}): Array<[string, string]> {
    const pattern = opts.keyPattern ?? /^[A-Za-z_][A-Za-z0-9_.-]*$/;
    const pairs: Array<[string, string]> = [];
    for (const line of this.list(name, { ...opts, separator: 'newline' })) {
      const eq = line.indexOf('=');
      const key = eq > 0 ? line.slice(0, eq).trim() : '';
      if (!pattern.test(key)) {
        const shown = opts.secret ? '' : ` (line ${JSON.stringify(redactValue(line))})`;
        throw new InputError(
          name,
          `Input "${name}" takes KEY=VALUE lines with keys matching ${pattern}${shown}.`,
        );
      }
      const val = line.slice(eq + 1);
      if (opts.secret) registerSecret(val);
      pairs.push([key, val]);
    }
    return pairs;
  }

  enumeration<T extends string>(name: string, allowed: readonly T[], opts: Base & { default?: T } = {}): T {
    const value = this.raw(name, opts);
    if (value === '' && opts.default !== undefined) return opts.default;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    return this.fail(this.given(name, opts), value, `one of ${allowed.join(', ')}`);
  }

  json<T = unknown>(name: string, opts: Base = {}): T | undefined {
    const value = this.raw(name, opts);
    if (value === '') return undefined;
    try {
      return JSON.parse(value) as T;
    } catch (error) {
      // What and where, never the text (Node quotes it): it may hold header values or passwords.
      const reason = (error as Error).message.replace(/, ".*" is not valid JSON$/s, '');
      throw new InputError(name, `Input "${name}" must be valid JSON (${reason}); the text is not shown.`);
    }
  }

  yaml<T = unknown>(name: string, opts: Base = {}): T | undefined {
    const value = this.raw(name, opts);
    if (value === '') return undefined;
    const yaml = yamlParser();
    try {
      return yaml.parse(value) as T;
    } catch (error) {
      // The first line says what and where (line, column); the rest quotes the text, which may hold secrets.
      const reason = (error as Error).message.split('\n')[0];
      throw new InputError(name, `Input "${name}" must be valid YAML (${reason}); the text is not shown.`);
    }
  }
}

/**
 * Reads the inputs with `read` (an action's getInputs); whenever a given input needs a parser not loaded yet
 * (lazy-parser.ts), loads it and reads again: at most one more pass per parser. Every other error, an input error
 * first of all, is the caller's. Read, the inputs end the start-up: the runner commands go through process.stdout
 * from now on, where the engine writes too (runner-commands.ts).
 */
export async function readInputs<T>(
  read: (reader: InputReader) => T,
  // One reader for every pass: it gives each deprecation warning once. Masks are registered once anyway.
  reader = new InputReader(),
): Promise<T> {
  for (;;) {
    try {
      const inputs = read(reader);
      startUpDone();
      return inputs;
    } catch (error) {
      if (!(error instanceof ParserNotLoaded)) throw error;
      await error.load();
    }
  }
}

function inRange(n: number, min?: number, max?: number): boolean {
  return (min === undefined || n >= min) && (max === undefined || n <= max);
}

function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}
