import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputReader, mapInputs, RegistryClient } from '@slipway/shared';
import { deleteRegistryRepository, type Infra, parseCommandFile } from '@slipway/testing';
import { getInputs } from '../../src/inputs';
import { type Deps, defaultDeps } from '../../src/main';
import { FIXTURES, writeStandinTrivy } from './standin-trivy';
import { makeWorkspace, randomSha, removeImages } from './workspace';

/** Retries that do not wait: a test's registry answers at once or by its own schedule. */
export const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

/**
 * What every build-push run() test against the real Docker Engine and registries needs, for one test file
 * (call it inside the file's describe): a workspace with a Dockerfile, a stand-in Trivy, fresh output and
 * summary files per test, deps with a runner that passes the children what they need, repositories of its own
 * (bp-<suffix>/...), and the clean-up of its images and repositories.
 */
export function buildPushFixture(infra: Infra) {
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
  return {
    suffix,
    ws,
    files,
    repos,
    repo,
    inputs,
    deps,
    outputs: () => outputs(),
    summary: () => summary(),
    trivyLog,
    open,
  };
}
