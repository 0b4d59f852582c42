import { InputReader, mapInputs, registeredSecrets } from '@slipway/shared';
import { DEFAULT_TRIVY_DB, DEFAULT_TRIVY_JAVA_DB, getInputs } from '../src/inputs';

const read = (values: Record<string, string>) => getInputs(new InputReader(mapInputs(values)));

describe('build-push inputs', () => {
  it('reads the defaults', () => {
    expect(read({ image: 'ghcr.io/acme/app' })).toMatchObject({
      image: { registry: 'ghcr.io', repository: 'acme/app' },
      tags: [],
      context: '.',
      skipExisting: true,
      scan: true,
      severity: ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'],
      failOn: 'CRITICAL',
      ecr: 'auto',
      logout: true,
      trivyDbRepositories: DEFAULT_TRIVY_DB,
      trivyJavaDbRepositories: DEFAULT_TRIVY_JAVA_DB,
      trivyDownloadUrl: 'https://github.com/aquasecurity/trivy/releases/download',
    });
  });

  it('reads everything', () => {
    const inputs = read({
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app',
      tags: 'a\nb,c',
      'build-args': 'A=1\nB=x=y',
      secrets: 'npm=s3cr3t-npm-token',
      platforms: 'linux/amd64',
      'cache-from': 'type=gha',
      'cache-to': 'type=gha,mode=max',
      labels: 'org.example.team=core',
      severity: 'high,critical',
      'fail-on': 'none',
      'trivy-db-repositories': 'a/db:2, b/db:2',
      username: 'u',
      password: 'p4ssw0rd-input',
    });
    expect(inputs).toMatchObject({
      tags: ['a', 'b', 'c'],
      buildArgs: [
        ['A', '1'],
        ['B', 'x=y'],
      ],
      secrets: [['npm', 's3cr3t-npm-token']],
      cacheTo: ['type=gha,mode=max'],
      labels: [['org.example.team', 'core']],
      severity: ['HIGH', 'CRITICAL'],
      failOn: 'none',
      trivyDbRepositories: ['a/db:2', 'b/db:2'],
    });
    expect(registeredSecrets()).toEqual(expect.arrayContaining(['s3cr3t-npm-token', 'p4ssw0rd-input']));
  });

  it('reads caches and Trivy DB mirrors in the forms buildx and Trivy take', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(
      read({
        image: 'r.io/a',
        'cache-from': 'r.io/a:cache\ntype=local,src=/tmp/cache',
        'cache-to': 'type=registry,ref=r.io/a:cache,mode=max',
        'trivy-db-repositories': `127.0.0.1:5000/trivy-db:2\nmirror.gcr.io/aquasec/trivy-db@${digest}`,
        'trivy-java-db-repositories': '127.0.0.1:5000/trivy-java-db:1,ghcr.io/aquasecurity/trivy-java-db:1',
      }),
    ).toMatchObject({
      cacheFrom: ['type=registry,ref=r.io/a:cache', 'type=local,src=/tmp/cache'],
      cacheTo: ['type=registry,ref=r.io/a:cache,mode=max'],
      trivyDbRepositories: ['127.0.0.1:5000/trivy-db:2', `mirror.gcr.io/aquasec/trivy-db@${digest}`],
      trivyJavaDbRepositories: ['127.0.0.1:5000/trivy-java-db:1', 'ghcr.io/aquasecurity/trivy-java-db:1'],
    });
    expect(() => read({ image: 'r.io/a', 'trivy-java-db-repositories': 'Not A Ref' })).toThrow(
      /^Input "trivy-java-db-repositories" "Not A Ref" is not a valid image reference/,
    );
  });

  it('reads a promotion', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(
      read({ image: 'r.io/app/prod', 'source-image': `r.io/app/ci@${digest}`, tags: 'prod' }).sourceImage,
    ).toEqual({
      registry: 'r.io',
      repository: 'app/ci',
      digest,
      tag: undefined,
    });
  });

  it.each([
    [{}, 'Input "image" is required'],
    [{ image: 'ghcr.io/acme/app:1' }, 'Input "image" is the repository without a tag or digest'],
    [{ image: 'ghcr.io/acme/app', tags: '-x' }, 'Input "tags" takes tags only'],
    [
      { image: 'r.io/a', 'source-image': `r.io/b@sha256:${'a'.repeat(64)}` },
      'Input "tags" is required with "source-image"',
    ],
    [
      { image: 'r.io/a', severity: 'SEVERE' },
      'Input "severity" takes UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL; got "SEVERE"',
    ],
    [{ image: 'r.io/a', 'fail-on': 'bad' }, 'Input "fail-on" takes'],
    [{ image: 'r.io/a', platforms: 'amd64' }, 'Input "platforms" takes os/arch[/variant]'],
    [{ image: 'r.io/a', ecr: 'yes' }, 'Input "ecr" must be one of auto, true, false'],
    [{ image: 'r.io/a', endpoint: 'localhost:4566' }, 'Input "endpoint" must be an http(s) URL'],
    [
      { image: 'r.io/a', 'trivy-download-url': 'ftp://mirror' },
      'Input "trivy-download-url" must be an http(s) URL',
    ],
    [{ image: 'r.io/a', password: 'only-password' }, 'Inputs "username" and "password" go together'],
    [{ image: 'r.io/a', secrets: 'bad id=x' }, 'Input "secrets" takes KEY=VALUE lines'],
    [{ image: 'r.io/a', 'skip-existing': 'maybe' }, 'Input "skip-existing" must be true or false'],
    [
      { image: 'r.io/a', 'cache-from': 'type=registry,ref' },
      'Input "cache-from" line 1 field 2 is not key=value',
    ],
    [{ image: 'r.io/a', 'cache-to': 'type=gha\nmode=max' }, 'Input "cache-to" line 2 has no "type=" field'],
    [
      { image: 'r.io/a', 'trivy-db-repositories': 'ghcr.io/aquasecurity/trivy-db:2,not a ref' },
      'Input "trivy-db-repositories" "not a ref" is not a valid image reference',
    ],
    [
      { image: 'r.io/a', 'trivy-db-repositories': 'r.io/db:2\nr.io/db:2;touch /tmp/x' },
      'Input "trivy-db-repositories" "r.io/db:2;touch /tmp/x" is not a valid image reference',
    ],
  ])('refuses %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });

  it('never shows a secret in its errors', () => {
    expect(() => read({ image: 'r.io/a', secrets: 'hunter2-secret-line' })).toThrow(/^(?!.*hunter2).*$/s);
  });
});

