import { type BuildSpec, buildCommand, secretLookingArgs } from '../src/build-command';
import { parseCacheEntries } from '../src/cache-entries';

const spec = (over: Partial<BuildSpec> = {}): BuildSpec => ({
  context: '.',
  buildArgs: [],
  secrets: [],
  platforms: [],
  cacheFrom: [],
  cacheTo: [],
  labels: [],
  pull: false,
  noCache: false,
  tags: ['r.io/a/b:1'],
  iidFile: '/t/iid',
  metadataFile: '/t/meta.json',
  ...over,
});

describe('buildCommand for docker buildx', () => {
  it.each<[string, Partial<BuildSpec>, string[]]>([
    ['minimal', {}, ['buildx', 'build', '--iidfile', '/t/iid', '--tag', 'r.io/a/b:1', '--load', '.']],
    [
      'everything',
      {
        file: 'docker/Dockerfile',
        target: 'prod',
        buildArgs: [['VERSION', '1']],
        labels: [['a', 'b']],
        pull: true,
        noCache: true,
        platforms: ['linux/arm64'],
        cacheFrom: ['type=gha'],
        cacheTo: ['type=gha,mode=max'],
        context: 'app',
      },
      [
        'buildx',
        'build',
        '--iidfile',
        '/t/iid',
        '--file',
        'docker/Dockerfile',
        '--target',
        'prod',
        '--build-arg',
        'VERSION=1',
        '--label',
        'a=b',
        '--pull',
        '--no-cache',
        '--tag',
        'r.io/a/b:1',
        '--platform',
        'linux/arm64',
        '--cache-from',
        'type=gha',
        '--cache-to',
        'type=gha,mode=max,ignore-error=true',
        '--load',
        'app',
      ],
    ],
    [
      'cache-to that already chose',
      { cacheTo: ['type=registry,ref=r.io/a/b:cache,ignore-error=false'] },
      [
        'buildx',
        'build',
        '--iidfile',
        '/t/iid',
        '--tag',
        'r.io/a/b:1',
        '--cache-to',
        'type=registry,ref=r.io/a/b:cache,ignore-error=false',
        '--load',
        '.',
      ],
    ],
    [
      'several platforms push from buildx',
      { platforms: ['linux/amd64', 'linux/arm64'] },
      [
        'buildx',
        'build',
        '--iidfile',
        '/t/iid',
        '--tag',
        'r.io/a/b:1',
        '--platform',
        'linux/amd64,linux/arm64',
        '--push',
        '--metadata-file',
        '/t/meta.json',
        '.',
      ],
    ],
  ])('%s', (_name, over, args) => {
    expect(buildCommand(spec(over), 'buildx').args).toEqual(args);
  });

  it('writes several platforms to an OCI archive when they are to be scanned', () => {
    const command = buildCommand(
      spec({ platforms: ['linux/amd64', 'linux/arm64'], ociArchive: '/t/image.tar' }),
      'buildx',
    );
    expect(command.output).toBe('oci');
    expect(command.args.slice(-4)).toEqual([
      'linux/amd64,linux/arm64',
      '--output',
      'type=oci,dest=/t/image.tar',
      '.',
    ]);
    expect(buildCommand(spec(), 'buildx').output).toBe('load');
    expect(buildCommand(spec({ platforms: ['linux/amd64', 'linux/arm64'] }), 'buildx').output).toBe('push');
  });

  it('passes secrets by environment, never as arguments', () => {
    const command = buildCommand(
      spec({
        secrets: [
          ['npm', 's3cr3t-value'],
          ['gh', 'other'],
        ],
      }),
      'buildx',
    );
    expect(command.args).toContain('id=npm,env=SLIPWAY_BUILD_SECRET_0');
    expect(command.args).toContain('id=gh,env=SLIPWAY_BUILD_SECRET_1');
    expect(command.args.join(' ')).not.toContain('s3cr3t-value');
    expect(command.env).toEqual({ SLIPWAY_BUILD_SECRET_0: 's3cr3t-value', SLIPWAY_BUILD_SECRET_1: 'other' });
  });
});

describe('buildCommand for the classic docker build', () => {
  it('uses the classic builder and image caches', () => {
    const command = buildCommand(
      spec({
        cacheFrom: ['r.io/a/b:cache', 'type=registry,ref=r.io/a/b:c2', 'type=gha'],
        cacheTo: ['type=gha'],
        platforms: ['linux/amd64'],
      }),
      'docker',
    );
    expect(command.args).toEqual([
      'build',
      '--iidfile',
      '/t/iid',
      '--tag',
      'r.io/a/b:1',
      '--platform',
      'linux/amd64',
      '--cache-from',
      'r.io/a/b:cache',
      '--cache-from',
      'r.io/a/b:c2',
      '.',
    ]);
    expect(command.env).toEqual({ DOCKER_BUILDKIT: '0' });
    expect(command.warnings).toEqual([
      'cache-from "type=gha" needs docker buildx; ignored.',
      'cache-to needs docker buildx, which is not installed; no cache was exported.',
    ]);
  });

  it.each<[Partial<BuildSpec>, RegExp]>([
    [{ secrets: [['a', 'b']] }, /Input "secrets" needs BuildKit/],
    [{ platforms: ['linux/amd64', 'linux/arm64'] }, /Input "platforms" lists 2 platforms/],
  ])('refuses what needs buildx: %j', (over, message) => {
    expect(() => buildCommand(spec(over), 'docker')).toThrow(message);
  });
});

describe('secretLookingArgs', () => {
  it.each([
    ['NPM_TOKEN', true],
    ['DB_PASSWORD', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['API_KEY', true],
    ['VERSION', false],
    ['MONKEY', false],
    ['KEYBOARD_LAYOUT', false],
  ])('%s -> %s', (name, secret) => {
    expect(secretLookingArgs([[name, 'x']])).toEqual(secret ? [name] : []);
  });

  it('warns with the fix', () => {
    expect(buildCommand(spec({ buildArgs: [['NPM_TOKEN', 'x']] }), 'buildx').warnings[0]).toMatch(
      /Build arg "NPM_TOKEN" looks like a secret.*"secrets"/,
    );
  });
});

describe('cache entries as the inputs give them', () => {
  // A bare image in cache-to used to become "r.io/a:cache,ignore-error=true", which buildx refuses
  // ("invalid value r.io/a:cache"): the inputs write it out as type=registry, so the export can only warn.
  it('reach buildx with ignore-error, and the classic builder as plain images', () => {
    const caches = {
      cacheFrom: parseCacheEntries('cache-from', ['r.io/a:cache', 'TYPE=registry,REF=r.io/a:c2']),
      cacheTo: parseCacheEntries('cache-to', ['r.io/a:cache']),
    };
    const buildx = buildCommand(spec(caches), 'buildx').args;
    expect(buildx.slice(buildx.indexOf('--cache-from'), buildx.indexOf('--load'))).toEqual([
      '--cache-from',
      'type=registry,ref=r.io/a:cache',
      '--cache-from',
      'type=registry,ref=r.io/a:c2',
      '--cache-to',
      'type=registry,ref=r.io/a:cache,ignore-error=true',
    ]);
    const docker = buildCommand(spec(caches), 'docker').args;
    expect(docker.filter((_a, i) => docker[i - 1] === '--cache-from')).toEqual(['r.io/a:cache', 'r.io/a:c2']);
  });
});
