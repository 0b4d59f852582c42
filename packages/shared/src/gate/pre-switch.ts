import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { UserError } from '../errors';
import { maskSecrets } from '../secrets';
import { type GateConfig, isSecretHeader } from './config';
import { createHttpClient } from './http-client';
import { abortableSleep } from './probe';
import { runGate } from './run-gate';

/**
 * blue-green's pre-switch verification: public-url's whole gate (the same URLs' paths, Host and assertions:
 * expect-status, expect-json, expect-version) run against ONE new container directly - every connection made by
 * `connect`, a stream the host opens to the container's address - while the proxy still sends every user
 * request to the old colour. A failure throws with the gate's evidence; the caller removes the new colour.
 */
export function preSwitchCheck(config: GateConfig, log: (message: string) => void) {
  return async (what: string, connect: () => Promise<Duplex>): Promise<void> => {
    const client = createHttpClient(config.tls, isSecretHeader, connect);
    try {
      const deps = { client, now: () => performance.now(), sleep: abortableSleep, random: Math.random, log };
      // The container is already healthy: an answer that is not the new release now will not become one.
      const result = await runGate(
        { ...config, readyTimeoutMs: Math.min(config.readyTimeoutMs, 5_000) },
        deps,
      );
      if (result.result !== 'passed') {
        const failed = result.checks.filter((c) => c.result !== 'passed');
        throw new UserError(
          maskSecrets(
            `${what} failed the pre-switch checks (${failed.map((c) => `${c.url}: ${c.reason}`).join('; ')}). The new colour was removed before any user request reached it; the old one serves on.`,
          ),
        );
      }
      log(`${what}: passed the pre-switch checks.`);
    } finally {
      await client.close();
    }
  };
}