// issue 17: users of docker/build-push-action and metadata-action write full references in "tags".
describe('build-push inputs: full references in "tags"', () => {
  it("takes the tag of a full reference that names the image's repository", () => {
    expect(
      read({
        image: 'ghcr.io/acme/app',
        tags: 'ghcr.io/acme/app:1.2.3\nghcr.io/acme/app:latest,plain',
      }).tags,
    ).toEqual(['1.2.3', 'latest', 'plain']);
    expect(read({ image: 'docker.io/library/nginx', tags: 'nginx:edge' }).tags).toEqual(['edge']);
    expect(read({ image: '127.0.0.1:5000/acme/app', tags: '127.0.0.1:5000/acme/app:v1' }).tags).toEqual([
      'v1',
    ]);
  });

  it.each([
    ['ghcr.io/other/app:1.2.3', /names ghcr\.io\/other\/app, not "image" \(ghcr\.io\/acme\/app\)/],
    ['docker.io/acme/app:1', /names docker\.io\/acme\/app, not "image"/],
    ['ghcr.io/acme/app', /has no tag/],
    [`ghcr.io/acme/app@sha256:${'a'.repeat(64)}`, /has no tag|a digest/],
    ['ghcr.io/acme/app:bad tag', /tags only|not a valid image reference/],
  ])('refuses %s with a clear error', (tag, message) => {
    expect(() => read({ image: 'ghcr.io/acme/app', tags: tag })).toThrow(message);
    expect(() => read({ image: 'ghcr.io/acme/app', tags: tag })).toThrow(/^Input "tags"/);
  });
});
