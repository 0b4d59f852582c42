// A canary behind HAProxy whose runtime API takes weights, and behind Nginx opted in (an upstream including
// slipway-web.conf), (canary-open, canary-up, roll-switch, roll-undo with
// weights.sh) under dash and bash against the fake `docker`: the exact calls, and the exact runtime API commands
// (what `docker exec -i PROXY socat` is fed, after <<<). actions/deploy-compose's canary-weights.test.ts runs
// the same scripts against real HAProxy 2.6 under load.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { all, ids, networksWithAliases, proxyIds, state } from './docker-calls';
import { type FakeHost, fakeHost, leftIn, nginxWorkers, queuedIn, type Rule } from './fake-host';
import { canaryCompose, canaryRelease, webPhase } from './phase-fixture';

const release = canaryRelease('haproxy');

const addresses = 'inspect -f {{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}';
const proxyNetworks = 'inspect -f {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}} p1';
const new1Address =
  'inspect -f {{with index .NetworkSettings.Networks "shop_default"}}{{.IPAddress}}{{end}} new1';
const compose = canaryCompose;
const cli = 'docker exec -i p1 socat -t 5 stdio UNIX-CONNECT:/run/haproxy/admin.sock <<<';
const cliArgs = 'exec -i p1 socat -t 5 stdio UNIX-CONNECT:/run/haproxy/admin.sock';

const CONFIG = `global
  stats socket /run/haproxy/admin.sock mode 600 level admin expose-fd listeners
backend app
  server web web:8080 check
`;
/** `show servers state` of HAProxy 2.6: the backend app's server web points at old1 (172.18.0.2). */
const SERVERS = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 app 1 web 172.18.0.2 2 0 1 1 2 15 3 2 6 0 0 0 web 8080 - 0 0 - - 0
3 stats 1 other 172.18.0.9 2 0 1 1 2 15 3 2 6 0 0 0 - 9000 - 0 0 - - 0

