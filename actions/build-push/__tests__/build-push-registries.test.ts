// build-push run() against registries with features of their own: an immutable ECR repository (ecs-local),
// push: false (no registry contacted), OCI labels read back, basic auth with a post-step logout. The shared
// set-up is helpers/run-fixture.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ecrService, startEndpoint, startRegistryFront } from '@slipway/ecs-local';
import { RegistryClient } from '@slipway/shared';
import { describeWithInfra, startProxy } from '@slipway/testing';
import { type Deps, type PostState, post, run } from '../src/main';
import { buildPushFixture, fast } from './helpers/run-fixture';
import { FIXTURES } from './helpers/standin-trivy';
import { randomSha } from './helpers/workspace';

jest.setTimeout(180_000);

describeWithInfra('build-push run() against ECR, basic-auth and no registry', (infra) => {
  const { repos, repo, inputs, deps, outputs, summary, trivyLog, open } = buildPushFixture(infra);

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
