// The deploy phases' shell (src/remote/sh) run under dash and bash against a fake `docker` that records its calls:
// golden call sequences, no host needed. The real-host tests (actions/deploy-compose) prove the same scripts on
// real Docker; these pin down the order of every step, which a real host only shows as "it worked".

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectScript } from '../../src/compose-fleet/project-script';
import type { Release } from '../../src/compose-fleet/release';
import { wrapRemoteScript } from '../../src/ssh/remote-script';
import { all, ids, networksWithAliases, proxyIds, state } from './docker-calls';
import {
  type FakeHost,
  fakeHost,
  leftIn,
  nginxWorkers,
  queuedIn,
  type Rule,
  withFakeHost,
} from './fake-host';
import { shopContext, webValues } from './phase-fixture';

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
const context = shopContext;
const roll = webValues();
/** The same release with an Nginx proxy in front of web. */
const proxied: Release = {
  ...release,
  services: [
    { name: 'web', public: true },
    { name: 'proxy', proxy: 'nginx' },
  ],
};

/** The same release behind Caddy: pooling its kept-alive connections by name (`web:8080`), or by address. */
const behindCaddy = (pooledByName: boolean): Release => ({
  ...release,
  services: [
    { name: 'web', public: true },
    { name: 'proxy', proxy: 'caddy', ...(pooledByName ? { pooledByName } : {}) },
  ],
});

