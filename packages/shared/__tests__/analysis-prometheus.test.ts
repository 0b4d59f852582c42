import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestCertificates,
  describeWithInfra,
  freePort,
  type MetricsApp,
  startHttpServer,
  startMetricsApp,
} from '@slipway/testing';
import { analyseRelease, buildAnalysisConfig } from '../src/gate/analysis';

jest.setTimeout(90_000);

const ERROR_RATE =
  '(sum(rate(http_requests_total{version="{{ version }}",code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{version="{{ version }}"}[5s]))';
const P95 =
  'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{version="{{ version }}"}[5s])))';

describeWithInfra('metric analysis against a real Prometheus scraping a real app', (infra) => {
  const apps: MetricsApp[] = [];
  const prometheus = () => {
    if (!infra.prometheus) throw new Error('infra.json has no "prometheus": run scripts/infra.sh up');
    return infra.prometheus;
  };
  const app = async (tag: string, perSecond = 20) => {
    const started = await startMetricsApp(`${tag}-${randomBytes(3).toString('hex')}`, prometheus().targets);
    apps.push(started);
    started.drive(perSecond);
    await started.scraped(prometheus().url, 3);
    return started;
  };
  const analysis = (version: string, bakeMs: number, metrics: unknown[]) =>
    buildAnalysisConfig(
      { prometheus: { address: prometheus().url }, metrics },
      { bakeMs, vars: { version } },
    );
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  it('a good release passes its bake: error rate and p95 by version, every measurement recorded', async () => {
    const good = await app('good');
    const config = analysis(good.version, 6_000, [
      { name: 'error-rate', query: ERROR_RATE, 'success-condition': 'result < 0.05', interval: '2s' },
      { name: 'p95', query: P95, 'success-condition': 'result < 0.2', interval: '3s' },
    ]);
    const result = await analyseRelease(config);
    expect(result.metrics.map((m) => [m.name, m.result, m.reason])).toEqual([
      ['error-rate', 'passed', '3 of 3 measurements met result < 0.05 over 6.0s'],
      ['p95', 'passed', '2 of 2 measurements met result < 0.2 over 6.0s'],
    ]);
    expect(result.result).toBe('passed');
    expect(result.metrics[1].measurements[0].value).toBeGreaterThan(0.004);
  });

  it('a release whose error rate climbs during the bake fails at the first measurement past the threshold', async () => {
    const climbing = await app('climbing');
    const config = analysis(climbing.version, 60_000, [
      { name: 'error-rate', query: ERROR_RATE, 'success-condition': 'result < 0.05', interval: '2s' },
    ]);
    const climb = setTimeout(() => {
      climbing.errorRate = 0.5;
    }, 3_000);
    const started = Date.now();
    const result = await analyseRelease(config).finally(() => clearTimeout(climb));
    const metric = result.metrics[0];
    expect(result.result).toBe('failed');
    expect(metric.measurements[0].phase).toBe('successful');
    expect(metric.measurements.at(-1)?.phase).toBe('failed');
    expect(metric.reason).toMatch(/failed result < 0.05 \(failure-limit 0\); last: 0\.\d+ fails/);
    // Well before the bake's minute: the step can roll back within seconds of the crossing.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a query that matches nothing (a version Prometheus never saw) is inconclusive, never a pass', async () => {
    await app('present');
    const config = analysis('never-deployed', 2_000, [
      { name: 'error-rate', query: ERROR_RATE, 'success-condition': 'result < 0.05', interval: '2s' },
    ]);
    const result = await analyseRelease(config);
    expect(result.result).toBe('inconclusive');
    expect(result.metrics[0].measurements[0].message).toBe('no data (the query returned nothing)');
  });

  it('judges a query_range window point by point and every series of it', async () => {
    const a = await app('range');
    const config = analysis(a.version, 2_000, [
      {
        name: 'requests',
        query: 'sum by (code) (rate(http_requests_total{version="{{ version }}"}[3s]))',
        'success-condition': 'result >= 0',
        range: '4s',
        step: '1s',
        interval: '2s',
      },
    ]);
    const result = await analyseRelease(config);
    expect(result.result).toBe('passed');
    const series = result.metrics[0].measurements[0].series ?? [];
    expect(series.map((s) => s.labels)).toEqual(['{code="200"}']);
    expect(series[0].values.length).toBeGreaterThanOrEqual(3);
  });

  it('a PromQL error is a provider error, counted against consecutive-error-limit, with the server message', async () => {
    const config = analysis('x', 60_000, [
      {
        name: 'bad',
        query: 'sum(rate(',
        'success-condition': 'result < 1',
        interval: '1s',
        'consecutive-error-limit': 1,
      },
    ]);
    const result = await analyseRelease(config);
    expect(result.result).toBe('failed');
    expect(result.metrics[0].reason).toMatch(
      /2 provider errors in a row \(consecutive-error-limit 1\); last: Prometheus at http:\/\/127.0.0.1:9090\/ answered HTTP 400: bad_data: .*parse error/,
    );
  });
});

