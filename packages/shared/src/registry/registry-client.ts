import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import { type RetryOptions, retry } from '../retry';
import { isLoopbackRegistry, registryApiHost } from './image-reference';
import {
  basicAuthorization,
  type Challenge,
  fetchBearerToken,
  parseChallenge,
  type RegistryCredentials,
} from './registry-auth';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** Every manifest type we can read, indexes first, so a registry never down-converts a multi-platform image. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifest,
].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
}

/** The parts of an image config (the config blob) that are read here. */
export interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  config?: { Labels?: Record<string, string> | null };
}

export interface Manifest {
  descriptor: Descriptor;
  /** The exact bytes: a manifest is re-tagged by PUTting these, never a re-serialisation. */
  body: Buffer;
  json: { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
}

/** A registry answer that was not what we asked for; `status` lets `isTransient` pick the retryable ones. */
export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface RegistryClientOptions {
  /** The registry host as in the image reference (`ghcr.io`, `127.0.0.1:5000`, `docker.io`). */
  registry: string;
  credentials?: RegistryCredentials;
  /** Plain HTTP; default only for loopback registries. */
  insecure?: boolean;
  fetch?: typeof fetch;
  /** Retries on 5xx, 429 and timeouts (the shared `retry`, `isTransient`). */
  retry?: RetryOptions;
  /** One request's time limit. */
  timeoutMs?: number;
}

export const sha256Digest = (data: Buffer): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * A client of the OCI distribution HTTP API: manifests (HEAD, GET, PUT), blobs (exists, mount, get,
 * upload), with the auth handshake (anonymous, Basic, Bearer from the WWW-Authenticate realm) and retries.
 */
export class RegistryClient {
  readonly registry: string;
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.registry = options.registry;
    const insecure = options.insecure ?? isLoopbackRegistry(options.registry);
    this.base = `${insecure ? 'http' : 'https'}://${registryApiHost(options.registry)}`;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The manifest's descriptor, or undefined when the tag or digest does not exist. */
  async headManifest(repository: string, reference: string): Promise<Descriptor | undefined> {
    const res = await this.send('HEAD', `/v2/${repository}/manifests/${reference}`, pull(repository), {
      headers: { accept: MANIFEST_ACCEPT },
      ok: [200, 404],
    });
    if (res.status === 404) return undefined;
    const digest = res.headers.get('docker-content-digest');
    if (!digest) return (await this.getManifest(repository, reference))?.descriptor;
    return {
      digest,
      mediaType: res.headers.get('content-type') ?? '',
      size: Number(res.headers.get('content-length') ?? 0),
    };
  }

