import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  server: Server;
  requests: number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and a free port. `handler` gets the request count so far. */
export async function startHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse, count: number) => unknown,
): Promise<TestServer> {
  const result = { requests: 0 } as TestServer;
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    result.requests++;
    void Promise.resolve(handler(req, res, result.requests)).catch((error) => {
      res.statusCode = 599;
      res.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(result, {
    url: `http://127.0.0.1:${port}`,
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
