import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import {
  CommandError,
  logGroup,
  type RegistryClient,
  RegistryError,
  type RetryOptions,
  UserError,
  verifyTags,
} from '@slipway/shared';
import { type Builder, type BuildSpec, buildCommand } from './build-command';
import type { DockerCli } from './docker-cli';
import type { Inputs } from './inputs';
import { pushOciLayout, topDescriptor } from './oci-layout';
import type { Published } from './outputs';
import { type ScanDeps, scanAndGate } from './scan/scan-gate';

export interface BuildDeps {
  docker: DockerCli;
  registry: RegistryClient;
  scan: ScanDeps;
  tempDir: string;
  pushRetry?: RetryOptions;
  login: () => Promise<void>;
}

/**
 * Builds the image into the local store (several platforms: into an OCI archive), scans it, then pushes
 * exactly it: every tag must still be the built image ID when pushed, and afterwards every tag must resolve in
 * the registry to one digest whose config is that image. Nothing is pushed when the scan refuses it, nor ever
 * with `push: false` (the build and the scan gate are the same; the registry is never contacted).
 * `login` runs once the build command is known to be possible, so a refused combination has no side effect.
 */
export async function buildScanPush(
  inputs: Inputs,
  tags: string[],
  labels: Array<[string, string]>,
  deps: BuildDeps,
): Promise<Published> {
  const repository = `${inputs.image.registry}/${inputs.image.repository}`;
  const refs = tags.map((t) => `${repository}:${t}`);
  const work = mkdtempSync(join(deps.tempDir, 'build-push-'));
  try {
    const builder: Builder = (await deps.docker.hasBuildx()) ? 'buildx' : 'docker';
    const spec: BuildSpec = {
      context: inputs.context,
      file: inputs.file,
      target: inputs.target,
      buildArgs: inputs.buildArgs,
      secrets: inputs.secrets,
      platforms: inputs.platforms,
      cacheFrom: inputs.cacheFrom,
      cacheTo: inputs.cacheTo,
      labels,
      pull: inputs.pull,
      noCache: inputs.noCache,
      tags: refs,
      iidFile: join(work, 'iid'),
      metadataFile: join(work, 'metadata.json'),
    };
    // without a scan buildx pushes a multi-platform build itself; with push: false it must never push
    if (builder === 'buildx' && inputs.platforms.length > 1 && (inputs.scan || !inputs.push))
      spec.ociArchive = join(work, 'image.tar');
    const command = buildCommand(spec, builder);
    if (builder === 'buildx' && inputs.platforms.length > 1)
      await checkMultiPlatform(deps.docker, inputs.platforms);
    await deps.login();
    await logGroup(`build-push: build with ${builder === 'buildx' ? 'docker buildx' : 'docker build'}`, () =>
      runBuild(deps.docker, spec, builder),
    );
    if (command.output === 'push')
      return await verifyBuildxPush(inputs, tags, labels, spec.metadataFile, deps);
    if (command.output === 'oci')
      return await scanPushArchive(inputs, tags, labels, spec.ociArchive!, work, deps);

    // The daemon's own ID for the tag, not the iidfile: what buildx writes there differs between drivers,
    // versions and image stores (config digest vs manifest digest), while `docker image inspect` is what
    // every later check compares with.
    const imageId = await deps.docker.imageId(refs[0]);
    if (!imageId) throw new Error(`The build finished but ${refs[0]} is not in the local image store.`);
    core.info(`Built ${imageId}`);
    const scan = inputs.scan
      ? await logGroup('build-push: scan', () =>
          scanAndGate(inputs, [{ image: refs[0] }], refs[0], deps.scan),
        )
      : ({ result: 'skipped' } as const);
    if (!inputs.push)
      return { repository, digest: '', pushed: false, imageId, tags, labels, how: 'built', scan };
    await logGroup('build-push: push', async () => {
      for (const ref of refs) {
        const id = await deps.docker.imageId(ref);
        if (id !== imageId) {
          throw new UserError(
            `${ref} is ${id ?? 'missing'} now, not the built and scanned ${imageId}; it was retagged during the run. Nothing more was pushed.`,
          );
        }
        await deps.docker.push(ref, deps.pushRetry);
      }
    });
    const digest = await verifyPushed(deps.registry, inputs.image.repository, tags, imageId);
    return { repository, digest, pushed: true, imageId, tags, labels, how: 'built', scan };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Several platforms need a builder that can hold them: buildx's `docker` driver (the default builder) cannot,
 * unless the daemon keeps its images in containerd. Refused before any login or build; a builder buildx cannot
 * describe is left to buildx, which says why itself.
 */
export async function checkMultiPlatform(docker: DockerCli, platforms: string[]): Promise<void> {
  const builder = await docker.buildxBuilder();
  if (builder?.driver !== 'docker' || (await docker.containerdImageStore())) return;
  throw new UserError(
    `Input "platforms" lists ${platforms.length} platforms, but the buildx builder "${builder.name}" uses the docker driver, which builds one platform at a time (unless Docker keeps its images in containerd). Create a builder with the docker-container driver before this step (docker/setup-buildx-action does), or build one platform per step.`,
  );
}

/**
 * Runs the build. A cache export must never fail it: buildx is told to ignore export errors, and where it
 * refuses a cache export outright (the docker driver has none), the build runs again without cache-to.
 */
export async function runBuild(docker: DockerCli, spec: BuildSpec, builder: Builder): Promise<void> {
  const command = buildCommand(spec, builder);
  for (const warning of command.warnings) core.warning(warning);
  try {
    await docker.run(command.args, command.env);
  } catch (error) {
    const stderr = error instanceof CommandError ? error.stderr : '';
    if (!spec.cacheTo.length || !/cache export|exporting cache|export cache/i.test(stderr)) throw error;
    core.warning(
      `The cache export failed, so the image is built again without cache-to: ${stderr.trim().split('\n').pop()}`,
    );
    await docker.run(buildCommand({ ...spec, cacheTo: [] }, builder).args, command.env);
  }
}

/**
 * Confirms the push with the registry itself: the first tag's manifest HEAD gives the digest, every tag must
 * give the same, and the manifest's config must be the image that was built and scanned.
 */
export async function verifyPushed(
  registry: RegistryClient,
  repository: string,
  tags: string[],
  imageId: string,
) {
  const head = await registry.headManifest(repository, tags[0]);
  if (!head)
    throw new RegistryError(
      `${registry.registry}/${repository}:${tags[0]} is not in the registry after the push.`,
      404,
    );
  await verifyTags({ client: registry, repository }, tags, head.digest);
  const manifest = await registry.getManifest(repository, head.digest);
  const config = manifest?.json.config?.digest;
  if (config !== imageId && head.digest !== imageId) {
    throw new RegistryError(
      `${registry.registry}/${repository}:${tags[0]} (${head.digest}) has config ${config}, not the built image ${imageId}.`,
      409,
    );
  }
  core.info(`Verified in the registry: ${tags.length} tag(s) -> ${head.digest}`);
  return head.digest;
}

/**
 * A multi-platform image from an OCI archive: every platform scanned (unless `scan` is off), then the archive's
 * exact content pushed through the registry API (blobs, platform manifests, the index under each tag) and
 * verified; with `push: false`, only its index digest is reported.
 */
async function scanPushArchive(
  inputs: Inputs,
  tags: string[],
  labels: Array<[string, string]>,
  archive: string,
  work: string,
  deps: BuildDeps,
): Promise<Published> {
  const repository = `${inputs.image.registry}/${inputs.image.repository}`;
  const targets = inputs.platforms.map((platform) => ({ input: archive, platform }));
  const scan: Published['scan'] = inputs.scan
    ? await logGroup('build-push: scan', () =>
        scanAndGate(inputs, targets, `${repository} (${inputs.platforms.join(', ')})`, deps.scan),
      )
    : { result: 'skipped' };
  const layout = join(work, 'layout');
  mkdirSync(layout);
  await deps.docker.extract(archive, layout);
  if (!inputs.push) {
    const imageId = topDescriptor(layout).digest;
    return { repository, digest: '', pushed: false, imageId, tags, labels, how: 'built', scan };
  }
  const top = await logGroup('build-push: push', () =>
    pushOciLayout(layout, deps.registry, inputs.image.repository, tags),
  );
  await verifyTags({ client: deps.registry, repository: inputs.image.repository }, tags, top.digest);
  core.info(`Verified in the registry: ${tags.length} tag(s) -> ${top.digest}`);
  return {
    repository,
    digest: top.digest,
    pushed: true,
    imageId: top.digest,
    tags,
    labels,
    how: 'built',
    scan,
  };
}

async function verifyBuildxPush(
  inputs: Inputs,
  tags: string[],
  labels: Array<[string, string]>,
  metadataFile: string,
  deps: BuildDeps,
): Promise<Published> {
  const repository = `${inputs.image.registry}/${inputs.image.repository}`;
  const metadata = existsSync(metadataFile) ? JSON.parse(readFileSync(metadataFile, 'utf8')) : {};
  const digest = metadata['containerimage.digest'] as string | undefined;
  if (!digest) throw new Error('docker buildx did not report the digest it pushed (--metadata-file).');
  await verifyTags({ client: deps.registry, repository: inputs.image.repository }, tags, digest);
  return { repository, digest, pushed: true, tags, labels, how: 'built', scan: { result: 'skipped' } };
}
