import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryFrontOptions {
  /** The real registry behind, e.g. http://127.0.0.1:5001. */
  upstream: string;
  /** Whether a repository's tags are immutable (ECR's imageTagMutability IMMUTABLE). */
  isImmutable: (repository: string) => boolean;
}

export interface RegistryFront {
  url: string;
  host: string;
  close(): Promise<void>;
}

const MANIFEST_PUT = /^\/v2\/(.+)\/manifests\/([^/?]+)$/;
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * What ECR's registry endpoint adds to a plain registry: tag immutability. Every request goes through to the
 * real registry (docker push, pulls, the registry API alike), except a manifest PUT under a tag of an immutable
 * repository that the tag already names with another digest: refused as ECR refuses it (400 TAG_INVALID,
 * "... cannot be overwritten because the repository is immutable"). Point ecrService's registry at `url`, so
 * GetAuthorizationToken's proxyEndpoint and repositoryUri lead clients here.
 */
export async function startRegistryFront(options: RegistryFrontOptions): Promise<RegistryFront> {
  const upstream = new URL(options.upstream);
  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const out = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
    if (body) out.end(body);
    else req.pipe(out);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const match = MANIFEST_PUT.exec(req.url ?? '');
    if (req.method !== 'PUT' || !match || match[2].includes(':') || !options.isImmutable(match[1])) {
      forward(req, res);
      return;
    }
    const [, repository, tag] = match;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const headers: Record<string, string> = { accept: ACCEPT };
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    const head = await fetch(`${upstream.origin}/v2/${repository}/manifests/${tag}`, {
      method: 'HEAD',
      headers,
    });
    const existing = head.status === 200 ? head.headers.get('docker-content-digest') : undefined;
    if (existing && existing !== digest) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [
            {
              code: 'TAG_INVALID',
              message: `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
            },
          ],
        }),
      );
      return;
    }
    forward(req, res, body);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
