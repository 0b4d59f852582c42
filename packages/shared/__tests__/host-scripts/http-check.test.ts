// "Not up yet" has one definition: READY_STATUS (src/ready-status.ts). The health gate retries those statuses,
// and the host's HTTP check during a Compose deploy (http_ok in lib.sh, given the list as READY_STATUS) waits on
// them too; any other status of 400 or more is broken at once. Real curl and real busybox wget against a real
// HTTP server; only `docker` is fake.

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectScript } from '../../src/compose-fleet/project-script';
import { GATE_DEFAULTS } from '../../src/gate/config';
import { READY_STATUS } from '../../src/ready-status';
import { hostScript } from '../../src/remote/host-script';
import { shellQuote } from '../../src/shell-quote';
import { type FakeHost, type FakeHostOptions, fakeHost } from './fake-host';

const state = `inspect -f {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}`;
const address = 'inspect -f {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}';

/** A server that answers each request with the next status of the list (the last one over and over). */
function statusServer(statuses: number[]): Promise<{ server: Server; port: number; seen: () => number }> {
  let seen = 0;
  const server = createServer((_req, res) => {
    const status = statuses[Math.min(seen, statuses.length - 1)];
    seen += 1;
    res.writeHead(status).end('x');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, seen: () => seen }),
    ),
  );
}

const clients: Array<[string, Omit<FakeHostOptions, 'compose'>]> = [
  ['curl', {}],
  ['busybox wget', { hide: ['curl', 'wget'], links: { wget: '/usr/bin/busybox' } }],
];

describe.each(clients)('the host HTTP check with %s', (_name, options) => {
  let host: FakeHost;
  let server: Server | undefined;
  beforeEach(() => {
    host = fakeHost({ compose: 'v2', ...options });
    host.answer([
      { args: `${state} c1`, stdout: 'running none\n' },
      { args: `${address} c1`, stdout: '127.0.0.1 \n' },
      { args: 'inspect -f {{.Name}} c1', stdout: '/shop-web-1\n' },
    ]);
  });
  afterEach(() => {
    server?.close();
    host.remove();
  });
  const waitHealthy = (port: number, seconds = 5) =>
    host.run(
      'dash',
      `${hostScript({ PROJECT: 'shop', POLL: '0.05', DRAIN: 0, READY_STATUS }, 'lib')}\nwait_healthy ${seconds} ':${port}/ready' c1`,
    );

  it('waits while the container answers a "not up yet" status, and passes when it answers', async () => {
    const s = await statusServer([503, 404, 200]);
    server = s.server;
    const result = await waitHealthy(s.port);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(s.seen()).toBe(3);
  });

  it('fails at once, naming the status, when the container answers a status that is not "not up yet"', async () => {
    const s = await statusServer([500]);
    server = s.server;
    const result = await waitHealthy(s.port);
    expect(result.code).toBe(1);
    expect(s.seen()).toBe(1);
    expect(result.stderr).toContain(`container shop-web-1 answered HTTP 500 on :${s.port}/ready: broken`);
  });

  it('waits while nothing answers, until the health timeout', async () => {
    const s = await statusServer([200]);
    const { port } = s;
    await new Promise((resolve) => s.server.close(resolve));
    const result = await waitHealthy(port, 1);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not healthy within 1 s');
  });
});

it('the gate and every deploy script share one list of "not up yet" statuses', () => {
  expect(GATE_DEFAULTS.readyStatus).toBe(READY_STATUS);
  const smokeTest = parse(readFileSync(join(__dirname, '../../../../actions/smoke-test/action.yml'), 'utf8'));
  expect(smokeTest.inputs['ready-status'].default).toBe(READY_STATUS);
  const script = projectScript(
    { place: { dir: 'app', project: 'shop' }, timings: { healthTimeoutMs: 1000, drainMs: 0, pollMs: 50 } },
    undefined,
    'roll-up',
  );
  expect(script).toContain(`\nREADY_STATUS=${shellQuote(READY_STATUS)}\n`);
});
