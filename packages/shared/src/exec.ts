import * as core from '@actions/core';
import * as actionsExec from '@actions/exec';
import { CommandError } from './errors';
import { maskSecrets } from './secrets';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Text given on standard input (passwords go here, never on the command line). */
  input?: string | Buffer;
  cwd?: string;
  /** Extra variables, added to the current environment. */
  env?: Record<string, string>;
  /** Do not echo the output to the log (it is still returned). */
  quiet?: boolean;
  /** Return a non-zero exit code instead of throwing a CommandError. */
  allowFailure?: boolean;
}

/** The one way the suite runs local commands. Tests pass a fake with the same shape. */
export interface CommandRunner {
  run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

/**
 * Runs commands through @actions/exec. What it logs (the command line and the output) goes through
 * `maskSecrets`, so a registered secret is masked even where no runner masks it.
 */
export function createCommandRunner(): CommandRunner {
  return {
    async run(command, args, options = {}) {
      const line = [command, ...args].join(' ');
      core.info(`$ ${maskSecrets(line)}`);
      const echo = (text: string) => {
        if (!options.quiet) core.info(maskSecrets(text));
      };
      const result = await actionsExec.getExecOutput(command, [...args], {
        input: options.input === undefined ? undefined : Buffer.from(options.input),
        cwd: options.cwd,
        env: options.env ? ({ ...process.env, ...options.env } as Record<string, string>) : undefined,
        silent: true,
        ignoreReturnCode: true,
        listeners: { stdline: echo, errline: echo },
      });
      const out = { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
      if (out.code !== 0 && !options.allowFailure) {
        throw new CommandError(
          maskSecrets(`${command} ${args[0] ?? ''}`.trim()),
          out.code,
          maskSecrets(out.stderr),
        );
      }
      return out;
    },
  };
}
