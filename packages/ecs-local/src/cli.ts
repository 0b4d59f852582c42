import { parseArgs } from 'node:util';
import type { EcsLocalOptions } from './start-ecs-local';

export const USAGE = `Usage: ecs-local [options]
  --port <n>                 port on 127.0.0.1 (default 4566; 0 picks a free one)
  --host <address>           address to listen on (default 127.0.0.1)
  --account-id <id>          account in every ARN (default 123456789012)
  --tick-ms <ms>             scheduler loop interval (default 1000)
  --steady-state-ms <ms>     healthy this long before a deployment is COMPLETED (default 3000)
  --alarm-bake-ms <ms>       extra wait with deployment alarms enabled (default 3000)
  --bake-ms <ms>             blue/green bake before the old tasks drain (default 3000)
  --health-grace-ms <ms>     ignore failed health checks this long after a task starts
  --health-interval-ms <ms>  override every container health check's interval
  --health-timeout-ms <ms>   override every container health check's timeout
  --health-retries <n>       override every container health check's retries
  --stop-timeout-seconds <n> docker stop timeout for tasks ECS stops
  --failure-threshold <n>    circuit-breaker threshold (default: ECS's, at least 3)
Environment:
  ECS_LOCAL_REGISTRY_AUTH    logins for pulling task images, as JSON:
                             {"127.0.0.1:5001": {"username": "...", "password": "..."}}`;

const NUMBERS = {
  'tick-ms': ['timings', 'tickMs'],
  'steady-state-ms': ['timings', 'steadyStateMs'],
  'alarm-bake-ms': ['timings', 'alarmBakeMs'],
  'bake-ms': ['timings', 'bakeMs'],
  'health-grace-ms': ['timings', 'healthGraceMs'],
  'stop-timeout-seconds': ['timings', 'stopTimeoutSeconds'],
  'health-interval-ms': ['healthCheck', 'intervalMs'],
  'health-timeout-ms': ['healthCheck', 'timeoutMs'],
  'health-retries': ['healthCheck', 'retries'],
  'failure-threshold': ['options', 'failureThreshold'],
  port: ['options', 'port'],
} as const;

/** The command line to `startEcsLocal` options; a bad value is an error naming the flag. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = {}): EcsLocalOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(NUMBERS).map((k) => [k, { type: 'string' as const }])),
      host: { type: 'string' },
      'account-id': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }) as { values: Record<string, string | boolean | undefined> };
  if (values.help) return 'help';
  const options: Record<string, number | string | undefined> = { port: 4566 };
  const timings: Record<string, number> = {};
  const healthCheck: Record<string, number> = {};
  const groups = { options, timings, healthCheck };
  for (const [flag, [group, key]] of Object.entries(NUMBERS)) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
      throw new Error(`--${flag} must be a whole number, got "${text}".`);
    }
    groups[group][key] = value;
  }
  if (typeof values['account-id'] === 'string') {
    if (!/^\d{12}$/.test(values['account-id'])) throw new Error('--account-id must be 12 digits.');
    options.accountId = values['account-id'];
  }
  if (typeof values.host === 'string') options.host = values.host;
  const registryAuth = env.ECS_LOCAL_REGISTRY_AUTH
    ? parseRegistryAuth(env.ECS_LOCAL_REGISTRY_AUTH)
    : undefined;
  return { ...options, registryAuth, timings: { ...timings, healthCheck } } as EcsLocalOptions;
}

function parseRegistryAuth(text: string): EcsLocalOptions['registryAuth'] {
  const bad = () =>
    new Error(
      'ECS_LOCAL_REGISTRY_AUTH must be JSON like {"127.0.0.1:5001": {"username": "u", "password": "p"}}.',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad();
  for (const login of Object.values(parsed)) {
    if (typeof login?.username !== 'string' || typeof login?.password !== 'string') throw bad();
  }
  return parsed as EcsLocalOptions['registryAuth'];
}
