import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CloudWatchLocal, startCloudWatchLocal } from '@slipway/ecs-local';
import { type Infra, startHttpServer, startMetricsApp } from '@slipway/testing';
import { benchRuns, median, type Section, spread } from './table';

const BAKE = '2m';
const ERROR_QUERY = (version: string) =>
  `(sum(rate(http_requests_total{version="${version}",code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{version="${version}"}[5s]))`;
const THRESHOLD = 0.05;

interface Run {
  exited: Promise<number>;
  child: ChildProcess;
  dir: string;
}

/** The smoke-test bundle as the runner starts it: its checks against `url`, then the analysis. */
function smokeTest(repoRoot: string, inputs: Record<string, string>, env: Record<string, string> = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'bench-analysis-'));
  const all: Record<string, string> = { PATH: process.env.PATH ?? '', RUNNER_TEMP: dir, ...env };
  for (const [name, value] of Object.entries({ samples: '1', 'ready-timeout': '5s', ...inputs }))
    all[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(process.execPath, [join(repoRoot, 'actions/smoke-test/dist/index.js')], {
    env: all,
    stdio: 'ignore',
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { exited, child, dir };
}

function report(run: Run): { analysis: { metrics: { measurements: unknown[] }[] } } {
  const file = readdirSync(run.dir).find((f) => f.startsWith('smoke-test-report-'));
  if (!file) throw new Error('smoke-test wrote no report');
  const text = readFileSync(join(run.dir, file), 'utf8');
  rmSync(run.dir, { recursive: true, force: true });
  return JSON.parse(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(done: () => boolean, what: string, ms = 60_000) {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) throw new Error(`bench: ${what} did not happen within ${ms / 1000}s`);
    await sleep(5);
  }
}

/** A forwarder in front of Prometheus that counts the API requests the analysis sends. */
async function countingProxy(
  target: string,
): Promise<{ url: string; count: () => number; close(): Promise<void> }> {
  const upstream = new URL(target);
  let n = 0;
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/api/')) n++;
    const out = request(
      {
        host: upstream.hostname,
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
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => n,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const cloudWatchEnv = (cw: CloudWatchLocal) => ({
  AWS_ENDPOINT_URL_CLOUDWATCH: cw.url,
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_REGION: 'eu-west-1',
});

/** ms from the alarm entering ALARM (3 s into the bake) to the smoke-test process exiting with the failure. */
async function alarmToFailedStep(repoRoot: string, health: string, interval: string): Promise<number> {
  const cw = await startCloudWatchLocal();
  try {
    for (const name of ['web-5xx', 'web-p99', 'web-cpu']) cw.setAlarm(name, 'OK');
    const analysis = `metrics:\n  - { name: alarms, provider: cloudwatch, alarm-prefix: web-, interval: ${interval} }\n`;
    const run = smokeTest(repoRoot, { url: health, analysis, bake: BAKE }, cloudWatchEnv(cw));
    let exitedAt = 0;
    run.exited.then(() => {
      exitedAt = performance.now();
    });
    await until(() => cw.calls.includes('DescribeAlarms'), 'the first DescribeAlarms');
    await sleep(3_000);
    cw.setAlarm('web-5xx', 'ALARM');
    const firedAt = performance.now();
    const code = await run.exited;
    report(run);
    if (code !== 1) throw new Error(`smoke-test exited ${code} on an alarm in ALARM`);
    return exitedAt - firedAt;
  } finally {
    await cw.close();
  }
}

/**
 * ms from the error-rate query crossing its threshold (the bench asks Prometheus the same query every 100 ms) to
 * the smoke-test process exiting with the failure; the app's errors start 3 s into the bake.
 */
async function crossingToFailedStep(
  repoRoot: string,
  infra: Infra,
  interval: string,
): Promise<{ ms: number; errorsToCrossing: number }> {
  const prometheus = infra.prometheus!;
  const app = await startMetricsApp(`bench-${Date.now().toString(36)}`, prometheus.targets);
  try {
    app.drive(20);
    await app.scraped(prometheus.url, 6);
    const query = ERROR_QUERY(app.version);
    const analysis = `metrics:\n  - name: error-rate\n    query: '${query}'\n    success-condition: result < ${THRESHOLD}\n    interval: ${interval}\n`;
    const run = smokeTest(repoRoot, {
      url: `${app.url}/work`,
      'expect-status': '200,500',
      analysis,
      bake: BAKE,
      'prometheus-url': prometheus.url,
    });
    let exitedAt = 0;
    run.exited.then(() => {
      exitedAt = performance.now();
    });
    await sleep(3_000);
    app.errorRate = 0.6;
    const errorsAt = performance.now();
    let crossedAt = 0;
    while (!crossedAt && !exitedAt) {
      const answer = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await answer.json()) as { data?: { result?: { value?: [number, string] }[] } };
      const value = Number(body.data?.result?.[0]?.value?.[1]);
      if (value >= THRESHOLD) crossedAt = performance.now();
      else await sleep(100);
    }
    const code = await run.exited;
    report(run);
    if (code !== 1) throw new Error(`smoke-test exited ${code} on a 60% error rate`);
    if (!crossedAt) throw new Error('the step failed before the bench saw the query cross its threshold');
    return { ms: exitedAt - crossedAt, errorsToCrossing: crossedAt - errorsAt };
  } finally {
    await app.close();
  }
}

/** Provider API calls per minute of a passing bake (measured over `bakeS` seconds, scaled to a minute). */
async function callsPerMinute(
  repoRoot: string,
  infra: Infra,
  health: string,
  kind: 'prometheus' | 'prefix' | 'tags',
  interval: string,
  bakeS: number,
): Promise<{ perMinute: number; measurements: number; detail: string }> {
  if (kind === 'prometheus') {
    const app = await startMetricsApp(`bench-calls-${Date.now().toString(36)}`, infra.prometheus!.targets);
    const proxy = await countingProxy(infra.prometheus!.url);
    try {
      app.drive(20);
      await app.scraped(infra.prometheus!.url, 6);
      const analysis = `metrics:\n  - name: error-rate\n    query: '${ERROR_QUERY(app.version)}'\n    success-condition: result < ${THRESHOLD}\n    interval: ${interval}\n`;
      const run = smokeTest(repoRoot, {
        url: `${app.url}/work`,
        analysis,
        bake: `${bakeS}s`,
        'prometheus-url': proxy.url,
      });
      if ((await run.exited) !== 0) throw new Error('a good release failed its bake');
      const measurements = report(run).analysis.metrics[0].measurements.length;
      return {
        perMinute: (proxy.count() * 60) / bakeS,
        measurements,
        detail: `/api/v1/query ×${proxy.count()}`,
      };
    } finally {
      await proxy.close();
      await app.close();
    }
  }
  const cw = await startCloudWatchLocal();
  try {
    // 5 alarms (cloudwatch-local pages DescribeAlarms by 2, as a long list is paged by AWS)
    for (const name of ['web-5xx', 'web-p99', 'web-cpu', 'web-disk', 'web-queue']) {
      cw.setAlarm(name, 'OK');
      cw.tagAlarm(name, { team: 'shop' });
    }
    const select = kind === 'tags' ? 'alarm-tags: { team: shop }' : 'alarm-prefix: web-';
    const analysis = `metrics:\n  - { name: alarms, provider: cloudwatch, ${select}, interval: ${interval} }\n`;
    const run = smokeTest(repoRoot, { url: health, analysis, bake: `${bakeS}s` }, cloudWatchEnv(cw));
    if ((await run.exited) !== 0) throw new Error('alarms that stayed OK failed the bake');
    const measurements = report(run).analysis.metrics[0].measurements.length;
    const counts = new Map<string, number>();
    for (const call of cw.calls) counts.set(call, (counts.get(call) ?? 0) + 1);
    // Tags are asked once per alarm per analysis: a fixed cost of the bake, not a rate.
    const perBake = counts.get('ListTagsForResource') ?? 0;
    return {
      perMinute: ((cw.calls.length - perBake) * 60) / bakeS,
      measurements,
      detail:
        `DescribeAlarms ×${counts.get('DescribeAlarms') ?? 0}` +
        (perBake ? `; plus ListTagsForResource ×${perBake} once per bake` : ''),
    };
  } finally {
    await cw.close();
  }
}

/**
 * The analysis (issue 18): how soon a bad signal fails the step, beside the interval it is measured at, and
 * what a bake costs in provider API calls.
 */
export async function analysisSection(repoRoot: string, infra: Infra): Promise<Section> {
  if (!infra.prometheus) throw new Error('infra.json has no "prometheus": run scripts/infra.sh up');
  const runs = benchRuns();
  const health = await startHttpServer((_req, res) => res.end('ok'));
  const rows: string[][] = [];
  try {
    for (const interval of ['1s', '5s']) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await alarmToFailedStep(repoRoot, health.url, interval));
      rows.push([
        `CloudWatch alarm (3 alarms by prefix) enters ALARM → step failed`,
        interval,
        spread(times),
        `≤ ${interval} + one DescribeAlarms round (${median(times) <= parseFloat(interval) * 1000 + 1000 ? 'met' : 'missed'})`,
      ]);
    }
    const crossings: number[] = [];
    const lags: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await crossingToFailedStep(repoRoot, infra, '2s');
      crossings.push(r.ms);
      lags.push(r.errorsToCrossing);
    }
    rows.push([
      'Prometheus error rate crosses 5% → step failed',
      '2s',
      spread(crossings),
      `≤ 2s + one query round; the errors took ${spread(lags)} to show in the query (1 s scrapes, rate over 5s)`,
    ]);
    for (const [kind, interval] of [
      ['prometheus', '10s'],
      ['prefix', '10s'],
      ['tags', '10s'],
    ] as const) {
      const r = await callsPerMinute(repoRoot, infra, health.url, kind, interval, 30);
      const what =
        kind === 'prometheus'
          ? 'API calls per minute of bake: 1 Prometheus metric'
          : `API calls per minute of bake: 5 alarms by ${kind === 'tags' ? 'tag' : 'prefix'}`;
      rows.push([
        what,
        interval,
        `${r.perMinute.toFixed(1)} /min (${r.detail}; a 30s bake, ${r.measurements} measurements)`,
        kind === 'prometheus'
          ? "Argo Rollouts' Prometheus provider: 1 query per metric per interval = 6 /min"
          : `DescribeAlarms pages per measurement × 6 /min${kind === 'tags' ? ', plus ListTagsForResource once per alarm per bake' : ''}`,
      ]);
    }
  } finally {
    await health.close();
  }
  return {
    title: '8. Analysis: time to a failed step, and API calls per minute of bake',
    note:
      `The smoke-test bundle (as the runner starts it) with an analysis and a ${BAKE} bake; CloudWatch is ` +
      "packages/ecs-local's cloudwatch-local through the real @aws-sdk/client-cloudwatch (DescribeAlarms paged by " +
      '2, as AWS pages long lists); Prometheus is the local server scraping a real app every second. Times are ' +
      `from the signal (the alarm set to ALARM; the first time the bench's own query, asked every 100 ms, crosses ` +
      `the threshold) to the process exiting 1, median of ${runs} (each run in brackets). Calls are counted by the ` +
      'stand-in or by a forwarder in front of Prometheus over a passing 30 s bake, scaled to a minute.',
    headers: ['what', 'interval', 'this suite', 'reference'],
    rows,
  };
}
