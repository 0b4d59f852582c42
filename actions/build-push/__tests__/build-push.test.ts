import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ecrService, startEndpoint, startRegistryFront } from '@slipway/ecs-local';
import { InputReader, MEDIA_TYPES, mapInputs, RegistryClient, sha256Digest } from '@slipway/shared';
import { deleteRegistryRepository, describeWithInfra, parseCommandFile, startProxy } from '@slipway/testing';
import { verifyPushed } from '../src/build-image';
import { BUILD_INPUTS_LABEL } from '../src/build-inputs';
import { getInputs } from '../src/inputs';
import { type Deps, defaultDeps, type PostState, post, run } from '../src/main';
import { FIXTURES, writeStandinTrivy } from './helpers/standin-trivy';
import { makeWorkspace, randomSha, removeImages } from './helpers/workspace';

const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };
// Real builds and pushes on a shared, busy machine: a generous limit so load never fails a test (no assertion
// depends on time).
jest.setTimeout(180_000);

describeWithInfra('build-push run() with the real Docker Engine and registries', (infra) => {
  const suffix = randomBytes(4).toString('hex');
  const ws = makeWorkspace();
  writeFileSync(join(ws.workspace, '.trivyignore'), 'CVE-2000-0001\n');
  const trivy = writeStandinTrivy(join(ws.root, 'bin'));
  const files = join(ws.root, 'files');
  const repos: Array<[string, string]> = [];
  const repo = (registry: string, name: string) => {
    repos.push([registry, `bp-${suffix}/${name}`]);
    return `${registry}/bp-${suffix}/${name}`;
  };
  const saved = { ...process.env };
  let outputs: () => Record<string, string>;
  let summary: () => string;

  beforeEach(() => {
    mkdirSync(files, { recursive: true });
    const out = join(files, `output-${randomBytes(3).toString('hex')}`);
    // @actions/core keeps the first summary path it sees: one file for the whole test file, emptied per test
    const sum = join(files, 'summary.md');
    writeFileSync(out, '');
    writeFileSync(sum, '');
    Object.assign(process.env, {
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: sum,
      DOCKER_CONFIG: join(ws.root, 'docker-config'),
      STANDIN_TRIVY_LOG: join(files, 'trivy.log'),
      STANDIN_TRIVY_REPORT: join(FIXTURES, 'ubi-7-comprehensive.json.golden'),
    });
    writeFileSync(join(files, 'trivy.log'), '');
    outputs = () => parseCommandFile(readFileSync(out, 'utf8'));
    summary = () => readFileSync(sum, 'utf8');
  });
  afterAll(async () => {
    process.env = saved;
    removeImages(suffix);
    for (const [registry, name] of repos) {
      await deleteRegistryRepository(
        registry,
        name,
        registry === infra.registry.auth.host ? infra.registry.auth : undefined,
      );
    }
    ws.remove();
  });
  afterEach(() => removeImages(suffix));

  const eventFile = join(ws.root, 'event.json');
  writeFileSync(eventFile, JSON.stringify({ repository: { default_branch: 'main' } }));
  const inputs = (values: Record<string, string>) =>
    getInputs(new InputReader(mapInputs({ 'build-args': `STAMP=${randomSha()}`, ...values })));
  const state = () => {
    const map = new Map<string, unknown>();
    return {
      save: (k: string, v: unknown) => map.set(k, v),
      get: (k: string) => map.get(k),
    } as unknown as Deps['state'];
  };
  // jest gives the test its own process.env, which child processes do not see: pass what they need explicitly
  const childEnv = () => ({
    DOCKER_CONFIG: process.env.DOCKER_CONFIG!,
    STANDIN_TRIVY_LOG: process.env.STANDIN_TRIVY_LOG!,
    STANDIN_TRIVY_REPORT: process.env.STANDIN_TRIVY_REPORT!,
  });
  const deps = (sha: string, over: Partial<Deps> = {}): Deps => {
    const base = defaultDeps();
    const runner: Deps['runner'] = {
      run: (command, args, options = {}) =>
        base.runner.run(command, args, { ...options, env: { ...childEnv(), ...options.env } }),
    };
    return {
      ...base,
      runner,
      env: {
        ...process.env,
        GITHUB_WORKSPACE: ws.workspace,
        RUNNER_TEMP: join(ws.root, 'temp'),
        RUNNER_TOOL_CACHE: join(ws.root, 'tool-cache'),
        GITHUB_SHA: sha,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_EVENT_PATH: eventFile,
      },
      scan: {
        ...base.scan,
        runner,
        installTrivy: async () => trivy,
        cacheDir: join(ws.root, 'trivy-db'),
        retry: fast,
      },
      registry: (registry, credentials) => new RegistryClient({ registry, credentials, retry: fast }),
      pushRetry: fast,
      state: state(),
      ...over,
    };
  };
  const trivyLog = () => readFileSync(process.env.STANDIN_TRIVY_LOG!, 'utf8');
  const open = () => new RegistryClient({ registry: infra.registry.open, retry: fast });

  it('builds, scans the local image, pushes exactly it, verifies the digest; a re-run skips the build', async () => {
    const image = repo(infra.registry.open, 'app');
    const sha = randomSha();
    const stamp = `STAMP=${randomSha()}`;
    await run(
      inputs({
        image,
        'build-args': stamp,
        tags: 'extra',
        'trivy-db-repositories': 'unreachable.invalid/db:2,mirror.local/db:2',
        'fail-on': 'CRITICAL',
        severity: 'LOW,HIGH,CRITICAL',
        'ignore-unfixed': 'true',
        'ignore-file': '.trivyignore',
      }),
      deps(sha),
    );
    const out = outputs();
    const short = `sha-${sha.slice(0, 7)}`;
    expect(out.image).toBe(image);
    expect(out.tags.split('\n')).toEqual([
      `${image}:main`,
      `${image}:latest`,
      `${image}:${short}`,
      `${image}:extra`,
    ]);
    expect(out['image-ref']).toBe(`${image}@${out.digest}`);
    const repository = image.slice(infra.registry.open.length + 1);
    for (const tag of ['main', 'latest', short, 'extra']) {
      expect((await open().headManifest(repository, tag))!.digest).toBe(out.digest);
    }
    // the scanned image is the pushed one: its ID is the pushed manifest's config
    const scanned = /scanned \S+ (sha256:[a-f0-9]{64})/.exec(trivyLog())![1];
    const manifest = await open().getManifest(repository, out.digest);
    expect(manifest!.json.config!.digest).toBe(scanned);
    expect(trivyLog()).toContain('"--db-repository","unreachable.invalid/db:2"');
    expect(trivyLog()).toContain('"--db-repository","mirror.local/db:2"');
    const scanArgs = JSON.parse(/^args (\[.*"--image-src".*\])$/m.exec(trivyLog())![1]) as string[];
    expect(scanArgs).toEqual(
      expect.arrayContaining([
        '--severity',
        'LOW,HIGH,CRITICAL',
        '--ignore-unfixed',
        '--ignorefile',
        join(ws.workspace, '.trivyignore'),
      ]),
    );
    expect(scanArgs.at(-1)).toBe(`${image}:main`);
    expect(out['scan-result']).toBe('passed');
    expect(JSON.parse(out.vulnerabilities)).toEqual({ UNKNOWN: 0, LOW: 1, MEDIUM: 0, HIGH: 1, CRITICAL: 0 });
    expect(JSON.parse(readFileSync(out['sarif-file'], 'utf8')).version).toBe('2.1.0');
    expect(JSON.parse(readFileSync(out['json-file'], 'utf8')).SchemaVersion).toBe(2);
    expect(summary()).toContain('| [CVE-2022-40897](https://avd.aquasec.com/nvd/cve-2022-40897) | HIGH |');
    expect(summary()).toMatch(/setuptools 0\.9\.8 \| 65\.5\.1/);
    expect(summary()).toMatch(/bash 4\.2\.46-33\.el7 \| no fix \(will_not_fix\)/);
    const metadata = JSON.parse(out.metadata);
    expect(metadata).toMatchObject({
      digest: out.digest,
      how: 'built',
      labels: { 'org.opencontainers.image.revision': sha },
    });

    // the image carries the hash of its build inputs
    const config = await open().getImageConfig(repository, out.digest);
    expect(config!.json.config!.Labels![BUILD_INPUTS_LABEL]).toMatch(/^sha256:[a-f0-9]{64}$/);

    // the same commit and inputs again: found by its sha tag and label, not built, but scanned again (from the
    // registry's content), and a new tag added to the same digest
    writeFileSync(process.env.STANDIN_TRIVY_LOG!, '');
    await run(inputs({ image, 'build-args': stamp, tags: 'again' }), deps(sha));
    expect(outputs()).toMatchObject({ digest: out.digest, 'scan-result': 'passed' });
    expect(JSON.parse(outputs().metadata).how).toBe('reused');
    expect(trivyLog()).toMatch(/scanned-input linux\/amd64 \S+image\.tar/);
    expect(trivyLog()).not.toMatch(/scanned \S+ sha256/);
    expect((await open().headManifest(repository, 'again'))!.digest).toBe(out.digest);

    // promote: the digest under a new tag in another repository, with no Docker at all
    const prod = repo(infra.registry.open, 'prod');
    const noDocker = {
      run: async () => {
        throw new Error('promote must not run any command');
      },
    };
    await run(
      inputs({ image: prod, 'source-image': `${image}@${out.digest}`, tags: 'prod,stable' }),
      deps(sha, { runner: noDocker }),
    );
    expect(outputs()).toMatchObject({ digest: out.digest, 'image-ref': `${prod}@${out.digest}` });
    for (const tag of ['prod', 'stable']) {
      expect((await open().headManifest(prod.slice(infra.registry.open.length + 1), tag))!.digest).toBe(
        out.digest,
      );
    }
  });

  it('skip-existing reuses only an image built from the same inputs; variants of one commit each get theirs', async () => {
    writeFileSync(
      join(ws.workspace, 'Dockerfile.variants'),
      'FROM local/busybox:1 AS a\nLABEL variant=a\nFROM local/busybox:1 AS b\nLABEL variant=b\n',
    );
    const image = repo(infra.registry.open, 'variants');
    const repository = image.slice(infra.registry.open.length + 1);
    const sha = randomSha();
    const variant = async (target: string, extra: Record<string, string> = {}) => {
      writeFileSync(process.env.STANDIN_TRIVY_LOG!, '');
      await run(
        inputs({
          image,
          file: 'Dockerfile.variants',
          target,
          'build-args': 'STAMP=1',
          tags: target,
          ...extra,
        }),
        deps(sha),
      );
      const out = outputs();
      const config = await open().getImageConfig(repository, out.digest);
      return {
        digest: out.digest,
        how: JSON.parse(out.metadata).how,
        variant: config!.json.config!.Labels!.variant,
      };
    };
    const a = await variant('a');
    const b = await variant('b');
    expect([a.how, a.variant, b.how, b.variant]).toEqual(['built', 'a', 'built', 'b']);
    expect(b.digest).not.toBe(a.digest);
    // another build arg value is another image too
    const b2 = await variant('b', { 'build-args': 'STAMP=2' });
    expect(b2.how).toBe('built');
    expect(b2.digest).not.toBe(b.digest);
    // the same inputs as the image now under sha-<short>: reused
    const again = await variant('b', { 'build-args': 'STAMP=2' });
    expect([again.how, again.digest]).toEqual(['reused', b2.digest]);

    // reused, it must still pass today's gate: a refused image gets no new tag
    process.env.STANDIN_TRIVY_REPORT = join(FIXTURES, 'alpine-39-high-critical.json.golden');
    await expect(
      run(
        inputs({ image, file: 'Dockerfile.variants', target: 'b', 'build-args': 'STAMP=2', tags: 'refused' }),
        deps(sha),
      ),
    ).rejects.toThrow(/The image was not pushed: 1 vulnerability at CRITICAL or above/);
    expect(outputs()['scan-result']).toBe('failed');
    expect(await open().headManifest(repository, 'refused')).toBeUndefined();
  });

  it('verifies a push against the registry: one digest for every tag, and the scanned image as its config', async () => {
    const manifest = (await open().getManifest('slipway/busybox', '1'))!;
    const config = manifest.json.config!.digest;
    await expect(verifyPushed(open(), 'slipway/busybox', ['1'], config)).resolves.toBe(
      manifest.descriptor.digest,
    );
    await expect(verifyPushed(open(), 'slipway/busybox', ['1'], `sha256:${'0'.repeat(64)}`)).rejects.toThrow(
      /has config sha256:[a-f0-9]{64}, not the built image sha256:0{64}/,
    );
    await expect(verifyPushed(open(), 'slipway/busybox', ['1', 'no-such-tag'], config)).rejects.toThrow(
      /slipway\/busybox:no-such-tag resolves to nothing/,
    );
  });

  it('scans every platform of a multi-platform build (buildx stand-in), then pushes the archive exactly', async () => {
    const layout = join(ws.root, 'layout');
    // The stand-in for buildx: an OCI archive of two real images from the registry, as linux/amd64 and linux/arm64.
    const writeArchive = async (dest: string) => {
      const blobs = join(layout, 'blobs', 'sha256');
      mkdirSync(blobs, { recursive: true });
      const put = (data: Buffer) => {
        const digest = sha256Digest(data);
        writeFileSync(join(blobs, digest.slice(7)), data);
        return { digest, size: data.length };
      };
      const manifests = [];
      for (const [repository, architecture] of [
        ['slipway/busybox', 'amd64'],
        ['slipway/caddy', 'arm64'],
      ]) {
        const m = (await open().getManifest(repository, '1'))!;
        for (const blob of [m.json.config!, ...m.json.layers!])
          put(await open().getBlob(repository, blob.digest));
        manifests.push({
          mediaType: m.descriptor.mediaType,
          ...put(m.body),
          platform: { os: 'linux', architecture },
        });
      }
      const index = put(
        Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests })),
      );
      writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      writeFileSync(
        join(layout, 'index.json'),
        JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MEDIA_TYPES.ociIndex, ...index }] }),
      );
      execFileSync('tar', ['-cf', dest, '-C', layout, '.']);
      return index.digest;
    };
    let built: string | undefined;
    const real = deps(randomSha());
    const buildx: Deps['runner'] = {
      run: async (command, args, options) => {
        if (command !== 'docker' || args[0] !== 'buildx') return real.runner.run(command, args, options);
        if (args[1] === 'version')
          return { code: 0, stdout: 'github.com/docker/buildx (stand-in)', stderr: '' };
        // a builder that holds several platforms, as docker/setup-buildx-action makes
        if (args[1] === 'inspect')
          return { code: 0, stdout: 'Name:   builder-1\nDriver: docker-container\n', stderr: '' };
        expect(args).toEqual(expect.arrayContaining(['--platform', 'linux/amd64,linux/arm64']));
        built = await writeArchive(args[args.indexOf('--output') + 1].replace('type=oci,dest=', ''));
        return { code: 0, stdout: '', stderr: '' };
      },
    };
    const image = repo(infra.registry.open, 'multi');
    await run(inputs({ image, platforms: 'linux/amd64,linux/arm64' }), { ...real, runner: buildx });
    const out = outputs();
    expect(out.digest).toBe(built);
    const repository = image.slice(infra.registry.open.length + 1);
    for (const tag of ['main', 'latest'])
      expect((await open().headManifest(repository, tag))!.digest).toBe(built);
    expect((await open().getManifest(repository, built!))!.json.manifests).toHaveLength(2);
    expect(trivyLog()).toMatch(/scanned-input linux\/amd64 \S+image\.tar/);
    expect(trivyLog()).toMatch(/scanned-input linux\/arm64 \S+image\.tar/);
    const merged = JSON.parse(readFileSync(out['json-file'], 'utf8')) as {
      Results: Array<{ Target: string }>;
    };
    expect(merged.Results.map((r) => r.Target.split(':')[0])).toEqual([
      'linux/amd64',
      'linux/amd64',
      'linux/arm64',
      'linux/arm64',
    ]);
    expect(JSON.parse(out.vulnerabilities)).toMatchObject({ HIGH: 1, LOW: 1 });
  });

  it('scans an image with JAR files: the Java DB is fetched from its mirrors into the cache, once', async () => {
    const context = join(ws.workspace, 'java');
    mkdirSync(context, { recursive: true });
    writeFileSync(join(context, 'app.jar'), 'PK not really a jar');
    writeFileSync(join(context, 'Dockerfile'), 'FROM local/busybox:1\nCOPY app.jar /app/app.jar\n');
    const image = repo(infra.registry.open, 'java');
    const cacheDir = join(ws.root, 'trivy-db');
    rmSync(join(cacheDir, 'java-db'), { recursive: true, force: true });
    const javaInputs = {
      image,
      context: 'java',
      'trivy-java-db-repositories': 'unreachable.invalid/java-db:1,mirror.local/java-db:1',
    };
    await run(inputs(javaInputs), deps(randomSha()));
    expect(outputs()['scan-result']).toBe('passed');
    expect(trivyLog()).toContain('java-db mirror.local/java-db:1');
    expect(JSON.parse(readFileSync(join(cacheDir, 'java-db', 'metadata.json'), 'utf8')).Repository).toBe(
      'mirror.local/java-db:1',
    );
    writeFileSync(process.env.STANDIN_TRIVY_LOG!, '');
    await run(inputs(javaInputs), deps(randomSha()));
    expect(outputs()['scan-result']).toBe('passed');
    expect(trivyLog()).not.toContain('java-db ');
  });

  it('refuses an image over the fail-on threshold and pushes nothing, keeping the full report', async () => {
    process.env.STANDIN_TRIVY_REPORT = join(FIXTURES, 'alpine-39-high-critical.json.golden');
    const image = repo(infra.registry.open, 'vulnerable');
    await expect(run(inputs({ image, 'fail-on': 'critical' }), deps(randomSha()))).rejects.toThrow(
      /The image was not pushed: 1 vulnerability at CRITICAL or above \(CVE-2019-14697\)/,
    );
    expect(await open().listTags(image.slice(infra.registry.open.length + 1))).toEqual([]);
    const out = outputs();
    expect(out['scan-result']).toBe('failed');
    expect(JSON.parse(out.vulnerabilities).CRITICAL).toBe(1);
    expect(existsSync(out['json-file'])).toBe(true);
    expect(summary()).toContain('**Refused**');
    expect(summary()).toMatch(/musl 1\.1\.20-r4, musl-utils 1\.1\.20-r4 \| 1\.1\.20-r5/);
  });

  it('retries a push the registry answers with 503, then verifies it', async () => {
    let failures = 0;
    const proxy = await startProxy(infra.registry.open, {
      intercept: (req, res) => {
        if (req.method !== 'PUT' || !req.url?.includes('/manifests/') || failures >= 2) return false;
        failures++;
        req.resume();
        res.writeHead(503).end('busy');
        return true;
      },
    });
    try {
      const image = repo(`127.0.0.1:${proxy.port}`, 'flaky');
      repos.push([infra.registry.open, image.split('/').slice(1).join('/')]);
      await run(inputs({ image, scan: 'false' }), deps(randomSha()));
      expect(failures).toBe(2);
      const digest = outputs().digest;
      expect((await open().headManifest(image.split('/').slice(1).join('/'), 'main'))!.digest).toBe(digest);
    } finally {
      await proxy.close();
    }
  });

  it('with immutable-tags, leaves out the moving tags an immutable ECR repository (ecs-local) refuses to overwrite', async () => {
    const { auth } = infra.registry;
    let ecr: ReturnType<typeof ecrService> | undefined;
    const front = await startRegistryFront({
      upstream: `http://${auth.host}`,
      isImmutable: (name) => ecr?.repositories.get(name)?.imageTagMutability === 'IMMUTABLE',
    });
    ecr = ecrService({ registry: { url: front.url, username: auth.username, password: auth.password } });
    const endpoint = await startEndpoint({ services: [ecr] });
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      const image = repo(front.host, 'immutable');
      const name = image.slice(front.host.length + 1);
      repos.push([auth.host, name]);
      const ecrInputs = {
        image,
        ecr: 'true',
        endpoint: endpoint.url,
        'create-repository': 'true',
        'immutable-tags': 'true',
        scan: 'false',
      };
      // two commits on main: the second push must not need to overwrite anything
      const digests: string[] = [];
      const pushed: string[] = [];
      for (const sha of [randomSha(), randomSha()]) {
        await run(inputs(ecrInputs), deps(sha));
        digests.push(outputs().digest);
        pushed.push(outputs().tags);
      }
      expect(pushed).toEqual(
        digests.map(() => expect.stringMatching(new RegExp(`^${image}:sha-[a-f0-9]{7}$`))),
      );
      expect(ecr.repositories.get(name)?.imageTagMutability).toBe('IMMUTABLE');
      const client = new RegistryClient({ registry: auth.host, credentials: auth, retry: fast });
      expect(digests[0]).not.toBe(digests[1]);
      expect((await client.listTags(name)).sort()).toEqual(
        [...digests.keys()].map(() => expect.stringMatching(/^sha-/)),
      );
    } finally {
      await endpoint.close();
      await front.close();
    }
  });

  /** Deps whose runner records every docker command (its first argument, e.g. build, login, push). */
  const recording = (sha: string, over: Partial<Deps> = {}) => {
    const d = deps(sha, over);
    const docker: string[] = [];
    const runner: Deps['runner'] = {
      run: (command, args, options) => {
        if (command === 'docker') docker.push(args[0]);
        return d.runner.run(command, args, options);
      },
    };
    return { deps: { ...d, runner, scan: { ...d.scan, runner } }, docker };
  };

  it('with push false, builds and scans without contacting the registry, even where skip-existing would reuse', async () => {
    let requests = 0;
    const proxy = await startProxy(infra.registry.open, {
      intercept: () => {
        requests++;
        return false;
      },
    });
    try {
      const image = repo(`127.0.0.1:${proxy.port}`, 'no-push');
      const repository = image.split('/').slice(1).join('/');
      repos.push([infra.registry.open, repository]);
      const sha = randomSha();
      const same = { image, 'build-args': 'STAMP=same', tags: 'first' };
      await run(inputs(same), deps(sha));
      const pushed = outputs().digest;
      expect(requests).toBeGreaterThan(0);

      // the same commit and inputs, push false: skip-existing would reuse the pushed image, but is not asked
      requests = 0;
      writeFileSync(process.env.STANDIN_TRIVY_LOG!, '');
      const r = recording(sha);
      await run(inputs({ ...same, tags: 'pr-only', push: 'false' }), r.deps);
      expect(requests).toBe(0);
      expect(r.docker).not.toContain('login');
      expect(r.docker).not.toContain('push');
      // `build` (classic) or `buildx` (as on GitHub's runners and after scripts/infra.sh)
      expect(r.docker).toEqual(expect.arrayContaining([expect.stringMatching(/^build(x)?$/)]));
      const out = outputs();
      expect(out['image-ref']).toBe('');
      expect(out.digest).toBe('');
      expect(out['image-id']).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(JSON.parse(out.metadata)).toMatchObject({ pushed: false, how: 'built', imageRef: '' });
      // the scan was of the built image, which is in the local store under the tags
      const scanned = /scanned (\S+) (sha256:[a-f0-9]{64})/.exec(trivyLog())!;
      expect(scanned[1]).toBe(`${image}:main`);
      expect(scanned[2]).toBe(out['image-id']);
      const local = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', `${image}:pr-only`]);
      expect(local.toString().trim()).toBe(out['image-id']);
      expect(out['scan-result']).toBe('passed');
      expect(JSON.parse(out.vulnerabilities)).toMatchObject({ HIGH: 1, LOW: 1 });
      expect(existsSync(out['json-file'])).toBe(true);
      expect(summary()).toContain('Built, not pushed (push: false)');
      // and the registry is as the first run left it
      expect((await open().listTags(repository)).sort()).toEqual(
        ['first', 'latest', 'main', `sha-${sha.slice(0, 7)}`].sort(),
      );
      expect((await open().headManifest(repository, 'main'))!.digest).toBe(pushed);
    } finally {
      await proxy.close();
    }
  });

  it('with push false, logs in nowhere (no ECR token, docker config untouched), pushes nothing, and a failing scan still fails', async () => {
    const { auth } = infra.registry;
    const image = repo(auth.host, 'fork-pr');
    const repository = image.slice(auth.host.length + 1);
    const noEcr: Deps['ecr'] = {
      credentials: async () => {
        throw new Error('push false must not ask ECR for a token');
      },
      client: () => {
        throw new Error('push false must not create an ECR repository');
      },
    };
    const configFile = join(process.env.DOCKER_CONFIG!, 'config.json');
    mkdirSync(process.env.DOCKER_CONFIG!, { recursive: true });
    writeFileSync(configFile, '{"auths":{}}\n');
    const forkPr = {
      image,
      push: 'false',
      username: auth.username,
      password: auth.password,
      ecr: 'true',
      'create-repository': 'true',
    };
    const r = recording(randomSha(), { ecr: noEcr });
    await run(inputs(forkPr), r.deps);
    expect(r.docker).not.toContain('login');
    expect(r.docker).not.toContain('push');
    expect(readFileSync(configFile, 'utf8')).toBe('{"auths":{}}\n');
    expect((r.deps.state as unknown as { get(k: string): unknown }).get('loggedIn')).toBeUndefined();
    expect(outputs()).toMatchObject({ 'image-ref': '', 'scan-result': 'passed' });

    process.env.STANDIN_TRIVY_REPORT = join(FIXTURES, 'alpine-39-high-critical.json.golden');
    writeFileSync(process.env.STANDIN_TRIVY_LOG!, '');
    await expect(run(inputs(forkPr), recording(randomSha(), { ecr: noEcr }).deps)).rejects.toThrow(
      /1 vulnerability at CRITICAL or above \(CVE-2019-14697\)/,
    );
    expect(trivyLog()).toMatch(/scanned \S+ sha256:[a-f0-9]{64}/);
    expect(outputs()['scan-result']).toBe('failed');
    expect(JSON.parse(outputs().vulnerabilities).CRITICAL).toBe(1);

    // the registry's own API: the repository is unknown (404 NAME_UNKNOWN), not merely without tags
    const tagList = await fetch(`http://${auth.host}/v2/${repository}/tags/list`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      },
    });
    expect(tagList.status).toBe(404);
    expect(await tagList.text()).toContain('NAME_UNKNOWN');
    expect(readFileSync(configFile, 'utf8')).toBe('{"auths":{}}\n');
  });

  it('puts the OCI labels from the git context on the pushed image (read back from the registry)', async () => {
    const image = repo(infra.registry.open, 'labelled');
    const repository = image.slice(infra.registry.open.length + 1);
    const sha = randomSha();
    const created = new Date('2026-03-04T05:06:07.000Z');
    const d = deps(sha, { now: () => created });
    d.env = {
      ...d.env,
      GITHUB_REF: 'refs/tags/v1.2.3',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REPOSITORY: 'acme/widget',
      GITHUB_SERVER_URL: 'https://git.example.com',
    };
    await run(inputs({ image, scan: 'false' }), d);
    const out = outputs();
    expect(out.tags.split('\n')[0]).toBe(`${image}:1.2.3`);
    const config = await open().getImageConfig(repository, out.digest);
    const labels = config!.json.config!.Labels!;
    expect(
      Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith('org.opencontainers.image.'))),
    ).toEqual({
      'org.opencontainers.image.title': 'widget',
      'org.opencontainers.image.source': 'https://git.example.com/acme/widget',
      'org.opencontainers.image.url': 'https://git.example.com/acme/widget',
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.created': '2026-03-04T05:06:07.000Z',
    });
    // that config is the image built here (image-id is set for a push too)
    expect(config!.digest).toBe(out['image-id']);
  });

  it('logs in to the basic-auth registry on stdin and logs out in the post step', async () => {
    const { auth } = infra.registry;
    const image = repo(auth.host, 'private');
    const d = deps(randomSha());
    await run(inputs({ image, username: auth.username, password: auth.password, scan: 'false' }), d);
    const config = readFileSync(join(process.env.DOCKER_CONFIG!, 'config.json'), 'utf8');
    expect(config).toContain(auth.host);
    const client = new RegistryClient({ registry: auth.host, credentials: auth, retry: fast });
    expect((await client.headManifest(image.slice(auth.host.length + 1), 'main'))!.digest).toBe(
      outputs().digest,
    );
    expect((d.state as unknown as { get(k: string): unknown }).get('loggedIn')).toEqual([auth.host]);
    await post({
      runner: d.runner,
      state: d.state as Deps['state'] as unknown as import('@slipway/shared').StateStore<PostState>,
    });
    expect(readFileSync(join(process.env.DOCKER_CONFIG!, 'config.json'), 'utf8')).not.toContain(auth.host);
  });
});
