import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, RawResponse } from './faults';
import { AwsError, callerOf, readBody, type Service, sendError, sendJson } from './protocol';

export interface EndpointOptions {
  services: Service[];
  port?: number;
  host?: string;
}

export interface Endpoint {
  url: string;
  port: number;
  faults: Faults;
  /** Every call received, in order, as `Service.Operation` names (for "API calls per deploy"). */
  calls: string[];
  close(): Promise<void>;
}

/**
 * One HTTP endpoint for several AWS JSON 1.1 services, routed by the X-Amz-Target header, as the real
 * @aws-sdk clients send it. Requests must be SigV4-signed (any key: nothing is verified but its presence);
 * faults can be injected per operation.
 */
export async function startEndpoint(options: EndpointOptions): Promise<Endpoint> {
  const faults = new Faults();
  const calls: string[] = [];
  const byPrefix = new Map(options.services.map((s) => [s.targetPrefix, s]));
  const server: Server = createServer(async (req, res) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const dot = target.lastIndexOf('.');
      const service = byPrefix.get(target.slice(0, dot));
      const name = target.slice(dot + 1);
      const operation = service?.operations[name];
      const body = await readBody(req);
      if (req.method !== 'POST' || !service || !operation) {
        throw new AwsError('UnknownOperationException', `ecs-local does not implement ${target || req.url}`);
      }
      calls.push(`${target.slice(0, dot)}.${name}`);
      const caller = callerOf(req);
      if (!caller) throw new AwsError('MissingAuthenticationTokenException', 'Request is not signed.', 403);
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      faults.check(name, input);
      sendJson(res, 200, await operation(input, caller));
    } catch (error) {
      if (error instanceof RawResponse) {
        const { status, contentType = 'text/html', body } = error.response;
        res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      sendError(res, error instanceof AwsError ? error : new AwsError('ServerException', String(error), 500));
    }
  });
  // Real endpoints keep idle connections longer than clients do. Node's default (5s) closes them first, and a
  // client reusing a socket at that moment gets ECONNRESET: a race no real service shows, and a flaky test.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
