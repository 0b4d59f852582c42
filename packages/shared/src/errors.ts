import { redactText } from './secrets';

/**
 * A mistake the user can fix (bad input, a failed gate, a refused host key). Its message is shown as is,
 * without a stack trace, and should say what was wrong and how to fix it.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/**
 * A bad action input. The message names the input, what was given (unless secret) and what is accepted. It is
 * redacted as it is made (registered secrets, URL user information), wherever it is made.
 */
export class InputError extends UserError {
  override name = 'InputError';
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(redactText(message));
  }
}

/** A command that exited non-zero. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    super(`${command} exited with code ${exitCode}${tail ? `:\n${tail}` : ''}`);
  }
}

/** Anything thrown, as an Error: a thrown string or object still fails the step with a readable message. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(value)}`);
  } catch {
    return new Error(`Non-error thrown: ${String(value)}`);
  }
}

/** True for errors that are programming mistakes rather than conditions of the world. */
export function isBug(error: Error): boolean {
  return error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError;
}
