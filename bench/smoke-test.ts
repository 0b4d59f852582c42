import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Section } from './table';

const CONCURRENCY = 32;

// The server runs in its own process, so neither client shares its event loop.
const SERVER = `
  const http = require('node:http');
  const body = JSON.stringify({ status: 'ok', version: 'bench' });
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

interface Row {
  tool: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  ok: string;
}

function startServer(): Promise<{ kill: () => void; url: string }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout.once('data', (data) =>
      resolve({ kill: () => child.kill(), url: `http://127.0.0.1:${String(data).trim()}/health` }),
    );
  });
}

/** One smoke-test process (the committed bundle), as the runner starts it, taking `requests` samples. */
function runSmokeTest(repoRoot: string, url: string, requests: number): Row {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const inputs: Record<string, string> = {
    url,
    'expect-json': 'status = ok',
    samples: String(requests),
    concurrency: String(CONCURRENCY),
    interval: '0',
    'ready-timeout': '10s',
    deadline: '10m',
  };
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', RUNNER_TEMP: dir };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  execFileSync(process.execPath, [join(repoRoot, 'actions/smoke-test/dist/index.js')], {
    env,
    stdio: 'ignore',
  });
  const reportFile = readdirSync(dir).find((f) => f.startsWith('smoke-test-report-'));
  if (!reportFile) throw new Error('smoke-test wrote no report');
  const report = JSON.parse(readFileSync(join(dir, reportFile), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const v = report.checks[0].verification;
  return {
    tool: 'smoke-test (this suite)',
    requests: v.requests,
    rps: Math.round((v.requests / report.durationMs) * 1000),
    p50: v.latency.p50,
    p95: v.latency.p95,
    p99: v.latency.p99,
    ok: report.result,
  };
}

function runHey(url: string, requests: number): Row {
  let text: string;
  try {
    text = execFileSync('hey', ['-n', String(requests), '-c', String(CONCURRENCY), url], {
      encoding: 'utf8',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      '`hey`, the reference client, is not installed: npm run bench installs it (apt-get install -y hey)',
    );
  }
  const number = (re: RegExp) => Number(re.exec(text)?.[1]);
  return {
    tool: '`hey` (reference)',
    requests,
    rps: Math.round(number(/Requests\/sec:\s+([\d.]+)/)),
    p50: number(/50% in ([\d.]+) secs/) * 1000,
    p95: number(/95% in ([\d.]+) secs/) * 1000,
    p99: number(/99% in ([\d.]+) secs/) * 1000,
    ok: /\[200\]\s+(\d+) responses/.exec(text)?.[1] === String(requests) ? 'all 200' : 'errors',
  };
}

/** Requests per second and latency of one smoke-test process at concurrency 32, beside `hey` on the same server. */
export async function smokeTestSection(repoRoot: string, requests = 20_000): Promise<Section> {
  const server = await startServer();
  try {
    runHey(server.url, requests); // warm the server's JIT before either measurement
    const rows = [runSmokeTest(repoRoot, server.url, requests), runHey(server.url, requests)];
    return {
      title: '5. smoke-test: throughput and latency beside hey',
      note: `${requests} requests at concurrency ${CONCURRENCY} against one local Node HTTP server (its own process), each client in the same run.`,
      headers: ['client', 'requests', 'requests/s', 'p50 ms', 'p95 ms', 'p99 ms', 'result'],
      rows: rows.map((r) => [
        r.tool,
        String(r.requests),
        String(r.rps),
        r.p50.toFixed(1),
        r.p95.toFixed(1),
        r.p99.toFixed(1),
        r.ok,
      ]),
    };
  } finally {
    server.kill();
  }
}
