import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  appendSummary,
  connectOptions,
  connectSsh,
  createDeploymentRecorder,
  createDeploymentRecords,
  createGitHubClient,
  createStateStore,
  type DeploymentRecords,
  deployToFleet,
  type FleetOptions,
  fleetOptions,
  formatDuration,
  formatSshTarget,
  guardHostHistories,
  type HostResult,
  imageDigest,
  type LockHandle,
  markdownTable,
  type SshConnectOptions,
  type SshSession,
  type StateStore,
  UserError,
} from '@slipway/shared';
import { buildRelease } from './compose-files';
import { getInputs, type Inputs } from './inputs';
import { collectFiles, type LocalFs, nodeFs } from './local-files';

/** What the post step needs to release locks a cancelled or crashed main step left behind. */
export interface PostState {
  locks: Record<string, LockHandle>;
}

export interface Deps {
  connect: (options: SshConnectOptions) => Promise<SshSession>;
  readFile: (path: string) => string;
  /** The workspace's files, for the `files` input. */
  fs: LocalFs;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  state: StateStore<PostState>;
  /** GitHub Deployments of this repository; undefined without a token. */
  records: (token: string | undefined) => DeploymentRecords | undefined;
}

export const defaultDeps = (): Deps => ({
  connect: connectSsh,
  readFile: (path) => readFileSync(path, 'utf8'),
  fs: nodeFs,
  now: () => new Date(),
  env: process.env,
  state: createStateStore<PostState>(),
  records: (token) =>
    token
      ? createDeploymentRecords(createGitHubClient(token), process.env.GITHUB_REPOSITORY ?? '')
      : undefined,
});

/** The fleet options from the inputs, with deploy-compose's hooks and atomic setting. */
export function deployOptions(inputs: Inputs, env: NodeJS.ProcessEnv, runUrl: string): FleetOptions {
  return {
    ...fleetOptions(inputs, env, runUrl),
    hooks: {
      preDeploy: inputs.preDeploy
        ? { service: inputs.preDeployService ?? inputs.images[0]?.[0] ?? '', command: inputs.preDeploy }
        : undefined,
      postDeploy: inputs.postDeploy,
      backup: inputs.backup,
    },
    atomic: inputs.atomic,
  };
}

function releaseId(now: Date, sha: string): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${sha.slice(0, 7) || 'nosha'}`;
}

function summaryTable(results: readonly HostResult[]): string {
  const rows = results.map((r) => [
    r.host,
    r.status,
    formatDuration(r.durationMs),
    r.releaseId ?? '',
    r.previousReleaseId ?? '',
    Object.entries(r.images)
      .map(([s, i]) => `${s}: ${i}`)
      .join('\n'),
    r.error ?? (r.changed.length ? `changed: ${r.changed.join(', ')}` : ''),
  ]);
  return markdownTable(['host', 'status', 'duration', 'release', 'previous', 'images', 'details'], rows);
}

export async function run(inputs: Inputs = getInputs(), deps: Deps = defaultDeps()): Promise<void> {
  if (inputs.insecureSkipHostKeyCheck) {
    core.warning(
      'insecure-skip-host-key-check is on: host keys are NOT verified, so anyone in the middle can take this deploy (and its secrets). Use known-hosts or fingerprints.',
    );
  }
  const env = deps.env;
  const sha = env.GITHUB_SHA ?? '';
  const runUrl = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
  const release = buildRelease({
    id: releaseId(deps.now(), sha),
    composeFiles: inputs.composeFiles.map((path) => {
      try {
        return { path, content: deps.readFile(path) };
      } catch (error) {
        throw new UserError(
          `Input "compose-file": cannot read ${path} (${(error as Error).message}). Paths are relative to the workspace.`,
        );
      }
    }),
    files: collectFiles(inputs.files, dirname(resolve(inputs.composeFiles[0])), deps.fs),
    secretFiles: inputs.secretFiles,
    env: inputs.env,
    images: inputs.images,
    httpChecks: inputs.healthChecks,
    gitSha: sha,
    actor: env.GITHUB_ACTOR ?? 'unknown',
    runUrl,
    warn: (m) => core.warning(m),
  });
  if (
    inputs.preDeploy &&
    !release.services.some((s) => s.name === (inputs.preDeployService ?? inputs.images[0]?.[0]))
  ) {
    throw new UserError(
      'Input "pre-deploy" needs a service to run in: set "pre-deploy-service" to a service of the Compose files (or list one in "images").',
    );
  }
  const recorder = createDeploymentRecorder(
    { ...inputs.recording, sha },
    {
      records: deps.records(inputs.githubToken),
      notice: (m) => core.notice(m),
      warning: (m) => core.warning(m),
    },
  );
  // A digest a rollback marked bad (in the deployment records, or in a host's history) is refused before any
  // host is touched.
  const digests = inputs.images.map(([, image]) => imageDigest(image)).filter((d) => d !== undefined);
  await recorder.guard(digests);
  const locks: Record<string, LockHandle> = {};
  const options = deployOptions(inputs, env, runUrl);
  const guarded = await guardHostHistories(
    inputs.hosts.map((host) => ({
      name: formatSshTarget(host.target),
      connect: () => deps.connect(connectOptions(inputs, host)),
    })),
    options.dir,
    digests,
    inputs.recording.force,
    options.warn,
  );
  options.onLock = (host, lock) => {
    if (lock) locks[host] = lock;
    else delete locks[host];
    deps.state.save('locks', locks);
  };
  core.info(
    `Deploying release ${release.id} of ${inputs.project} to ${inputs.hosts.length} host(s) (${inputs.strategy}).`,
  );
  await recorder
    .begin(
      {
        target: 'compose',
        images: Object.fromEntries(inputs.images),
        releaseId: release.id,
        ...(inputs.migration ? { migration: inputs.migration } : {}),
      },
      `${inputs.project} ${release.id} to ${inputs.hosts.length} host(s)`,
    )
    .catch((error) => {
      guarded.closeUnused();
      throw error;
    });
  const results = await deployToFleet(guarded.hosts, () => release, options)
    .catch(async (error) => {
      await recorder.end('error', { description: String((error as Error)?.message ?? error) });
      throw error;
    })
    .finally(guarded.closeUnused);

  const previous = results.map((r) => r.previousReleaseId).find(Boolean) ?? '';
  core.setOutput('release-id', release.id);
  core.setOutput('previous-release-id', previous);
  core.setOutput(
    'hosts-result',
    JSON.stringify(
      Object.fromEntries(
        results.map((r) => [
          r.host,
          {
            status: r.status,
            duration: r.durationMs,
            images: r.images,
            release: r.releaseId,
            error: r.error,
          },
        ]),
      ),
    ),
  );
  await appendSummary(`### deploy-compose: ${inputs.project} ${release.id}\n\n${summaryTable(results)}\n`);
  const failed = results.filter((r) => r.status === 'failed');
  await recorder.end(failed.length ? 'failure' : 'success', {
    description: `${release.id}: ${failed.length ? `failed on ${failed.map((r) => r.host).join(', ')}` : 'deployed'}`,
  });
  if (failed.length > 0) {
    const undone = results.filter((r) => r.status === 'rolled-back').map((r) => r.host);
    throw new UserError(
      [
        `Release ${release.id} failed on ${failed.map((r) => r.host).join(', ')}:`,
        ...failed.map((r) => `- ${r.host}: ${r.error}`),
        ...(undone.length ? [`Returned to the previous release (atomic): ${undone.join(', ')}.`] : []),
      ].join('\n'),
    );
  }
}
