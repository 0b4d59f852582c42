// The application repository of examples/compose, as deploy-compose plans it (no host): each of its Compose files
// (Caddy, the one the end-to-end test and the demo run; Nginx, documented beside it) with `files: proxy`, as its
// workflows pass them, must give a release where web rolls behind the proxy and the proxy is left alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRelease } from '../src/compose-files';
import { collectFiles } from '../src/local-files';

const example = join(__dirname, '../../../examples/compose');

function plan(composeFile: string) {
  const warnings: string[] = [];
  const release = buildRelease({
    id: 'R1',
    composeFiles: [{ path: composeFile, content: readFileSync(join(example, composeFile), 'utf8') }],
    files: collectFiles(['proxy'], example),
    env: [],
    images: [['web', `ghcr.io/acme/shop@sha256:${'a'.repeat(64)}`]],
    httpChecks: [],
    gitSha: 'abc',
    actor: 'me',
    runUrl: 'https://example.test/run',
    warn: (message) => warnings.push(message),
  });
  return { release, warnings };
}

describe.each([
  ['docker-compose.yml', 'caddy', 'proxy/Caddyfile'],
  ['docker-compose.nginx.yml', 'nginx', 'proxy/nginx.conf'],
])('examples/compose/%s', (composeFile, kind, config) => {
  it(`rolls web behind ${kind} (the proxy publishes the only port, its configuration shipped in files)`, () => {
    const { release, warnings } = plan(composeFile);
    expect(warnings).toEqual([]);
    const web = release.services.find((s) => s.name === 'web');
    const proxy = release.services.find((s) => s.name === 'proxy');
    // web can run twice (no published port, no container_name), is what the entry point serves, on 8080
    expect(web).toEqual({ name: 'web', public: true, upstreamPorts: [8080] });
    expect(proxy).toMatchObject({
      name: 'proxy',
      proxy: kind,
      recreateReason: expect.stringMatching(/host port/),
    });
    // the proxy's own files are digested: the same file in the next release leaves it running
    expect(proxy?.filesDigest).toMatch(/^sha256:/);
    expect(release.files.map((f) => f.name)).toContain(config);
  });

  it('the proxy has no depends_on (Compose v2 would see it changed, and recreate it, on every deploy)', () => {
    const text = readFileSync(join(example, composeFile), 'utf8');
    const proxySection = text.slice(text.indexOf('\n  proxy:'));
    expect(proxySection).not.toMatch(/^\s+depends_on:/m);
  });
});

// The proxy layouts proxy-layouts.test.ts deploys for real: each config must give the port its proxy dials web on.
// That port is what a new container must answer on before it joins the rotation (roll-up's upstream check, whose
// shell the host-script golden tests run and proxy-layouts.test.ts runs on a real host behind Caddy).
// A Caddy that names web as `web:8080` pools its kept-alive connections by that name: it is reloaded when
// containers leave the rotation (pooledByName); with `dynamic a web 8080` it pools them by address.
describe.each([
  ['caddy', 'caddy', [], false],
  ['caddy-plain', 'caddy', [], true],
  ['nginx-static', 'nginx', [], false],
  ['nginx-resolver', 'nginx', [], false],
  ['haproxy-static', 'haproxy', ['proxy'], false],
] as const)('proxy layout %s (proxy-layouts.test.ts)', (layout, kind, proxyServices, pooled) => {
  it(`web rolls behind ${kind}, which dials it on 8080`, () => {
    const dir = join(__dirname, 'fixtures/proxy-layouts', layout);
    const release = buildRelease({
      id: 'R1',
      composeFiles: [
        { path: 'docker-compose.yml', content: readFileSync(join(dir, 'docker-compose.yml'), 'utf8') },
      ],
      files: collectFiles(['proxy'], dir),
      env: [['PROXY_PORT', '8000']],
      images: [['web', `127.0.0.1:5000/web@sha256:${'a'.repeat(64)}`]],
      httpChecks: [],
      proxyServices: [...proxyServices],
      gitSha: 'abc',
      actor: 'me',
      runUrl: 'https://example.test/run',
      warn: () => {},
    });
    expect(release.services.find((s) => s.name === 'web')).toEqual({
      name: 'web',
      public: true,
      upstreamPorts: [8080],
    });
    const proxy = release.services.find((s) => s.name === 'proxy');
    expect(proxy).toMatchObject({ proxy: kind });
    expect(proxy?.pooledByName ?? false).toBe(pooled);
  });
});

// examples/compose's proxy configs are what users copy; deploy-compose's same-project tests (proxy-layouts, under
// 200 req/s, 0 failed requests) and the bench's same-project rows deploy copies of them. The copies must stay the
// same configuration, comment lines aside (a marker comment is where a test adds a header to see a reload).
describe.each([
  ['proxy/Caddyfile', 'caddy'],
  ['proxy/nginx.conf', 'nginx-static'],
])('examples/compose/%s', (config, layout) => {
  it(`is the configuration the ${layout} layout deploys, comment lines aside`, () => {
    const directives = (path: string) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    const shipped = directives(join(example, config));
    expect(shipped.length).toBeGreaterThan(5);
    expect(directives(join(__dirname, 'fixtures/proxy-layouts', layout, config))).toEqual(shipped);
  });
});
