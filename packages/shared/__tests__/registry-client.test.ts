import { randomBytes } from 'node:crypto';
import { deleteRegistryRepository, describeWithInfra, startHttpServer, startProxy } from '@slipway/testing';
import { copyImage } from '../src/registry/copy-image';
import { MEDIA_TYPES, RegistryClient, sha256Digest } from '../src/registry/registry-client';

const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

describeWithInfra('RegistryClient against the real local registries', (infra) => {
  const suffix = randomBytes(4).toString('hex');
  const repo = (what: string) => `bp-${suffix}/${what}`;
  const auth = infra.registry?.auth;
  const open = () => new RegistryClient({ registry: infra.registry.open, retry: fast });
  const basic = () =>
    new RegistryClient({
      registry: auth.host,
      credentials: { username: auth.username, password: auth.password },
      retry: fast,
    });
  let baseDigest: string;

  beforeAll(async () => {
    const head = await open().headManifest('slipway/busybox', '1');
    baseDigest = head!.digest;
  });
  afterAll(async () => {
    for (const what of ['mounted', 'bearer', 'retry', 'index'])
      await deleteRegistryRepository(infra.registry.open, repo(what));
    await deleteRegistryRepository(auth.host, repo('copied'), auth);
  });

  it('reads a manifest whose bytes match its digest', async () => {
    const manifest = await open().getManifest('slipway/busybox', '1');
    expect(manifest!.descriptor.digest).toBe(baseDigest);
    expect(sha256Digest(manifest!.body)).toBe(baseDigest);
    expect(manifest!.json.layers!.length).toBeGreaterThan(0);
    expect(await open().headManifest('slipway/busybox', 'no-such-tag')).toBeUndefined();
  });

  it('reads the image config of a manifest, and of one platform of an index', async () => {
    const single = await open().getImageConfig('slipway/busybox', '1');
    const manifest = await open().getManifest('slipway/busybox', '1');
    expect(single!.digest).toBe(manifest!.json.config!.digest);
    expect(single!.json.os).toBe('linux');
    // an index of two real images as amd64 and arm64, plus a buildx-style attestation entry first
    const client = open();
    const entries = [];
    for (const [source, architecture] of [
      ['slipway/caddy', 'unknown'],
      ['slipway/busybox', 'amd64'],
      ['slipway/caddy', 'arm64'],
    ]) {
      const digest = (await client.headManifest(source, '1'))!.digest;
      await copyImage({
        source: { client, repository: source, digest },
        target: { client, repository: repo('index') },
        tags: [`src-${architecture}`],
      });
      const m = (await client.getManifest(source, '1'))!;
      entries.push({
        ...m.descriptor,
        platform: { os: architecture === 'unknown' ? 'unknown' : 'linux', architecture },
      });
    }
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: entries }),
    );
    await client.putManifest(repo('index'), 'multi', index, MEDIA_TYPES.ociIndex);
    const caddy = (await client.getManifest('slipway/caddy', '1'))!.json.config!.digest;
    const busybox = manifest!.json.config!.digest;
    expect((await client.getImageConfig(repo('index'), 'multi'))!.digest).toBe(busybox);
    expect((await client.getImageConfig(repo('index'), 'multi', 'linux/arm64'))!.digest).toBe(caddy);
    expect(await client.getImageConfig(repo('index'), 'multi', 'linux/s390x')).toBeUndefined();
    expect(await client.getImageConfig(repo('index'), 'no-such-tag')).toBeUndefined();
  });

  it('tags across repositories of one registry by mounting blobs', async () => {
    const client = open();
    const how: string[] = [];
    const result = await copyImage({
      source: { client, repository: 'slipway/busybox', digest: baseDigest },
      target: { client, repository: repo('mounted') },
      tags: ['a', 'b'],
      onBlob: (_d, h) => how.push(h),
    });
    expect(result.digest).toBe(baseDigest);
    expect(how).toContain('mounted');
    expect((await open().headManifest(repo('mounted'), 'b'))!.digest).toBe(baseDigest);
  });

  it('copies between registries, with Basic auth on the target', async () => {
    const how: string[] = [];
    await copyImage({
      source: { client: open(), repository: 'slipway/busybox', digest: baseDigest },
      target: { client: basic(), repository: repo('copied') },
      tags: ['v1'],
      onBlob: (_d, h) => how.push(h),
    });
    expect(how.every((h) => h === 'copied' || h === 'present')).toBe(true);
    expect((await basic().headManifest(repo('copied'), 'v1'))!.digest).toBe(baseDigest);
    const anonymous = new RegistryClient({ registry: auth.host, retry: fast });
    await expect(anonymous.headManifest(repo('copied'), 'v1')).rejects.toThrow(/refused anonymous access/);
    const wrong = new RegistryClient({
      registry: auth.host,
      credentials: { username: auth.username, password: 'nope' },
    });
    await expect(wrong.headManifest(repo('copied'), 'v1')).rejects.toThrow(
      /refused the credentials of "slipway" .*check the username and password/,
    );
  });

  it('does the Bearer handshake with the realm named in WWW-Authenticate', async () => {
    const token = `tok-${suffix}`;
    const seen: string[] = [];
    const tokenServer = await startHttpServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      seen.push(
        `${url.searchParams.get('service')} ${url.searchParams.getAll('scope').join(' ')} ${req.headers.authorization ?? '-'}`,
      );
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ token }));
    });
    const front = await startProxy(infra.registry.open, {
      intercept: (req, res) => {
        if (req.headers.authorization === `Bearer ${token}`) return false;
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${tokenServer.url}/token",service="local"` });
        res.end();
        return true;
      },
    });
    try {
      const host = `127.0.0.1:${front.port}`;
      const client = new RegistryClient({
        registry: host,
        credentials: { username: 'u', password: 'p' },
        retry: fast,
      });
      await copyImage({
        source: { client, repository: 'slipway/busybox', digest: baseDigest },
        target: { client, repository: repo('bearer') },
        tags: ['t'],
      });
      expect((await client.headManifest(repo('bearer'), 't'))!.digest).toBe(baseDigest);
      const basicHeader = `Basic ${Buffer.from('u:p').toString('base64')}`;
      expect(seen).toContain(`local repository:slipway/busybox:pull ${basicHeader}`);
      expect(seen).toContain(
        `local repository:${repo('bearer')}:pull,push repository:slipway/busybox:pull ${basicHeader}`,
      );
    } finally {
      await front.close();
      await tokenServer.close();
    }
  });

  it('retries a request that times out', async () => {
    let stalled = 0;
    const front = await startProxy(infra.registry.open, {
      intercept: (req) => {
        if (req.method !== 'HEAD' || stalled >= 1) return false;
        stalled++;
        return true; // never answered: the client's time limit must end it
      },
    });
    try {
      const client = new RegistryClient({ registry: `127.0.0.1:${front.port}`, retry: fast, timeoutMs: 300 });
      expect((await client.headManifest('slipway/busybox', '1'))!.digest).toBe(baseDigest);
      expect(stalled).toBe(1);
    } finally {
      await front.close();
    }
  });

  it('retries 5xx answers', async () => {
    let failures = 0;
    const front = await startProxy(infra.registry.open, {
      intercept: (req, res) => {
        if (req.method !== 'PUT' || failures >= 2) return false;
        failures++;
        req.resume();
        res.writeHead(503).end('busy');
        return true;
      },
    });
    try {
      const client = new RegistryClient({ registry: `127.0.0.1:${front.port}`, retry: fast });
      await copyImage({
        source: { client, repository: 'slipway/busybox', digest: baseDigest },
        target: { client, repository: repo('retry') },
        tags: ['r'],
      });
      expect(failures).toBe(2);
      expect((await open().headManifest(repo('retry'), 'r'))!.digest).toBe(baseDigest);
      const noRetry = new RegistryClient({ registry: `127.0.0.1:${front.port}`, retry: { attempts: 1 } });
      failures = 0;
      await expect(
        noRetry.putManifest(
          repo('retry'),
          'x',
          Buffer.from('{}'),
          'application/vnd.oci.image.manifest.v1+json',
        ),
      ).rejects.toMatchObject({ status: 503 });
    } finally {
      await front.close();
    }
  });
});
