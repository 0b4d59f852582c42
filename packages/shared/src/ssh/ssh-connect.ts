import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import { UserError } from '../errors';
import { isTransient, type RetryOptions, retry } from '../retry';
import {
  type HostKeyPolicy,
  type HostKeyVerdict,
  hostKeyAlgorithms,
  hostKeyError,
  verifyHostKey,
} from './host-key-policy';
import { createSshSession, type SshSession } from './ssh-session';
import { formatSshTarget, type SshTarget } from './ssh-target';

export interface SshHop {
  target: SshTarget;
  hostKeys: HostKeyPolicy;
}

export interface SshConnectOptions extends SshHop {
  /** An OpenSSH or PEM private key (the text, not a path). */
  privateKey: string;
  passphrase?: string;
  /** A bastion to go through (TCP forwarding); its host key is verified the same way. Same private key. */
  jump?: SshHop;
  /** How long a handshake may take (default 20s). */
  readyTimeoutMs?: number;
  /** SSH keepalive interval (default 10s) and how many may go unanswered before the connection counts as lost. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Connection retries (default: 4 tries, back-off from 1s); refused keys and failed logins are never retried. */
  retry?: RetryOptions;
  /** Told about each retry, for a log line. */
  log?: (message: string) => void;
}

/** True for connection failures worth another try: network errors and handshake timeouts. */
export function isTransientSshError(error: unknown): boolean {
  if (error instanceof UserError) return false;
  const err = error as { level?: string; message?: string };
  if (err?.level === 'client-authentication') return false;
  if (err?.level === 'client-timeout') return true;
  if (
    /Connection lost before handshake|Timed out while waiting for handshake|Not connected/.test(
      err?.message ?? '',
    )
  ) {
    return true;
  }
  return isTransient(error);
}

/** What a failed handshake becomes: a refused key or login (never retried), else a network error naming the host. */
function connectError(name: string, hop: SshHop, verdict: HostKeyVerdict | undefined, error: Error): Error {
  if (verdict && !verdict.ok) return hostKeyError(name, hop.target.host, hop.target.port, verdict);
  const level = (error as { level?: string }).level;
  if (level === 'client-authentication') {
    return new UserError(
      `SSH login to ${name} was refused: the key was not accepted for user "${hop.target.user}". Check that the public key of ssh-key is in that user's ~/.ssh/authorized_keys.`,
    );
  }
  const wrapped = new Error(`Could not connect to ${name}: ${error.message}`, { cause: error });
  Object.assign(wrapped, { level, code: (error as { code?: string }).code });
  return wrapped;
}

function connectHop(hop: SshHop, options: SshConnectOptions, sock?: Duplex): Promise<Client> {
  const name = formatSshTarget(hop.target);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let verdict: HostKeyVerdict | undefined;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(connectError(name, hop, verdict, error));
      client.end();
    };
    // ssh2 may emit several errors for one failure (a handshake timeout, then "Connection lost" when the socket
    // closes; a reset socket, then the close): the listener stays for the client's whole life, so no error event
    // ever goes unhandled and kills the process. The session adds its own once connected.
    client.on('error', fail);
    // A close with no error before the handshake ends must not leave the promise waiting forever.
    client.on('close', () => fail(new Error('the connection was closed before the SSH handshake ended')));
    sock?.on('error', (error: Error) => fail(error));
    const serverHostKey = hostKeyAlgorithms(hop.hostKeys, hop.target.host, hop.target.port);
    const config: ConnectConfig = {
      host: hop.target.host,
      port: hop.target.port,
      username: hop.target.user,
      privateKey: options.privateKey,
      passphrase: options.passphrase,
      readyTimeout: options.readyTimeoutMs ?? 20_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 10_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      sock,
      ...(serverHostKey ? { algorithms: { serverHostKey: serverHostKey as ServerHostKeyAlgorithm[] } } : {}),
      // Called during the key exchange, before authentication: a refused key means nothing is ever run.
      hostVerifier: (key: Buffer) => {
        verdict = verifyHostKey(hop.hostKeys, hop.target.host, hop.target.port, key);
        return verdict.ok;
      },
    };
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    try {
      client.connect(config);
    } catch (error) {
      settled = true;
      client.end();
      reject(
        new UserError(
          `The SSH private key could not be used (${(error as Error).message}). Give the whole key file (OpenSSH or PEM) and, if it is encrypted, its passphrase.`,
        ),
      );
    }
  });
}

function forward(jump: Client, target: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    jump.forwardOut('127.0.0.1', 0, target.host, target.port, (error, stream) => {
      if (error) {
        const wrapped = new Error(
          `The jump host could not reach ${formatSshTarget(target)}: ${error.message}`,
        );
        Object.assign(wrapped, { code: 'ECONNREFUSED' });
        reject(wrapped);
      } else resolve(stream);
    }),
  );
}

/**
 * Opens a verified SSH connection (through a jump host when given), retrying network failures with back-off.
 * The host key is checked in the key exchange, so a refused host never sees a command.
 */
export async function connectSsh(options: SshConnectOptions): Promise<SshSession> {
  const name = formatSshTarget(options.target);
  return retry(
    async () => {
      const jump = options.jump ? await connectHop(options.jump, options) : undefined;
      try {
        const sock = jump ? await forward(jump, options.target) : undefined;
        const client = await connectHop(options, options, sock);
        return createSshSession(name, client, () => {
          client.end();
          jump?.end();
        });
      } catch (error) {
        jump?.end();
        throw error;
      }
    },
    {
      attempts: 4,
      baseDelayMs: 1000,
      maxDelayMs: 8000,
      retryable: isTransientSshError,
      onRetry: (error, attempt, delay) =>
        options.log?.(
          `SSH to ${name} failed (${(error as Error).message}); try ${attempt + 1} in ${delay}ms.`,
        ),
      ...options.retry,
    },
  );
}
