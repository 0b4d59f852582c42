import { createServer, type Socket } from 'node:net';
import { failedCount, outcomeLabel, sentAfter, startHttpServer, startRateLoad, summarizeLoad } from '../src';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startRateLoad (open loop)', () => {
  it('sends on schedule and records every outcome, also while answers are slow', async () => {
    // Every answer takes 300 ms: a closed loop of a few workers would send far fewer than the rate asks.
    const server = await startHttpServer(async (_req, res) => {
      await sleep(300);
      res.setHeader('X-Version', 'v1');
      res.end('v1\n');
    });
    try {
      const load = startRateLoad(server.url, { rate: 200, header: 'x-version' });
      await sleep(1000);
      const result = await load.stop();
      // the rate holds over the time it ran (a busy machine may make the 1 s sleep longer)
      expect(Math.abs(result.sent - (result.durationMs * 200) / 1000)).toBeLessThanOrEqual(3);
      expect(result.sent).toBeGreaterThanOrEqual(180);
      expect(result.outcomes).toHaveLength(result.sent);
      expect(result.ok).toBe(result.sent);
      expect(failedCount(result)).toBe(0);
      expect(result.bodies).toEqual(new Map([['v1', result.sent]]));
      expect(
        result.outcomes.every((o) => o.status === 200 && o.header === 'v1' && o.doneAt >= o.sentAt + 250),
      ).toBe(true);
      // the second half of the run holds about half the requests (a busy event loop sends in small bursts)
      const late = sentAfter(result, result.durationMs / 2);
      expect(late.length).toBeGreaterThan(result.sent * 0.3);
      expect(late.length).toBeLessThan(result.sent * 0.7);
      expect(late.every((o) => o.sentAt >= result.durationMs / 2)).toBe(true);
      expect(result.endedBy).toBe('stop');
      expect(summarizeLoad(result)).toMatch(/sent \(\d+\/s\), 0 failed; answers: v1 ×/);
    } finally {
      await server.close();
    }
  });

  it('stops by itself at its bounds in count and time', async () => {
    const server = await startHttpServer((_req, res) => res.end('ok'));
    try {
      const counted = await new Promise<Awaited<ReturnType<ReturnType<typeof startRateLoad>['stop']>>>(
        (resolve) => {
          const load = startRateLoad(server.url, { rate: 500, maxRequests: 50 });
          setTimeout(() => resolve(load.stop()), 400);
        },
      );
      expect(counted).toMatchObject({ sent: 50, ok: 50, endedBy: 'max-requests' });
      const timed = startRateLoad(server.url, { rate: 100, maxDurationMs: 200 });
      await sleep(500);
      const result = await timed.stop();
      expect(result.endedBy).toBe('max-duration');
      expect(result.sent).toBeLessThanOrEqual(21);
    } finally {
      await server.close();
    }
  });

  it('records refused connections and error statuses as failures, by cause', async () => {
    const server = await startHttpServer((_req, res, n) => {
      res.statusCode = n % 2 ? 502 : 200;
      res.end('x');
    });
    const url = server.url;
    const load = startRateLoad(url, { rate: 200 });
    await sleep(200);
    await server.close();
    await sleep(200);
    const result = await load.stop();
    expect(result.statuses.get(502)).toBeGreaterThan(0);
    expect(result.errors.get('ECONNREFUSED')).toBeGreaterThan(0);
    expect(failedCount(result)).toBe(result.sent - result.ok);
    expect(result.outcomes.find((o) => o.error)?.status).toBeUndefined();
    expect([...new Set(result.outcomes.map(outcomeLabel))]).toEqual(
      expect.arrayContaining(['502 x', '200 x', 'ECONNREFUSED']),
    );
  });

  it('sends a request again only where a client would: an idle reused connection closed before any answer', async () => {
    // Answers the first request of each connection (keep-alive), then closes the connection on the next one, as a
    // reloading proxy closes its idle connections; with `resetFirst` it closes every connection unanswered.
    let resetFirst = false;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      let requests = 0;
      socket.on('data', () => {
        requests++;
        if (resetFirst || requests > 1) socket.resetAndDestroy();
        else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n');
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      const reused = startRateLoad(url, { rate: 10 });
      await sleep(450);
      const first = await reused.stop();
      expect(first).toMatchObject({ ok: first.sent, resent: first.sent - 1 });
      expect(failedCount(first)).toBe(0);
      resetFirst = true;
      const fresh = startRateLoad(url, { rate: 10 });
      await sleep(250);
      const second = await fresh.stop();
      expect(second).toMatchObject({ ok: 0, resent: 0 });
      expect(second.errors).toEqual(new Map([['ECONNRESET', second.sent]]));
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('POSTs a body with each request, each on a connection of its own, and never sends one again', async () => {
    // `reset`: every connection is closed unanswered (a lost request); otherwise each is answered and kept open
    let reset = false;
    const seen: string[] = [];
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.on('data', (chunk) => {
        seen.push(chunk.toString().split('\r\n')[0]);
        if (reset) socket.resetAndDestroy();
        else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n');
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      const answered = startRateLoad(url, { rate: 10, method: 'POST' });
      await sleep(450);
      const first = await answered.stop();
      expect(first.sent).toBeGreaterThanOrEqual(3);
      expect(first).toMatchObject({ ok: first.sent, resent: 0 });
      expect(seen).toEqual(Array(first.sent).fill('POST / HTTP/1.1'));
      expect(connections).toBe(first.sent);
      reset = true;
      const lost = startRateLoad(url, { rate: 10, method: 'POST' });
      await sleep(250);
      const second = await lost.stop();
      expect(second).toMatchObject({ ok: 0, resent: 0 });
      expect(second.errors).toEqual(new Map([['ECONNRESET', second.sent]]));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a target that is not on this machine', () => {
    expect(() => startRateLoad('http://10.0.0.1/')).toThrow(/not a loopback address/);
    expect(() => startRateLoad('http://example.com/')).toThrow(/not a loopback address/);
  });
});
