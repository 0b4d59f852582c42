import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeWithInfra } from '@slipway/testing';
import {
  createDockerEngine,
  dockerTarget,
  registryAuthHeader,
  registryOf,
  withTag,
} from '../src/docker-engine';

describe('docker-engine references', () => {
  it.each([
    ['busybox', 'busybox:latest', 'docker.io'],
    ['local/busybox:1', 'local/busybox:1', 'docker.io'],
    ['127.0.0.1:5000/slipway/busybox', '127.0.0.1:5000/slipway/busybox:latest', '127.0.0.1:5000'],
    ['127.0.0.1:5001/app@sha256:abc', '127.0.0.1:5001/app@sha256:abc', '127.0.0.1:5001'],
    ['localhost/app:2', 'localhost/app:2', 'localhost'],
    [
      '1234.dkr.ecr.eu-west-1.amazonaws.com/app',
      '1234.dkr.ecr.eu-west-1.amazonaws.com/app:latest',
      '1234.dkr.ecr.eu-west-1.amazonaws.com',
    ],
  ])('%s: pulls %s from %s', (image, tagged, registry) => {
    expect(withTag(image)).toBe(tagged);
    expect(registryOf(image)).toBe(registry);
  });

  it('gives up on a daemon that does not answer', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const engine = createDockerEngine({ host: '127.0.0.1', port }, 100);
    await expect(engine.inspect('abc')).rejects.toThrow(
      'Docker Engine API GET /containers/abc/json timed out',
    );
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  // Docker 20.10 reads the header with Go's padded URL alphabet and drops it silently when that fails, so the
  // JSON's length must not decide whether the login reaches the daemon: one password for each length mod 3.
  it.each(['pw', 'pw1', 'pw12'])('X-Registry-Auth for password %s is padded base64url', (password) => {
    const auth = { username: 'u', password, serveraddress: '127.0.0.1:5001' };
    const header = registryAuthHeader(auth);
    expect(header.length % 4).toBe(0);
    expect(header).toMatch(/^[A-Za-z0-9_-]*={0,2}$/);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual(auth);
  });

  it('reads DOCKER_HOST as the docker CLI does', () => {
    expect(dockerTarget(undefined)).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerTarget('unix:///run/user/1000/docker.sock')).toEqual({
      socketPath: '/run/user/1000/docker.sock',
    });
    expect(dockerTarget('tcp://127.0.0.1:2376')).toEqual({ host: '127.0.0.1', port: 2376 });
  });
});

describeWithInfra('docker-engine against the real daemon and registries', (infra) => {
  const docker = createDockerEngine();

  it('pulls from the open registry, reads the digest, and says when an image is not there', async () => {
    await docker.pull(infra.images.busyboxRemote);
    expect(await docker.imageDigest(infra.images.busyboxRemote)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await docker.imageDigest(`ecs-local-missing-${randomBytes(3).toString('hex')}:1`)).toBeUndefined();
  });

  it('pulls with the registry login it is given (the Engine API does not read the CLI config)', async () => {
    const { host, username, password } = infra.registry.auth;
    const image = `${host}/ecs-local-missing-${randomBytes(3).toString('hex')}:1`;
    await expect(docker.pull(image)).rejects.toThrow(/no basic auth credentials|unauthorized/i);
    await expect(docker.pull(image, { username, password })).rejects.toThrow(/not found|manifest unknown/i);
  });
});