const networks = `inspect -f {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}`;
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
  { args: `${networksWithAliases} old1`, stdout: 'shop_default web old1short\n' },
  { args: `${state} new1`, stdout: `${health}\n` },
  { args: proxyIds, stdout: 'p1\n' },
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

  it('rolling: new beside old, both in rotation (proxies reloaded), the switch, then the old queued to drain and stop', async () => {
    host.answer(oneOldOneNew('running healthy'));
    const up = await run(projectScript(context, proxied, 'roll-up', roll));
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toBe('new new1\n');
    expect(up.calls).toEqual([
      `docker ${ids}`,
      ...detect[version],
      `${compose[version]} up --no-start --no-deps --no-recreate --scale web=2 web`,
      `docker ${all}`,
      `docker ${networksWithAliases} old1`,
      `docker ${networksWithAliases} new1`,
      'docker network disconnect -f shop_default new1',
      'docker network connect shop_default new1',
      'docker start new1',
      `docker ${state} new1`,
      'docker network disconnect -f shop_default new1',
      'docker network connect --alias web --alias new1short shop_default new1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
    ]);
    host.answer(oneOldOneNew('running healthy'));
    const switched = await run(projectScript(context, proxied, 'roll-switch', roll));
    expect(switched.code).toBe(0);
    expect(switched.calls).toEqual([
      'docker network disconnect -f shop_default old1',
      'docker network connect shop_default old1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
    ]);
    host.answer([{ args: all, stdout: 'new1\n' }]);
    const finished = await run(projectScript(context, proxied, 'roll-finish', roll));
    expect(finished.code).toBe(0);
    // the old container is queued for the stop after the verdict (stop-after-verdict.test.ts), not stopped here
    expect(finished.calls).toEqual([`docker ${all}`]);
    expect(readFileSync(join(host.home, 'app/.slipway-state/web.files'), 'utf8')).toBe('sha256:f1\n');
    expect(queuedIn(join(host.home, 'app'))).toEqual(['old1']);
    expect(leftIn(join(host.home, 'app')).filter((f) => !f.startsWith('.slipway-retire'))).toEqual([
      '.slipway-state',
      '.slipway-state/web.files',
    ]);
    expect(leftIn(host.tmp)).toEqual([]);
  });

  it('behind Caddy that pools by name (`web:8080`): nothing is reloaded when the new containers join, Caddy is when the old ones leave', async () => {
    // Caddy pools its kept-alive connections by name: only a reload stops it reusing those to the old containers
    const caddied = behindCaddy(true);
    const caddyArgs = `inspect -f {{join .Args " "}} p1`;
    const reload = 'exec p1 caddy reload --force --config /etc/caddy/Caddyfile --adapter caddyfile';
    const answers = [
      ...oneOldOneNew('running healthy'),
      { args: caddyArgs, stdout: 'run --config /etc/caddy/Caddyfile --adapter caddyfile\n' },
    ];
    host.answer(answers);
    const up = await run(projectScript(context, caddied, 'roll-up', roll));
    expect(up.code).toBe(0);
    expect(up.calls.filter((c) => c.includes('p1') || c.includes('proxy'))).toEqual([]);
    host.answer(answers);
    const switched = await run(projectScript(context, caddied, 'roll-switch', roll));
    expect(switched.stderr).toBe('');
    expect(switched.code).toBe(0);
    expect(switched.stdout).toBe('');
    expect(switched.calls).toEqual([
      'docker network disconnect -f shop_default old1',
      'docker network connect shop_default old1',
      `docker ${proxyIds}`,
      `docker ${caddyArgs}`,
      `docker ${reload}`,
    ]);
  });

  it('behind Caddy with `dynamic a` upstreams (pooled by address): Caddy is never reloaded, as a reload ends its retries in progress', async () => {
    const dynamic = behindCaddy(false);
    host.answer(oneOldOneNew('running healthy'));
    await run(projectScript(context, dynamic, 'roll-up', roll));
    host.answer(oneOldOneNew('running healthy'));
    const switched = await run(projectScript(context, dynamic, 'roll-switch', roll));
    expect(switched.code).toBe(0);
    expect(switched.calls).toEqual([
      'docker network disconnect -f shop_default old1',
      'docker network connect shop_default old1',
    ]);
  });

  it('behind Caddy whose reload fails (its admin endpoint off): the switch goes on, and says so on a notice line', async () => {
    const caddied = behindCaddy(true);
    host.answer([
      ...oneOldOneNew('running healthy'),
      { args: `inspect -f {{join .Args " "}} p1`, stdout: 'run --config /etc/caddy/Caddyfile\n' },
      { args: /^exec p1 caddy reload /, code: 1 },
    ]);
    await run(projectScript(context, caddied, 'roll-up', roll));
    const switched = await run(projectScript(context, caddied, 'roll-switch', roll));
    expect(switched.code).toBe(0);
    expect(switched.stdout).toMatch(
      /^slipway-notice: Caddy in proxy was not reloaded \(.*\): it sends requests on its kept-alive connections to the containers that left the rotation until they stop\. Keep its admin endpoint on \(the default\) so Slipway can reload it\.\n$/,
    );
  });

  it('a host whose sleep takes whole seconds only still polls (once a second): the fractional poll falls back', async () => {
    // POSIX sleep takes whole seconds; GNU and busybox take 0.25. A strict one must not turn the wait into a spin
    // or a failure.
    const dir = mkdtempSync(join(tmpdir(), 'slipway-sleep-'));
    const strict = join(dir, 'sleep');
    writeFileSync(
      strict,
      `#!/bin/sh\necho "$1" >> ${dir}/naps\ncase "$1" in *[!0-9]*) echo "sleep: invalid time interval" >&2; exit 1 ;; esac\nexec /bin/sleep "$1"\n`,
    );
    chmodSync(strict, 0o755);
    const posix = fakeHost({ compose: version, links: { sleep: strict } });
    try {
      posix.answer([
        { args: `${state} new1`, stdout: 'running starting\n', once: true },
        ...oneOldOneNew('running healthy'),
      ]);
      const up = await posix.run(
        shell,
        wrapRemoteScript(projectScript(context, release, 'roll-up', roll), 60_000),
      );
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      expect(up.calls.filter((call) => call === `docker ${state} new1`)).toHaveLength(2);
      // the poll tried 0.05 s once, was refused, slept 1 s instead (the watchdog's own 1 s sleeps are in the log too)
      const naps = readFileSync(join(dir, 'naps'), 'utf8').split('\n');
      expect(naps.filter((nap) => nap === '0.05')).toHaveLength(1);
      expect(naps[naps.indexOf('0.05') + 1]).toBe('1');
    } finally {
      posix.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolling, undone after the switch: the old containers rejoin the rotation, the new ones leave and go', async () => {
    host.answer(oneOldOneNew('running healthy'));
    await run(projectScript(context, proxied, 'roll-up', roll));
    await run(projectScript(context, proxied, 'roll-switch', roll));
    host.answer(oneOldOneNew('running healthy'));
    const undone = await run(projectScript(context, proxied, 'roll-undo', roll));
    expect(undone.code).toBe(0);
    expect(undone.calls).toEqual([
      'docker network disconnect -f shop_default old1',
      'docker network connect --alias web --alias old1short shop_default old1',
      'docker network disconnect -f shop_default new1',
      'docker network connect shop_default new1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
      'docker rm -f new1',
    ]);
    expect(leftIn(join(host.home, 'app'))).toEqual([]);
  });

  it('rolling, undone before the switch: the old containers are never touched', async () => {
    host.answer(oneOldOneNew('running healthy'));
    await run(projectScript(context, proxied, 'roll-up', roll));
    host.answer(oneOldOneNew('running healthy'));
    const undone = await run(projectScript(context, proxied, 'roll-undo', roll));
    expect(undone.calls.filter((c) => c.includes('old1'))).toEqual([]);
    expect(undone.calls.at(-1)).toBe('docker rm -f new1');
  });

  it('rolling: a new container that turns unhealthy is removed and the old one is never touched', async () => {
    host.answer([
      ...oneOldOneNew('running unhealthy'),
      { args: 'inspect -f {{.Name}} new1', stdout: '/shop-web-2\n' },
      { args: /^logs --tail 5 new1$/, stdout: 'boom\n' },
    ]);
    const result = await run(projectScript(context, release, 'roll-up', roll));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('container shop-web-2 is running unhealthy');
    expect(result.stderr).toContain('log: boom');
    expect(result.calls.slice(-3)).toEqual([
      expect.stringMatching(/^docker inspect -f \{\{if \.State\.Health\}\}/),
      'docker logs --tail 5 new1',
      'docker rm -f new1',
    ]);
    expect(result.calls.filter((c) => c.includes('old1') && !c.startsWith('docker inspect'))).toEqual([]);
    expect(leftIn(join(host.home, 'app'))).toEqual([]);
  });

  it('rolling a service with no container yet creates one and retires nothing', async () => {
    host.answer([
      { args: ids, stdout: '' },
      { args: all, stdout: 'new1\n', once: true },
      { args: `${networksWithAliases} new1`, stdout: 'shop_default web\n' },
      { args: `${state} new1`, stdout: 'running none\n' },
      { args: all, stdout: 'new1\n' },
    ]);
    const up = await run(projectScript(context, release, 'roll-up', roll));
    const finished = await run(projectScript(context, release, 'roll-finish', roll));
    expect([up.code, finished.code]).toEqual([0, 0]);
    expect(up.calls).toContain(`${compose[version]} up --no-start --no-deps web`);
    expect([...up.calls, ...finished.calls].some((c) => /stop|rm -f/.test(c))).toBe(false);
  });

  it('the switch checks the entry point (the ports the proxies publish) and stops with 3 when it fails', async () => {
    await withFakeHost({ compose: version, curl: true }, async (withCurl) => {
      withCurl.answer([
        ...oneOldOneNew('running healthy'),
        { args: `port p1`, stdout: '80/tcp -> 0.0.0.0:18080\n' },
        { bin: 'curl', args: /http:\/\/127\.0\.0\.1:18080\/$/, stdout: '502' },
      ]);
      const script = (verb: 'roll-up' | 'roll-switch') =>
        wrapRemoteScript(projectScript(context, proxied, verb, { ...roll, ENTRY_CHECK: true }), 60_000);
      await withCurl.run(shell, script('roll-up'));
      const switched = await withCurl.run(shell, script('roll-switch'));
      expect(switched.code).toBe(3);
      expect(switched.stderr).toContain('the entry point proxy (port 18080) answered 502');
      expect(switched.calls).toContain(
        'curl -s -o /dev/null -w %{http_code} --max-time 5 http://127.0.0.1:18080/',
      );
    });
  });

  it('a new container deaf on the port the proxy sends to never joins the rotation', async () => {
    await withFakeHost({ compose: version, curl: true }, async (withCurl) => {
      withCurl.answer([
        ...oneOldOneNew('running healthy'),
        {
          args: 'inspect -f {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}} new1',
          stdout: '10.9.0.7 \n',
        },
        { args: 'inspect -f {{.Name}} new1', stdout: '/shop-web-2\n' },
        { bin: 'curl', args: /http:\/\/10\.9\.0\.7:8080\/$/, stdout: '000' },
      ]);
      const values = { ...roll, HEALTH_SECONDS: 1, UPSTREAM_PORTS: '8080' };
      const up = await withCurl.run(
        shell,
        wrapRemoteScript(projectScript(context, proxied, 'roll-up', values), 60_000),
      );
      expect(up.code).toBe(1);
      expect(up.stderr).toContain(
        "container shop-web-2 does not answer on port 8080, where the project's proxy sends web its requests",
      );
      expect(up.calls.at(-1)).toBe('docker rm -f new1');
      expect(up.calls.some((c) => c.includes('--alias'))).toBe(false);
      expect(up.calls.filter((c) => c.includes('old1') && !c.startsWith('docker inspect'))).toEqual([]);
    });
  });

  it('hashes: on Compose v2 the wanted hashes are taken as --no-deps creates (depends_on reset); without !reset, the plain ones', async () => {
    const noDeps = /-f \S+\/no-deps\.yml config --hash=\*$/;
    const plain = /compose-0\.yml config --hash=\*$/;
    host.answer([
      { bin: version === 'v1' ? 'docker-compose' : 'docker', args: /config --services$/, stdout: 'web\n' },
      { bin: version === 'v1' ? 'docker-compose' : 'docker', args: noDeps, stdout: 'web nodeps\n' },
      { bin: version === 'v1' ? 'docker-compose' : 'docker', args: plain, stdout: 'web plain\n' },
    ]);
    const result = await run(projectScript(context, release, 'hashes'));
    expect(result.stdout.split('\n')[0]).toBe(version === 'v2' ? 'want web nodeps' : 'want web plain');
    if (version === 'v2') {
      // a Compose v2 older than 2.24 refuses !reset: the plain hashes, not a failed deploy
      host.answer([
        { args: /config --services$/, stdout: 'web\n' },
        { args: noDeps, code: 15, stdout: '' },
        { args: plain, stdout: 'web plain\n' },
      ]);
      const old = await run(projectScript(context, release, 'hashes'));
      expect(old.code).toBe(0);
      expect(old.stdout.split('\n')[0]).toBe('want web plain');
    }
  });

  it('pull and hashes in one command ask Docker which Compose it has once (each ask is a Compose start)', async () => {
    const login = { REGISTRY_HOST: '', REGISTRY_USER: '' };
    const result = await run(projectScript(context, release, ['pull', 'hashes'], login));
    expect(result.stderr).toBe('');
    expect(result.calls.filter((c) => c === 'docker compose version')).toEqual(['docker compose version']);
    const composeCalls = result.calls.filter((c) => c.startsWith(compose[version]));
    // the pull runs beside the comparison: in either order
    expect(composeCalls.map((c) => c.replace(/^.* -f \S+\.yml /, '')).sort()).toEqual(
      ['pull --quiet', ...(version === 'v2' ? ['config --services'] : []), 'config --hash=*'].sort(),
    );
  });

  it('the pull overlaps the comparison; a pull that fails fails the command, its output kept out of the lines', async () => {
    const login = { REGISTRY_HOST: '', REGISTRY_USER: '' };
    const bin = version === 'v1' ? 'docker-compose' : 'docker';
    host.answer([
      { bin, args: /pull --quiet$/, sleep: 3, code: 18, stdout: 'want web pulled-junk\n' },
      { bin, args: /config --hash=\*$/, sleep: 3, stdout: 'web h1\n' },
      ...(version === 'v2' ? [{ args: /config --services$/, stdout: 'web\n' }] : []),
    ]);
    const started = Date.now();
    const result = await run(projectScript(context, release, ['pull', 'hashes'], login));
    // one after the other they take 6 s at least; side by side 3 s and the shells' own time
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.code).toBe(18);
    expect(result.stdout).toContain('want web h1');
    expect(result.stdout).not.toContain('pulled-junk');
  });

  it('a host with neither Compose says so and how to get one, before any Compose call', async () => {
    await withFakeHost({ compose: 'v2', hide: ['docker-compose'] }, async (bare) => {
      bare.answer([{ args: 'compose version', code: 1 }]);
      const login = { REGISTRY_HOST: '', REGISTRY_USER: '' };
      const result = await bare.run(
        shell,
        wrapRemoteScript(projectScript(context, release, 'pull', login), 60_000),
      );
      expect(result.code).toBe(127);
      expect(result.stderr).toContain(
        'neither docker compose (the Compose v2 plugin) nor docker-compose (v1) is installed on this host: install one for the SSH user',
      );
      expect(result.calls).toEqual(['docker compose version']);
    });
  });

  it('a proxy whose files alone changed is checked by itself, then reloaded in place', async () => {
    host.answer([
      { args: proxyIds, stdout: 'p1\n' },
      { args: 'inspect -f {{join .Args " "}} p1', stdout: '-g daemon off; -c /etc/nginx/nginx.conf\n' },
    ]);
    const values = { ...roll, SERVICE: 'proxy', KIND: 'nginx' };
    const result = await run(projectScript(context, proxied, 'reload', values));
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      `docker ${proxyIds}`,
      'docker inspect -f {{join .Args " "}} p1',
      'docker exec p1 nginx -t -c /etc/nginx/nginx.conf',
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
    ]);
    expect(readFileSync(join(host.home, 'app/.slipway-state/proxy.files'), 'utf8')).toBe('sha256:f1\n');
  });

  describe('an Nginx reload waits until the workers from before the HUP stopped accepting connections', () => {
    const workers = /^exec p1 sh -c cd \/proc /;
    const reload = (rules: Rule[]) => {
      host.answer([{ args: proxyIds, stdout: 'p1\n' }, ...rules]);
      return run(projectScript(context, proxied, 'reload', { ...roll, SERVICE: 'proxy', KIND: 'nginx' }));
    };
    const afterCheck = (calls: string[]) =>
      calls.slice(calls.indexOf(`docker exec p1 nginx -t -c /etc/nginx/nginx.conf`) + 1);

    it('lists the workers, sends HUP, then polls until none of them still reads `nginx: worker process`', async () => {
      const result = await reload([
        { args: workers, stdout: '7\n8\n', once: true },
        // worker 8 is shutting down, 7 has not heard of the reload yet: still accepting with the old configuration
        { args: workers, stdout: '7\n21\n22\n', once: true },
        { args: workers, stdout: '21\n22\n' },
      ]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(afterCheck(result.calls)).toEqual([
        nginxWorkers('p1'),
        'docker kill -s HUP p1',
        nginxWorkers('p1'),
        nginxWorkers('p1'),
      ]);
    });

    it('old workers that linger (a configuration the master refused): gives up at its bound (5 s) with a note, never fails', async () => {
      const started = Date.now();
      const result = await reload([
        { args: workers, stdout: '7\n' },
        { args: 'inspect -f {{.Name}} p1', stdout: '/shop-proxy-1\n' },
      ]);
      const took = Date.now() - started;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        'nginx in shop-proxy-1 still has workers from before its reload after 5 s (PIDs 7); going on',
      );
      expect(took).toBeGreaterThanOrEqual(4_000);
      expect(took).toBeLessThan(15_000);
      const calls = afterCheck(result.calls);
      expect(calls.slice(0, 3)).toEqual([nginxWorkers('p1'), 'docker kill -s HUP p1', nginxWorkers('p1')]);
      expect(calls.filter((c) => c === nginxWorkers('p1')).length).toBeGreaterThan(3);
      expect(calls.at(-1)).toBe('docker inspect -f {{.Name}} p1');
    });

    it('an image without sh (exec fails) or an unreadable /proc (no list): HUP and back at once, as before', async () => {
      for (const answer of [{ code: 126, stdout: '' }, { stdout: '' }]) {
        const result = await reload([{ args: workers, ...answer }]);
        expect(result.code).toBe(0);
        expect(result.stderr).toBe('');
        expect(afterCheck(result.calls)).toEqual([nginxWorkers('p1'), 'docker kill -s HUP p1']);
      }
    });

    it('the container going away during the wait (exec fails) ends it at once', async () => {
      const result = await reload([
        { args: workers, stdout: '7\n', once: true },
        { args: workers, code: 1 },
      ]);
      expect(result.code).toBe(0);
      expect(afterCheck(result.calls)).toEqual([
        nginxWorkers('p1'),
        'docker kill -s HUP p1',
        nginxWorkers('p1'),
      ]);
    });
  });

  it('a proxy configuration the proxy refuses is never reloaded', async () => {
    host.answer([
      { args: proxyIds, stdout: 'p1\n' },
      { args: /^exec p1 nginx -t/, code: 1, stdout: 'nginx: [emerg] unknown directive "prox_pass"\n' },
    ]);
    const result = await run(
      projectScript(context, proxied, 'reload', { ...roll, SERVICE: 'proxy', KIND: 'nginx' }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown directive');
    expect(result.stderr).toContain("does not pass nginx's own check");
    expect(result.calls.some((c) => c.startsWith('docker kill'))).toBe(false);
  });

  it('sync-live: live holds exactly the release files, changed ones rewritten in place, modes kept', async () => {
    const { mkdirSync, writeFileSync, statSync } = await import('node:fs');
    const app = join(host.home, 'app');
    mkdirSync(join(app, 'releases/R1/conf'), { recursive: true });
    writeFileSync(join(app, 'releases/R1/conf/nginx.conf'), 'new config\n');
    writeFileSync(join(app, 'releases/R1/release.env'), 'A=1\n', { mode: 0o600 });
    mkdirSync(join(app, 'live/conf'), { recursive: true });
    writeFileSync(join(app, 'live/conf/nginx.conf'), 'old config\n');
    writeFileSync(join(app, 'live/stale.txt'), 'gone\n');
    const inode = statSync(join(app, 'live/conf/nginx.conf')).ino;
    host.answer([]);
    const result = await run(projectScript(context, release, 'sync-live'));
    expect(result.code).toBe(0);
    expect(leftIn(join(app, 'live'))).toEqual(['conf', 'conf/nginx.conf', 'release.env']);
    expect(readFileSync(join(app, 'live/conf/nginx.conf'), 'utf8')).toBe('new config\n');
    expect(statSync(join(app, 'live/conf/nginx.conf')).ino).toBe(inode);
    expect(statSync(join(app, 'live/release.env')).mode & 0o777).toBe(0o600);
  });

  it('recreate: `up -d` in place, then the health wait', async () => {
    host.answer([
      { args: ids, stdout: 'c1\n' },
      { args: `${state} c1`, stdout: 'running healthy\n' },
    ]);
    const result = await run(projectScript(context, release, 'recreate', { ...roll, FORCE: false }));
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