`;

/** One old container (old1), one new (new1, healthy), one HAProxy (p1); `cli` answers the runtime API in order. */
const host1 = (cliAnswers: string[] = [], config = CONFIG, socat = true): Rule[] => [
  { args: ids, stdout: 'old1\n' },
  { args: all, stdout: 'old1\nnew1\n' },
  ...['old1', 'new1'].map((id) => ({
    args: `${networksWithAliases} ${id}`,
    stdout: `shop_default web ${id}s\n`,
  })),
  { args: `${addresses} old1`, stdout: '172.18.0.2 \n' },
  // new1 is on two networks; the proxy reaches it on shop_default, not on the first by name
  { args: `${addresses} new1`, stdout: '10.9.0.3 172.18.0.3 \n' },
  { args: `${new1Address}`, stdout: '172.18.0.3\n' },
  { args: proxyNetworks, stdout: 'shop_default \n' },
  { args: `${state} new1`, stdout: 'running healthy\n' },
  { args: proxyIds, stdout: 'p1\n' },
  { args: 'inspect -f {{join .Args " "}} p1', stdout: '-W -db -f /usr/local/etc/haproxy/haproxy.cfg\n' },
  { args: 'exec p1 cat /usr/local/etc/haproxy/haproxy.cfg', stdout: config },
  { args: 'exec p1 socat -V', code: socat ? 0 : 127 },
  { args: 'inspect -f {{.Name}} p1', stdout: '/shop-proxy-1\n' },
  ...cliAnswers.map((stdout) => ({ args: cliArgs, stdout, once: true })),
];

const openCalls = [
  `docker ${ids}`,
  `docker ${networksWithAliases} old1`,
  `docker ${addresses} old1`,
  `docker ${proxyIds}`,
  'docker inspect -f {{join .Args " "}} p1',
  'docker exec p1 cat /usr/local/etc/haproxy/haproxy.cfg',
  'docker exec p1 socat -V',
  `${cli} show cli level`,
  `${cli} show servers state`,
];

describe.each(['dash', 'bash'] as const)('a canary by HAProxy weights under %s', (shell) => {
  let host: FakeHost;
  beforeEach(() => {
    host = fakeHost({ compose: 'v2' });
  });
  afterEach(() => host.remove());
  const phase = webPhase(() => host, shell, release);
  const weights = (n: number, w: string) => ({ CANARY_NEW: n, CANARY_MODE: 'weights', CANARY_WEIGHTS: w });
  const open = async () => {
    host.answer(host1(['admin\n\n', SERVERS]));
    return phase('canary-open');
  };

  it('10% then 50% by weights (the new container never joins the DNS name, nothing reloads); 100% hands over to DNS, then the switch reloads', async () => {
    const opened = await open();
    expect(opened.stderr).toBe('');
    expect(opened.stdout).toBe('old 1\nservers 1 haproxy\n');
    expect(opened.calls).toEqual(openCalls);

    host.answer(host1(['New server registered.\n\n\n\n\n']));
    const first = await phase('canary-up', weights(1, '9 1'));
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('canary 1 1\n');
    expect(first.calls).toEqual([
      'docker compose version',
      `${compose} up --no-start --no-deps --no-recreate --scale web=2 web`,
      `docker ${all}`,
      `docker ${networksWithAliases} new1`,
      'docker network disconnect -f shop_default new1',
      'docker network connect shop_default new1',
      'docker start new1',
      `docker ${state} new1`,
      `docker ${proxyNetworks}`,
      `docker ${new1Address}`,
      `${cli} add server app/slipway-canary-new1 172.18.0.3:8080 weight 1; set server app/web weight 9; set server app/slipway-canary-new1 weight 1; enable server app/slipway-canary-new1`,
    ]);

    host.answer(host1(['\n\n\n']));
    const second = await phase('canary-up', weights(1, '1 1'));
    expect(second.calls).toEqual([
      `${cli} set server app/web weight 1; set server app/slipway-canary-new1 weight 1; enable server app/slipway-canary-new1`,
    ]);

    host.answer(host1(['\n\n']));
    const last = await phase('canary-up', weights(1, ''));
    expect(last.calls).toEqual([
      `${cli} set server app/slipway-canary-new1 state maint; set server app/web weight 1`,
      'docker network disconnect -f shop_default new1',
      'docker network connect --alias web --alias new1s shop_default new1',
    ]);

    host.answer(host1());
    const switched = await phase('roll-switch');
    expect(switched.calls).toEqual([
      'docker network disconnect -f shop_default old1',
      'docker network connect shop_default old1',
      `docker ${proxyIds}`,
      'docker kill -s USR2 p1',
    ]);
    host.answer([{ args: all, stdout: 'new1\n' }]);
    const finished = await phase('roll-finish', { DRAIN: 0 });
    // the old container is queued for the stop after the verdict (stop-after-verdict.test.ts)
    expect(finished.calls).toEqual([`docker ${all}`]);
    expect(queuedIn(join(host.home, 'app'))).toEqual(['old1']);
    expect(leftIn(join(host.home, 'app')).filter((f) => !f.startsWith('.slipway-retire'))).toEqual([
      '.slipway-state',
      '.slipway-state/web.files',
    ]);
  });

  it('aborted at step 2: the canary server goes to maintenance and the old one gets its weight back at once; no reload, no DNS change; then the server and the container go', async () => {
    await open();
    host.answer(host1(['New server registered.\n\n\n\n\n']));
    await phase('canary-up', weights(1, '9 1'));
    host.answer(host1(['\n\n']));
    const undone = await phase('roll-undo');
    expect(undone.code).toBe(0);
    expect(undone.calls).toEqual([
      `${cli} set server app/slipway-canary-new1 state maint; set server app/web weight 1`,
      `${cli} del server app/slipway-canary-new1`,
      'docker rm -f new1',
    ]);
    expect(leftIn(join(host.home, 'app'))).toEqual([]);
  });

  it('HAProxy refusing a command fails the step, saying what it answered; roll-undo then restores the weights', async () => {
    await open();
    const refusal = "'add server' not supported: backend 'app' uses a non dynamic load balancing method.";
    host.answer(host1([`${refusal}\n\n\n\n`]));
    const first = await phase('canary-up', weights(1, '9 1'));
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`HAProxy in shop-proxy-1 refused the canary's weights: ${refusal}`);
    host.answer(host1(['\n\n']));
    const undone = await phase('roll-undo');
    expect(undone.calls.at(-1)).toBe('docker rm -f new1');
    expect(undone.calls[0]).toBe(
      `${cli} set server app/slipway-canary-new1 state maint; set server app/web weight 1`,
    );
  });

  it.each([
    [
      'no stats socket',
      host1([], 'global\nbackend app\n  server web web:8080\n'),
      'replicas proxy its configuration has no `stats socket` (add `stats socket /run/haproxy/admin.sock mode 600 level admin` to its global section)',
    ],
    [
      'no socat in the image',
      host1([], CONFIG, false),
      'replicas proxy its container has no socat to reach the runtime API at /run/haproxy/admin.sock',
    ],
    [
      'a socket below admin level',
      host1(['operator\n\n']),
      'replicas proxy its runtime API at /run/haproxy/admin.sock answers at level operator, not admin (add `level admin` to its `stats socket` line)',
    ],
    [
      'no server on the old containers',
      host1(['admin\n\n', SERVERS.replace('172.18.0.2', '172.18.0.7')]),
      "replicas proxy none of its backend servers points at an address of web's containers",
    ],
  ])('%s: canary-open says why the share falls back to the replica ratio', async (_what, rules, why) => {
    host.answer(rules);
    const opened = await phase('canary-open');
    expect(opened.code).toBe(0);
    expect(opened.stdout.split('\n')[0]).toBe('old 1');
    expect(opened.stdout.split('\n')[1]).toContain(why);
  });
});

const nginxRelease = canaryRelease('nginx');
const SHIPPED = '# the servers of web_app\nserver web:8080 max_fails=0;\n';

