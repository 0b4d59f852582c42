// The Compose scenario of the staged pipeline, shared by the end-to-end test and `npm run demo`: an application
// repository (examples/compose) pushed twice through the suite's workflow files, executed as written by
// workflow-runner against the real local infrastructure (registry, SSH hosts with their own Docker daemons,
// github-local for the deployments API).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHubLocal } from '@slipway/github-local';
import type { Infra, SshHost } from '@slipway/testing';
import { describeCounts, failedCount, startRateLoad } from '@slipway/testing';
import type { TimelineEvent } from '@slipway/workflow-runner';
import { cleanHost, hostName, REMOTE_DIR, sh } from '../../actions/deploy-compose/__tests__/fixtures/hosts';
import { createAppRepository, freePort, type PipelineWorld } from './world';

export { type Commit, failures, inner, stepsOf } from './world';

export interface ComposeWorld extends PipelineWorld {
  infra: Infra;
  project: string;
  staging: SshHost[];
  production: SshHost[];
  /** The URL each host's app answers on (hosts share loopback, so each publishes its own port). */
  urls: Map<SshHost, string>;
  /** The image each host's app (`web`) containers run. */
  running(host: SshHost): Promise<string>;
  /** Values that must never show in a run: the GitHub token and each line of the SSH key's body. */
  secrets: string[];
  /** What the app on a host answers on /version.json. */
  version(host: SshHost): Promise<{ commit: string; environment: string; status: string }>;
  /** The id of the container of a host's proxy service (the project's only published port). */
  proxyContainer(host: SshHost): Promise<string>;
  /** Starts an open-loop load through each host's proxy (the URL users reach), `rate` requests/s per host. */
  loadThrough(hosts: SshHost[], rate?: number): { stop(): Promise<ProxyLoad> };
}

/** What a load through the proxies got: requests sent, those that failed (and why), answers by commit. */
export interface ProxyLoad {
  sent: number;
  failed: number;
  /** `ECONNREFUSED ×3, 502 ×1`; empty when none failed. */
  causes: string;
  /** Successful answers by the commit that gave them. */
  commits: Map<string, number>;
}

/**
 * Sets the world up: each host's own settings in its project folder's `.env` (APP_ENV, APP_PORT), a stand-in
 * Trivy (real reports from fixtures; Trivy cannot download here) in the runner's tool cache, github-local.
 */
export async function startComposeWorld(
  infra: Infra,
  onEvent?: (e: TimelineEvent) => void,
): Promise<ComposeWorld> {
  const token = `ghs_e2e${randomBytes(12).toString('hex')}`;
  const github = await startGitHubLocal({ token, wallClock: true });
  const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const project = `e2e${suffix}`;
  // What users run: production on Compose v2 hosts (the `docker compose` plugin); staging on a Compose v1 host,
  // so one pipeline crosses both (an infra.json from before the host matrix has no `compose`: all v1, in order).
  const v2 = infra.ssh.hosts.filter((h) => h.compose === 'v2');
  const staging = [infra.ssh.hosts.find((h) => h.compose !== 'v2') ?? infra.ssh.hosts[0]];
  const production = v2.length >= 2 ? v2.slice(0, 2) : infra.ssh.hosts.slice(1, 3);
  const urls = new Map<SshHost, string>();
  for (const [host, environment] of [
    ...staging.map((h) => [h, 'staging'] as const),
    ...production.map((h) => [h, 'production'] as const),
  ]) {
    const port = await freePort();
    urls.set(host, `http://127.0.0.1:${port}/version.json`);
    await sh(
      infra,
      host,
      `mkdir -p ${REMOTE_DIR}/${project} && printf 'APP_ENV=${environment}\\nAPP_PORT=${port}\\n' >${REMOTE_DIR}/${project}/.env`,
    );
  }
  const sshKey = readFileSync(infra.ssh.clientKey, 'utf8');
  const hostLines = (hosts: SshHost[]) => hosts.map(hostName).join('\n');
  const urlLines = (hosts: SshHost[]) => hosts.map((h) => urls.get(h)).join('\n');
  const repository = createAppRepository(infra, {
    example: 'compose',
    github,
    token,
    suffix,
    onEvent,
    settings: {
      vars: {
        SLIPWAY_PROJECT: project,
        SLIPWAY_REMOTE_DIR: REMOTE_DIR,
        SLIPWAY_KNOWN_HOSTS: readFileSync(infra.ssh.knownHostsHashed, 'utf8'),
      },
      secrets: { SSH_KEY: sshKey },
      environments: {
        staging: { vars: { SLIPWAY_HOSTS: hostLines(staging), SLIPWAY_URL: urlLines(staging) } },
        production: { vars: { SLIPWAY_HOSTS: hostLines(production), SLIPWAY_URL: urlLines(production) } },
      },
    },
  });
  const { image } = repository;

  return {
    infra,
    github,
    project,
    image,
    staging,
    production,
    urls,
    secrets: [token, ...sshKey.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'))],
    commit: (edit) =>
      repository.commit((dir) => {
        useLocalProxyImage(dir, infra);
        edit?.(dir);
      }),
    run: repository.run,
    pushed: repository.pushed,
    async running(host) {
      const ids = `$(docker ps -q --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=web)`;
      return (await sh(infra, host, `docker inspect -f '{{.Config.Image}}' ${ids}`)).trim();
    },
    async version(host) {
      const response = await fetch(urls.get(host) as string);
      return (await response.json()) as { commit: string; environment: string; status: string };
    },
    async proxyContainer(host) {
      const filter = `label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=proxy`;
      return (await sh(infra, host, `docker ps -q --no-trunc --filter ${filter}`)).trim();
    },
    loadThrough(hosts, rate = 50) {
      const loads = hosts.map((h) => startRateLoad(urls.get(h) as string, { rate }));
      return {
        async stop() {
          const results = await Promise.all(loads.map((l) => l.stop()));
          const commits = new Map<string, number>();
          for (const [body, n] of results.flatMap((r) => [...r.bodies])) {
            const commit = /"commit":"([^"]*)"/.exec(body)?.[1] ?? body.slice(0, 40);
            commits.set(commit, (commits.get(commit) ?? 0) + n);
          }
          return {
            sent: results.reduce((n, r) => n + r.sent, 0),
            failed: results.reduce((n, r) => n + failedCount(r), 0),
            causes: results
              .map((r) => describeCounts(new Map<string | number, number>([...r.statuses, ...r.errors])))
              .filter(Boolean)
              .join(', '),
            commits,
          };
        },
      };
    },
    async close() {
      await Promise.all(
        infra.ssh.hosts.map(async (h) => {
          await cleanHost(infra, h, project);
          await sh(
            infra,
            h,
            `docker image ls -q ${image} | sort -u | xargs -r docker rmi -f >/dev/null 2>&1`,
          );
        }),
      );
      await repository.close();
      await github.close();
    },
  };
}

/**
 * The example's proxy image is Caddy's official one, from Docker Hub, which is out of reach here: each commit
 * runs the local registry's Caddy (Debian's caddy binary, run as the official image runs it) instead. Fails when
 * the example no longer names a caddy image, so the substitution cannot silently stop happening.
 */
function useLocalProxyImage(dir: string, infra: Infra): void {
  const file = join(dir, 'docker-compose.yml');
  const text = readFileSync(file, 'utf8');
  const local = text.replace(/^(\s+image:\s*)caddy:\S+/m, `$1${infra.images.caddyRemote}`);
  if (local === text) throw new Error(`${file} names no caddy image to run from the local registry`);
  writeFileSync(file, local);
}
