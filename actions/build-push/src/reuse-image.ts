import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { copyImage, type Descriptor, logGroup, platformName, type RegistryClient } from '@slipway/shared';
import { BUILD_INPUTS_LABEL } from './build-inputs';
import type { DockerCli } from './docker-cli';
import type { Inputs } from './inputs';
import { pullOciLayout } from './oci-layout';
import type { Published } from './outputs';
import { type ScanDeps, scanAndGate } from './scan/scan-gate';

/**
 * The image under `sha-<commit>` when it was built from the same inputs (its build-inputs label is `hash`).
 * The tag alone is not enough: a matrix building variants of one commit (another target, Dockerfile, build
 * args or platforms) into one repository shares that tag, and each variant must get its own image.
 */
export async function findReusable(
  registry: RegistryClient,
  repository: string,
  shaTag: string,
  hash: string,
): Promise<Descriptor | undefined> {
  const existing = await registry.headManifest(repository, shaTag);
  if (!existing) return undefined;
  const config = await registry.getImageConfig(repository, existing.digest);
  const found = config?.json.config?.Labels?.[BUILD_INPUTS_LABEL];
  if (found === hash) return existing;
  core.info(
    `${registry.registry}/${repository}:${shaTag} exists (${existing.digest}) but was built from other inputs (${BUILD_INPUTS_LABEL} ${found ?? 'missing'}, now ${hash}): building.`,
  );
  return undefined;
}

export interface ReuseDeps {
  registry: RegistryClient;
  docker: DockerCli;
  scan: ScanDeps;
  tempDir: string;
}

/**
 * Reuses an existing image: unless `scan` is off it is scanned again first (every platform, from an OCI
 * archive of the registry's exact content) and must pass today's gate with today's DB and settings, as a new
 * build would; only then are the other tags added through the registry API.
 */
export async function reuseImage(
  inputs: Inputs,
  existing: Descriptor,
  tags: string[],
  labels: Array<[string, string]>,
  deps: ReuseDeps,
): Promise<Published> {
  const repository = `${inputs.image.registry}/${inputs.image.repository}`;
  const label = `${repository}@${existing.digest}`;
  core.info(`${label} was built from these inputs for this commit: reusing it instead of building.`);
  let scan: Published['scan'] = { result: 'skipped' };
  if (inputs.scan) {
    const work = mkdtempSync(join(deps.tempDir, 'build-push-reuse-'));
    try {
      const layout = join(work, 'layout');
      mkdirSync(layout);
      await pullOciLayout(deps.registry, inputs.image.repository, existing.digest, layout);
      const archive = join(work, 'image.tar');
      await deps.docker.pack(layout, archive);
      const platforms = await imagePlatforms(deps.registry, inputs.image.repository, existing.digest);
      const targets = platforms.map((platform) => ({ input: archive, platform }));
      scan = await logGroup('build-push: scan (reused image)', () =>
        scanAndGate(inputs, targets, label, deps.scan),
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  await copyImage({
    source: { client: deps.registry, repository: inputs.image.repository, digest: existing.digest },
    target: { client: deps.registry, repository: inputs.image.repository },
    tags,
  });
  return { repository, digest: existing.digest, pushed: true, tags, labels, how: 'reused', scan };
}

/** The platforms of an image: an index's entries (not attestations), or a manifest's config os/arch. */
async function imagePlatforms(registry: RegistryClient, repository: string, digest: string) {
  const manifest = await registry.getManifest(repository, digest);
  const entries = (manifest?.json.manifests ?? []).filter((m) => m.platform && m.platform.os !== 'unknown');
  if (entries.length) return entries.map((m) => platformName(m.platform!));
  const config = await registry.getImageConfig(repository, digest);
  const { os = 'linux', architecture = 'amd64', variant } = config?.json ?? {};
  return [platformName({ os, architecture, variant })];
}