describe.each(['dash', 'bash'] as const)(
  'a canary by Nginx weights (the slipway-web.conf opt-in) under %s',
  (shell) => {
    let host: FakeHost;
    let file = '';
    beforeEach(() => {
      host = fakeHost({ compose: 'v2' });
      file = join(host.home, 'app/live/proxy/slipway-web.conf');
      mkdirSync(join(host.home, 'app/live/proxy'), { recursive: true });
      writeFileSync(file, SHIPPED);
    });
    afterEach(() => host.remove());
    const phase = webPhase(() => host, shell, nginxRelease);
    const weights = (n: number, w: string) => ({ CANARY_NEW: n, CANARY_MODE: 'weights', CANARY_WEIGHTS: w });
    const rules = (loaded = '/etc/nginx/slipway-web.conf', test = 0): Rule[] => [
      ...host1([], CONFIG).filter((r) => !String(r.args).includes('p1')),
      { args: 'inspect -f {{join .Args " "}} p1', stdout: '-c /etc/nginx/nginx.conf -g daemon off;\n' },
      { args: proxyNetworks, stdout: 'shop_default \n' },
      {
        args: 'exec p1 nginx -T -c /etc/nginx/nginx.conf',
        stdout: `# configuration file /etc/nginx/nginx.conf:\nhttp { upstream web_app { include ${loaded}; } }\n# configuration file ${loaded}:\n${SHIPPED}`,
      },
      {
        args: 'inspect -f {{range .Mounts}}{{.Destination}} {{.Source}}{{println}}{{end}} p1',
        stdout: `/etc/nginx/nginx.conf /srv/elsewhere/nginx.conf\n/etc/nginx/slipway-web.conf ${file}\n`,
      },
      { args: 'exec p1 nginx -t -c /etc/nginx/nginx.conf', code: test },
      { args: 'inspect -f {{.Name}} p1', stdout: '/shop-proxy-1\n' },
    ];
    const reload = [nginxWorkers('p1'), 'docker kill -s HUP p1'];

    it('10% by weights written into the opted-in file (checked, reloaded); 100% puts the file back before the new container joins the DNS name', async () => {
      host.answer(rules());
      const opened = await phase('canary-open');
      expect(opened.stderr).toBe('');
      expect(opened.stdout).toBe('old 1\nservers 1 nginx\n');
      expect(opened.calls).toEqual([
        `docker ${ids}`,
        `docker ${networksWithAliases} old1`,
        `docker ${proxyIds}`,
        'docker inspect -f {{join .Args " "}} p1',
        'docker exec p1 nginx -T -c /etc/nginx/nginx.conf',
        'docker inspect -f {{range .Mounts}}{{.Destination}} {{.Source}}{{println}}{{end}} p1',
      ]);
      host.answer(rules());
      const first = await phase('canary-up', weights(1, '9 1'));
      expect(first.stderr).toBe('');
      expect(first.calls.slice(-6)).toEqual([
        `docker ${proxyNetworks}`,
        `docker ${new1Address}`,
        'docker inspect -f {{join .Args " "}} p1',
        'docker exec p1 nginx -t -c /etc/nginx/nginx.conf',
        ...reload,
      ]);
      expect(first.calls.filter((c) => c.includes('--alias'))).toEqual([]);
      expect(readFileSync(file, 'utf8')).toBe(
        '# the servers of web_app\nserver web:8080 max_fails=0 weight=9;\n  server 172.18.0.3:8080 weight=1;\n',
      );
      host.answer(rules());
      const last = await phase('canary-up', weights(1, ''));
      expect(last.calls).toEqual([
        ...reload,
        'docker network disconnect -f shop_default new1',
        'docker network connect --alias web --alias new1s shop_default new1',
      ]);
      expect(readFileSync(file, 'utf8')).toBe(SHIPPED);
    });

    it('aborted: the file goes back as shipped and Nginx reloads, at once; the new container never joined the DNS name', async () => {
      host.answer(rules());
      await phase('canary-open');
      host.answer(rules());
      await phase('canary-up', weights(1, '9 1'));
      host.answer(rules());
      const undone = await phase('roll-undo');
      expect(undone.calls).toEqual([...reload, 'docker rm -f new1']);
      expect(readFileSync(file, 'utf8')).toBe(SHIPPED);
      expect(leftIn(join(host.home, 'app'))).toEqual(['live', 'live/proxy', 'live/proxy/slipway-web.conf']);
    });

    it('a file nginx -t refuses is put back at once and fails the step', async () => {
      host.answer(rules());
      await phase('canary-open');
      host.answer(rules(undefined, 1));
      const first = await phase('canary-up', weights(1, '9 1'));
      expect(first.code).toBe(1);
      expect(first.stderr).toContain("Nginx in shop-proxy-1 refused the canary's weights");
      expect(first.calls).not.toContain('docker kill -s HUP p1');
      expect(readFileSync(file, 'utf8')).toBe(SHIPPED);
    });

    it('without the opt-in (no slipway-web.conf loaded) canary-open says Nginx follows DNS: the replica ratio', async () => {
      host.answer(rules('/etc/nginx/conf.d/app.conf'));
      const opened = await phase('canary-open');
      expect(opened.stdout).toBe('old 1\nreplicas proxy nginx\n');
    });
  },
);