describeWithInfra(
  'the Prometheus provider over TLS with basic auth (a real Prometheus with a web config)',
  () => {
    let dir: string;
    let child: ChildProcess;
    let url: string;
    let ca: string;
    const password = `pw-${randomBytes(8).toString('hex')}`;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'slipway-prom-'));
      const certs = createTestCertificates();
      ca = certs.caPem;
      writeFileSync(join(dir, 'cert.pem'), certs.certPem);
      writeFileSync(join(dir, 'key.pem'), certs.keyPem);
      const hash = execFileSync('htpasswd', ['-nbBC', '10', 'ops', password], { encoding: 'utf8' })
        .trim()
        .split(':')[1];
      writeFileSync(
        join(dir, 'web.yml'),
        `tls_server_config:\n  cert_file: ${dir}/cert.pem\n  key_file: ${dir}/key.pem\nbasic_auth_users:\n  ops: ${JSON.stringify(hash)}\n`,
      );
      writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
      const port = await freePort();
      child = spawn(
        'prometheus',
        [
          `--config.file=${dir}/prometheus.yml`,
          `--storage.tsdb.path=${dir}/data`,
          `--web.config.file=${dir}/web.yml`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: 'ignore' },
      );
      url = `https://127.0.0.1:${port}`;
      const until = Date.now() + 20_000;
      for (;;) {
        const probe = analysisWith(`https://ops:${password}@127.0.0.1:${port}`, { ca });
        if ((await analyseRelease(probe)).result === 'passed') break;
        if (Date.now() > until) throw new Error('the TLS Prometheus did not come up');
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    });
    afterAll(() => {
      child?.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    const analysisWith = (address: string, extra: { ca?: string; token?: string } = {}) =>
      buildAnalysisConfig(
        {
          metrics: [
            {
              name: 'one',
              query: 'vector(1)',
              'success-condition': 'result == 1',
              'consecutive-error-limit': 0,
            },
          ],
        },
        { prometheus: { address, ...extra } },
      );

    it('passes with the CA and the user:password of the address', async () => {
      const result = await analyseRelease(
        analysisWith(url.replace('https://', `https://ops:${password}@`), { ca }),
      );
      expect(result.result).toBe('passed');
    });

    it('a wrong password fails as a provider error saying to check the credentials, the password never shown', async () => {
      const lines: string[] = [];
      const wrong = `${password}-wrong`;
      const result = await analyseRelease(
        analysisWith(url.replace('https://', `https://ops:${wrong}@`), { ca }),
        {
          log: (l) => lines.push(l),
        },
      );
      expect(result.result).toBe('failed');
      expect(result.metrics[0].reason).toMatch(/HTTP 401; check the credentials/);
      expect(JSON.stringify(result) + lines.join('\n')).not.toContain(password);
    });

    it('without the CA the TLS error is the provider error', async () => {
      const result = await analyseRelease(analysisWith(url.replace('https://', `https://ops:${password}@`)));
      expect(result.result).toBe('failed');
      expect(result.metrics[0].reason).toMatch(/self[- ]signed|unable to verify|SELF_SIGNED|UNABLE_TO/i);
    });
  },
);

describe('the Prometheus provider', () => {
  it('sends the bearer token as Authorization and never shows it', async () => {
    const seen: (string | undefined)[] = [];
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const server = await startHttpServer((req, res) => {
      seen.push(req.headers.authorization);
      res.statusCode = 403;
      res.end(`forbidden for ${req.headers.authorization}`);
    });
    try {
      const config = buildAnalysisConfig(
        {
          metrics: [
            {
              name: 'one',
              query: 'vector(1)',
              'success-condition': 'result == 1',
              'consecutive-error-limit': 0,
            },
          ],
        },
        { prometheus: { address: server.url, token } },
      );
      const result = await analyseRelease(config);
      expect(seen).toEqual([`Bearer ${token}`]);
      expect(result.metrics[0].reason).toMatch(/refused the query: HTTP 403/);
      expect(JSON.stringify(result)).not.toContain(token);
    } finally {
      await server.close();
    }
  });
});
