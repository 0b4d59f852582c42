import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseRelease, defaultGateDeps, InputReader, mapInputs } from '@slipway/shared';
import { describeWithInfra, type MetricsApp, parseCommandFile, startMetricsApp } from '@slipway/testing';
import { getInputs } from '../src/inputs';
import { type Deps, run } from '../src/main';
import type { RollbackTarget } from '../src/targets';

jest.setTimeout(60_000);

// The rollback's verification with the gate's analysis: after the health checks pass, the restored release's
// metrics are judged during a bake, against the local Prometheus scraping a real app. `{{ release }}` is the
// restored release. The target is a fake that "restores"; the health checks and the analysis are real.
const ANALYSIS = `
metrics:
  - name: error-rate
    query: (sum(rate(http_requests_total{version="{{ release }}",code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{version="{{ release }}"}[5s]))
    success-condition: result < 0.05
    interval: 1s
`;

describeWithInfra('rollback verified by the analysis (real Prometheus)', (infra) => {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'rollback-analysis-'));
  const apps: MetricsApp[] = [];
  afterEach(async () => {
    process.env = { ...saved };
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function restoredApp(errorRate: number): Promise<MetricsApp> {
    if (!infra.prometheus) throw new Error('infra.json has no "prometheus": run scripts/infra.sh up');
    const app = await startMetricsApp(`r0-${randomBytes(3).toString('hex')}`, infra.prometheus.targets);
    apps.push(app);
    app.errorRate = errorRate;
    app.drive(20);
    await app.scraped(infra.prometheus.url, 3);
    return app;
  }

  async function rollback(app: MetricsApp, values: Record<string, string>) {
    const outputFile = join(dir, `out-${Date.now()}-${Math.random()}`);
    writeFileSync(outputFile, '');
    process.env.GITHUB_OUTPUT = outputFile;
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary.md');
    writeFileSync(process.env.GITHUB_STEP_SUMMARY, '');
    const target: RollbackTarget = {
      plan: async () => ({
        from: 'r1',
        to: app.version,
        payload: { images: {}, releaseId: app.version },
        execute: async () => ({
          ok: true,
          units: [{ name: 'web', from: 'r1', to: app.version, status: 'succeeded', reason: '' }],
        }),
      }),
    };
    const log: string[] = [];
    const deps: Deps = {
      records: () => undefined,
      target: async () => target,
      gate: defaultGateDeps,
      analyse: (config, line) => analyseRelease(config, { log: line }),
      log: (line) => log.push(line),
      now: Date.now,
      sha: 'c0ffee',
    };
    const inputs = getInputs(
      new InputReader(
        mapInputs({
          target: 'ecs',
          environment: 'production',
          service: 'web',
          region: 'eu-west-1',
          'health-url': `${app.url}/work`,
          'health-samples': '2',
          'health-interval': '10ms',
          'ready-timeout': '0',
          'prometheus-url': infra.prometheus!.url,
          ...values,
        }),
      ),
    );
    const error = await run(inputs, deps).then(
      () => undefined,
      (e: Error) => e,
    );
    const summary = readFileSync(process.env.GITHUB_STEP_SUMMARY, 'utf8');
    return { error, log, summary, outputs: parseCommandFile(readFileSync(outputFile, 'utf8')) };
  }

  it('a restored release whose metrics are good is rolled-back, the analysis judged on {{ release }}', async () => {
    const app = await restoredApp(0);
    const { error, outputs, log, summary } = await rollback(app, { analysis: ANALYSIS, bake: '3s' });
    expect(error).toBeUndefined();
    expect(outputs).toMatchObject({ result: 'rolled-back', 'analysis-result': 'passed' });
    // judged on the restored release's own series (a version Prometheus never saw would be inconclusive)
    expect(log.join('\n')).toMatch(/error-rate: measurement 1 successful/);
    expect(summary).toContain('### Analysis: ✅ passed');
    expect(summary).toContain(app.version);
  });

  it('a restored release that answers its health checks but whose error rate fails the analysis is unhealthy, naming the metric', async () => {
    // expect-status lets the 500s through the health checks: only the metrics tell.
    const app = await restoredApp(0.6);
    const { error, outputs } = await rollback(app, {
      analysis: ANALYSIS,
      bake: '1m',
      'health-checks': `- url: ${app.url}/work\n  expect-status: 200,500`,
      'health-url': '',
    });
    expect(outputs).toMatchObject({ result: 'unhealthy', 'analysis-result': 'failed' });
    expect(error?.message).toMatch(
      new RegExp(
        `^Rolled production back to ${app.version}, but the restored release is NOT healthy: analysis error-rate failed: 1 measurement\\(s\\) failed result < 0.05`,
      ),
    );
  });

  it.each([
    ['a bake without an analysis', { bake: '1m' }, /^Input "bake" needs an "analysis"/],
    [
      'a query naming a value nobody gives',
      { analysis: ANALYSIS.replace('release', 'colour') },
      /uses \{\{ colour \}\}, which has no value/,
    ],
    [
      'analysis-vars that are not name=value',
      { analysis: ANALYSIS, 'analysis-vars': 'oops' },
      /^Input "analysis-vars" must be "name=value" lines/,
    ],
  ])('refuses %s before anything is rolled back', (_what, values, message) => {
    expect(() =>
      getInputs(
        new InputReader(
          mapInputs({
            target: 'ecs',
            environment: 'production',
            service: 'web',
            region: 'eu-west-1',
            'health-url': 'http://127.0.0.1:1/',
            ...values,
          }),
        ),
      ),
    ).toThrow(message);
  });
});
