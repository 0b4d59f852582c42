import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates, runBundle } from '@slipway/testing';
import { buildSync } from 'esbuild';
import { useServers } from '../../../packages/shared/__tests__/gate-helpers';

// The action as the runner runs it: the committed bundle, and src/ bundled afresh (so a stale dist/ and a
// bug in src/ are both caught).
const bundle = join(__dirname, '..');
const fromSource = mkdtempSync(join(tmpdir(), 'smoke-test-src-'));
beforeAll(() => {
  mkdirSync(join(fromSource, 'dist'));
  copyFileSync(join(bundle, 'action.yml'), join(fromSource, 'action.yml'));
  buildSync({
    entryPoints: [join(bundle, 'src/index.ts')],
    outfile: join(fromSource, 'dist/index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    // shared's SSH module (unused here, dropped by tree-shaking) needs ssh2's native addon, which esbuild
    // cannot load while it resolves the whole graph.
    external: ['ssh2'],
  });
});
const serve = useServers();
afterAll(() => rmSync(fromSource, { recursive: true, force: true }));

const FAST = {
  samples: '3',
  interval: '5ms',
  'ready-backoff': '10ms',
  'ready-backoff-max': '50ms',
  'ready-timeout': '3s',
};

describe.each([
  ['bundle', bundle],
  ['src', fromSource],
])('smoke-test through the runner contract (%s)', (_kind, action) => {
  const run = (inputs: Record<string, string>, extra: Partial<Parameters<typeof runBundle>[0]> = {}) =>
    runBundle({ action, inputs: { ...FAST, ...inputs }, timeoutMs: 30_000, ...extra });

  it('passes against a healthy server, with outputs, a report and a summary', async () => {
    const server = await serve((_req, res) => res.end('{"status":"ok","version":"v2"}'));
    const result = await run({
      url: `${server.url}/health`,
      'expect-json': 'status = ok',
      'expect-version': 'v2',
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      result: 'passed',
      'success-rate': '1',
      'p95-ms': expect.stringMatching(/^\d+(\.\d)?$/),
    });
    const report = JSON.parse(readFileSync(result.outputs.report, 'utf8'));
    expect(result.outputs.report.startsWith(result.dirs.temp)).toBe(true);
    expect(report.result).toBe('passed');
    expect(report.checks[0].verification).toMatchObject({ valid: 3, passes: 3, statusCounts: { '200': 3 } });
    expect(Object.keys(report.checks[0].verification.latency)).toEqual(['min', 'p50', 'p95', 'p99', 'max']);
    expect(result.summary).toContain('### Smoke test: ✅ passed');
    expect(result.summary).toContain(`| ${server.url}/health | ✅ passed | 3/3 | 0 |`);
    expect(result.annotations).toEqual([]);
    expect(server.requests).toBe(4);
  });

  it('fails a broken service at once, with one annotation saying what was expected and what came back', async () => {
    const server = await serve((_req, res) => res.end('{"status":"degraded"}'));
    const result = await run({
      checks: `- name: api\n  url: ${server.url}/health\n  expect-json: { status: ok }`,
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('failed');
    expect(server.requests).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors[0]).toMatchObject({
      properties: { title: 'smoke-test: api' },
      message: [
        'api failed: broken: JSON status is "degraded" (expected status = ok).',
        'Expected status 200-299, JSON status = ok.',
        'Got status 200: JSON status is "degraded" (expected status = ok); body: {"status":"degraded"}',
      ].join('\n'),
    });
    expect(errors[1].message).toMatch(/^Smoke test failed: api \(details above and in .*\.json\)\.$/);
    expect(errors).toHaveLength(2);
    expect(result.summary).toContain('❌ failed');
  });

  it.each([
    [{ 'expect-status': '2xx' }, 'Input "expect-status" must be HTTP statuses and ranges'],
    [{ samples: '0' }, 'Input "samples" must be a whole number from 1 to 100000'],
    [{ headers: 'X-Api-Key k3y' }, 'Input "headers" takes "Name: value" lines'],
    [{ url: '', checks: 'missing.yml' }, 'Input "checks" is neither a YAML list nor an existing file'],
  ])('refuses bad input %j before sending any request', async (inputs, message) => {
    const server = await serve((_req, res) => res.end('ok'));
    const result = await run({ url: server.url, ...inputs });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.map((a) => a.message)).toEqual([expect.stringContaining(message)]);
    expect(result.outputs).toEqual({});
    expect(server.requests).toBe(0);
  });

  it('runs many requests in flight without warnings on stderr', async () => {
    const server = await serve((_req, res) => setTimeout(() => res.end('ok'), 10));
    const result = await run({ url: server.url, samples: '64', concurrency: '32', interval: '0' });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(result.outputs.report, 'utf8')).checks[0].verification.valid).toBe(64);
    expect(result.stderr).toBe('');
  });

  it('goes through the proxy the runner sets (HTTP_PROXY)', async () => {
    const target = await serve((_req, res) => res.end('ok'));
    const tunnels: string[] = [];
    // A CONNECT proxy (undici tunnels plain HTTP too); anything else it refuses, so bypassing it would show.
    const proxy = await serve((_req, res) => {
      res.statusCode = 405;
      res.end();
    });
    proxy.server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).on('error', () => {});
        client.pipe(upstream).on('error', () => {});
      });
      upstream.on('error', () => client.destroy());
    });
    const result = await run({ url: `${target.url}/health` }, { env: { HTTP_PROXY: proxy.url } });
    expect(result.exitCode).toBe(0);
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${target.port}`]));
    expect(target.requests).toBe(4);
  });

  it.each([
    ['the headers input', (url: string, secret: string) => ({ url, headers: `X-Api-Key: ${secret}` })],
    [
      'a checks entry',
      (url: string, secret: string) => ({ checks: `- url: ${url}\n  headers: { X-Api-Key: ${secret} }` }),
    ],
  ])(
    'never lets a secret header value from %s reach stdout, stderr, outputs, the summary or the report',
    async (_from, inputs) => {
      const secret = 'sk-live-51H8xQ2eZvKYlo2C';
      // The server echoes the header back, and fails, so the secret sits in the evidence the action reports.
      const server = await serve((req, res) => {
        res.statusCode = 200;
        res.end(`{"status":"down","seen":"${req.headers['x-api-key']}"}`);
      });
      const result = await run({ ...inputs(server.url, secret), 'expect-json': 'status = ok' });
      expect(result.exitCode).toBe(1);
      expect(result.masks).toContain(secret);
      const report = readFileSync(result.outputs.report, 'utf8');
      expect(report).toContain('"seen\\":\\"***\\"');
      for (const text of [
        result.stdout,
        result.stderr,
        JSON.stringify(result.outputs),
        result.summary,
        report,
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(JSON.stringify(result.annotations)).not.toContain(secret);
    },
  );

  it('is inconclusive when the deadline comes first: a failure by default, a warning when allowed', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const inputs = { url: server.url, samples: '1000', interval: '50ms', deadline: '1s' };
    const strict = await run(inputs);
    expect(strict.exitCode).toBe(1);
    expect(strict.outputs.result).toBe('inconclusive');
    expect(strict.annotations.at(-1)?.message).toMatch(
      /^Smoke test inconclusive: .* set fail-on-inconclusive: false\.$/,
    );
    const lenient = await run({ ...inputs, 'fail-on-inconclusive': 'false' });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.outputs.result).toBe('inconclusive');
    expect(lenient.annotations.map((a) => a.level)).toEqual(['warning', 'warning']);
  });

  it('trusts a CA given as a file, and warns when verification is off', async () => {
    const certs = createTestCertificates();
    const server = await serve((_req, res) => res.end('ok'), {
      tls: { key: certs.keyPem, cert: certs.certPem },
    });
    const workspace = mkdtempSync(join(tmpdir(), 'smoke-test-ws-'));
    try {
      writeFileSync(join(workspace, 'ca.pem'), certs.caPem);
      const refused = await run({ url: server.url });
      expect(refused.outputs.result).toBe('failed');
      const trusted = await run({ url: server.url, ca: 'ca.pem' }, { dirs: { workspace } });
      expect(trusted.exitCode).toBe(0);
      expect(trusted.annotations).toEqual([]);
      const insecure = await run({ url: server.url, insecure: 'true' });
      expect(insecure.exitCode).toBe(0);
      expect(insecure.annotations).toEqual([
        expect.objectContaining({
          level: 'warning',
          message: expect.stringContaining('TLS certificate verification is OFF'),
        }),
      ]);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
