import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Descriptor, type RegistryClient, sha256Digest } from '@slipway/shared';

/**
 * Pushes an OCI image layout (what `docker buildx build --output type=oci` writes) through the registry API:
 * every blob and child manifest first, then the top manifest under each tag, byte for byte, so the digest
 * pushed is the digest of what was built and scanned. Returns that digest.
 */
export async function pushOciLayout(
  layout: string,
  registry: RegistryClient,
  repository: string,
  tags: readonly string[],
): Promise<Descriptor> {
  const top = topDescriptor(layout);
  const body = await pushTree(layout, registry, repository, top);
  for (const tag of tags) await registry.putManifest(repository, tag, body, top.mediaType);
  return top;
}

/** The one image an OCI layout holds (its index.json entry). */
export function topDescriptor(layout: string): Descriptor {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests?: Descriptor[] };
  if (index.manifests?.length !== 1) {
    throw new Error(
      `The OCI layout ${layout} holds ${index.manifests?.length ?? 0} images; expected exactly one.`,
    );
  }
  return index.manifests[0];
}

async function pushTree(layout: string, registry: RegistryClient, repository: string, node: Descriptor) {
  const body = readBlob(layout, node.digest);
  const json = JSON.parse(body.toString('utf8')) as {
    manifests?: Descriptor[];
    config?: Descriptor;
    layers?: Descriptor[];
  };
  for (const child of json.manifests ?? []) {
    const childBody = await pushTree(layout, registry, repository, child);
    await registry.putManifest(repository, child.digest, childBody, child.mediaType);
  }
  for (const blob of [...(json.config ? [json.config] : []), ...(json.layers ?? [])]) {
    if (await registry.blobExists(repository, blob.digest)) continue;
    await registry.uploadBlob(repository, blob.digest, readBlob(layout, blob.digest));
  }
  return body;
}

function readBlob(layout: string, digest: string): Buffer {
  const [algorithm, hex] = digest.split(':');
  const path = join(layout, 'blobs', algorithm, hex);
  if (!existsSync(path)) throw new Error(`The OCI layout ${layout} lacks ${digest}.`);
  const data = readFileSync(path);
  if (sha256Digest(data) !== digest)
    throw new Error(`The OCI layout's blob ${digest} does not match its digest.`);
  return data;
}

/**
 * The reverse of `pushOciLayout`: writes an image from the registry (a manifest or an index with its platform
 * manifests) into an OCI image layout folder, blob by blob, so it can be scanned as a built archive is.
 */
export async function pullOciLayout(
  registry: RegistryClient,
  repository: string,
  digest: string,
  layout: string,
): Promise<void> {
  const put = (data: Buffer, digestOf: string) => {
    const [algorithm, hex] = digestOf.split(':');
    mkdirSync(join(layout, 'blobs', algorithm), { recursive: true });
    writeFileSync(join(layout, 'blobs', algorithm, hex), data);
  };
  const pullTree = async (reference: string): Promise<Descriptor> => {
    const manifest = await registry.getManifest(repository, reference);
    if (!manifest) throw new Error(`${registry.registry}/${repository}@${reference} does not exist.`);
    for (const child of manifest.json.manifests ?? []) await pullTree(child.digest);
    for (const blob of [
      ...(manifest.json.config ? [manifest.json.config] : []),
      ...(manifest.json.layers ?? []),
    ])
      put(await registry.getBlob(repository, blob.digest), blob.digest);
    put(manifest.body, manifest.descriptor.digest);
    return manifest.descriptor;
  };
  const top = await pullTree(digest);
  writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: top.mediaType, digest: top.digest, size: top.size }],
    }),
  );
}
