import type { Duplex } from 'node:stream';
import type { Client, SFTPWrapper } from 'ssh2';
import { CommandError } from '../errors';
import { maskSecrets } from '../secrets';
import { shellQuote } from '../shell-quote';
import { forwardTo } from './forward';
import { wrapRemoteScript } from './remote-script';

export interface RemoteResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The host's watchdog stopped the command's process group. */
  timedOut: boolean;
}

export interface RemoteExecOptions {
  /** Sent on standard input (passwords go here, never on the command line). */
  stdin?: string | Buffer;
  /** Default 10 minutes. */
  timeoutMs?: number;
  /** Return a non-zero exit code instead of throwing a RemoteCommandError. */
  allowFailure?: boolean;
  /** What the command does, for errors ("docker-compose up"). Defaults to the script's first line. */
  label?: string;
}

/** A remote command that failed (or timed out) on one host. */
export class RemoteCommandError extends CommandError {
  override name = 'RemoteCommandError';
  constructor(
    readonly host: string,
    label: string,
    exitCode: number,
    stderr: string,
    readonly timedOut: boolean,
  ) {
    super(
      timedOut ? `${label} on ${host} (timed out; its processes were stopped)` : `${label} on ${host}`,
      exitCode,
      stderr,
    );
  }
}

/** The connection dropped while something was still running: always a failure, never a success. */
export class SshConnectionLostError extends Error {
  override name = 'SshConnectionLostError';
}

/** One open SSH connection to one host. */
export interface SshSession {
  /** `user@host:port`, for messages. */
  readonly name: string;
  exec(script: string, options?: RemoteExecOptions): Promise<RemoteResult>;
  /** Writes a file atomically (temporary name, then rename) with the given mode, e.g. 0o600 for secrets. */
  upload(remotePath: string, content: string | Buffer, mode: number): Promise<void>;
  /** A TCP connection made by the host to `address:port` (see forward.ts); optional so fakes may leave it out. */
  forward?(address: string, port: number): Promise<Duplex>;
  close(): void;
}

const MAX_OUTPUT = 4 * 1024 * 1024;
const DEFAULT_TIMEOUT = 10 * 60_000;

export function createSshSession(name: string, client: Client, onClose: () => void): SshSession {
  let lost: Error | undefined;
  const pending = new Set<(error: Error) => void>();
  const drop = (why: string) => {
    lost ??= new SshConnectionLostError(`The SSH connection to ${name} was lost (${why}).`);
    for (const reject of pending) reject(lost);
    pending.clear();
  };
  client.on('close', () => drop('closed'));
  client.on('error', (error) => drop(error.message));
  let sftp: Promise<SFTPWrapper | null> | undefined;

  const exec = (script: string, options: RemoteExecOptions = {}) =>
    new Promise<RemoteResult>((resolve, reject) => {
      if (lost) return reject(lost);
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
      const label = options.label ?? (script.trim().split('\n')[0] || 'command').slice(0, 80);
      let timedOut = false;
      const fail = (error: Error) => {
        clearTimeout(timer);
        clearTimeout(hardStop);
        reject(error);
      };
      pending.add(fail);
      let hardStop: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        // The host's watchdog stops the processes; if the exit status never comes, give up on the channel.
        hardStop = setTimeout(() => {
          pending.delete(fail);
          reject(new RemoteCommandError(name, label, 124, '', true));
        }, 10_000);
      }, timeoutMs);
      client.exec(wrapRemoteScript(script, timeoutMs), (error, channel) => {
        if (error) return fail(error);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let size = 0;
        const collect = (into: Buffer[]) => (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_OUTPUT) into.push(chunk);
        };
        let code: number | null = null;
        // A channel error is followed by its close, which settles the command; never leave it unhandled.
        channel.on('error', () => undefined);
        channel.on('data', collect(out));
        channel.stderr.on('data', collect(err));
        channel.on('exit', (exitCode: number | null) => {
          code = exitCode;
        });
        channel.on('close', () => {
          pending.delete(fail);
          clearTimeout(timer);
          clearTimeout(hardStop);
          if (code === null) {
            return reject(
              lost ??
                new SshConnectionLostError(`${label} on ${name}: the channel closed without an exit status.`),
            );
          }
          const result = {
            code,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
            timedOut: timedOut && code !== 0,
          };
          if (result.code !== 0 && !options.allowFailure) {
            return reject(
              new RemoteCommandError(name, label, result.code, maskSecrets(result.stderr), result.timedOut),
            );
          }
          resolve(result);
        });
        channel.end(options.stdin ?? '');
      });
    });

  // undefined: not tried yet; null: the host has no SFTP subsystem (Alpine without openssh-sftp-server, hardened
  // hosts), so files go through an exec channel instead.
  const getSftp = () => {
    sftp ??= new Promise((resolve) => client.sftp((e, s) => resolve(e ? null : s)));
    return sftp;
  };

  const uploadOverSftp = async (
    s: SFTPWrapper,
    remotePath: string,
    temp: string,
    data: Buffer,
    mode: number,
  ) => {
    const call = (fn: (cb: (e?: Error | null) => void) => void) =>
      new Promise<void>((resolve, reject) => fn((e) => (e ? reject(e) : resolve())));
    const handle = await new Promise<Buffer>((resolve, reject) =>
      s.open(temp, 'w', { mode }, (e, h) => (e ? reject(e) : resolve(h))),
    );
    try {
      await call((cb) => s.fchmod(handle, mode, cb));
      if (data.length > 0) await call((cb) => s.write(handle, data, 0, data.length, 0, cb));
    } finally {
      await call((cb) => s.close(handle, cb));
    }
    await call((cb) => s.ext_openssh_rename(temp, remotePath, cb)).catch(async (error) => {
      await call((cb) => s.unlink(temp, cb)).catch(() => undefined);
      throw new Error(`Could not write ${remotePath} on ${name}: ${(error as Error).message}`);
    });
  };

  // The same steps with cat, chmod and mv: the content on standard input, the file created under umask 077 (so a
  // secret is never readable by others, even for a moment), `--` before every path.
  const uploadOverExec = async (remotePath: string, temp: string, data: Buffer, mode: number) => {
    const script = [
      'umask 077',
      `tmp=${shellQuote(temp)}`,
      `if cat > "$tmp" && chmod ${mode.toString(8)} -- "$tmp" && mv -f -- "$tmp" ${shellQuote(remotePath)}; then exit 0; fi`,
      'rm -f -- "$tmp"',
      'exit 1',
    ].join('\n');
    await exec(script, { stdin: data, label: `writing ${remotePath}` });
  };

  const upload = async (remotePath: string, content: string | Buffer, mode: number) => {
    if (lost) throw lost;
    const s = await getSftp();
    const temp = `${remotePath}.slipway-${process.pid}-${Date.now()}`;
    const data = Buffer.from(content);
    if (s) await uploadOverSftp(s, remotePath, temp, data, mode);
    else await uploadOverExec(remotePath, temp, data, mode);
  };

  return {
    name,
    exec,
    upload,
    forward: (address, port) => (lost ? Promise.reject(lost) : forwardTo(client, address, port)),
    close() {
      onClose();
    },
  };
}
