import { buildRelease, type ReleaseSource } from '../src/compose-files';

const digest = `127.0.0.1:5000/app/web@sha256:${'a'.repeat(64)}`;
const source = (compose: string, extra: Partial<ReleaseSource> = {}): ReleaseSource => ({
  id: 'r1',
  composeFiles: [{ path: 'docker-compose.yml', content: compose }],
  env: [],
  images: [],
  httpChecks: [],
  gitSha: 'abc',
  actor: 'octocat',
  runUrl: 'https://github.com/acme/app/actions/runs/1',
  ...extra,
});

const APP = `services:
  proxy:
    image: caddy
    ports: ["443:443"]
    depends_on: [web]
  web:
    image: app
    depends_on:
      db: { condition: service_healthy }
  worker:
    image: app
    ports: ["8080"]
  db:
    image: postgres
    container_name: shop-db
`;

describe('buildRelease', () => {
  it('orders services by dependency and says which cannot roll, and why', () => {
    const release = buildRelease(source(APP, { httpChecks: [['web', ':8080/health']] }));
    expect(release.services).toEqual([
      { name: 'db', recreateReason: 'it has a fixed container_name (shop-db), so two cannot run at once' },
      { name: 'web', httpCheck: ':8080/health' },
      { name: 'proxy', recreateReason: 'it publishes a host port, which only one container can bind' },
      { name: 'worker' },
    ]);
  });

  it('pins images by digest in an override file and writes the env file 0600, quoted', () => {
    const release = buildRelease(
      source(APP, { images: [['web', digest]], env: [['TOKEN', 'a $b `c` "d"']] }),
    );
    expect(release.composeFiles).toEqual(['compose-0.yml', 'images.override.yml']);
    expect(release.envFile).toBe('release.env');
    const files = Object.fromEntries(release.files.map((f) => [f.name, f]));
    expect(files['images.override.yml'].content).toContain(`web:\n    image: ${digest}`);
    expect(files['release.env']).toEqual({
      name: 'release.env',
      content: 'TOKEN=\'a $b `c` "d"\'\n',
      mode: 0o600,
    });
    expect(files['compose-0.yml'].mode).toBe(0o644);
    expect(JSON.stringify(release)).not.toContain('env":');
  });

  it.each([
    [source('services:\n  a:\n    depends_on: [b]\n  b:\n    depends_on: [a]\n'), 'in a cycle: a -> b -> a'],
    [source('version: "3"\n'), 'has no "services:" section'],
    [source('services: [\n'), 'is not valid YAML'],
    [
      source(APP, { images: [['api', digest]] }),
      'names the service "api", which is not in the Compose files',
    ],
    [source(APP, { images: [['web', 'app:latest']] }), 'must be pinned by digest'],
    [source(APP, { httpChecks: [['web', 'http://x/$(id)']] }), 'needs :port/path'],
    [source(APP, { env: [['A', "it's"]] }), 'contains a single quote'],
    [source('services:\n  "a b":\n    image: x\n'), 'the service name "a b" may contain only'],
  ])('refuses bad Compose files and inputs (%#)', (src, message) => {
    expect(() => buildRelease(src)).toThrow(message);
  });
});
