import {
  formatImageReference,
  isLoopbackRegistry,
  parseImageReference,
} from '../src/registry/image-reference';
import { parseChallenge } from '../src/registry/registry-auth';

describe('parseImageReference', () => {
  it.each([
    ['busybox', { registry: 'docker.io', repository: 'library/busybox' }],
    ['acme/app:1.2', { registry: 'docker.io', repository: 'acme/app', tag: '1.2' }],
    ['ghcr.io/acme/app', { registry: 'ghcr.io', repository: 'acme/app' }],
    [
      '127.0.0.1:5000/slipway/busybox:1',
      { registry: '127.0.0.1:5000', repository: 'slipway/busybox', tag: '1' },
    ],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    [
      `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:${'a'.repeat(64)}`,
      {
        registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        repository: 'app',
        digest: `sha256:${'a'.repeat(64)}`,
      },
    ],
    [
      `r.io:443/a/b:v1@sha256:${'b'.repeat(64)}`,
      { registry: 'r.io:443', repository: 'a/b', tag: 'v1', digest: `sha256:${'b'.repeat(64)}` },
    ],
  ])('parses %s', (text, expected) => {
    expect(parseImageReference(text)).toEqual({ tag: undefined, digest: undefined, ...expected });
  });

  it.each([
    ['Ghcr.io/Acme/App', 'repository path components'],
    ['ghcr.io/acme/app@sha256:abc', 'the digest must be sha256'],
    ['ghcr.io/acme/app:.bad', 'a tag is at most 128'],
    ['', 'repository path components'],
  ])('refuses %j naming the input', (text, why) => {
    expect(() => parseImageReference(text, 'source-image')).toThrow(`source-image ${JSON.stringify(text)}`);
    expect(() => parseImageReference(text, 'source-image')).toThrow(why);
  });

  it('formats back', () => {
    const text = `ghcr.io/acme/app:1@sha256:${'c'.repeat(64)}`;
    expect(formatImageReference(parseImageReference(text))).toBe(text);
  });

  it.each([
    ['127.0.0.1:5000', true],
    ['localhost:5001', true],
    ['ghcr.io', false],
    ['127.example.com', false],
  ])('%s is loopback: %s', (host, expected) => expect(isLoopbackRegistry(host)).toBe(expected));
});

describe('parseChallenge', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/busybox:pull',
        },
      },
    ],
    ['Basic realm="slipway"', { scheme: 'basic', params: { realm: 'slipway' } }],
    ['Basic realm=registry', { scheme: 'basic', params: { realm: 'registry' } }],
    [
      'Bearer realm="https://ghcr.io/token", service="ghcr.io",scope="repository:a/b:pull,push"',
      {
        scheme: 'bearer',
        params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:a/b:pull,push' },
      },
    ],
    ['Bearer realm="a \\"quoted\\" realm"', { scheme: 'bearer', params: { realm: 'a "quoted" realm' } }],
  ])('parses %s', (header, expected) => expect(parseChallenge(header)).toEqual(expected));

  it('gives undefined for no header', () => {
    expect(parseChallenge(null)).toBeUndefined();
    expect(parseChallenge('')).toBeUndefined();
  });
});
