import { request } from 'node:http';

/** A registry login for pulls (the Engine API takes it per request, not from the CLI's config.json). */
export interface RegistryAuth {
  username: string;
  password: string;
}

/** What ecs-local needs from a container's `docker inspect`. */
export interface ContainerState {
  id: string;
  image: string;
  status: string;
  running: boolean;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  health?: 'starting' | 'healthy' | 'unhealthy';
  ports: { containerPort: number; protocol: string; hostIp: string; hostPort: number }[];
}

/** The handful of Docker Engine API calls the task runner makes. Tests of the scheduler can pass a fake. */
export interface DockerEngine {
  create(name: string, spec: Record<string, unknown>): Promise<string>;
  start(id: string): Promise<void>;
  inspect(id: string): Promise<ContainerState | undefined>;
  stop(id: string, timeoutSeconds: number): Promise<void>;
  remove(id: string): Promise<void>;
  pull(image: string, auth?: RegistryAuth): Promise<void>;
  imageDigest(image: string): Promise<string | undefined>;
  listByLabel(label: string): Promise<string[]>;
}

export class DockerApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Target {
  socketPath?: string;
  host?: string;
  port?: number;
}

/** DOCKER_HOST as the docker CLI reads it (unix:// or tcp://), else the default socket. */
export function dockerTarget(dockerHost = process.env.DOCKER_HOST): Target {
  if (!dockerHost) return { socketPath: '/var/run/docker.sock' };
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375) };
}

/**
 * A Docker Engine API client over the daemon's socket. ecs-local polls containers every tick; talking HTTP to
 * the socket costs far less than spawning the docker CLI each time on a shared two-core machine.
 */
export function createDockerEngine(target: Target = dockerTarget(), timeoutMs = 30_000): DockerEngine {
  const call = (method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          ...target,
          method,
          path,
          headers: {
            ...extraHeaders,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      // A daemon that stops answering must not hang the scheduler (nor close()) for good.
      const stopWait = Number(/\/stop\?t=(\d+)/.exec(path)?.[1] ?? 0) * 1000; // stop answers after t seconds
      req.setTimeout((path.startsWith('/images/create') ? 10 * timeoutMs : timeoutMs) + stopWait, () =>
        req.destroy(new Error(`Docker Engine API ${method} ${path.split('?')[0]} timed out`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  const ok = async (
    method: string,
    path: string,
    body?: unknown,
    allow: number[] = [],
    headers: Record<string, string> = {},
  ) => {
    const res = await call(method, path, body, headers);
    if (res.status >= 300 && !allow.includes(res.status)) {
      throw new DockerApiError(res.status, messageOf(res.text) || `${method} ${path}: HTTP ${res.status}`);
    }
    return res;
  };
  return {
    async create(name, spec) {
      const res = await ok('POST', `/containers/create?name=${encodeURIComponent(name)}`, spec);
      return (JSON.parse(res.text) as { Id: string }).Id;
    },
    async start(id) {
      await ok('POST', `/containers/${id}/start`, undefined, [304]);
    },
    async inspect(id) {
      const res = await ok('GET', `/containers/${id}/json`, undefined, [404]);
      return res.status === 404 ? undefined : toState(JSON.parse(res.text));
    },
    async stop(id, timeoutSeconds) {
      await ok(
        'POST',
        `/containers/${id}/stop?t=${Math.max(0, Math.round(timeoutSeconds))}`,
        undefined,
        [304, 404],
      );
    },
    async remove(id) {
      await ok('DELETE', `/containers/${id}?force=true&v=true`, undefined, [404, 409]);
    },
    async pull(image, auth) {
      // The pull answers 200 at once and streams progress; a failure arrives as an `error` line in the stream.
      const headers: Record<string, string> = auth
        ? {
            'x-registry-auth': registryAuthHeader({ ...auth, serveraddress: registryOf(image) }),
          }
        : {};
      const res = await ok(
        'POST',
        `/images/create?fromImage=${encodeURIComponent(withTag(image))}`,
        undefined,
        [],
        headers,
      );
      const failed = res.text
        .split('\n')
        .map((line) => (line.trim() ? (JSON.parse(line) as { error?: string }) : {}))
        .find((line) => line.error);
      if (failed?.error) throw new DockerApiError(500, failed.error);
    },
    async imageDigest(image) {
      const res = await ok('GET', `/images/${encodeURIComponent(image)}/json`, undefined, [404]);
      if (res.status === 404) return undefined;
      const digests = (JSON.parse(res.text) as { RepoDigests?: string[] }).RepoDigests ?? [];
      return digests[0]?.split('@')[1];
    },
    async listByLabel(label) {
      const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
      const res = await ok('GET', `/containers/json?all=true&filters=${filters}`);
      return (JSON.parse(res.text) as { Id: string }[]).map((c) => c.Id);
    },
  };
}

/** The registry host of an image reference (`docker.io` when the first part is not a host). */
export function registryOf(image: string): string {
  const first = image.split('/')[0];
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

/** Without a tag or digest the Engine API pulls every tag of the repository; ECS means `:latest`. */
export function withTag(image: string): string {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return image.includes('@') || lastPart.includes(':') ? image : `${image}:latest`;
}

function messageOf(text: string): string {
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text.trim();
  } catch {
    return text.trim();
  }
}

interface Inspect {
  Id: string;
  Image: string;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    Error: string;
    OOMKilled: boolean;
    Health?: { Status: string };
  };
  NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> };
}

function toState(raw: Inspect): ContainerState {
  const ports = Object.entries(raw.NetworkSettings?.Ports ?? {}).flatMap(([key, bindings]) => {
    const [port, protocol] = key.split('/');
    return (bindings ?? []).map((b) => ({
      containerPort: Number(port),
      protocol,
      hostIp: b.HostIp,
      hostPort: Number(b.HostPort),
    }));
  });
  return {
    id: raw.Id,
    image: raw.Image,
    status: raw.State.Status,
    running: raw.State.Running,
    exitCode: raw.State.ExitCode,
    error: raw.State.Error,
    oomKilled: raw.State.OOMKilled,
    health: raw.State.Health?.Status as ContainerState['health'],
    ports,
  };
}

/**
 * The Engine API's X-Registry-Auth: base64url *with* padding, as the docker CLI sends it. Docker 20.10 decodes
 * it strictly, and an unpadded header is dropped without a word: the pull then fails with "no basic auth
 * credentials" for two passwords in three.
 */
export function registryAuthHeader(auth: Record<string, string>): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