  async getManifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.send('GET', `/v2/${repository}/manifests/${reference}`, pull(repository), {
      headers: { accept: MANIFEST_ACCEPT },
      ok: [200, 404],
    });
    if (res.status === 404) return undefined;
    const body = Buffer.from(await res.arrayBuffer());
    const digest = sha256Digest(body);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(
        `The manifest ${repository}@${reference} has the wrong content (${digest}).`,
        502,
      );
    }
    const json = JSON.parse(body.toString('utf8')) as Manifest['json'];
    const mediaType = json.mediaType ?? res.headers.get('content-type') ?? MEDIA_TYPES.ociManifest;
    return { descriptor: { mediaType, digest, size: body.length }, body, json };
  }

  /**
   * The image config (the config blob) of a tag or digest, or undefined when there is no such image. For an
   * index, the config of the entry for `platform` (os/arch[/variant]), or of the first real platform (not
   * buildx's `unknown/unknown` attestations) when none is named.
   */
  async getImageConfig(
    repository: string,
    reference: string,
    platform?: string,
  ): Promise<{ digest: string; json: ImageConfig } | undefined> {
    let manifest = await this.getManifest(repository, reference);
    if (manifest?.json.manifests) {
      const entries = manifest.json.manifests.filter((m) => m.platform && m.platform.os !== 'unknown');
      const entry = platform
        ? entries.find(
            (m) =>
              platformName(m.platform!) === platform ||
              `${m.platform!.os}/${m.platform!.architecture}` === platform,
          )
        : entries[0];
      if (!entry) return undefined;
      manifest = await this.getManifest(repository, entry.digest);
    }
    const config = manifest?.json.config;
    if (!config) return undefined;
    const blob = await this.getBlob(repository, config.digest);
    return { digest: config.digest, json: JSON.parse(blob.toString('utf8')) as ImageConfig };
  }

  /** PUTs manifest bytes under a tag or digest and returns the digest the registry reports. */
  async putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const res = await this.send('PUT', `/v2/${repository}/manifests/${reference}`, push(repository), {
      headers: { 'content-type': mediaType },
      body,
      ok: [201, 200],
    });
    return res.headers.get('docker-content-digest') ?? sha256Digest(body);
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const res = await this.send('HEAD', `/v2/${repository}/blobs/${digest}`, pull(repository), {
      ok: [200, 404],
    });
    return res.status === 200;
  }

  /** Cross-repository mount; false when the registry would rather have the blob uploaded. */
  async mountBlob(repository: string, digest: string, from: string): Promise<boolean> {
    const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    const res = await this.send(
      'POST',
      `/v2/${repository}/blobs/uploads/?${query}`,
      [...push(repository), ...pull(from)],
      { ok: [201, 202] },
    );
    return res.status === 201;
  }

  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const res = await this.send('GET', `/v2/${repository}/blobs/${digest}`, pull(repository), { ok: [200] });
    const data = Buffer.from(await res.arrayBuffer());
    if (sha256Digest(data) !== digest) {
      throw new RegistryError(`The blob ${repository}@${digest} came back with different content.`, 502);
    }
    return data;
  }

  /** A monolithic upload: POST for a session, PUT the bytes with their digest. */
  async uploadBlob(repository: string, digest: string, data: Buffer): Promise<void> {
    await retry(async () => {
      const start = await this.send('POST', `/v2/${repository}/blobs/uploads/`, push(repository), {
        ok: [202],
        retries: false,
      });
      const location = new URL(start.headers.get('location') ?? '', `${this.base}/`);
      location.searchParams.set('digest', digest);
      await this.send('PUT', location.pathname + location.search, push(repository), {
        headers: { 'content-type': 'application/octet-stream' },
        body: data,
        ok: [201],
        retries: false,
      });
    }, this.options.retry);
  }

  async listTags(repository: string): Promise<string[]> {
    const res = await this.send('GET', `/v2/${repository}/tags/list`, pull(repository), { ok: [200, 404] });
    if (res.status === 404) return [];
    return ((await res.json()) as { tags?: string[] | null }).tags ?? [];
  }

  private async send(
    method: string,
    path: string,
    scopes: string[],
    opts: { headers?: Record<string, string>; body?: Buffer; ok: number[]; retries?: boolean },
  ): Promise<Response> {
    const once = async () => {
      let res = await this.attempt(method, path, scopes, opts);
      if (res.status === 401) {
        this.challenge = parseChallenge(res.headers.get('www-authenticate'));
        this.tokens.delete(scopes.join(' '));
        await res.body?.cancel();
        res = await this.attempt(method, path, scopes, opts);
        if (res.status === 401) throw this.refused(res.status);
      }
      if (res.status === 403) throw this.refused(res.status, `${method} ${path}`);
      if (!opts.ok.includes(res.status)) {
        const text = method === 'HEAD' ? '' : (await res.text()).slice(0, 300);
        throw new RegistryError(
          `${this.registry} answered ${res.status} to ${method} ${path}${text ? `: ${text}` : ''}`,
          res.status,
        );
      }
      return res;
    };
    return opts.retries === false ? once() : retry(once, this.options.retry);
  }

  private async attempt(
    method: string,
    path: string,
    scopes: string[],
    opts: { headers?: Record<string, string>; body?: Buffer },
  ): Promise<Response> {
    const headers: Record<string, string> = { ...opts.headers };
    const authorization = await this.authorization(scopes);
    if (authorization) headers.authorization = authorization;
    return this.fetch(`${this.base}${path}`, {
      method,
      headers,
      body: opts.body ? new Uint8Array(opts.body) : undefined,
      redirect: 'follow',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }

  private async authorization(scopes: string[]): Promise<string | undefined> {
    const { challenge } = this;
    const credentials = this.options.credentials;
    if (challenge?.scheme === 'bearer') {
      const key = scopes.join(' ');
      let token = this.tokens.get(key);
      if (!token) {
        token = await fetchBearerToken({
          challenge,
          scopes,
          credentials,
          fetch: this.fetch,
          timeoutMs: this.timeoutMs,
        });
        this.tokens.set(key, token);
      }
      return `Bearer ${token}`;
    }
    if (challenge?.scheme === 'basic' && credentials) return basicAuthorization(credentials);
    return undefined;
  }

  private refused(status: number, what?: string): UserError {
    const who = this.options.credentials
      ? `the credentials of "${this.options.credentials.username}"`
      : 'anonymous access (no credentials were given)';
    return new UserError(
      `${this.registry} refused ${who}${what ? ` for ${what}` : ''} (${status}): check the username and password (or the ECR permissions) and that they may pull and push this repository.`,
    );
  }
}

/** `os/arch[/variant]`, as `--platform` takes it. */
export const platformName = (p: { os: string; architecture: string; variant?: string }): string =>
  [p.os, p.architecture, p.variant].filter(Boolean).join('/');

const pull = (repository: string) => [`repository:${repository}:pull`];
const push = (repository: string) => [`repository:${repository}:pull,push`];
