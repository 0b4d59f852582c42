import { existsSync, lstatSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  type CommandRunner,
  checkWorkspacePath,
  copyImage,
  createCommandRunner,
  createStateStore,
  parseEcrHost,
  RegistryClient,
  type RegistryCredentials,
  type RetryOptions,
  type StateStore,
  UserError,
} from '@slipway/shared';
import { buildScanPush } from './build-image';
import { BUILD_INPUTS_LABEL, buildInputsHash } from './build-inputs';
import { defaultEcrApi, type EcrApi, ensureEcrRepository, resolveCredentials } from './credentials';
import { DockerCli } from './docker-cli';
import { readGitContext } from './git-context';
import { getInputs, type Inputs } from './inputs';
import { type Published, publish } from './outputs';
import { findReusable, reuseImage } from './reuse-image';
import { defaultScanDeps, type ScanDeps } from './scan/scan-gate';
import { gitTags, movingGitTags, ociLabels, shaTag } from './tags';

/** What the post step needs: the registries main logged in to. */
export interface PostState {
  loggedIn: string[];
}

export interface Deps {
  runner: CommandRunner;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  ecr: EcrApi;
  registry: (registry: string, credentials?: RegistryCredentials) => RegistryClient;
  scan: Omit<ScanDeps, 'outputDir'>;
  state: StateStore<PostState>;
  pushRetry?: RetryOptions;
}

export function defaultDeps(): Deps {
  const runner = createCommandRunner();
  return {
    runner,
    env: process.env,
    now: () => new Date(),
    ecr: defaultEcrApi(),
    registry: (registry, credentials) => new RegistryClient({ registry, credentials }),
    scan: defaultScanDeps(runner, process.env),
    state: createStateStore<PostState>(),
  };
}

export async function run(inputs: Inputs = getInputs(), deps: Deps = defaultDeps()): Promise<void> {
  const published = inputs.sourceImage ? await promote(inputs, deps) : await buildOrReuse(inputs, deps);
  await publish(published);
}

async function buildOrReuse(inputs: Inputs, deps: Deps): Promise<Published> {
  const workspace = deps.env.GITHUB_WORKSPACE ?? process.cwd();
  const inWorkspace = (p: string) => resolve(workspace, p);
  if (!existsSync(inWorkspace(inputs.context))) {
    throw new UserError(
      `Input "context" is ${JSON.stringify(inputs.context)}, which does not exist in the workspace (${workspace}); check out the code first or fix the path.`,
    );
  }
  for (const [input, path] of [
    ['file', inputs.file],
    ['ignore-file', inputs.ignoreFile],
  ] as const) {
    if (path && !existsSync(inWorkspace(path))) {
      throw new UserError(
        `Input "${input}" is ${JSON.stringify(path)}, which does not exist in the workspace (${workspace}).`,
      );
    }
  }
  // Docker and Trivy read these: the same rules as every path input (no link out of the workspace, no device).
  const where = { workspace, temp: deps.env.RUNNER_TEMP };
  checkWorkspacePath('context', inputs.context, 'folder', where);
  const dockerfile = inputs.file ?? join(inputs.context, 'Dockerfile');
  if (inputs.file || lstatSync(inWorkspace(dockerfile), { throwIfNoEntry: false })) {
    checkWorkspacePath('file', dockerfile, 'file', where);
  }
  if (inputs.ignoreFile) checkWorkspacePath('ignore-file', inputs.ignoreFile, 'file', where);
  const ctx = readGitContext(deps.env);
  let tags = [...new Set([...gitTags(ctx), ...inputs.tags])];
  if (inputs.immutableTags) {
    // ECR refuses to overwrite a tag of an immutable repository: the next commit's push of these would fail
    const moving = movingGitTags(ctx).filter((tag) => !inputs.tags.includes(tag));
    tags = tags.filter((tag) => !moving.includes(tag));
    if (moving.length) {
      core.warning(
        `"immutable-tags" is on, so the moving tags ${moving.join(', ')} are not pushed: the next build would have to overwrite them, which an immutable repository refuses. The image is tagged ${tags.join(', ')}; deploy it by digest (image-ref).`,
      );
    }
  }
  if (tags.length === 0) {
    throw new UserError(
      'No tag to push: there is no git context to make tags from (GITHUB_SHA, GITHUB_REF); set "tags".',
    );
  }
  const hash = buildInputsHash(inputs);
  const labels: Array<[string, string]> = [
    ...ociLabels(ctx, tags, deps.now()),
    ...inputs.labels,
    [BUILD_INPUTS_LABEL, hash],
  ];
  const docker = new DockerCli(deps.runner);
  const tempDir = deps.env.RUNNER_TEMP || workspace;
  // one folder per run: two build-push steps in a job must not overwrite each other's reports
  mkdirSync(tempDir, { recursive: true });
  const outputDir = mkdtempSync(join(tempDir, 'slipway-build-push-'));
  const scan = { ...deps.scan, outputDir };

  const paths = {
    context: inWorkspace(inputs.context),
    file: inputs.file && inWorkspace(inputs.file),
    ignoreFile: inputs.ignoreFile && inWorkspace(inputs.ignoreFile),
  };
  if (!inputs.push) {
    if (inputs.createRepository)
      core.warning(
        '"create-repository" is ignored: "push" is false, so no registry is contacted and no repository created.',
      );
    core.info(
      '"push" is false: building and scanning only (no registry login, no push; "skip-existing" not consulted).',
    );
    // the registry client is never called on this path: without a push there is nothing to verify
    return buildScanPush({ ...inputs, ...paths }, tags, labels, {
      docker,
      registry: deps.registry(inputs.image.registry),
      scan,
      tempDir,
      login: async () => {},
    });
  }

  const login = await targetLogin(inputs, deps);
  const registry = deps.registry(inputs.image.registry, login.credentials);
  const dockerLogin = async () => {
    if (!login.credentials) return;
    await docker.login(login.loginHost, login.credentials.username, login.credentials.password);
    if (inputs.logout) deps.state.save('loggedIn', [login.loginHost]);
  };
  const sha = shaTag(ctx.sha);
  const existing =
    inputs.skipExisting && sha ? await findReusable(registry, inputs.image.repository, sha, hash) : undefined;
  if (existing)
    return reuseImage({ ...inputs, ...paths }, existing, tags, labels, { registry, docker, scan, tempDir });

  return buildScanPush({ ...inputs, ...paths }, tags, labels, {
    docker,
    registry,
    scan,
    tempDir,
    pushRetry: deps.pushRetry,
    login: dockerLogin,
  });
}

