// The Compose scenario of the staged pipeline, shared by the end-to-end test and `npm run demo`: an application
// repository (examples/compose) pushed twice through the suite's workflow files, executed as written by
// workflow-runner against the real local infrastructure (registry, SSH hosts with their own Docker daemons,
// github-local for the deployments API).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import { deleteRegistryRepository, type Infra, repoRoot, type SshHost } from '@slipway/testing';
import {
  type ActionStandIn,
  type JobRecord,
  type RunWorkflowOptions,
  runWorkflow,
  type TimelineEvent,
  type WorkflowResult,
} from '@slipway/workflow-runner';
import { writeStandinTrivy } from '../../actions/build-push/__tests__/helpers/standin-trivy';
import { TRIVY_VERSION } from '../../actions/build-push/src/scan/trivy-checksums';
import { cleanHost, hostName, REMOTE_DIR, sh } from '../../actions/deploy-compose/__tests__/fixtures/hosts';

export const APP_REPOSITORY = 'acme/shop';
// From repoRoot, not __dirname: the demo runs this module bundled elsewhere.
const TRIVY_REPORTS = join(repoRoot, 'actions/build-push/__tests__/fixtures/trivy');

/** A port nobody listens on now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A commit of the application repository: the example as written, or changed by `edit`. */
export interface Commit {
  sha: string;
  dir: string;
}

export interface ComposeWorld {
  infra: Infra;
  github: GitHubLocal;
  project: string;
  /** The image repository the pipeline pushes to. */
  image: string;
  staging: SshHost[];
  production: SshHost[];
  /** The URL each host's app answers on (hosts share loopback, so each publishes its own port). */
  urls: Map<SshHost, string>;
  /** Makes a commit of the example app; `edit` changes its files (a broken release). */
  commit(edit?: (dir: string) => void): Commit;
  /** Runs one of the example's workflows for a commit, as GitHub would on push or dispatch. */
  run(
    workflow: 'deploy' | 'promote' | 'rollback',
    commit: Commit,
    options?: Partial<RunWorkflowOptions>,
  ): Promise<WorkflowResult>;
  /** The image each host's app container runs. */
  running(host: SshHost): Promise<string>;
  /** What the app on a host answers on /version.json. */
  version(host: SshHost): Promise<{ commit: string; environment: string; status: string }>;
  close(): Promise<void>;
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
  const image = `${infra.registry.open}/e2e-${suffix}/shop`;
  const [h1, h2, h3] = infra.ssh.hosts;
  const staging = [h1];
  const production = [h2, h3];
  const urls = new Map<SshHost, string>();
  const root = mkdtempSync(join(tmpdir(), 'slipway-e2e-'));
  for (const [host, environment] of [
    [h1, 'staging'],
    [h2, 'production'],
    [h3, 'production'],
  ] as const) {
    const port = await freePort();
    urls.set(host, `http://127.0.0.1:${port}/version.json`);
    await sh(
      infra,
      host,
      `mkdir -p ${REMOTE_DIR}/${project} && printf 'APP_ENV=${environment}\\nAPP_PORT=${port}\\n' >${REMOTE_DIR}/${project}/.env`,
    );
  }
  const toolCache = join(root, 'tool-cache');
  const trivyDir = join(toolCache, 'trivy', TRIVY_VERSION, process.arch);
  writeStandinTrivy(trivyDir);
  writeFileSync(`${trivyDir}.complete`, '');
  mkdirSync(join(root, 'docker-config'));

  const hostLines = (hosts: SshHost[]) => hosts.map(hostName).join('\n');
  const urlLines = (hosts: SshHost[]) => hosts.map((h) => urls.get(h)).join('\n');
  const checkout: ActionStandIn = (_inputs, { workspace, github: context }) => {
    const commit = commits.get(String(context.sha));
    if (!commit) throw new Error(`no commit ${String(context.sha)} in the test's application repository`);
    cpSync(commit.dir, workspace, { recursive: true, dereference: true });
    return { outcome: 'success', outputs: {}, log: `checked out ${APP_REPOSITORY}@${commit.sha}` };
  };
  const commits = new Map<string, Commit>();

  return {
    infra,
    github,
    project,
    image,
    staging,
    production,
    urls,
    commit(edit) {
      const sha = randomBytes(20).toString('hex');
      const dir = join(root, 'commits', sha);
      cpSync(join(repoRoot, 'examples/compose'), dir, { recursive: true, dereference: true });
      rmSync(join(dir, '.github'), { recursive: true, force: true });
      edit?.(dir);
      const commit = { sha, dir };
      commits.set(sha, commit);
      return commit;
    },
    run(workflow, commit, options = {}) {
      return runWorkflow({
        repoRoot,
        workflow: `examples/compose/.github/workflows/${workflow}.yml`,
        eventName: workflow === 'deploy' ? 'push' : 'workflow_dispatch',
        github: { sha: commit.sha, repository: APP_REPOSITORY, repository_owner: 'acme', token },
        vars: {
          IMAGE: image,
          BASE_IMAGE: infra.images.busybox,
          SLIPWAY_PROJECT: project,
          SLIPWAY_REMOTE_DIR: REMOTE_DIR,
          SLIPWAY_KNOWN_HOSTS: readFileSync(infra.ssh.knownHostsHashed, 'utf8'),
        },
        secrets: { SSH_KEY: readFileSync(infra.ssh.clientKey, 'utf8') },
        environments: {
          staging: { vars: { SLIPWAY_HOSTS: hostLines(staging), SLIPWAY_URL: urlLines(staging) } },
          production: { vars: { SLIPWAY_HOSTS: hostLines(production), SLIPWAY_URL: urlLines(production) } },
        },
        env: {
          GITHUB_API_URL: github.url,
          RUNNER_TOOL_CACHE: toolCache,
          DOCKER_CONFIG: join(root, 'docker-config'),
          STANDIN_TRIVY_LOG: join(root, 'trivy.log'),
          STANDIN_TRIVY_REPORT: join(TRIVY_REPORTS, 'ubi-7-comprehensive.json.golden'),
        },
        standIns: { 'actions/checkout': checkout },
        onEvent,
        ...options,
      });
    },
    async running(host) {
      const ids = `$(docker ps -q --filter label=com.docker.compose.project=${project})`;
      return (await sh(infra, host, `docker inspect -f '{{.Config.Image}}' ${ids}`)).trim();
    },
    async version(host) {
      const response = await fetch(urls.get(host) as string);
      return (await response.json()) as { commit: string; environment: string; status: string };
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
      const local = execFileSync('docker', ['image', 'ls', '-q', image]).toString().trim().split('\n');
      if (local[0]) execFileSync('docker', ['rmi', '-f', ...new Set(local)], { stdio: 'ignore' });
      await deleteRegistryRepository(infra.registry.open, image.slice(infra.registry.open.length + 1));
      await github.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** `job/step: log tail` of every failed step, through called workflows: what a failing run shows first. */
export function failures(job: JobRecord | undefined, prefix = ''): string[] {
  if (!job) return [];
  const own = job.steps
    .filter((s) => s.conclusion === 'failure')
    .map((s) => `${prefix}${s.id}: ${s.log.slice(-2000)}`);
  return [...own, ...Object.entries(job.jobs ?? {}).flatMap(([id, j]) => failures(j, `${prefix}${id}/`))];
}
