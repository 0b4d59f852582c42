// build-push run() with the real Docker Engine and registries: build, scan, push and verify (the registry
// features - ECR, push: false, labels, basic auth - are in build-push-registries.test.ts; the shared set-up is
// helpers/run-fixture.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEDIA_TYPES, sha256Digest } from '@slipway/shared';
import { describeWithInfra, startProxy } from '@slipway/testing';
import { verifyPushed } from '../src/build-image';
import { BUILD_INPUTS_LABEL } from '../src/build-inputs';
import { type Deps, run } from '../src/main';
import { buildPushFixture } from './helpers/run-fixture';
import { FIXTURES } from './helpers/standin-trivy';
import { randomSha } from './helpers/workspace';

// Real builds and pushes on a shared, busy machine: a generous limit so load never fails a test (no assertion
// depends on time).
jest.setTimeout(180_000);

describeWithInfra('build-push run() with the real Docker Engine and registries', (infra) => {
  const { ws, repos, repo, inputs, deps, outputs, summary, trivyLog, open } = buildPushFixture(infra);

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
});
