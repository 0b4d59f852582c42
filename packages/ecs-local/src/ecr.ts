import { createHash, randomBytes } from 'node:crypto';
import { AwsError, invalidParameter, type Service } from './protocol';

export interface EcrOptions {
  /** The local registry ECR tokens log in to, e.g. http://127.0.0.1:5001, with its basic-auth user. */
  registry: { url: string; username?: string; password?: string };
  /** The account the repositories belong to (registryId); default 000000000000. */
  accountId?: string;
  /** How long a token is valid, in seconds (ECR: 12 hours). */
  tokenTtlSeconds?: number;
  now?: () => Date;
}

interface Repository {
  repositoryArn: string;
  registryId: string;
  repositoryName: string;
  repositoryUri: string;
  createdAt: number;
  imageTagMutability: string;
  imageScanningConfiguration: { scanOnPush: boolean };
}

export interface EcrService extends Service {
  repositories: Map<string, Repository>;
}

const NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * Amazon ECR's API (AmazonEC2ContainerRegistry_V20150921) in front of a real local registry:
 * GetAuthorizationToken hands out the registry's basic-auth user as ECR does (base64 `user:password`, the
 * proxyEndpoint, expiresAt); repositories are kept in memory; DescribeImages reads the registry's HTTP API.
 */
export function ecrService(options: EcrOptions): EcrService {
  const accountId = options.accountId ?? '000000000000';
  const now = options.now ?? (() => new Date());
  const host = new URL(options.registry.url).host;
  const repositories = new Map<string, Repository>();
  const epoch = () => now().getTime() / 1000;

  const registryFetch = (path: string, method = 'GET', body?: { data: string; type: string }) => {
    const headers: Record<string, string> = { accept: MANIFEST_TYPES };
    if (body) headers['content-type'] = body.type;
    const { username, password } = options.registry;
    if (username)
      headers.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    return fetch(`${options.registry.url}/v2/${path}`, { method, headers, body: body?.data });
  };

  const repositoryOf = (input: Record<string, unknown>): Repository => {
    const name = String(input.repositoryName ?? '');
    const repository = repositories.get(name);
    if (!repository) {
      throw new AwsError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${accountId}'`,
      );
    }
    return repository;
  };

  return {
    targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
    repositories,
    operations: {
      GetAuthorizationToken: (input) => {
        const ids = (input.registryIds as string[] | undefined) ?? [accountId];
        const { username = 'AWS', password = randomBytes(16).toString('hex') } = options.registry;
        const token = Buffer.from(`${username}:${password}`).toString('base64');
        const expiresAt = epoch() + (options.tokenTtlSeconds ?? 43_200);
        return {
          authorizationData: ids.map(() => ({
            authorizationToken: token,
            expiresAt,
            proxyEndpoint: options.registry.url,
          })),
        };
      },

      CreateRepository: (input) => {
        const name = String(input.repositoryName ?? '');
        if (!NAME.test(name) || name.length < 2 || name.length > 256) {
          throw invalidParameter(
            `Invalid parameter at 'repositoryName' failed to satisfy constraint: '${name}'`,
          );
        }
        if (repositories.has(name)) {
          throw new AwsError(
            'RepositoryAlreadyExistsException',
            `The repository with name '${name}' already exists in the registry with id '${accountId}'`,
          );
        }
        const scanning = input.imageScanningConfiguration as { scanOnPush?: boolean } | undefined;
        const repository: Repository = {
          repositoryArn: `arn:aws:ecr:local:${accountId}:repository/${name}`,
          registryId: accountId,
          repositoryName: name,
          repositoryUri: `${host}/${name}`,
          createdAt: epoch(),
          imageTagMutability: String(input.imageTagMutability ?? 'MUTABLE'),
          imageScanningConfiguration: { scanOnPush: Boolean(scanning?.scanOnPush) },
        };
        repositories.set(name, repository);
        return { repository };
      },

      DescribeRepositories: (input) => {
        const names = input.repositoryNames as string[] | undefined;
        if (!names?.length) return { repositories: [...repositories.values()] };
        return { repositories: names.map((name) => repositoryOf({ repositoryName: name })) };
      },

      PutImage: async (input) => {
        const repository = repositoryOf(input);
        const name = repository.repositoryName;
        const manifest = String(input.imageManifest ?? '');
        const type = String(
          input.imageManifestMediaType ??
            JSON.parse(manifest || '{}').mediaType ??
            'application/vnd.oci.image.manifest.v1+json',
        );
        const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
        const tag = input.imageTag as string | undefined;
        if (tag && repository.imageTagMutability === 'IMMUTABLE') {
          const head = await registryFetch(`${name}/manifests/${tag}`, 'HEAD');
          const existing = head.ok ? head.headers.get('docker-content-digest') : undefined;
          if (existing && existing !== digest) {
            throw new AwsError(
              'ImageTagAlreadyExistsException',
              `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the tag is immutable.`,
            );
          }
        }
        const put = await registryFetch(`${name}/manifests/${tag ?? digest}`, 'PUT', {
          data: manifest,
          type,
        });
        if (!put.ok) throw invalidParameter(`The registry refused the manifest: ${await put.text()}`);
        return {
          image: {
            registryId: accountId,
            repositoryName: name,
            imageId: { imageDigest: digest, ...(tag ? { imageTag: tag } : {}) },
            imageManifest: manifest,
            imageManifestMediaType: type,
          },
        };
      },

      DescribeImages: async (input) => {
        const repository = repositoryOf(input);
        const name = repository.repositoryName;
        const list = await registryFetch(`${name}/tags/list`);
        const tags = list.ok ? (((await list.json()) as { tags?: string[] | null }).tags ?? []) : [];
        const byDigest = new Map<string, { imageTags: string[]; mediaType: string; size: number }>();
        for (const tag of tags) {
          const res = await registryFetch(`${name}/manifests/${tag}`);
          if (!res.ok) continue;
          const digest = res.headers.get('docker-content-digest') ?? '';
          const manifest = (await res.json()) as { mediaType?: string; layers?: Array<{ size: number }> };
          const entry = byDigest.get(digest) ?? {
            imageTags: [],
            mediaType: manifest.mediaType ?? res.headers.get('content-type') ?? '',
            size: (manifest.layers ?? []).reduce((sum, l) => sum + l.size, 0),
          };
          entry.imageTags.push(tag);
          byDigest.set(digest, entry);
        }
        let details = [...byDigest].map(([imageDigest, e]) => ({
          registryId: accountId,
          repositoryName: name,
          imageDigest,
          imageTags: e.imageTags.sort(),
          imageSizeInBytes: e.size,
          imageManifestMediaType: e.mediaType,
          imagePushedAt: epoch(),
        }));
        const ids = input.imageIds as Array<{ imageTag?: string; imageDigest?: string }> | undefined;
        if (ids?.length) {
          details = ids.map((id) => {
            const found = details.find(
              (d) =>
                (id.imageDigest && d.imageDigest === id.imageDigest) ||
                (id.imageTag && d.imageTags.includes(id.imageTag)),
            );
            if (!found) {
              throw new AwsError(
                'ImageNotFoundException',
                `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${name}' in the registry with id '${accountId}'`,
              );
            }
            return found;
          });
        }
        return { imageDetails: details };
      },
    },
  };
}
