import type { Json } from './model';
import type { EcsTimings } from './options';

const MS = 1_000_000; // Docker counts health-check durations in nanoseconds
const SECOND = 1000 * MS;

/**
 * ECS healthCheck (seconds; defaults interval 30, timeout 5, retries 3, startPeriod 0) to Docker's Healthcheck.
 * The command is already in Docker's form (`["CMD-SHELL", "..."]` or `["CMD", ...]`).
 */
export function dockerHealthcheck(check: Json | undefined, overrides: EcsTimings['healthCheck']) {
  if (!check || !Array.isArray(check.command)) return undefined;
  const seconds = (key: string, fallback: number) => Number(check[key] ?? fallback) * SECOND;
  return {
    Test: check.command,
    Interval: overrides.intervalMs !== undefined ? overrides.intervalMs * MS : seconds('interval', 30),
    Timeout: overrides.timeoutMs !== undefined ? overrides.timeoutMs * MS : seconds('timeout', 5),
    Retries: overrides.retries ?? Number(check.retries ?? 3),
    StartPeriod:
      overrides.startPeriodMs !== undefined ? overrides.startPeriodMs * MS : seconds('startPeriod', 0),
  };
}

/**
 * The Engine API body for one container of a task. Ports are published on 127.0.0.1 at a port Docker picks
 * (tasks of one service would collide on fixed host ports); DescribeTasks reports them as networkBindings.
 * Secrets are not resolved (there is no SSM or Secrets Manager here) and cpu/memory are not enforced.
 */
export function containerSpec(
  container: Json,
  image: string,
  labels: Record<string, string>,
  timings: EcsTimings,
): Json {
  const env = ((container.environment as Json[] | undefined) ?? []).map((e) => `${e.name}=${e.value ?? ''}`);
  const ports = ((container.portMappings as Json[] | undefined) ?? []).map(
    (p) => `${p.containerPort}/${p.protocol ?? 'tcp'}`,
  );
  const healthcheck = dockerHealthcheck(container.healthCheck as Json | undefined, timings.healthCheck);
  return {
    Image: image,
    Env: env,
    ...(container.command ? { Cmd: container.command } : {}),
    ...(container.entryPoint ? { Entrypoint: container.entryPoint } : {}),
    ...(container.workingDirectory ? { WorkingDir: container.workingDirectory } : {}),
    ...(container.user ? { User: container.user } : {}),
    ...(container.hostname ? { Hostname: container.hostname } : {}),
    ...(healthcheck ? { Healthcheck: healthcheck } : {}),
    Labels: { ...((container.dockerLabels as Record<string, string> | undefined) ?? {}), ...labels },
    ExposedPorts: Object.fromEntries(ports.map((p) => [p, {}])),
    HostConfig: {
      PortBindings: Object.fromEntries(ports.map((p) => [p, [{ HostIp: '127.0.0.1', HostPort: '' }]])),
    },
  };
}
