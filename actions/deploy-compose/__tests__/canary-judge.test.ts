// A canary step's judge as deploy-compose builds it from its inputs: the entry point's answers of the new version
// and, with `analysis`, the metrics — against real HTTP servers (the entry point answering the new version, and a
// Prometheus speaking its query API), no host needed.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputReader, mapInputs } from '@slipway/shared';
import { generateSshKey } from '@slipway/testing';
import { canaryJudge } from '../src/deploy';
import { getInputs } from '../src/inputs';

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );

describe('a canary step judged on the answers and the metrics', () => {
  const queries: string[] = [];
  let errorRate = 0;
  const entry = createServer((_req, res) => res.end('v2'));
  const prometheus = createServer(async (req, res) => {
    // GET with the query in the URL, or POST with it form-encoded in the body, as Prometheus takes both
    let body = '';
    for await (const chunk of req) body += chunk;
    const params =
      req.method === 'POST' ? new URLSearchParams(body) : new URL(req.url ?? '/', 'http://p').searchParams;
    queries.push(params.get('query') ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [{ metric: {}, value: [Date.now() / 1000, String(errorRate)] }],
        },
      }),
    );
  });
  let entryUrl = '';
  let prometheusUrl = '';
  beforeAll(async () => {
    entryUrl = await listen(entry);
    prometheusUrl = await listen(prometheus);
  });
  afterAll(() => {
    entry.close();
    prometheus.close();
  });

  const judgeOf = (analysis?: string) => {
    const inputs = getInputs(
      new InputReader(
        mapInputs({
          hosts: 'deploy@10.0.0.5 SHA256:Q83TfAgBEzctYi5JxDIVzOk7Xt2ubjZINIxjimCjKj4',
          'ssh-key': generateSshKey().private,
          project: 'shop',
          strategy: 'canary',
          'public-url': `${entryUrl}/`,
          'expect-version': 'v2',
          ...(analysis ? { analysis, 'prometheus-url': prometheusUrl } : {}),
        }),
      ),
    );
    const log: string[] = [];
    const io = { info: (m: string) => log.push(m), notice: () => {}, warning: () => {}, setOutput: () => {} };
    const { entry: config, canary } = inputs;
    if (!config || !canary) throw new Error('canary inputs not read');
    return canaryJudge(config, canary.metrics, io, 'R7');
  };
  const step = { number: 2, of: 3, declared: 25, effective: 50, durationMs: 3000, what: 'h1: web' };
  const analysis = [
    'metrics:',
    '  - name: errors',
    '    query: rate(http_requests_total{version="{{ version }}",release="{{ release }}",code=~"5.."}[30s])',
    '    success-condition: result < 0.01',
    '    interval: 1s',
  ].join('\n');

  it('fails the step on a metric crossing its condition while the answers pass, the query naming the new version', async () => {
    errorRate = 0.2;
    queries.length = 0;
    const result = await judgeOf(analysis)(step, new AbortController().signal);
    expect(result.verdict).toBe('failed');
    expect(result.reason).toMatch(/^metrics: .*errors/);
    expect(queries[0]).toBe('rate(http_requests_total{version="v2",release="R7",code=~"5.."}[30s])');
  });

  it('passes when both the answers and the metrics do; without an analysis only the answers are judged', async () => {
    errorRate = 0.001;
    const result = await judgeOf(analysis)(step, new AbortController().signal);
    expect(result).toMatchObject({ verdict: 'passed' });
    expect(result.observed?.newAnswers).toBeGreaterThanOrEqual(5);
    queries.length = 0;
    const answersOnly = await judgeOf()(step, new AbortController().signal);
    expect(answersOnly.verdict).toBe('passed');
    expect(queries).toEqual([]);
  });
});
