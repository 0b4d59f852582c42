import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startHttpServer, type TestServer } from './http-server';

/**
 * A tiny app instrumented as a Prometheus client library would do it: `http_requests_total{version,code}`
 * and `http_request_duration_seconds` (a histogram) by version, on /metrics. The test sends it real traffic
 * (`drive`) and sets what a request answers (`errorRate`, `latencyMs`; the `x-version` header says the version), and registers it with the local
 * Prometheus through a file_sd targets file, removed by `close`.
 */
export interface MetricsApp {
  url: string;
  version: string;
  /** The share of requests answered 500 (0..1), from now on. */
  errorRate: number;
  latencyMs: number;
  /** Sends `perSecond` requests a second until `close`. */
  drive(perSecond: number): void;
  /** Resolves once Prometheus has scraped the app `scrapes` times. */
  scraped(prometheusUrl: string, scrapes?: number): Promise<void>;
  close(): Promise<void>;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export async function startMetricsApp(version: string, targetsDir: string): Promise<MetricsApp> {
  const counts = new Map<string, number>();
  const buckets = BUCKETS.map(() => 0);
  let sum = 0;
  let observed = 0;
  let scrapes = 0;
  let timer: NodeJS.Timeout | undefined;
  const app = { errorRate: 0, latencyMs: 5 } as MetricsApp;
  const server: TestServer = await startHttpServer(async (req, res) => {
    if (req.url === '/metrics') {
      scrapes++;
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(exposition());
      return;
    }
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, app.latencyMs));
    const code = Math.random() < app.errorRate ? '500' : '200';
    counts.set(code, (counts.get(code) ?? 0) + 1);
    const seconds = (performance.now() - started) / 1000;
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) buckets[i]++;
    });
    sum += seconds;
    observed++;
    res.statusCode = Number(code);
    res.setHeader('x-version', version);
    res.end(code);
  });
  const label = `version="${version}"`;
  const exposition = () =>
    [
      '# TYPE http_requests_total counter',
      ...[...counts].map(([code, n]) => `http_requests_total{${label},code="${code}"} ${n}`),
      '# TYPE http_request_duration_seconds histogram',
      ...BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{${label},le="${le}"} ${buckets[i]}`),
      `http_request_duration_seconds_bucket{${label},le="+Inf"} ${observed}`,
      `http_request_duration_seconds_sum{${label}} ${sum}`,
      `http_request_duration_seconds_count{${label}} ${observed}`,
      '',
    ].join('\n');
  const targetFile = join(targetsDir, `slipway-test-${version}-${server.port}.json`);
  writeFileSync(
    targetFile,
    JSON.stringify([{ targets: [`127.0.0.1:${server.port}`], labels: { app: 'slipway-test' } }]),
  );
  return Object.assign(app, {
    url: server.url,
    version,
    drive(perSecond: number) {
      clearInterval(timer);
      timer = setInterval(() => {
        const req = request(`${server.url}/work`, (res) => res.resume());
        req.on('error', () => {});
        req.end();
      }, 1000 / perSecond);
    },
    async scraped(prometheusUrl: string, wanted = 3) {
      const until = Date.now() + 30_000;
      while (scrapes < wanted) {
        if (Date.now() > until) throw new Error(`${prometheusUrl} did not scrape ${server.url} within 30s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async close() {
      clearInterval(timer);
      rmSync(targetFile, { force: true });
      await server.close();
    },
  });
}
