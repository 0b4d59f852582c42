import type { ServerResponse } from 'node:http';
import { startHttpServer, type TestServer } from '@slipway/testing';
import { buildGateConfig, defaultGateDeps, runGate } from '../src';
import type { GateOptions } from '../src/gate/config';

/** Short timings so that every scenario runs in well under a second or two. */
export const FAST: Partial<GateOptions> = {
  timeout: 2_000,
  'ready-timeout': 5_000,
  'ready-backoff': 10,
  'ready-backoff-max': 40,
  samples: 5,
  interval: 5,
  deadline: 20_000,
};

/** Runs the gate library against real servers with the real HTTP client; returns the result and the log. */
export async function runChecks(
  checks: unknown[],
  options: Partial<GateOptions> = {},
  onLog?: (line: string) => void,
) {
  const config = buildGateConfig({ ...FAST, checks, ...options });
  const log: string[] = [];
  const deps = defaultGateDeps(config, (line) => {
    log.push(line);
    onLog?.(line);
  });
  try {
    return { ...(await runGate(config, deps)), log };
  } finally {
    await deps.client.close();
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/** Test servers started through the returned function are closed after each test. */
export function useServers(): (...args: Parameters<typeof startHttpServer>) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (...args) => {
    const server = await startHttpServer(...args);
    servers.push(server);
    return server;
  };
}
