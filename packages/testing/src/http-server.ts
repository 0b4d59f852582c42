import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  server: Server;
  requests: number;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Serve HTTPS with this key and certificate (see `createTestCertificates`); the URL is then https://. */
  tls?: { key: string; cert: string };
  /** Listen on this port instead of a free one (to bring a service "up" where a client already knocks). */
  port?: number;
}

/** A real HTTP(S) server on 127.0.0.1 and a free port. `handler` gets the request count so far. */
export async function startHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse, count: number) => unknown,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const result = { requests: 0 } as TestServer;
  const sockets = new Set<import('node:net').Socket>();
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    result.requests++;
    void Promise.resolve(handler(req, res, result.requests)).catch((error) => {
      res.statusCode = 599;
      res.end(String(error));
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  server.on(options.tls ? 'secureConnection' : 'connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  Object.assign(result, {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
  return result;
}
