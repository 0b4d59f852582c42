import { CommandError, type CommandRunner } from '@slipway/shared';
import type { BuildSpec } from '../src/build-command';
import { checkMultiPlatform, runBuild } from '../src/build-image';
import { DockerCli, PushFailed } from '../src/docker-cli';

const spec: BuildSpec = {
  context: '.',
  buildArgs: [],
  secrets: [],
  platforms: [],
  cacheFrom: [],
  cacheTo: ['type=gha,mode=max'],
  labels: [],
  pull: false,
  noCache: false,
  tags: ['r.io/a:1'],
  iidFile: '/t/iid',
  metadataFile: '/t/m.json',
};

/** A runner that fails the first `docker buildx build` with the given stderr, and records every call. */
function runner(firstStderr?: string) {
  const calls: string[][] = [];
  const fake: CommandRunner = {
    run: async (command, args) => {
      calls.push([command, ...args]);
      if (firstStderr && calls.length === 1) throw new CommandError('docker buildx', 1, firstStderr);
      return { code: 0, stdout: '', stderr: '' };
    },
  };
  return { fake, calls };
}

describe('runBuild', () => {
  it('builds again without cache-to when the driver refuses cache export', async () => {
    const { fake, calls } = runner('ERROR: Cache export is not supported for the docker driver.');
    await runBuild(new DockerCli(fake), spec, 'buildx');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toContain('type=gha,mode=max,ignore-error=true');
    expect(calls[1].join(' ')).not.toContain('--cache-to');
  });

  it('fails on any other build error', async () => {
    const { fake, calls } = runner(
      'ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully',
    );
    await expect(runBuild(new DockerCli(fake), spec, 'buildx')).rejects.toThrow(/exited with code 1/);
    expect(calls).toHaveLength(1);
  });
});

describe('checkMultiPlatform', () => {
  /** `docker buildx inspect` and `docker info` as a runner answers them (a failed inspect: code 1). */
  const docker = (inspect: string | undefined, driverStatus = '[["Backing Filesystem","extfs"]]') =>
    new DockerCli({
      run: async (_command, args) => {
        if (args[1] === 'inspect')
          return inspect === undefined
            ? { code: 1, stdout: '', stderr: 'ERROR: no builder "x" found' }
            : { code: 0, stdout: inspect, stderr: '' };
        return { code: 0, stdout: driverStatus, stderr: '' };
      },
    });
  const inspect = (name: string, driver: string) =>
    `Name:          ${name}\nDriver:        ${driver}\nLast Activity: 2026-12-06 17:55:52 +0000 UTC\n\nNodes:\nName:             ${name}0\n`;
  const platforms = ['linux/amd64', 'linux/arm64'];

  it('refuses the docker driver, naming the input, the builder and the fix', async () => {
    await expect(checkMultiPlatform(docker(inspect('default', 'docker')), platforms)).rejects.toThrow(
      /^Input "platforms" lists 2 platforms, but the buildx builder "default" uses the docker driver.*docker-container driver/,
    );
  });

  it.each([
    ['a docker-container builder', docker(inspect('builder-1', 'docker-container'))],
    [
      'the docker driver on the containerd image store',
      docker(inspect('default', 'docker'), '[["driver-type","io.containerd.snapshotter.v1"]]'),
    ],
    ['a builder buildx cannot describe (buildx then says why)', docker(undefined)],
  ])('accepts %s', async (_, cli) => {
    await expect(checkMultiPlatform(cli, platforms)).resolves.toBeUndefined();
  });
});

describe('PushFailed', () => {
  it.each([
    ['received unexpected HTTP status: 503 Service Unavailable', true],
    ['received unexpected HTTP status: 502 Bad Gateway', true],
    ['Get "https://r.io/v2/": net/http: TLS handshake timeout', true],
    ['write tcp 10.0.0.1:443: connection reset by peer', true],
    ['unexpected status code 500 Internal Server Error', true],
    ['denied: requested access to the resource is denied', false],
    ['unauthorized: authentication required', false],
    ['name unknown: repository name not known to registry', false],
    ['tag invalid: the tag already exists (size: 527)', false],
  ])('%s -> transient %s', (stderr, transient) => {
    expect(new PushFailed('r.io/a:1', stderr).transient).toBe(transient);
  });
});
