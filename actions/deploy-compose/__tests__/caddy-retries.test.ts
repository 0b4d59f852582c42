// The Caddyfile the README documents and examples/compose ships, on real Caddy: an app that stops accepting
// connections for a moment (its listen queue full while the host is busy: a deploy's pulls and container starts)
// must cost its users time, not errors. busybox httpd (the example app) listens with a queue of 9, so a paused
// app drops new connections' SYNs at once: each of Caddy's dials then times out and is retried until
// lb_try_duration runs out. A fresh-clone run saw a 502 through the example's Caddy during a rolling deploy when
// that budget was 1 s; the same pause, side by side, shows what each budget gives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeWithInfra,
  failedCount,
  freePort,
  startRateLoad,
  summarizeLoad,
  waitForBody,
} from '@slipway/testing';
import { randomTag, sh } from './fixtures/hosts';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DOCUMENTED = readFileSync(join(__dirname, '../../../examples/compose/proxy/Caddyfile'), 'utf8');

describeWithInfra(
  'the documented Caddyfile: an app that stops accepting for 2 s (real Caddy, Docker)',
  (infra) => {
    const host = infra.ssh.hosts[infra.ssh.hosts.length - 1];
    const tag = randomTag();
    const caddy = infra.images.caddyRemote;
    const busybox = infra.images.busyboxRemote;
    const run = async (script: string) => sh(infra, host, `set -e\n${script}`);

    afterAll(() =>
      sh(
        infra,
        host,
        `docker rm -f ${tag}-web ${tag}-documented ${tag}-short >/dev/null 2>&1; docker network rm ${tag} >/dev/null 2>&1; rm -rf ~/${tag}; true`,
      ),
    );

    /** A Caddy on the app's network with `caddyfile`, publishing a free port; its URL once it serves the app. */
    async function proxy(name: string, caddyfile: string): Promise<string> {
      const port = await freePort();
      await run(
        `mkdir -p ~/${tag}/${name} && cat > ~/${tag}/${name}/Caddyfile <<'EOF'\n${caddyfile}\nEOF\n` +
          `docker run -d --name ${tag}-${name} --network ${tag} -p 127.0.0.1:${port}:80 -v ~/${tag}/${name}/Caddyfile:/etc/caddy/Caddyfile:ro ${caddy} >/dev/null`,
      );
      const url = `http://127.0.0.1:${port}/`;
      await waitForBody(url, 'up');
      return url;
    }

    it('retries long enough (lb_try_duration 5s): no request fails; with a 1 s budget the same pause fails requests', async () => {
      expect(DOCUMENTED).toMatch(/^\s*lb_try_duration 5s$/m);
      await run(
        `docker pull -q ${caddy} >/dev/null && docker pull -q ${busybox} >/dev/null\n` +
          `docker network create ${tag} >/dev/null\n` +
          `docker run -d --name ${tag}-web --network ${tag} --network-alias web --entrypoint sh ${busybox} -c 'mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 8080 -h /www' >/dev/null`,
      );
      const documented = await proxy('documented', DOCUMENTED);
      const short = await proxy('short', DOCUMENTED.replace(/lb_try_duration 5s/, 'lb_try_duration 1s'));

      const loads = [documented, short].map((url) => startRateLoad(url, { rate: 100 }));
      await sleep(1000);
      await run(`docker pause ${tag}-web >/dev/null`);
      await sleep(2000);
      await run(`docker unpause ${tag}-web >/dev/null`);
      await sleep(1500);
      const [withDocumented, withShort] = await Promise.all(loads.map((load) => load.stop()));
      console.log(
        `app paused 2 s, 100 req/s through each Caddy: documented (5 s) ${summarizeLoad(withDocumented)}; 1 s budget ${summarizeLoad(withShort)}`,
      );

      expect(failedCount(withDocumented)).toBe(0);
      expect(withDocumented.bodies.get('up')).toBeGreaterThan(300);
      // the pause did stop the app from accepting: the shorter budget ran out for some requests
      expect(failedCount(withShort)).toBeGreaterThan(0);
    });
  },
);