/** Credentials for the target registry, and its ECR repository created first when asked. */
async function targetLogin(inputs: Inputs, deps: Deps) {
  const login = await resolveCredentials({ registry: inputs.image.registry, ...inputs }, deps.ecr);
  if (login.ecr && inputs.createRepository) {
    await ensureEcrRepository(deps.ecr, {
      registry: inputs.image.registry,
      repository: inputs.image.repository,
      endpoint: inputs.endpoint,
      immutableTags: inputs.immutableTags,
    });
  }
  return login;
}

/**
 * Promotes an image by digest: its manifest is PUT under the new tags through the registry API, blobs mounted
 * (or copied from another registry) as needed. No Docker, no pull, no build; the digest is verified.
 */
async function promote(inputs: Inputs, deps: Deps): Promise<Published> {
  const source = inputs.sourceImage!;
  const target = inputs.image;
  const login = await targetLogin(inputs, deps);
  const targetClient = deps.registry(target.registry, login.credentials);
  let sourceClient = targetClient;
  if (source.registry !== target.registry) {
    const sourceEcr = parseEcrHost(source.registry);
    const sourceLogin = sourceEcr
      ? await resolveCredentials(
          { registry: source.registry, ecr: 'true', endpoint: inputs.endpoint },
          deps.ecr,
        )
      : undefined;
    sourceClient = deps.registry(source.registry, sourceLogin?.credentials);
  }
  const sourceText = `${source.registry}/${source.repository}@${source.digest}`;
  const result = await copyImage({
    source: { client: sourceClient, repository: source.repository, digest: source.digest! },
    target: { client: targetClient, repository: target.repository },
    tags: inputs.tags,
    onBlob: (digest, how) => core.debug(`${digest}: ${how}`),
  });
  return {
    repository: `${target.registry}/${target.repository}`,
    digest: result.digest,
    pushed: true,
    tags: result.tags,
    labels: [],
    how: 'promoted',
    source: sourceText,
    scan: { result: 'skipped' },
  };
}

/** The post step: log out of what main logged in to. It only warns. */
export async function post(deps: Pick<Deps, 'runner' | 'state'> = defaultDeps()): Promise<void> {
  const docker = new DockerCli(deps.runner);
  for (const host of deps.state.get('loggedIn') ?? []) {
    await docker.logout(host);
    core.info(`Logged out of ${host}.`);
  }
}
