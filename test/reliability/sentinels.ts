import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer, type TestServer } from '@slipway/testing';

/**
 * Watchers for every side effect an action could have before it validates its inputs: AWS and GitHub endpoints
 * and an HTTP target that count requests, a TCP listener standing in for SSH hosts that counts connections, a
 * `docker` shim first on PATH that records each call, the open registry's catalog under a prefix of our own,
 * and a file an injected command would create (and a folder it would delete).
 */
export interface Sentinels {
  aws: TestServer;
  github: TestServer;
  http: TestServer;
  /** Port of the fake SSH host; `sshConnections()` counts who knocked. */
  sshPort: number;
  /** Repository prefix on the open registry (127.0.0.1:5000) that only these tests use. */
  registryPrefix: string;
  /** The file injected commands try to create, and the folder they try to delete. */
  injected: string;
  canary: string;
  /** Environment that sends every client to the watchers (AWS, GitHub, docker). */
  env: Record<string, string>;
  /** Everything observable, to compare before and after a run. */
  snapshot(): Promise<Snapshot>;
  close(): Promise<void>;
}

export interface Snapshot {
  awsRequests: number;
  githubRequests: number;
  httpRequests: number;
  sshConnections: number;
  dockerCalls: string[];
  registryRepositories: string[];
  injectedFileExists: boolean;
  canaryExists: boolean;
}

export const OPEN_REGISTRY = '127.0.0.1:5000';

/** AWS JSON 1.1's shape of an error, so SDK clients fail at once instead of retrying. */
function denyAws(_req: unknown, res: import('node:http').ServerResponse) {
  res.statusCode = 400;
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'counted by the reliability suite' }));
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as import('node:net').AddressInfo).port;
}

async function catalog(prefix: string): Promise<string[]> {
  const res = await fetch(`http://${OPEN_REGISTRY}/v2/_catalog?n=100000`);
  const repositories = ((await res.json()) as { repositories?: string[] }).repositories ?? [];
  return repositories.filter((r) => r.startsWith(prefix)).sort();
}

export async function startSentinels(): Promise<Sentinels> {
  const id = randomBytes(4).toString('hex');
  const root = mkdtempSync(join(tmpdir(), 'slipway-sentinels-'));
  const injected = join(tmpdir(), `slipway-injected-${id}`);
  const canary = join(root, 'canary');
  mkdirSync(canary);
  writeFileSync(join(canary, 'keep'), 'an injected rm -rf would delete this');

  const shimDir = join(root, 'bin');
  const dockerLog = join(root, 'docker-calls.log');
  mkdirSync(shimDir);
  writeFileSync(join(shimDir, 'docker'), `#!/bin/sh\necho "docker $*" >> '${dockerLog}'\nexit 1\n`);
  chmodSync(join(shimDir, 'docker'), 0o755);

  const aws = await startHttpServer(denyAws);
  const github = await startHttpServer((_req, res) => {
    res.statusCode = 503;
    res.end('{"message":"counted by the reliability suite"}');
  });
  const http = await startHttpServer((_req, res) => res.end('ok'));
  let sshConnections = 0;
  const ssh = createServer((socket) => {
    sshConnections++;
    socket.destroy();
  });
  const sshPort = await listen(ssh);

  return {
    aws,
    github,
    http,
    sshPort,
    registryPrefix: `rel-${id}`,
    injected,
    canary,
    env: {
      AWS_ENDPOINT_URL: aws.url,
      AWS_ENDPOINT_URL_ECS: aws.url,
      AWS_ENDPOINT_URL_ECR: aws.url,
      AWS_ACCESS_KEY_ID: 'AKIDRELIABILITY',
      AWS_SECRET_ACCESS_KEY: `reliability-${id}`,
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      GITHUB_API_URL: github.url,
      GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
      PATH: `${shimDir}:${process.env.PATH}`,
    },
    snapshot: async () => ({
      awsRequests: aws.requests,
      githubRequests: github.requests,
      httpRequests: http.requests,
      sshConnections,
      dockerCalls: existsSync(dockerLog) ? readFileSync(dockerLog, 'utf8').split('\n').filter(Boolean) : [],
      registryRepositories: await catalog(`rel-${id}`),
      injectedFileExists: existsSync(injected),
      canaryExists: existsSync(join(canary, 'keep')),
    }),
    close: async () => {
      await Promise.all([aws.close(), github.close(), http.close()]);
      await new Promise<void>((resolve) => ssh.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
      rmSync(injected, { force: true });
    },
  };
}
