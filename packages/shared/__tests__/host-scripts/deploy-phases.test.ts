// The deploy phases' shell (src/remote/sh) run under dash and bash against a fake `docker` that records its calls:
// golden call sequences, no host needed. The real-host tests (actions/deploy-compose) prove the same scripts on
// real Docker; these pin down the order of every step, which a real host only shows as "it worked".

import { type ProjectContext, projectScript } from '../../src/compose-fleet/project-script';
import type { Release } from '../../src/compose-fleet/release';
import { wrapRemoteScript } from '../../src/ssh/remote-script';
import { type FakeHost, fakeHost, leftIn, type Rule } from './fake-host';

const release: Release = {
  id: 'R1',
  composeFiles: ['compose-0.yml'],
  projectDirectory: 'releases/R1',
  files: [],
  images: { web: 'registry.test/web@sha256:1' },
  services: [{ name: 'web' }],
  gitSha: 'abc',
  actor: 'me',
  runUrl: 'https://example.test/run',
};
const context: ProjectContext = {
  place: { dir: 'app', project: 'shop' },
  timings: { healthTimeoutMs: 5_000, drainMs: 0, pollMs: 50 },
};
const roll = { SERVICE: 'web', HTTP_CHECK: '', HEALTH_SECONDS: 5 };

const label = (name: string) =>
  `--filter label=com.docker.compose.project=shop --filter label=com.docker.compose.service=${name}`;
const ids = `ps -q --no-trunc ${label('web')}`;
const all = `ps -aq --no-trunc ${label('web')}`;
const networksWithAliases = `inspect -f {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{join $v.Aliases " "}}{{println}}{{end}}`;
const networks = `inspect -f {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}`;
const state = `inspect -f {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}`;
const compose = {
  v2: 'docker compose -p shop --project-directory ~/app/releases/R1 -f ~/app/releases/R1/compose-0.yml',
  v1: 'docker-compose -p shop --project-directory ~/app/releases/R1 -f ~/app/releases/R1/compose-0.yml',
};
const detect = { v2: ['docker compose version'], v1: ['docker compose version'] };

/** A service with one container (old1) that gets one new one (new1) beside it. */
const oneOldOneNew = (health: string): Rule[] => [
  { args: ids, stdout: 'old1\n' },
  { args: all, stdout: 'old1\nnew1\n', once: true },
  { args: `${networksWithAliases} new1`, stdout: 'shop_default web new1short\n' },
  { args: `${state} new1`, stdout: `${health}\n` },
  { args: `${networks} old1`, stdout: 'shop_default \n' },
  { args: all, stdout: 'new1\n' },
];

const cases = [
  ['dash', 'v2'],
  ['bash', 'v1'],
] as const;

