// The proxy configurations examples/compose ships (and the README documents), on real Caddy and Nginx, and the
// HAProxy config of the proxy-layouts tests (what the README asks of one): an app that stops accepting connections
// for a moment (its listen queue full while the host is busy: a deploy's pulls and container starts) must cost its
// users time, not errors. busybox httpd (the example app) listens with a queue of 9, so a paused app drops new
// connections' SYNs at once: the proxy's dials time out and are retried until its budget runs out. A fresh-clone
// run saw a 502 through the example's Caddy during a rolling deploy when Caddy's budget was 1 s (and the Nginx
// variant's dial timeout was 1 s too); the same pause through a copy with the old value, side by side, shows that
// each of those two tests can fail. (Measured with a 2-s pause: Caddy 1 s 98–104 × 502, Nginx 1 s 199–220 × 504.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '@slipway/shared';
import {
  describeWithInfra,
  failedCount,
  freePort,
  type LoadResult,
  startRateLoad,
  summarizeLoad,
  waitForBody,
} from '@slipway/testing';
import { randomTag, sh } from './fixtures/hosts';

jest.setTimeout(120_000);

/**
 * How long the app stalls: past the old budgets (Caddy's 1 s of retries; Nginx's 1-s dial, whose SYN the kernel
 * sends again after 1 s), well inside the new ones (5 s; a dial's SYN sent again at 1 s and 3 s).
 */
const STALL_S = 1.5;
const shipped = (file: string) =>
  readFileSync(join(__dirname, '../../../examples/compose/proxy', file), 'utf8');
const CADDYFILE = shipped('Caddyfile');
const NGINX_CONF = shipped('nginx.conf');
const HAPROXY_CFG = readFileSync(
  join(__dirname, 'fixtures/proxy-layouts/haproxy-static/proxy/haproxy.cfg'),
  'utf8',
);

describeWithInfra(
  'the documented proxy configs: an app that stops accepting for 1.5 s (real Caddy, Nginx, HAProxy, Docker)',
  (infra) => {
    const host = infra.ssh.hosts[infra.ssh.hosts.length - 1];
    const tag = randomTag();
    const { busyboxRemote: busybox, caddyRemote: caddy, nginxRemote: nginx } = infra.images;
    const run = async (script: string) => sh(infra, host, `set -e\n${script}`);
    const proxies = {
      caddy: { image: caddy, config: '/etc/caddy/Caddyfile' },
      nginx: { image: nginx, config: '/etc/nginx/nginx.conf' },
      haproxy: { image: infra.images.haproxyRemote, config: '/usr/local/etc/haproxy/haproxy.cfg' },
    };

    afterAll(() =>
      sh(
        infra,
        host,
        `docker rm -f $(docker ps -aq --filter name=^${tag}-) >/dev/null 2>&1; docker network rm ${tag} >/dev/null 2>&1; rm -rf ~/${tag}; true`,
      ),
    );

    /** A proxy of `kind` on the app's network with `config`, publishing a free port; its URL once it serves the app. */
    async function proxy(kind: keyof typeof proxies, name: string, config: string): Promise<string> {
      const { image, config: path } = proxies[kind];
      const port = await freePort();
      await run(
        `mkdir -p ~/${tag}/${name} && cat > ~/${tag}/${name}/config <<'EOF'\n${config}\nEOF\n` +
          `docker run -d --name ${tag}-${name} --network ${tag} -p 127.0.0.1:${port}:80 -v ~/${tag}/${name}/config:${path}:ro ${image} >/dev/null`,
      );
      const url = `http://127.0.0.1:${port}/`;
      await waitForBody(url, 'up');
      return url;
    }

    /** 100 req/s through each URL while the app is paused for STALL_S. */
    async function pausedUnder(urls: string[]): Promise<LoadResult[]> {
      const loads = urls.map((url) => startRateLoad(url, { rate: 100 }));
      await sleep(1000);
      // one command on the host, so the pause lasts STALL_S however slow the SSH round trips are
      await run(`docker pause ${tag}-web >/dev/null; sleep ${STALL_S}; docker unpause ${tag}-web >/dev/null`);
      await sleep(1500);
      return Promise.all(loads.map((load) => load.stop()));
    }

    beforeAll(() =>
      run(
        `for image in ${busybox} ${caddy} ${nginx} ${infra.images.haproxyRemote}; do docker pull -q "$image" >/dev/null; done\n` +
          `docker network create ${tag} >/dev/null\n` +
          `docker run -d --name ${tag}-web --network ${tag} --network-alias web --entrypoint sh ${busybox} -c 'mkdir -p /www && echo up > /www/index.html && echo ok > /www/health && exec httpd -f -p 8080 -h /www' >/dev/null`,
      ),
    );

    // Each shipped config beside a copy with its old value: the same pause, side by side.
    it.each([
      { kind: 'caddy', text: CADDYFILE, setting: 'lb_try_duration 5s', old: 'lb_try_duration 1s' },
      {
        kind: 'nginx',
        text: NGINX_CONF,
        setting: 'proxy_connect_timeout 5s;',
        old: 'proxy_connect_timeout 1s;',
      },
    ] as const)(
      '$kind, as examples/compose ships it ($setting): no request fails; with `$old` the same pause fails requests',
      async ({ kind, text, setting, old }) => {
        expect(text.split('\n').map((line) => line.trim())).toContain(setting);
        const shippedUrl = await proxy(kind, kind, text);
        const oldUrl = await proxy(kind, `${kind}-old`, text.replace(setting, old));
        const [withShipped, withOld] = await pausedUnder([shippedUrl, oldUrl]);
        console.log(
          `app paused ${STALL_S} s, 100 req/s through each ${kind}: shipped (${setting}) ${summarizeLoad(withShipped)}; ${old} ${summarizeLoad(withOld)}`,
        );
        expect(failedCount(withShipped)).toBe(0);
        expect(withShipped.bodies.get('up')).toBeGreaterThan(300);
        // the pause did stop the app from accepting: the old value ran out for some requests
        expect(failedCount(withOld)).toBeGreaterThan(0);
      },
    );

    it("HAProxy (the README's retries 3 and redispatch, health checks every 1 s: the proxy-layouts config): no request fails", async () => {
      const [counts] = await pausedUnder([await proxy('haproxy', 'haproxy', HAPROXY_CFG)]);
      console.log(`app paused ${STALL_S} s, 100 req/s through HAProxy: ${summarizeLoad(counts)}`);
      expect(failedCount(counts)).toBe(0);
    });
  },
);
