import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, request } from 'node:http';
import { startHttpServer, type TestServer } from './http-server';

export interface ProxyOptions {
  /**
   * Sees each request first (with its number, from 1); returning true means it answered the request itself
   * (a fault), false lets it through to the target.
   */
  intercept?: (req: IncomingMessage, res: ServerResponse, count: number) => boolean | Promise<boolean>;
}

/**
 * A forwarding HTTP proxy on 127.0.0.1 in front of a real server (`target` is `host:port`), keeping the Host
 * header, so a registry behind it builds its upload URLs for the proxy. Faults are injected by `intercept`.
 */
export function startProxy(target: string, options: ProxyOptions = {}): Promise<TestServer> {
  const [hostname, port] = target.split(':');
  return startHttpServer(async (req, res, count) => {
    if (options.intercept && (await options.intercept(req, res, count))) return;
    const upstream = request(
      { hostname, port: Number(port), path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      res.statusCode = 502;
      res.end(String(error));
    });
    req.pipe(upstream);
  });
}

/**
 * A fleet's load balancer on 127.0.0.1: each request to the next of `targets` (`host:port`) in turn, over kept-alive
 * connections, as an ALB or an HAProxy in front of several hosts would. As they do (and as the rate load's own
 * client does, see rate-load.ts), a request written to a kept-alive connection that the target closed at that
 * moment (a proxy reloading drops its idle ones: ECONNRESET or EPIPE before any answer) is sent again, to the next
 * target; any other failure to answer gets the client a 502 naming the error.
 */
export async function startRoundRobin(targets: readonly string[]): Promise<TestServer> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = await startHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const send = (retries: number) => {
      const [hostname, port] = targets[next++ % targets.length].split(':');
      const upstream = request(
        { hostname, port: Number(port), path: req.url, method: req.method, headers: req.headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error: Error & { code?: string }) => {
        if (res.headersSent) return res.destroy(error);
        const stale = upstream.reusedSocket && ['ECONNRESET', 'EPIPE'].includes(error.code ?? '');
        if (stale && retries > 0) return send(retries - 1);
        res.statusCode = 502;
        res.end(String(error));
      });
      upstream.end(body);
    };
    send(10);
  });
  return {
    ...server,
    close: async () => {
      agent.destroy();
      await server.close();
    },
  };
}
