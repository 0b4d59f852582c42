import type { InputReader } from '../inputs';
import { registerSecret } from '../secrets';
import { buildGateConfig, type CheckOptions, type GateConfig, type GateOptions } from './config';

/**
 * smoke-test's assertion inputs as the deploy actions take them beside their URL inputs (deploy-compose's
 * `public-url`, deploy-ecs's `test-url` and `production-url`): one reader, one meaning.
 */
export function readUrlAssertions(read: InputReader): CheckOptions {
  return {
    'expect-status': read.string('expect-status'),
    'expect-json': read.string('expect-json'),
    'expect-version': read.string('expect-version'),
    'version-field': read.string('version-field'),
  };
}

/**
 * The gate a deploy runs against URLs of its own (the entry point at a switch, an ECS listener at a pause): the
 * assertions on each URL, waited for up to `readyTimeoutMs` for the new release to answer (backing off from 250 ms
 * to 1 s), then 5 passing samples 200 ms apart. Secrets in the URLs are registered before anything prints them.
 */
export function urlGate(
  urls: string[],
  source: string,
  assertions: CheckOptions,
  readyTimeoutMs: number,
  budget: Pick<GateOptions, 'min-success-rate' | 'max-p95' | 'max-p99'> = {},
): GateConfig {
  const gate = buildGateConfig({
    checks: urls,
    'checks-source': source,
    defaults: assertions,
    timeout: 5_000,
    'ready-timeout': readyTimeoutMs,
    'ready-backoff': 250,
    'ready-backoff-max': 1_000,
    samples: 5,
    interval: 200,
    deadline: readyTimeoutMs + 60_000,
    ...budget,
  });
  for (const secret of gate.secrets) registerSecret(secret);
  return gate;
}
