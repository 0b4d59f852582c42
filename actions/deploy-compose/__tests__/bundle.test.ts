import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeWithInfra, runBundle } from '@slipway/testing';
import { writeWebCompose } from './fixtures/app';
import { baseInputs, cleanHost, hostName, REMOTE_DIR, randomTag, sh } from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(180_000);
const action = join(__dirname, '..');

/** Every file the runner step could leave behind, as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path, 'utf8')];
  });
}

describeWithInfra('deploy-compose bundle (runner contract)', (infra) => {
  const h3 = infra.ssh.hosts[2];
  const project = randomTag();
  const { host: registry, username, password } = infra.registry.auth;
  const repo = `${registry}/${project}/web`;
  const envSecret = `s3cr3t-${randomTag()}`;
  const dockerConfig = mkdtempSync(join(tmpdir(), 'dc-docker-config-'));
  const compose = writeWebCompose(repo, ['TOKEN']);
  let image = '';
  const inputs = (extra: Record<string, string> = {}) => ({
    ...baseInputs(infra, [h3], project, compose, { images: `web=${image}`, env: `TOKEN=${envSecret}` }),
    registry,
    'registry-username': username,
    'registry-password': password,
    ...extra,
  });

  beforeAll(() => {
    execFileSync(
      'docker',
      ['--config', dockerConfig, 'login', registry, '-u', username, '--password-stdin'],
      { input: password, stdio: 'pipe' },
    );
    image = buildWebImage(repo, 'v1', { dockerConfig });
  });
  afterAll(async () => {
    rmSync(dirname(compose), { recursive: true, force: true });
    await cleanHost(infra, h3, project);
    rmSync(dockerConfig, { recursive: true, force: true });
  });

  it('deploys from a registry that needs a login; no secret reaches a log, an output, the summary or a file', async () => {
    // Through the jump host (TCP forwarding), both host keys checked against the same known_hosts.
    const run = await runBundle({ action, inputs: inputs({ 'jump-host': 'slipway-jump@127.0.0.1:2220' }) });
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.post?.exitCode).toBe(0);
    expect(run.outputs['release-id']).toMatch(/^\d{8}T\d{6}Z-0123456$/);
    expect(JSON.parse(run.outputs['hosts-result'])[hostName(h3)]).toMatchObject({
      status: 'deployed',
      images: { web: image },
    });
    expect(run.summary).toContain(`| ${hostName(h3)} | deployed |`);
    const key = readFileSync(infra.ssh.clientKey, 'utf8');
    const keyLines = key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    const places = [
      run.stdout,
      run.stderr,
      run.post?.stdout ?? '',
      JSON.stringify(run.outputs),
      JSON.stringify(run.state),
      run.summary,
      ...filesUnder(run.dirs.root),
    ];
    for (const secret of [envSecret, password, ...keyLines]) {
      for (const text of places) expect(text.includes(secret)).toBe(false);
    }
    expect(run.masks).toEqual(expect.arrayContaining([envSecret, password]));
    const onHost = await sh(
      infra,
      h3,
      `grep -rl ${password} ~/.docker 2>/dev/null | wc -l; stat -c %a ${REMOTE_DIR}/${project}/releases/*/release.env`,
    );
    expect(onHost.trim().split('\n')).toEqual(['0', '600']);
    rmSync(run.dirs.root, { recursive: true, force: true });
  });

  it('the post step releases the lock when the main step is killed mid-deploy', async () => {
    const run = await runBundle({
      action,
      inputs: inputs({ backup: 'sleep 15', 'command-timeout': '20s' }),
      timeoutMs: 6000,
    });
    expect(run.timedOut).toBe(true);
    expect(JSON.parse(run.state.locks)[hostName(h3)]).toMatchObject({ dir: `${REMOTE_DIR}/${project}` });
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain('released the deploy lock the main step left behind');
    expect(
      (
        await sh(infra, h3, `test -e ${REMOTE_DIR}/${project}/.slipway.lock && echo held || echo free`)
      ).trim(),
    ).toBe('free');
    rmSync(run.dirs.root, { recursive: true, force: true });
  });

  it('fails on a bad input without connecting anywhere', async () => {
    const run = await runBundle({ action, inputs: inputs({ strategy: 'big-bang' }), post: false });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0].message).toBe(
      'Input "strategy" must be one of rolling, recreate, blue-green, canary; got "big-bang".',
    );
    rmSync(run.dirs.root, { recursive: true, force: true });
  });
});
