// The Compose app the deploy and recovery sections work on: deploy-compose's own test app (a tiny web image
// behind a Caddy proxy that follows Docker's DNS), on one of the local SSH hosts, under a project name of its own.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import {
  type ActionRun,
  deleteRegistryRepository,
  freePort,
  type Infra,
  runBundle,
  type SshHost,
  waitForBody,
} from '@slipway/testing';
import { writeCompose } from '../actions/deploy-compose/__tests__/fixtures/compose';
import { baseInputs, cleanHost } from '../actions/deploy-compose/__tests__/fixtures/hosts';
import { copyLayout, type ProxyLayout } from '../actions/deploy-compose/__tests__/fixtures/proxy-layouts';
import { buildNginxWebImage, buildWebImage } from '../actions/deploy-compose/__tests__/fixtures/web-image';

const run = promisify(execFile);

/** deploy-compose's settings in every deploy of the benchmarks (the reference the figures are read against). */
export const DEPLOY_SETTINGS = { 'container-health-timeout': '30s', 'drain-period': '2s', 'lock-wait': '0s' };

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface StepRun {
  ms: number;
  run: ActionRun;
}

export type ComposeApp = Awaited<ReturnType<typeof createComposeApp>>;

/**
 * Builds and pushes one image per version (`[version, healthy]`) and writes the Compose file; nothing is deployed
 * yet. The host is `host`, else the last SSH host (the one tests use least). With `layout`, the project is that
 * proxy layout of deploy-compose's tests (the proxy in the same Compose file, its config shipped with `files`)
 * instead of the test app. `cleanup()` removes the project's containers, networks and folder on the host, its
 * images there, and its repository on the registry.
 */
export async function createComposeApp(
  repoRoot: string,
  infra: Infra,
  prefix: string,
  versions: string[],
  host: SshHost = infra.ssh.hosts[infra.ssh.hosts.length - 1],
  layout?: ProxyLayout,
) {
  if (!host.dockerHost) throw new Error(`infra.json gives no Docker daemon for SSH host ${host.name}`);
  const project = `${prefix}${Date.now().toString(36)}`;
  const repo = `${infra.registry.open}/${project}/web`;
  const port = await freePort();
  const proxied = layout && copyLayout(layout);
  const dir = proxied ? proxied.dir : mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
  const composeFile = proxied ? proxied.composeFile : writeCompose(dir, repo, port);
  // the layouts publish the proxy's port from the release's env and ship the proxy's config
  const layoutInputs: Record<string, string> = proxied
    ? { files: proxied.files, env: `PROXY_PORT=${port}` }
    : {};
  // the layouts' app is served by nginx (see buildNginxWebImage), as in their tests; at the bench's pace
  const build = (v: string) =>
    layout ? buildNginxWebImage(repo, v, 'bench') : buildWebImage(repo, v, { pace: 'bench' });
  const images = Object.fromEntries(versions.map((v) => [v, build(v)]));
  const docker = (...args: string[]) =>
    run('docker', ['-H', host.dockerHost!, ...args], { encoding: 'utf8' }).then((r) => r.stdout.trim());
  const floorName = `${project}-floor`;

  /** One step of an action's bundle, run as the runner runs it; its wall time from spawn to exit. */
  async function step(action: string, inputs: Record<string, string>): Promise<StepRun> {
    const started = performance.now();
    const result = await runBundle({
      action: join(repoRoot, 'actions', action),
      inputs,
      post: false,
      timeoutMs: 300_000,
    });
    const ms = performance.now() - started;
    rmSync(result.dirs.root, { recursive: true, force: true });
    // BENCH_VERBOSE=1 shows each step's log (masked as the runner would), to see where the time goes.
    if (process.env.BENCH_VERBOSE) console.error(`--- ${action} (${seconds(ms)})\n${result.log}`);
    return { ms, run: result };
  }

  const errorsOf = (r: ActionRun) => {
    const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    return errors.length ? errors : [r.stderr.trim() || `exit code ${r.exitCode}`];
  };

  return {
    project,
    host,
    url: `http://127.0.0.1:${port}/`,
    images,
    step,
    errorsOf,
    /** The inputs rollback shares with deploy-compose: how to reach the host, the project, where it lives. */
    sshInputs() {
      const all = baseInputs(infra, [host], project, composeFile, DEPLOY_SETTINGS);
      const shared = [
        'hosts',
        'ssh-key',
        'known-hosts',
        'project',
        'remote-dir',
        'drain-period',
        'lock-wait',
      ];
      return Object.fromEntries(shared.map((name) => [name, all[name as keyof typeof all]]));
    },

    /** deploy-compose to `version` (rolling unless `extra` says otherwise); throws when the step fails. */
    async deploy(version: string, extra: Record<string, string> = {}): Promise<StepRun> {
      const inputs = baseInputs(infra, [host], project, composeFile, {
        ...DEPLOY_SETTINGS,
        ...layoutInputs,
        images: `web=${images[version]}`,
        ...extra,
      });
      const done = await step('deploy-compose', inputs);
      if (done.run.exitCode !== 0) {
        throw new Error(`deploy-compose to ${version} failed: ${errorsOf(done.run).join('; ')}`);
      }
      return done;
    },

    /**
     * The floor: the same image pulled and started by hand with `docker run` on the host's daemon, polled until
     * Docker reports it healthy. The container and the image are removed again, so a deploy after it pulls too.
     */
    async floor(version: string) {
      const image = images[version];
      const started = performance.now();
      await docker('pull', '-q', image);
      const pulled = performance.now();
      await docker('run', '-d', '--name', floorName, image);
      try {
        for (;;) {
          const health = await docker('inspect', '-f', '{{.State.Health.Status}}', floorName);
          if (health === 'healthy') break;
          if (health !== 'starting') throw new Error(`the floor container is ${health}`);
          if (performance.now() - started > 120_000) throw new Error('the floor container never got healthy');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const healthy = performance.now();
        return { ms: healthy - started, pullMs: pulled - started, startMs: healthy - pulled };
      } finally {
        await docker('rm', '-f', floorName);
        await docker('rmi', image);
      }
    },

    /** Polls the proxy until it answers `body` (after the first deploy, Caddy's DNS refresh takes a second). */
    waitForBody(body: string) {
      return waitForBody(this.url, body);
    },

    async cleanup() {
      await docker('rm', '-f', floorName).catch(() => undefined);
      await cleanHost(infra, host, project);
      const ids = await docker('images', '-q', repo).catch(() => '');
      if (ids) await docker('rmi', '-f', ...new Set(ids.split('\n'))).catch(() => undefined);
      await deleteRegistryRepository(infra.registry.open, `${project}/web`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
