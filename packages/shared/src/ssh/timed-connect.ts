import type { SshConnectOptions } from './ssh-connect';
import type { SshSession } from './ssh-session';

/**
 * `connect` whose sessions tell `debug` how long the connection and each remote command or upload took (the
 * runner shows it with step debug on), so a slow deploy says where its time went.
 */
export function timedConnect(
  connect: (options: SshConnectOptions) => Promise<SshSession>,
  debug: (message: string) => void,
): (options: SshConnectOptions) => Promise<SshSession> {
  // how long it took, and when it ended since the action's process started
  const since = (started: number) => `${Date.now() - started} ms (at ${process.uptime().toFixed(2)} s)`;
  return async (options) => {
    const started = Date.now();
    const session = await connect(options);
    debug(`${session.name}: connected in ${since(started)}`);
    return {
      name: session.name,
      close: () => session.close(),
      ...(session.forward ? { forward: session.forward.bind(session) } : {}),
      async exec(script, execOptions) {
        const at = Date.now();
        try {
          return await session.exec(script, execOptions);
        } finally {
          debug(`${session.name}: ${execOptions?.label ?? 'a command'}: ${since(at)}`);
        }
      },
      async upload(remotePath, content, mode) {
        const at = Date.now();
        try {
          return await session.upload(remotePath, content, mode);
        } finally {
          debug(`${session.name}: upload of ${remotePath}: ${since(at)}`);
        }
      },
    };
  };
}
