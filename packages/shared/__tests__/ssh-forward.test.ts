import { readFileSync } from 'node:fs';
import { describeWithInfra, type SshHost, startHttpServer, type TestServer } from '@slipway/testing';
import { connectSsh, parseKnownHosts, type SshSession } from '../src';
import { createHttpClient } from '../src/gate/http-client';

// blue-green's pre-switch checks reach a container on a host's own network through the SSH session
// (src/ssh/forward.ts): SSH's forwarding where sshd allows it (the jump host), a relay through nc on the host where
// it does not (h1-h3: AllowTcpForwarding no). Both carry a real HTTP exchange of the gate's client.
describeWithInfra('a connection made by the host (real sshd, both ways)', (infra) => {
  const privateKey = readFileSync(infra.ssh.clientKey, 'utf8');
  const knownHosts = parseKnownHosts(readFileSync(infra.ssh.knownHostsHashed, 'utf8'));
  const open = (h: SshHost) =>
    connectSsh({
      target: { user: h.user, host: h.host, port: h.port },
      privateKey,
      hostKeys: { knownHosts },
    });
  let server: TestServer;
  const sessions: SshSession[] = [];
  beforeAll(async () => {
    server = await startHttpServer((req, res, count) => {
      res.end(`hello ${req.headers.host} #${count}`);
    });
  });
  afterAll(async () => {
    for (const s of sessions) s.close();
    await server?.close();
  });

  it.each([
    ['the jump host (SSH forwarding allowed)', () => infra.ssh.jump],
    ['h2 (AllowTcpForwarding no: a relay through nc)', () => infra.ssh.hosts[1]],
  ])('%s: the gate client speaks HTTP over it, the URL host only the Host header', async (_, hop) => {
    const session = await open(hop());
    sessions.push(session);
    const client = createHttpClient(
      { insecure: false },
      () => false,
      () => session.forward!('127.0.0.1', server.port),
    );
    try {
      const probe = (n: number) =>
        client.send({
          url: new URL(`https://shop.example/health?n=${n}`),
          method: 'GET',
          headers: {},
          followRedirects: false,
          timeoutMs: 5000,
        });
      const first = await probe(1);
      const second = await probe(2);
      expect([first.status, first.body, second.status]).toEqual([
        200,
        expect.stringMatching(/^hello shop.example #\d+$/),
        200,
      ]);
    } finally {
      await client.close();
    }
  });

  it('nothing listening there: the request fails with a network error, not a hang', async () => {
    const session = await open(infra.ssh.hosts[1]);
    sessions.push(session);
    const client = createHttpClient(
      { insecure: false },
      () => false,
      () => session.forward!('127.0.0.1', 1),
    );
    try {
      await expect(
        client.send({
          url: new URL('http://x/'),
          method: 'GET',
          headers: {},
          followRedirects: false,
          timeoutMs: 5000,
        }),
      ).rejects.toMatchObject({ kind: expect.stringMatching(/network|timeout/) });
    } finally {
      await client.close();
    }
  });
});
