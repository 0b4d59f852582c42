import { createServer } from 'node:net';

/** A port on 127.0.0.1 nothing listens on (yet): for a server to come up later, or a Docker port to publish. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
