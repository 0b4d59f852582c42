import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRelease, type ReleaseSource } from '../src/compose-files';
import { collectFiles } from '../src/local-files';

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
  files: [],
  warn: () => undefined,
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
      // web is behind the proxy (the proxy depends on it), the Caddy proxy known by its image
      { name: 'web', httpCheck: ':8080/health', public: true },
      {
        name: 'proxy',
        proxy: 'caddy',
        recreateReason: 'it publishes a host port, which only one container can bind',
      },
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
      content: 'SLIPWAY_DOLLAR=\'$\'\nTOKEN="a ${SLIPWAY_DOLLAR}b `c` \\"d\\""\n',
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
    [source(APP, { env: [['A', 'a\0b']] }), 'the value of A contains a NUL byte'],
    [source(APP, { env: [['SLIPWAY_DOLLAR', '$']] }), 'SLIPWAY_DOLLAR is a name Slipway uses'],
    [source('services:\n  "a b":\n    image: x\n'), 'the service name "a b" may contain only'],
  ])('refuses bad Compose files and inputs (%#)', (src, message) => {
    expect(() => buildRelease(src)).toThrow(message);
  });
});

describe('files next to the Compose files', () => {
  const file = (path: string, text = 'x') => ({ path, content: Buffer.from(text) });
  const REFS = `services:
  web:
    image: app
    env_file: [./app.env, { path: ./opt.env, required: false }]
    volumes: ["./conf:/etc/app:ro", "data:/data", "/srv/x:/x", { type: bind, source: ./certs, target: /c }]
configs:
  site: { file: ./conf/site.conf }
secrets:
  key: { file: ./secret.txt }
  ext: { external: true }
`;

  it('uploads them into the release folder, env files and Compose secrets 0600, and runs Compose there', () => {
    const warnings: string[] = [];
    const release = buildRelease(
      source(REFS, {
        files: [file('app.env', 'A=1'), file('conf/site.conf'), file('secret.txt')],
        warn: (m) => warnings.push(m),
      }),
    );
    expect(release.projectDirectory).toBe('live');
    const modes = Object.fromEntries(release.files.map((f) => [f.name, f.mode]));
    expect(modes).toEqual({
      'compose-0.yml': 0o644,
      'app.env': 0o600,
      'conf/site.conf': 0o644,
      'secret.txt': 0o600,
    });
    // ./certs is not uploaded: a bind mount may be meant, so only a warning, naming the input.
    expect(warnings).toEqual([expect.stringContaining('the bind mount "./certs" is not uploaded')]);
    expect(warnings[0]).toContain('"files"');
  });

  // Issue 17 class 4: what a Compose file uses as a secret, and what the user marks, lands 0600.
  it('stores 0600 the files of a secrets folder and the files marked in secret-files', () => {
    const compose = 'services:\n  web:\n    image: app\nsecrets:\n  tls: { file: ./tls }\n';
    const release = buildRelease(
      source(compose, {
        files: [
          file('tls/key.pem'),
          file('tls/ca/root.pem'),
          file('conf/a.conf'),
          file('conf/b.conf'),
          file('token'),
        ],
        secretFiles: ['./conf/b.conf', 'token'],
      }),
    );
    expect(Object.fromEntries(release.files.map((f) => [f.name, f.mode]))).toEqual({
      'compose-0.yml': 0o644,
      'tls/key.pem': 0o600,
      'tls/ca/root.pem': 0o600,
      'conf/a.conf': 0o644,
      'conf/b.conf': 0o600,
      token: 0o600,
    });
    expect(() => buildRelease(source(compose, { files: [file('tls/k')], secretFiles: ['nope'] }))).toThrow(
      'Input "secret-files": "nope" is none of the files uploaded by "files"',
    );
  });

  it.each([
    [[file('conf/site.conf'), file('secret.txt')], 'the env_file "./app.env" is not uploaded'],
    [[file('app.env'), file('secret.txt')], 'the configs "./conf/site.conf" is not uploaded'],
    [[file('app.env'), file('conf/site.conf')], 'the secrets "./secret.txt" is not uploaded'],
    [[file('app.env'), file('conf/site.conf'), file('secret.txt'), file('release.env')], 'rename it'],
  ])('refuses a reference that is not uploaded, naming "files" (%#)', (files, message) => {
    const build = () => buildRelease(source(REFS, { files }));
    expect(build).toThrow(message);
    expect(build).toThrow('Input "files"');
  });

  it('refuses a reference outside the Compose folder', () => {
    expect(() => buildRelease(source('services:\n  web:\n    image: a\n    env_file: ../up.env\n'))).toThrow(
      'is outside the first Compose file',
    );
  });
});

describe('collectFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dc-collect-'));
  const base = join(dir, 'w');
  const outside = join(dir, 'outside');
  beforeAll(() => {
    mkdirSync(join(base, 'conf', 'sub'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(base, 'app.env'), 'A=1');
    writeFileSync(join(base, 'conf', 'a.conf'), 'a');
    writeFileSync(join(base, 'conf', 'sub', 'b.conf'), 'b');
    writeFileSync(join(outside, 'id_rsa'), 'PRIVATE');
    chmodSync(join(outside, 'id_rsa'), 0o600);
    mkdirSync(join(base, 'leaky'));
    symlinkSync(join(outside, 'id_rsa'), join(base, 'leaky', 'key.pem'));
    symlinkSync('/dev/zero', join(base, 'zero'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads files and folders with their paths relative to the Compose folder', () => {
    expect(collectFiles(['./app.env', 'conf/'], base)).toEqual([
      { path: 'app.env', content: Buffer.from('A=1') },
      { path: 'conf/a.conf', content: Buffer.from('a') },
      { path: 'conf/sub/b.conf', content: Buffer.from('b') },
    ]);
  });

  it.each([
    ['nope.env', `nope.env does not exist in ${base}`],
    ['../etc/passwd', 'is outside'],
    ['/etc/passwd', 'is outside'],
    // issue 17, class 1: a folder holding a link to a 0600 file outside the workspace uploaded that file as 0644
    ['leaky', 'leaky/key.pem is a link leading outside'],
    // issue 17, class 2: /dev/zero by a link grew the action to 16.8 GB
    ['zero', 'zero leads outside the workspace (to /dev/zero)'],
  ])('refuses %s naming the input', (entry, message) => {
    expect(() => collectFiles([entry], base)).toThrow(message);
    expect(() => collectFiles([entry], base)).toThrow('Input "files"');
  });
});