describe.each(cases)('deploy phases under %s, Compose %s', (shell, version) => {
  let host: FakeHost;
  beforeEach(() => {
    host = fakeHost({ compose: version });
  });
  afterEach(() => host.remove());
  const run = (script: string, stdin?: string) => host.run(shell, wrapRemoteScript(script, 60_000), stdin);

  it('rolling: the new container joins without aliases, gets them once healthy, then the old one drains and stops', async () => {
    host.answer(oneOldOneNew('running healthy'));
    const result = await run(projectScript(context, release, 'roll', roll));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      `docker ${ids}`,
      ...detect[version],
      `${compose[version]} up --no-start --no-deps --no-recreate --scale web=2 web`,
      `docker ${all}`,
      `docker ${networksWithAliases} new1`,
      'docker network disconnect shop_default new1',
      'docker network connect shop_default new1',
      'docker start new1',
      `docker ${state} new1`,
      'docker network disconnect shop_default new1',
      'docker network connect --alias web --alias new1short shop_default new1',
      `docker ${networks} old1`,
      'docker network disconnect -f shop_default old1',
      'docker network connect shop_default old1',
      'docker stop old1',
      'docker rm -f old1',
      `docker ${all}`,
    ]);
    expect(leftIn(host.tmp)).toEqual([]);
  });

  it('rolling: a new container that turns unhealthy is removed and the old one is never touched', async () => {
    host.answer([
      ...oneOldOneNew('running unhealthy'),
      { args: 'inspect -f {{.Name}} new1', stdout: '/shop-web-2\n' },
      { args: /^logs --tail 5 new1$/, stdout: 'boom\n' },
    ]);
    const result = await run(projectScript(context, release, 'roll', roll));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('container shop-web-2 is running unhealthy');
    expect(result.stderr).toContain('log: boom');
    expect(result.calls.slice(-3)).toEqual([
      expect.stringMatching(/^docker inspect -f \{\{if \.State\.Health\}\}/),
      'docker logs --tail 5 new1',
      'docker rm -f new1',
    ]);
    expect(result.calls.filter((c) => c.includes('old1'))).toEqual([]);
  });

  it('rolling a service with no container yet creates one and retires nothing', async () => {
    host.answer([
      { args: ids, stdout: '' },
      { args: all, stdout: 'new1\n', once: true },
      { args: `${networksWithAliases} new1`, stdout: 'shop_default web\n' },
      { args: `${state} new1`, stdout: 'running none\n' },
      { args: all, stdout: 'new1\n' },
    ]);
    const result = await run(projectScript(context, release, 'roll', roll));
    expect(result.code).toBe(0);
    expect(result.calls).toContain(`${compose[version]} up --no-start --no-deps web`);
    expect(result.calls.some((c) => /stop|rm -f/.test(c))).toBe(false);
  });

  it('recreate: `up -d` in place, then the health wait', async () => {
    host.answer([
      { args: ids, stdout: 'c1\n' },
      { args: `${state} c1`, stdout: 'running healthy\n' },
    ]);
    const result = await run(projectScript(context, release, 'recreate', roll));
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      ...detect[version],
      `${compose[version]} up -d --no-deps web`,
      `docker ${ids}`,
      `docker ${state} c1`,
    ]);
  });

  it('orphans: containers of services the release lacks are retired, one-off containers kept', async () => {
    host.answer([
      {
        args: /^ps -a --filter label=com.docker.compose.project=shop --format /,
        stdout: 'c1 web False\nc2 worker False\nc3 worker False\nc4 migrate True\n',
      },
      { args: `${networks} c2`, stdout: 'shop_default \n' },
      { args: `${networks} c3`, stdout: 'shop_default \n' },
    ]);
    const result = await run(projectScript(context, release, 'orphans', { KEEP_SERVICES: 'web' }));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('worker\n');
    expect(result.calls.filter((c) => /^docker (stop|rm)/.test(c))).toEqual([
      'docker stop c2 c3',
      'docker rm -f c2 c3',
    ]);
  });

  it('a host .env feeds Compose when the release has no env file; the release env file replaces it', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(`${host.home}/app`);
    writeFileSync(`${host.home}/app/.env`, 'PORT=1\n');
    host.answer([]);
    await run(projectScript(context, release, 'take-down'));
    expect(host.calls().at(-1)).toBe(`${compose[version]} --env-file ~/app/.env down --remove-orphans`);
    host.answer([]);
    const result = await run(projectScript(context, { ...release, envFile: 'release.env' }, 'take-down'));
    expect(result.stderr).toBe('');
    expect(host.calls().at(-1)).toBe(
      `${compose[version]} --env-file ~/app/releases/R1/release.env down --remove-orphans`,
    );
  });

  it('a project folder that starts with "-" is a folder, not an option', async () => {
    host.answer([]);
    const result = await run(
      projectScript({ ...context, place: { dir: '-m777', project: 'shop' } }, release, 'take-down'),
    );
    expect(result.code).toBe(0);
    expect(leftIn(host.home)).toEqual(['-m777']);
  });
});
