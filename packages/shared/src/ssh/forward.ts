import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { hostScript } from '../remote/host-script';

/**
 * A TCP connection made BY THE HOST to `address:port` (a container on the host's own bridge network, which the
 * runner cannot reach), as a stream on the runner: SSH's own forwarding (a direct-tcpip channel), or, when the
 * host's sshd refuses it (`AllowTcpForwarding no`, as hardened hosts set), a relay through an exec channel
 * running `nc` there (remote/sh/tunnel.sh). Used as the connection of an HTTP client (the pre-switch gate).
 */
export function forwardTo(client: Client, address: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, address, port, (error, channel) => {
      if (!error) return resolve(channel);
      relay(client, address, port).then(resolve, reject);
    });
  });
}

function relay(client: Client, address: string, port: number): Promise<Duplex> {
  const script = hostScript({ TUNNEL_ADDRESS: address, TUNNEL_PORT: port }, 'tunnel');
  return new Promise((resolve, reject) => {
    client.exec(script, (error, channel) => {
      if (error) return reject(error);
      const stderr: Buffer[] = [];
      channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      // nc's own failure (nothing listening, no nc) ends the stream: say why instead of "other side closed".
      channel.on('exit', (code: number | null) => {
        const why = Buffer.concat(stderr).toString('utf8').trim();
        if (!code) return;
        channel.emit(
          'error',
          new Error(`relay to ${address}:${port} failed (exit ${code}${why ? `: ${why}` : ''})`),
        );
        channel.destroy();
      });
      resolve(channel);
    });
  });
}
