import { join } from 'node:path';
import { runAction, startHttpServer } from '@slipway/testing';

const action = join(__dirname, '..');

describe('smoke-test bundle (runner contract)', () => {
  it('passes against a healthy server', async () => {
    const server = await startHttpServer((_req, res) => res.end('ok'));
    try {
      const run = await runAction({ action, inputs: { url: `${server.url}/health` } });
      expect(run.exitCode).toBe(0);
      expect(run.outputs.result).toBe('passed');
    } finally {
      await server.close();
    }
  });

  it('fails with an annotation when the server answers 500', async () => {
    const server = await startHttpServer((_req, res) => {
      res.statusCode = 500;
      res.end('broken');
    });
    try {
      const run = await runAction({ action, inputs: { url: `${server.url}/health` } });
      expect(run.exitCode).toBe(1);
      expect(run.outputs.result).toBe('failed');
      expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        `${server.url}/health answered 500, expected 2xx.`,
      ]);
    } finally {
      await server.close();
    }
  });

  it('fails on a bad input without a request', async () => {
    const run = await runAction({ action, inputs: { url: 'not a url' } });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0].message).toMatch(/^Input "url" must be an absolute http\(s\) URL/);
  });
});
