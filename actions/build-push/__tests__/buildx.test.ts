import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, copyImage, InputReader, mapInputs, RegistryClient } from '@slipway/shared';
import { deleteRegistryRepository, describeWithInfra, parseCommandFile } from '@slipway/testing';
import { getInputs } from '../src/inputs';
import { type Deps, defaultDeps, type PostState, run } from '../src/main';
import { FIXTURES, writeStandinTrivy } from './helpers/standin-trivy';
import { makeWorkspace, randomSha, removeImages } from './helpers/workspace';

const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };
jest.setTimeout(180_000);

/**
 * A multi-stage Dockerfile: `app` is the target; the stage after it fails, so building past the target fails the
 * test. The secret is mounted, never stored: the image keeps only its hash.
 */
const DOCKERFILE = `FROM 127.0.0.1:5000/slipway/busybox:1 AS base
ARG STAMP
RUN echo "$STAMP" > /stamp
FROM base AS app
ARG GREETING
RUN echo "$GREETING" > /greeting
RUN --mount=type=secret,id=api_token sha256sum /run/secrets/api_token | cut -d' ' -f1 > /token.sha256
FROM app AS broken
RUN echo "built past the target" && false
`;

/** `docker buildx version` as it answers on this runner ("" when buildx is missing). */
const buildxVersion = (() => {
  try {
    return execFileSync('docker', ['buildx', 'version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '';
  }
})();

/** The same without the secret mount, which the classic builder cannot read. */
const CLASSIC_DOCKERFILE = DOCKERFILE.replace(/^RUN --mount.*\n/m, '');

describeWithInfra(
  `build-push with docker buildx for real (${buildxVersion || 'buildx missing'})`,
  (infra) => {
    const suffix = randomBytes(4).toString('hex');
    const ws = makeWorkspace();
    writeFileSync(join(ws.workspace, 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(ws.workspace, 'Dockerfile.classic'), CLASSIC_DOCKERFILE);
    const trivy = writeStandinTrivy(join(ws.root, 'bin'));
    const files = join(ws.root, 'files');
    mkdirSync(files, { recursive: true });
    const repos: string[] = [];
    const repo = (name: string) => {
      repos.push(`bp-${suffix}/${name}`);
      return `${infra.registry.open}/bp-${suffix}/${name}`;
    };
    const open = new RegistryClient({ registry: infra.registry.open, retry: fast });
    const env = {
      DOCKER_CONFIG: join(ws.root, 'docker-config'),
      STANDIN_TRIVY_LOG: join(files, 'trivy.log'),
      STANDIN_TRIVY_REPORT: join(FIXTURES, 'ubi-7-comprehensive.json.golden'),
    };
    const saved = { ...process.env };
    let outputFile = '';

    beforeAll(() => {
      if (!buildxVersion) throw new Error('docker buildx is not installed: run "scripts/infra.sh up".');
    });
    beforeEach(() => {
      outputFile = join(files, `output-${randomBytes(3).toString('hex')}`);
      writeFileSync(outputFile, '');
      writeFileSync(env.STANDIN_TRIVY_LOG, '');
      writeFileSync(join(files, 'summary.md'), '');
      Object.assign(process.env, {
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: join(files, 'summary.md'),
      });
    });
    afterAll(async () => {
      process.env = saved;
      removeImages(suffix);
      for (const name of repos) await deleteRegistryRepository(infra.registry.open, name);
      ws.remove();
    });

    const outputs = () => parseCommandFile(readFileSync(outputFile, 'utf8'));
    const trivyLog = () => readFileSync(env.STANDIN_TRIVY_LOG, 'utf8');
    const inputs = (values: Record<string, string>) =>
      getInputs(
        new InputReader(mapInputs({ 'build-args': `STAMP=${randomSha()}`, target: 'app', ...values })),
      );

    interface Call {
      args: string[];
      env: Record<string, string>;
      stderr: string;
    }
    /**
     * Real Docker; every docker call recorded with its stderr. `withoutBuildx` answers `docker buildx version` as
     * a runner without buildx does (the classic `docker build` path).
     */
    const deps = (opts: { withoutBuildx?: boolean; dockerHost?: string } = {}) => {
      const base = defaultDeps();
      const calls: Call[] = [];
      const childEnv = { ...env, ...(opts.dockerHost ? { DOCKER_HOST: opts.dockerHost } : {}) };
      const runner: Deps['runner'] = {
        run: async (command, args, options = {}) => {
          if (command === 'docker' && opts.withoutBuildx && args[0] === 'buildx') {
            return { code: 1, stdout: '', stderr: "docker: 'buildx' is not a docker command." };
          }
          const call: Call = { args: [...args], env: { ...options.env }, stderr: '' };
          if (command === 'docker') calls.push(call);
          try {
            const result = await base.runner.run(command, args, {
              ...options,
              env: { ...childEnv, ...options.env },
            });
            call.stderr = result.stderr;
            return result;
          } catch (error) {
            if (error instanceof CommandError) call.stderr = error.stderr;
            throw error;
          }
        },
      };
      const saved = new Map<string, unknown>();
      const d: Deps = {
        ...base,
        runner,
        env: {
          ...process.env,
          GITHUB_WORKSPACE: ws.workspace,
          RUNNER_TEMP: join(ws.root, 'temp'),
          RUNNER_TOOL_CACHE: join(ws.root, 'tool-cache'),
          GITHUB_SHA: randomSha(),
          GITHUB_REF: 'refs/heads/main',
          GITHUB_EVENT_NAME: 'push',
          GITHUB_REPOSITORY: 'acme/app',
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
        state: {
          save: (k: keyof PostState, v: unknown) => saved.set(k, v),
          get: (k: keyof PostState) => saved.get(k),
        } as unknown as Deps['state'],
      };
      const builds = () =>
        calls.filter((c) => c.args[0] === 'build' || (c.args[0] === 'buildx' && c.args[1] === 'build'));
      return { deps: d, calls, builds };
    };

    /** Whether BuildKit's plain progress says the step (`#N [stage i/n] RUN ...`) came from the cache. */
    const cached = (log: string, step: string) => {
      const line = log.split('\n').find((l) => /^#\d+ \[/.test(l) && l.includes(step));
      const n = line?.split(' ')[0];
      return !!n && log.split('\n').includes(`${n} CACHED`);
    };

    /** Runs a command in the pushed image (pulled by digest), with the main daemon or another one. */
    const inImage = (ref: string, script: string, dockerHost?: string) =>
      execFileSync('docker', [
        ...(dockerHost ? ['-H', dockerHost] : []),
        'run',
        '--rm',
        ref,
        'sh',
        '-c',
        script,
      ])
        .toString()
        .trim();

    it('builds the target stage with build args, labels and a secret (by environment), pushes exactly what it scanned', async () => {
      const image = repo('app');
      const stamp = randomSha();
      const token = `tok-${randomBytes(12).toString('hex')}`;
      const r = deps();
      await run(
        inputs({
          image,
          target: 'app',
          'build-args': `STAMP=${stamp}\nGREETING=hello from buildx`,
          labels: 'org.example.team=payments',
          secrets: `api_token=${token}`,
        }),
        r.deps,
      );
      const out = outputs();
      const [build] = r.builds();
      expect(build.args.slice(0, 2)).toEqual(['buildx', 'build']);
      expect(build.args).toEqual(expect.arrayContaining(['--target', 'app', '--load']));
      // the secret reaches buildx through the environment only
      expect(build.args.join(' ')).not.toContain(token);
      const secretArg = build.args[build.args.indexOf('--secret') + 1];
      expect(secretArg).toMatch(/^id=api_token,env=SLIPWAY_BUILD_SECRET_0$/);
      expect(build.env.SLIPWAY_BUILD_SECRET_0).toBe(token);

      // the pushed image is the scanned one, and carries what was asked for
      const repository = image.slice(infra.registry.open.length + 1);
      const scanned = /scanned \S+ (sha256:[a-f0-9]{64})/.exec(trivyLog())![1];
      const manifest = await open.getManifest(repository, out.digest);
      expect(manifest!.json.config!.digest).toBe(scanned);
      const ref = out['image-ref'];
      expect(inImage(ref, 'cat /stamp /greeting /token.sha256')).toBe(
        [stamp, 'hello from buildx', createHash('sha256').update(token).digest('hex')].join('\n'),
      );
      const inspect = execFileSync('docker', [
        'image',
        'inspect',
        '--format',
        '{{json .Config.Labels}}',
        ref,
      ]);
      expect(JSON.parse(inspect.toString())).toMatchObject({ 'org.example.team': 'payments' });
      // the secret is in no layer, no history entry, no config
      const history = execFileSync('docker', ['history', '--no-trunc', ref]).toString();
      expect(history).not.toContain(token);
      const saved = execFileSync('docker', ['save', ref], { maxBuffer: 256 * 1024 * 1024 });
      expect(saved.includes(Buffer.from(token))).toBe(false);
    });

    it('imports a registry cache made with cache-to type=inline: a fresh daemon builds from the cache', async () => {
      // BuildKit (the docker driver of Docker 20.10) keys a base image by its config when the daemon has it in its
      // image store, but by the registry's manifest when it has to pull it, and a cache made one way misses the
      // other. Whether h1 holds slipway/busybox:1 depends on the tests that ran before on the shared daemons, so
      // both daemons build FROM a base of this test's own, pulled into each image store first.
      const h1 = infra.ssh.hosts[0].dockerHost!;
      const base = `${repo('base')}:1`;
      const busybox = (await open.headManifest('slipway/busybox', '1'))!.digest;
      await copyImage({
        source: { client: open, repository: 'slipway/busybox', digest: busybox },
        target: { client: open, repository: `bp-${suffix}/base` },
        tags: ['1'],
      });
      writeFileSync(
        join(ws.workspace, 'Dockerfile.cache'),
        DOCKERFILE.replace(/^FROM \S+ AS base$/m, `FROM ${base} AS base`),
      );
      const image = repo('cached');
      const stamp = `STAMP=${randomSha()}`;
      const other = repo('cached-again');
      const r = deps({ dockerHost: h1 });
      try {
        for (const host of [[], ['-H', h1]]) execFileSync('docker', [...host, 'pull', '-q', base]);
        await run(
          inputs({
            image,
            file: 'Dockerfile.cache',
            target: 'app',
            'build-args': stamp,
            'cache-to': 'type=inline',
          }),
          deps().deps,
        );
        const first = outputs();
        expect(first.digest).toMatch(/^sha256:/);

        // h1's daemon has never built this: its steps come from the registry cache, or they run again
        await run(
          inputs({
            image: other,
            file: 'Dockerfile.cache',
            target: 'app',
            'build-args': stamp,
            'cache-from': `type=registry,ref=${image}:main`,
          }),
          r.deps,
        );
        const log = r.builds()[0].stderr;
        expect(log).toContain(`importing cache manifest from ${image}:main`);
        for (const step of [
          '[base 2/2] RUN echo',
          '[app 1/2] RUN echo',
          '[app 2/2] RUN --mount=type=secret',
        ]) {
          expect({ step, cached: cached(log, step) }).toEqual({ step, cached: true });
        }
        // the cached layers came from the registry, not from this daemon
        expect(log).toMatch(/^#\d+ pulling sha256:[a-f0-9]{64}/m);
      } finally {
        execFileSync('docker', ['-H', h1, 'image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])
          .toString()
          .split('\n')
          .filter((line) => line.includes(`/bp-${suffix}/`))
          .forEach((ref) => {
            execFileSync('docker', ['-H', h1, 'rmi', '-f', ref], { stdio: 'ignore' });
          });
      }
    });

    it.each([
      ['type=registry', (image: string) => `type=registry,ref=${image}:buildcache,mode=max`],
      ['type=local', () => `type=local,dest=${join(ws.root, 'cache')}`],
    ])(
      'cache-to %s that the docker driver cannot export: one warning, the image is built again without it and pushed',
      async (kind, cacheTo) => {
        const image = repo(`export-${kind.slice(5)}`);
        const r = deps();
        const lines: string[] = [];
        const write = process.stdout.write.bind(process.stdout);
        process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
          lines.push(chunk.toString());
          return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
        }) as typeof process.stdout.write;
        try {
          await run(inputs({ image, 'cache-to': cacheTo(image) }), r.deps);
        } finally {
          process.stdout.write = write;
        }
        const [refused, again] = r.builds();
        // the form buildx's own parser reads, with ignore-error added
        expect(refused.args[refused.args.indexOf('--cache-to') + 1]).toBe(
          `${cacheTo(image)},ignore-error=true`,
        );
        expect(refused.stderr).toMatch(/Cache export is not supported for the docker driver/);
        expect(again.args).not.toContain('--cache-to');
        expect(lines.join('')).toMatch(
          /::warning::The cache export failed, so the image is built again without cache-to/,
        );
        expect(outputs().digest).toMatch(/^sha256:/);
        expect(
          await open.headManifest(image.slice(infra.registry.open.length + 1), 'buildcache'),
        ).toBeUndefined();
      },
    );

    it('push false loads the image into the local store (--load) and pushes nothing', async () => {
      const image = repo('load-only');
      const r = deps();
      await run(inputs({ image, target: 'app', push: 'false' }), r.deps);
      expect(r.builds()[0].args).toContain('--load');
      expect(r.calls.map((c) => c.args[0])).not.toContain('push');
      const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', `${image}:main`]);
      expect(id.toString().trim()).toBe(outputs()['image-id']);
      expect(await open.headManifest(image.slice(infra.registry.open.length + 1), 'main')).toBeUndefined();
    });

    it('without buildx, falls back to docker build: target, build args and labels; secrets are refused before anything', async () => {
      const image = repo('classic');
      const stamp = randomSha();
      const r = deps({ withoutBuildx: true });
      await run(
        inputs({
          image,
          file: 'Dockerfile.classic',
          'build-args': `STAMP=${stamp}\nGREETING=classic`,
          labels: 'tier=web',
        }),
        r.deps,
      );
      const [build] = r.builds();
      expect(build.args[0]).toBe('build');
      expect(build.args).toEqual(expect.arrayContaining(['--target', 'app']));
      const ref = outputs()['image-ref'];
      expect(inImage(ref, 'cat /stamp /greeting')).toBe(`${stamp}\nclassic`);
      const labels = execFileSync('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', ref]);
      expect(JSON.parse(labels.toString())).toMatchObject({ tier: 'web' });

      const refused = deps({ withoutBuildx: true });
      await expect(run(inputs({ image, secrets: 'api_token=x' }), refused.deps)).rejects.toThrow(
        /Input "secrets" needs BuildKit/,
      );
      expect(refused.builds()).toEqual([]);
    });
  },
);
