import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithInfra, type MetricsApp, runBundle, startMetricsApp } from '@slipway/testing';
import { buildSync } from 'esbuild';

jest.setTimeout(90_000);

// src/ bundled afresh, run through the runner contract, against the local Prometheus scraping a real app.
const action = mkdtempSync(join(tmpdir(), 'smoke-test-analysis-'));
beforeAll(() => {
  mkdirSync(join(action, 'dist'));
  copyFileSync(join(__dirname, '../action.yml'), join(action, 'action.yml'));
  buildSync({
    entryPoints: [join(__dirname, '../src/index.ts')],
    outfile: join(action, 'dist/index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    external: ['ssh2'],
  });
});
afterAll(() => rmSync(action, { recursive: true, force: true }));

const ANALYSIS = (interval: string) => `
metrics:
  - name: error-rate
    query: (sum(rate(http_requests_total{version="{{ version }}",code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{version="{{ version }}"}[5s]))
    success-condition: result < 0.05
    interval: ${interval}
`;

describeWithInfra('smoke-test with an analysis and a bake (real Prometheus)', (infra) => {
  const apps: MetricsApp[] = [];
  const roots: string[] = [];
  const app = async (tag: string) => {
    if (!infra.prometheus) throw new Error('infra.json has no "prometheus": run scripts/infra.sh up');
    const started = await startMetricsApp(
      `${tag}-${randomBytes(3).toString('hex')}`,
      infra.prometheus.targets,
    );
    apps.push(started);
    started.drive(20);
    await started.scraped(infra.prometheus.url, 3);
    return started;
  };
  const run = (inputs: Record<string, string>, workspace: Record<string, string> = {}) => {
    const root = mkdtempSync(join(tmpdir(), 'smoke-analysis-run-'));
    roots.push(root);
    mkdirSync(join(root, 'workspace'));
    for (const [path, text] of Object.entries(workspace)) writeFileSync(join(root, 'workspace', path), text);
    return runBundle({
      action,
      dirs: { root },
      timeoutMs: 60_000,
      inputs: {
        samples: '2',
        interval: '10ms',
        'ready-timeout': '3s',
        'prometheus-url': infra.prometheus!.url,
        ...inputs,
      },
    });
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('reads the analysis from a workspace file; {{ version }} comes from expect-version', async () => {
    const good = await app('good');
    const result = await run(
      {
        url: `${good.url}/work`,
        'expect-version': good.version,
        'version-field': 'header:x-version',
        analysis: 'analysis.yml',
        bake: '4s',
      },
      { 'analysis.yml': ANALYSIS('2s') },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('analysis of 1 metric(s) over a 4.0s bake');
    const report = JSON.parse(readFileSync(result.outputs.report, 'utf8'));
    expect(report.analysis.metrics[0].measurements).toHaveLength(2);
    expect(report.analysis.metrics[0].query).toContain(`version="${good.version}"`);
  });

  it('passes end to end, and a climbing error rate fails the step with the metric named', async () => {
    const good = await app('pass');
    const passed = await run({
      url: `${good.url}/work`,
      analysis: ANALYSIS('2s'),
      'analysis-vars': `version=${good.version}`,
      bake: '4s',
    });
    expect(passed.exitCode).toBe(0);
    expect(passed.outputs).toMatchObject({ result: 'passed', 'analysis-result': 'passed' });
    expect(passed.summary).toContain('### Analysis: ✅ passed');
    expect(passed.summary).toMatch(/```mermaid\nxychart-beta\n {2}title "error-rate \(result < 0.05\)"/);
    expect(passed.summary).toContain('line [0.05, 0.05]');

    const bad = await app('climb');
    setTimeout(() => {
      bad.errorRate = 0.6;
    }, 2_500);
    const started = Date.now();
    const failed = await run({
      url: `${bad.url}/work`,
      'expect-status': '200,500',
      analysis: ANALYSIS('2s'),
      'analysis-vars': `version=${bad.version}`,
      bake: '1m',
    });
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs).toMatchObject({ result: 'failed', 'analysis-result': 'failed' });
    expect(failed.stdout).toMatch(
      /::error title=smoke-test analysis%3A error-rate::error-rate failed: 1 measurement\(s\) failed result < 0.05 \(failure-limit 0\)/,
    );
    expect(failed.stdout).toContain('Smoke test failed: analysis error-rate');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a query for a version Prometheus never saw is inconclusive and fails the step by default', async () => {
    const present = await app('present');
    const result = await run({
      url: `${present.url}/work`,
      analysis: ANALYSIS('1s'),
      'analysis-vars': 'version=never-deployed',
      bake: '2s',
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ result: 'inconclusive', 'analysis-result': 'inconclusive' });
    expect(result.stdout).toContain('the metrics gave no (or too little) data');
  });
});
