#!/usr/bin/env node
// Benchmark (not a test): requests per second and p95 of one smoke-test process (the committed bundle) at
// concurrency 32, beside `hey` against the same local server in the same run.
//   node bench/smoke-test.js [requests=20000]
// The server runs in its own process so that neither client shares its event loop. Results are printed and
// written to bench/results/.
const { execFileSync, spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const requests = Number(process.argv[2] ?? 20_000);
const concurrency = 32;
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

function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout.once('data', (data) =>
      resolve({ child, url: `http://127.0.0.1:${String(data).trim()}/health` }),
    );
  });
}

function runSmokeTest(url) {
  const dir = mkdtempSync(join(tmpdir(), 'smoke-test-bench-'));
  const inputs = {
    url,
    'expect-json': 'status = ok',
    samples: String(requests),
    concurrency: String(concurrency),
    interval: '0',
    'ready-timeout': '10s',
    deadline: '10m',
  };
  const env = { PATH: process.env.PATH, RUNNER_TEMP: dir };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  execFileSync(process.execPath, [join(root, 'actions/smoke-test/dist/index.js')], { env, stdio: 'ignore' });
  const reportFile = readdirSync(dir).find((f) => f.startsWith('smoke-test-report-'));
  const report = JSON.parse(readFileSync(join(dir, reportFile), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const v = report.checks[0].verification;
  // durationMs covers the whole gate; the single readiness request is negligible beside the samples.
  return {
    tool: 'smoke-test',
    result: report.result,
    requests: v.requests,
    requestsPerSecond: Math.round((v.requests / report.durationMs) * 1000),
    p50Ms: v.latency.p50,
    p95Ms: v.latency.p95,
    p99Ms: v.latency.p99,
  };
}

function runHey(url) {
  const text = execFileSync('hey', ['-n', String(requests), '-c', String(concurrency), url], {
    encoding: 'utf8',
  });
  const number = (re) => Number(re.exec(text)?.[1]);
  return {
    tool: 'hey',
    result: /\[200\]\s+(\d+) responses/.exec(text)?.[1] === String(requests) ? 'all 200' : 'errors',
    requests,
    requestsPerSecond: Math.round(number(/Requests\/sec:\s+([\d.]+)/)),
    p50Ms: number(/50% in ([\d.]+) secs/) * 1000,
    p95Ms: number(/95% in ([\d.]+) secs/) * 1000,
    p99Ms: number(/99% in ([\d.]+) secs/) * 1000,
  };
}

async function main() {
  const { child, url } = await startServer();
  try {
    runHey(url); // warm the server's JIT before either measurement
    const rows = [runSmokeTest(url), runHey(url)];
    console.table(rows);
    const results = join(__dirname, 'results');
    mkdirSync(results, { recursive: true });
    const file = join(results, `smoke-test-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ node: process.version, concurrency, requests, rows }, null, 2)}\n`,
    );
    console.log(`written to ${file}`);
  } finally {
    child.kill();
  }
}

void main();
