import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
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
