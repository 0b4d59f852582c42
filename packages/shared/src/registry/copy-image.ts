import type { Descriptor, Manifest, RegistryClient } from './registry-client';
import { RegistryError } from './registry-client';

export interface ImageLocation {
  client: RegistryClient;
  repository: string;
}

export interface CopyImageOptions {
  source: ImageLocation & { digest: string };
  target: ImageLocation;
  /** Tags to point at the image in the target repository. */
  tags: readonly string[];
  /** Told about each blob that had to be mounted or copied (for a log line). */
  onBlob?: (digest: string, how: 'present' | 'mounted' | 'copied') => void;
}

export interface CopyImageResult {
  digest: string;
  mediaType: string;
  tags: string[];
}

/**
 * Tags an existing image without pulling or rebuilding it: the manifest's exact bytes are PUT under each tag
 * (so the digest cannot change), after every blob and child manifest it refers to is present in the target
 * repository: mounted across repositories on the same registry, copied between registries otherwise.
 * Each tag is then read back with a HEAD and must give the source digest.
 */
export async function copyImage(options: CopyImageOptions): Promise<CopyImageResult> {
  const { source, target } = options;
  const manifest = await source.client.getManifest(source.repository, source.digest);
  if (!manifest) {
    throw new RegistryError(
      `${source.client.registry}/${source.repository}@${source.digest} does not exist.`,
      404,
    );
  }
  const sameRepository =
    source.client.registry === target.client.registry && source.repository === target.repository;
  if (!sameRepository) await ensureContent(manifest, options);
  for (const tag of options.tags) {
    const digest = await target.client.putManifest(
      target.repository,
      tag,
      manifest.body,
      manifest.descriptor.mediaType,
    );
    if (digest !== source.digest) {
      throw new RegistryError(
        `${target.repository}:${tag} was stored as ${digest}, not ${source.digest}.`,
        502,
      );
    }
  }
  await verifyTags(target, options.tags, source.digest);
  return { digest: source.digest, mediaType: manifest.descriptor.mediaType, tags: [...options.tags] };
}

/** Reads each tag back (manifest HEAD) and fails unless it resolves to `digest`. */
export async function verifyTags(location: ImageLocation, tags: readonly string[], digest: string) {
  for (const tag of tags) {
    const found = await location.client.headManifest(location.repository, tag);
    if (found?.digest !== digest) {
      throw new RegistryError(
        `${location.client.registry}/${location.repository}:${tag} resolves to ${found?.digest ?? 'nothing'}, expected ${digest}.`,
        409,
      );
    }
  }
}

async function ensureContent(manifest: Manifest, options: CopyImageOptions): Promise<void> {
  const { source, target } = options;
  for (const child of manifest.json.manifests ?? []) {
    if (await target.client.headManifest(target.repository, child.digest)) continue;
    const childManifest = await source.client.getManifest(source.repository, child.digest);
    if (!childManifest) {
      throw new RegistryError(`The index refers to ${child.digest}, which the source registry lacks.`, 404);
    }
    await ensureContent(childManifest, options);
    await target.client.putManifest(target.repository, child.digest, childManifest.body, child.mediaType);
  }
  // foreign (non-distributable) layers live elsewhere by definition: registries never hold them
  const blobs: Descriptor[] = [
    ...(manifest.json.config ? [manifest.json.config] : []),
    ...(manifest.json.layers ?? []),
  ];
  for (const blob of blobs) {
    if (!(blob as Descriptor & { urls?: string[] }).urls?.length) await ensureBlob(blob.digest, options);
  }
}

async function ensureBlob(digest: string, options: CopyImageOptions): Promise<void> {
  const { source, target } = options;
  if (await target.client.blobExists(target.repository, digest)) {
    options.onBlob?.(digest, 'present');
    return;
  }
  if (source.client.registry === target.client.registry) {
    if (await target.client.mountBlob(target.repository, digest, source.repository)) {
      options.onBlob?.(digest, 'mounted');
      return;
    }
  }
  const data = await source.client.getBlob(source.repository, digest);
  await target.client.uploadBlob(target.repository, digest, data);
  options.onBlob?.(digest, 'copied');
}
