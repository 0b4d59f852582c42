import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultGateDeps, InputReader, mapInputs } from '@slipway/shared';
import { parseCommandFile, startHttpServer, type TestServer } from '@slipway/testing';
import { getInputs } from '../src/inputs';
import { type Deps, run } from '../src/main';
import type { RollbackTarget } from '../src/targets';

// The rollback's health check holds the restored release to the gate's JSON assertions: a release answering
// 200 with the wrong JSON is not healthy. Real HTTP against a local server; the target is a fake that "restores".
const BASE = { target: 'ecs', environment: 'production', service: 'web', region: 'eu-west-1' };

describe('rollback health checks: expect-json', () => {
  const saved = { ...process.env };
  let dir: string;
  let server: TestServer;
  let status = 'ok';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rollback-health-'));
    server = await startHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status, version: 'r0' }));
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  async function rollback(answer: string, values: Record<string, string>) {
    status = answer;
    const outputFile = join(dir, `out-${Date.now()}-${Math.random()}`);
    writeFileSync(outputFile, '');
    process.env.GITHUB_OUTPUT = outputFile;
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary.md');
    writeFileSync(process.env.GITHUB_STEP_SUMMARY, '');
    const restored: string[] = [];
    const target: RollbackTarget = {
      plan: async () => ({
        from: 'r1',
        to: 'r0',
        payload: { images: {}, releaseId: 'r0' },
        execute: async () => {
          restored.push('r0');
          return {
            ok: true,
            units: [{ name: 'web', from: 'r1', to: 'r0', status: 'succeeded', reason: '' }],
          };
        },
      }),
    };
    const log: string[] = [];
    const deps: Deps = {
      records: () => undefined,
      target: async () => target,
      gate: defaultGateDeps,
      analyse: () => Promise.reject(new Error('no analysis here')),
      log: (line) => log.push(line),
      now: Date.now,
      sha: 'c0ffee',
    };
    const inputs = getInputs(
      new InputReader(
        mapInputs({
          ...BASE,
          'health-samples': '2',
          'health-interval': '10ms',
          'ready-timeout': '0',
          ...values,
        }),
      ),
    );
    const error = await run(inputs, deps).then(
      () => undefined,
      (e: Error) => e,
    );
    return { error, restored, outputs: parseCommandFile(readFileSync(outputFile, 'utf8')) };
  }

  it('a restored release answering 200 with a failing JSON assertion is unhealthy', async () => {
    const before = server.requests;
    const { error, restored, outputs } = await rollback('degraded', {
      'health-url': `${server.url}/health`,
      'expect-json': 'status = ok',
    });
    expect(restored).toEqual(['r0']);
    expect(server.requests).toBeGreaterThan(before);
    expect(outputs.result).toBe('unhealthy');
    expect(error?.message).toContain('NOT healthy');
    expect(error?.message).toMatch(/status/);
  });

  it('the same release passes when its JSON satisfies the assertion', async () => {
    const { error, outputs } = await rollback('ok', {
      'health-url': `${server.url}/health`,
      'expect-json': 'status = ok',
    });
    expect(error).toBeUndefined();
    expect(outputs.result).toBe('rolled-back');
  });

  it('applies expect-json to health-checks entries too (an entry of its own wins)', async () => {
    const { outputs } = await rollback('degraded', {
      'health-checks': `- ${server.url}/a\n- url: ${server.url}/b\n  expect-json: status = degraded`,
      'expect-json': 'status = ok',
    });
    expect(outputs.result).toBe('unhealthy');
    const own = await rollback('degraded', {
      'health-checks': `- url: ${server.url}/b\n  expect-json: status = degraded`,
      'expect-json': 'status = ok',
    });
    expect(own.outputs.result).toBe('rolled-back');
  });

  it('refuses a malformed expect-json before anything is rolled back', () => {
    expect(() =>
      getInputs(
        new InputReader(
          mapInputs({
            ...BASE,
            'health-url': 'http://127.0.0.1:1/',
            'expect-json': 'status',
          }),
        ),
      ),
    ).toThrow('Input "expect-json"');
  });
});
