import type { ReleaseFile } from '@slipway/shared';
import type { LocalReference } from '../src/compose-references';
import { filesDigests, type PlannedService, proxyKindOf, proxyPlan } from '../src/proxy-plan';

describe('proxyKindOf', () => {
  it.each([
    ['nginx:1.27', 'nginx'],
    ['docker.io/library/nginx@sha256:abc', 'nginx'],
    ['openresty/openresty:alpine', 'nginx'],
    ['127.0.0.1:5000/slipway/haproxy:1', 'haproxy'],
    ['caddy:2', 'caddy'],
    ['ghcr.io/acme/edge-caddy:3', undefined],
    ['traefik:v3.1', 'traefik'],
    ['envoyproxy/envoy:v1.31', 'envoy'],
    ['ghcr.io/acme/shop@sha256:abc', undefined],
    ['ghcr.io/nginx-fans/shop:1', undefined],
    [undefined, undefined],
  ])('%s is %s', (image, kind) => {
    expect(proxyKindOf(image)).toBe(kind);
  });
});

describe('proxyPlan', () => {
  const services = new Map<string, PlannedService>([
    ['db', { image: 'postgres:16' }],
    ['api', { image: 'ghcr.io/acme/api@sha256:1' }],
    ['web', { image: 'ghcr.io/acme/web@sha256:1' }],
    ['proxy', { image: 'nginx:1.27' }],
  ]);
  const order = ['db', 'api', 'web', 'proxy'];
  const conf = 'upstream app { server web:8080; }\nlocation /api { proxy_pass http://api:9000; }';

  it('finds the proxy by its image and the services it routes to in its mounted files', () => {
    const plan = proxyPlan(services, order, {}, [], (s) => (s === 'proxy' ? conf : ''));
    expect([...plan.proxies]).toEqual([['proxy', 'nginx']]);
    expect([...plan.public].sort()).toEqual(['api', 'web']);
  });

  it("finds the services of Caddy's dynamic upstreams (`dynamic a web 8080`, or `name web` in its block)", () => {
    const caddy = new Map(services).set('proxy', { image: 'caddy:2.8' });
    const caddyfile = [
      ':80 {',
      '\treverse_proxy {',
      '\t\tdynamic a web 8080 {',
      '\t\t\trefresh 1s',
      '\t\t}',
      '\t}',
      '\treverse_proxy /api/* {',
      '\t\tdynamic a {',
      '\t\t\tname api',
      '\t\t\tport 9000',
      '\t\t}',
      '\t}',
      '}',
    ].join('\n');
    const plan = proxyPlan(caddy, order, {}, [], (s) => (s === 'proxy' ? caddyfile : ''));
    expect([...plan.proxies]).toEqual([['proxy', 'caddy']]);
    expect([...plan.public].sort()).toEqual(['api', 'web']);
  });

  it('marks a Caddy that names web as `web:8080` pooled by name; one with `dynamic a` is not, comments aside', () => {
    const caddy = new Map(services).set('proxy', { image: 'caddy:2.8' });
    const plain = ':80 {\n\treverse_proxy web:8080\n}\n';
    const dynamic =
      '# was: reverse_proxy web:8080\n:80 {\n\treverse_proxy {\n\t\tdynamic a web 8080 # not web:9090\n\t}\n}\n';
    const of = (text: string) => proxyPlan(caddy, order, {}, [], (s) => (s === 'proxy' ? text : ''));
    expect([...of(plain).pooled]).toEqual(['proxy']);
    expect([...of(dynamic).pooled]).toEqual([]);
    expect([...(of(dynamic).ports.get('web') ?? [])]).toEqual([8080]);
    // an Nginx is reloaded at every move anyway: never marked
    expect([...proxyPlan(services, order, {}, [], (s) => (s === 'proxy' ? conf : '')).pooled]).toEqual([]);
  });

  it('takes proxy-service as the list of proxies, and depends_on as routing', () => {
    const custom = new Map(services).set('edge', { image: 'ghcr.io/acme/edge:1', depends_on: ['web'] });
    const plan = proxyPlan(custom, [...order, 'edge'], {}, ['edge'], () => '');
    expect([...plan.proxies]).toEqual([['edge', 'other']]);
    expect([...plan.public]).toEqual(['web']);
  });

  it('without a proxy, the last service to start is the public one', () => {
    const plan = proxyPlan(
      new Map([...services].filter(([n]) => n !== 'proxy')),
      ['db', 'api', 'web'],
      {},
      [],
      () => '',
    );
    expect(plan.proxies.size).toBe(0);
    expect([...plan.public]).toEqual(['web']);
  });
});

describe('filesDigests', () => {
  const refs: LocalReference[] = [
    { kind: 'bind mount', where: 'docker-compose.yml (service proxy)', path: './proxy/nginx.conf' },
    { kind: 'env_file', where: 'docker-compose.yml (service web)', path: './app.env' },
  ];
  const files = (conf: string): ReleaseFile[] => [
    { name: 'proxy/nginx.conf', content: conf, mode: 0o644 },
    { name: 'app.env', content: 'A=1\n', mode: 0o600 },
    { name: 'compose-0.yml', content: 'services: {}', mode: 0o644 },
  ];
  const services = new Map<string, PlannedService>([
    ['proxy', {}],
    ['web', {}],
    ['worker', {}],
  ]);

  it('changes with the content of a file the service mounts, and only then', () => {
    const one = filesDigests(services, refs, files('a'));
    const same = filesDigests(services, refs, files('a'));
    const other = filesDigests(services, refs, files('b'));
    expect(one.get('proxy')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(same.get('proxy')).toBe(one.get('proxy'));
    expect(other.get('proxy')).not.toBe(one.get('proxy'));
    expect(other.get('web')).toBe(one.get('web'));
    expect(one.has('worker')).toBe(false);
  });
});
