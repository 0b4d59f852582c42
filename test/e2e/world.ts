// What the Compose and ECS scenarios of the staged pipeline share: the application repository (an example
// folder: commits of it, its workflows run as GitHub would on push or dispatch, with <owner>/slipway/...@v1
// resolved to this checkout), the runner's tool cache with a stand-in Trivy, and the clean-up of the image
// repository it pushes to.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitHubLocal, StoredDeployment } from '@slipway/github-local';
import { RegistryClient } from '@slipway/shared';
import { deleteRegistryRepository, type Infra, repoRoot } from '@slipway/testing';
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

export const APP_REPOSITORY = 'acme/shop';
// From repoRoot, not __dirname: the demo runs this module bundled elsewhere.
const TRIVY_REPORTS = join(repoRoot, 'actions/build-push/__tests__/fixtures/trivy');
/** The report the stand-in Trivy answers with, whatever image it is given: real Trivy output for a RHEL 7 base. */
const STANDIN_TRIVY_REPORT = 'ubi-7-comprehensive.json.golden';

/**
 * A job summary as a person should read it here: each vulnerability scan section says that its findings come
 * from the stand-in Trivy's fixture report (a RHEL 7 base: setuptools, bash, ...), not from the image it names.
 */
export function labelStandInScans(summary: string): string {
  return summary.replace(
    /^(#+ Vulnerability scan of .*)$/gm,
    `$1\n\n> **Stand-in scanner**: Trivy cannot download its database here, so a stand-in answers every scan with ` +
      `the fixture report \`${STANDIN_TRIVY_REPORT}\` (real Trivy output for a RHEL 7 base image). These findings ` +
      `were not found in this image; the gate's verdict shows how the action treats them.`,
  );
}

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

export type AppWorkflow = 'deploy' | 'promote' | 'rollback';

/** The repository's settings (its variables, secrets, environments) and what the runner gets besides. */
export type RepositorySettings = Pick<
  RunWorkflowOptions,
  'vars' | 'secrets' | 'environments' | 'env' | 'standIns'
>;

/** What each scenario's world offers besides its target. */
export interface PipelineWorld {
  github: GitHubLocal;
  /** The image repository the pipeline pushes to. */
  image: string;
  /** Makes a commit of the example app; `edit` changes its files (a broken release). */
  commit(edit?: (dir: string) => void): Commit;
  /** Runs one of the example's workflows for a commit, as GitHub would on push or dispatch. */
  run(workflow: AppWorkflow, commit: Commit, options?: Partial<RunWorkflowOptions>): Promise<WorkflowResult>;
  /** The digest the registry holds under a commit's tag (sha-<short>), as build-push tags it. */
  pushed(commit: Commit): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface AppRepository extends Omit<PipelineWorld, 'github'> {
  /** A folder of the world's own, removed by close(). */
  root: string;
}

/**
 * The application repository `examples/<example>`, its workflows run against `github` (github-local, whose
 * token is the job token) with `settings`. close() removes its images (here and in the registry) and its
 * folder; the caller closes github-local and whatever else it started.
 */
export function createAppRepository(
  infra: Infra,
  options: {
    example: 'compose' | 'ecs';
    github: GitHubLocal;
    token: string;
    suffix: string;
    settings: RepositorySettings;
    onEvent?: (e: TimelineEvent) => void;
  },
): AppRepository {
  const { example, github, token, settings } = options;
  const image = `${infra.registry.open}/e2e-${options.suffix}/shop`;
  const root = mkdtempSync(join(tmpdir(), 'slipway-e2e-'));
  const toolCache = join(root, 'tool-cache');
  const trivyDir = join(toolCache, 'trivy', TRIVY_VERSION, process.arch);
  writeStandinTrivy(trivyDir);
  writeFileSync(`${trivyDir}.complete`, '');
  mkdirSync(join(root, 'docker-config'));

  const commits = new Map<string, Commit>();
  const checkout: ActionStandIn = (_inputs, { workspace, github: context }) => {
    const commit = commits.get(String(context.sha));
    if (!commit) throw new Error(`no commit ${String(context.sha)} in the test's application repository`);
    cpSync(commit.dir, workspace, { recursive: true, dereference: true });
    return { outcome: 'success', outputs: {}, log: `checked out ${APP_REPOSITORY}@${commit.sha}` };
  };

  return {
    image,
    root,
    commit(edit) {
      const sha = randomBytes(20).toString('hex');
      const dir = join(root, 'commits', sha);
      // dereference: examples/ecs shares the app with examples/compose through symbolic links
      cpSync(join(repoRoot, 'examples', example), dir, { recursive: true, dereference: true });
      rmSync(join(dir, '.github'), { recursive: true, force: true });
      edit?.(dir);
      const commit = { sha, dir };
      commits.set(sha, commit);
      return commit;
    },
    run(workflow, commit, overrides = {}) {
      return runWorkflow({
        repoRoot,
        workflow: `examples/${example}/.github/workflows/${workflow}.yml`,
        eventName: workflow === 'deploy' ? 'push' : 'workflow_dispatch',
        github: { sha: commit.sha, repository: APP_REPOSITORY, repository_owner: 'acme', token },
        vars: { IMAGE: image, BASE_IMAGE: infra.images.busybox, ...settings.vars },
        secrets: settings.secrets,
        environments: settings.environments,
        env: {
          GITHUB_API_URL: github.url,
          RUNNER_TOOL_CACHE: toolCache,
          DOCKER_CONFIG: join(root, 'docker-config'),
          STANDIN_TRIVY_LOG: join(root, 'trivy.log'),
          STANDIN_TRIVY_REPORT: join(TRIVY_REPORTS, STANDIN_TRIVY_REPORT),
          ...settings.env,
        },
        standIns: { 'actions/checkout': checkout, ...settings.standIns },
        onEvent: options.onEvent,
        ...overrides,
      });
    },
    async pushed(commit) {
      const registry = new RegistryClient({ registry: infra.registry.open });
      const repository = image.slice(infra.registry.open.length + 1);
      return (await registry.headManifest(repository, `sha-${commit.sha.slice(0, 7)}`))?.digest;
    },
    async close() {
      const local = execFileSync('docker', ['image', 'ls', '-q', image]).toString().trim().split('\n');
      if (local[0]) execFileSync('docker', ['rmi', '-f', ...new Set(local)], { stdio: 'ignore' });
      await deleteRegistryRepository(infra.registry.open, image.slice(infra.registry.open.length + 1));
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

/**
 * Where one of `secrets` shows in what GitHub would show of a run: every step's log (masked as the runner masks
 * it), outputs and summary, every job's outputs, through called workflows.
 */
export function shownSecrets(jobs: Record<string, JobRecord>, secrets: string[], prefix = ''): string[] {
  return Object.entries(jobs).flatMap(([id, job]) => {
    const texts: Array<[string, string]> = [
      [`${prefix}${id} outputs`, JSON.stringify(job.outputs)],
      ...job.steps.flatMap(
        (s): Array<[string, string]> => [
          [`${prefix}${id}/${s.id} log`, s.log],
          [`${prefix}${id}/${s.id} outputs`, JSON.stringify(s.outputs)],
          [`${prefix}${id}/${s.id} summary`, s.summary ?? ''],
        ],
      ),
    ];
    const own = texts.filter(([, text]) => secrets.some((secret) => text.includes(secret))).map(([w]) => w);
    return [...own, ...shownSecrets(job.jobs ?? {}, secrets, `${prefix}${id}/`)];
  });
}

/** A called workflow's job (`pipeline` → `production-ecs` → `deploy`). */
export const inner = (job: JobRecord | undefined, ...path: string[]) =>
  path.reduce<JobRecord | undefined>((j, id) => j?.jobs?.[id], job);

/** `id:conclusion` of a job's steps. */
export const stepsOf = (job: JobRecord | undefined) => job?.steps.map((s) => `${s.id}:${s.conclusion}`) ?? [];

/**
 * The repository's Deployments page, oldest first, as `[environment, image, latest state]`: GitHub's own record
 * of a job (empty payload) shows as `[environment, undefined, state]`, so a deploy recorded twice shows twice.
 */
export function oneRecordPerDeploy(records: StoredDeployment[]): Array<[string, string | undefined, string]> {
  return [...records]
    .reverse()
    .map((d) => [
      d.environment,
      (d.payload as { images?: Record<string, string> }).images?.web,
      String(d.statuses.at(-1)?.state),
    ]);
}
