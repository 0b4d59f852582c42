import { InputReader, mapInputs } from '@slipway/shared';
import { generateSshKey } from '@slipway/testing';
import { getInputs } from '../src/inputs';

const key = generateSshKey();
const encrypted = generateSshKey({
  passphrase: 'right',
  cipher: 'aes256-ctr',
  rounds: 2,
});
const hostKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAhOc5xYk8ZivGA1yvOvgY2CLOXPPnKy6lFLdD9/FTqp';

const base = {
  hosts: 'deploy@10.0.0.5\ndeploy@10.0.0.6:2222 SHA256:Q83TfAgBEzctYi5JxDIVzOk7Xt2ubjZINIxjimCjKj4',
  'ssh-key': key.private,
  'known-hosts': `10.0.0.5 ${hostKey}`,
  project: 'shop',
};
const read = (values: Record<string, string>) =>
  getInputs(new InputReader(mapInputs({ ...base, ...values })));

describe('deploy-compose inputs', () => {
  it('reads hosts with fingerprints and applies the defaults', () => {
    const inputs = read({});
    expect(inputs.hosts).toEqual([
      { target: { user: 'deploy', host: '10.0.0.5', port: 22 }, fingerprints: [] },
      {
        target: { user: 'deploy', host: '10.0.0.6', port: 2222 },
        fingerprints: ['SHA256:Q83TfAgBEzctYi5JxDIVzOk7Xt2ubjZINIxjimCjKj4'],
      },
    ]);
    expect(inputs).toMatchObject({
      composeFiles: ['docker-compose.yml'],
      strategy: 'rolling',
      healthTimeoutMs: 120_000,
      drainMs: 5000,
      lockTtlMs: 1_800_000,
      lockWaitMs: 300_000,
      keepReleases: 5,
      maxParallel: 5,
      atomic: true,
      remoteDir: '.slipway',
      insecureSkipHostKeyCheck: false,
      keepPreviousMs: 600_000,
    });
    expect(inputs.knownHosts).toHaveLength(1);
  });

  it('reads blue-green and its keep-previous window (0s: the previous release stops at once)', () => {
    expect(read({ strategy: 'blue-green', 'keep-previous': '30m' })).toMatchObject({
      strategy: 'blue-green',
      keepPreviousMs: 1_800_000,
    });
    expect(read({ strategy: 'blue-green', 'keep-previous': '0s' }).keepPreviousMs).toBe(0);
  });

  // Issue 14: health-timeout meant the container wait here and one HTTP request in rollback.
  it('reads pre-deploy-command (named as in deploy-ecs), and still its deprecated name pre-deploy, with a warning', () => {
    const warnings: string[] = [];
    const reader = (values: Record<string, string>) =>
      new InputReader(mapInputs({ ...base, ...values }), (m) => warnings.push(m));
    expect(getInputs(reader({ 'pre-deploy-command': './bin/migrate' })).preDeploy).toBe('./bin/migrate');
    expect(warnings).toEqual([]);
    expect(getInputs(reader({ 'pre-deploy': './bin/migrate' })).preDeploy).toBe('./bin/migrate');
    expect(warnings).toEqual([
      'Input "pre-deploy" is deprecated: use "pre-deploy-command" (the same setting).',
    ]);
    expect(() => getInputs(reader({ 'pre-deploy': 'a', 'pre-deploy-command': 'b' }))).toThrow(
      /"pre-deploy" is the deprecated name of "pre-deploy-command"/,
    );
  });

  it('still reads the deprecated health-timeout as container-health-timeout, with a warning', () => {
    const warnings: string[] = [];
    const inputs = getInputs(
      new InputReader(mapInputs({ ...base, 'health-timeout': '45s' }), (m) => warnings.push(m)),
    );
    expect(inputs.healthTimeoutMs).toBe(45_000);
    expect(warnings).toEqual([
      'Input "health-timeout" is deprecated: use "container-health-timeout" (the same setting).',
    ]);
  });

  it.each([
    [{ hosts: '' }, 'Input "hosts" is required'],
    [{ 'ssh-key': '' }, 'Input "ssh-key" is required'],
    [{ 'known-hosts': '' }, 'Host keys are verified: give "known-hosts"'],
    [{ hosts: 'deploy@h SHA1:abc' }, 'only SHA256: fingerprints may follow'],
    [{ project: 'Shop' }, 'Input "project" must be a Compose project name'],
    [{ strategy: 'big-bang' }, 'Input "strategy" must be one of rolling, recreate, blue-green, canary'],
    [{ 'keep-previous': 'soon' }, 'Input "keep-previous" must be a duration'],
    [{ 'keep-previous': '8d' }, 'Input "keep-previous" must be a duration'],
    [{ 'container-health-timeout': 'soon' }, 'Input "container-health-timeout" must be a duration'],
    [{ 'health-timeout': 'soon' }, 'Input "health-timeout" must be a duration'],
    [
      { 'health-timeout': '1m', 'container-health-timeout': '1m' },
      '"health-timeout" is the deprecated name of',
    ],
    [{ 'max-parallel': '0' }, 'Input "max-parallel" must be a whole number from 1 to 100'],
    [{ 'remote-dir': '../etc' }, 'Input "remote-dir" must be a path'],
    [{ 'remote-dir': '~/apps' }, 'Input "remote-dir" must be a path'],
    [{ registry: 'ghcr.io', 'registry-username': 'u' }, 'give all three or none'],
    [{ env: 'not a pair' }, 'Input "env" takes KEY=VALUE lines'],
    [{ 'pre-deploy-service': 'web' }, 'Input "pre-deploy-service" needs "pre-deploy-command"'],
  ])('refuses %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });

  // Issue 17 class 11: every credential is parsed while reading the inputs, before any side effect.
  it.each([
    [
      'a garbled ssh-key',
      { 'ssh-key': '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----' },
      /^Input "ssh-key" is not a private key SSH can use/,
    ],
    ['a public key as ssh-key', { 'ssh-key': key.public }, /^Input "ssh-key" is a public key/],
    [
      'an encrypted key without passphrase',
      { 'ssh-key': encrypted.private },
      /^Input "ssh-key" is an encrypted private key: give its passphrase/,
    ],
    [
      'a wrong passphrase',
      { 'ssh-key': encrypted.private, passphrase: 'wrong' },
      /^Input "passphrase" does not decrypt "ssh-key"/,
    ],
    [
      'a known-hosts line without key',
      { 'known-hosts': '10.0.0.5 ssh-ed25519' },
      /^Input "known-hosts", line 1: it has fewer than three fields/,
    ],
    [
      'a known-hosts line naming the wrong type',
      { 'known-hosts': `# keyscan\n10.0.0.5 ssh-rsa ${hostKey.split(' ')[1]}` },
      /line 2: the key of 10.0.0.5 is of type ssh-ed25519, but the line says ssh-rsa/,
    ],
    [
      'a known-hosts key not in base64',
      { 'known-hosts': '10.0.0.5 ssh-ed25519 not*base64' },
      /line 1: the key of 10.0.0.5 is not base64/,
    ],
    [
      'an unknown known-hosts marker',
      { 'known-hosts': `@trusted 10.0.0.5 ${hostKey}` },
      /line 1: unknown marker "@trusted"/,
    ],
  ])('refuses %s while reading the inputs', (_, values, message) => {
    expect(() => read(values)).toThrow(message);
  });

  it('accepts an encrypted key with its passphrase', () => {
    expect(read({ 'ssh-key': encrypted.private, passphrase: 'right' }).passphrase).toBe('right');
  });

  // Issue 17 class 13: the same host twice would wait for its own lock.
  it.each([
    'deploy@10.0.0.5\ndeploy@10.0.0.5:22',
    'deploy@host.example.com:2222\ndeploy@HOST.example.com.:2222',
    'deploy@127.0.0.1\ndeploy@127.1',
    'deploy@[::1]:2222\ndeploy@[0:0::1]:2222',
  ])('refuses the same host twice: %j', (hosts) => {
    expect(() => read({ hosts })).toThrow(/^Input "hosts" lists the same host twice: deploy@/);
  });

  it('takes one host under two users, or on two ports, as two hosts', () => {
    expect(read({ hosts: 'a@10.0.0.5\nb@10.0.0.5\na@10.0.0.5:2222' }).hosts).toHaveLength(3);
  });

  it('allows no known-hosts when every host has a fingerprint, or when checking is switched off', () => {
    const one = 'deploy@10.0.0.6 SHA256:Q83TfAgBEzctYi5JxDIVzOk7Xt2ubjZINIxjimCjKj4';
    expect(read({ hosts: one, 'known-hosts': '' }).hosts).toHaveLength(1);
    expect(read({ 'known-hosts': '', 'insecure-skip-host-key-check': 'true' }).insecureSkipHostKeyCheck).toBe(
      true,
    );
  });

  it('does not show a secret env value in its error', () => {
    expect(() => read({ env: 'A=ok\nnot-a-pair-secret' })).toThrow(
      /^Input "env" takes KEY=VALUE lines with keys matching [^(]*\.$/,
    );
  });
});

describe('strategy canary (issue 16)', () => {
  const canary = { strategy: 'canary', 'public-url': 'https://shop.example/', 'expect-version': 'v2' };
  const error = (values: Record<string, string>) => {
    try {
      read(values);
    } catch (e) {
      return e as Error & { input?: string };
    }
    throw new Error('no error');
  };

  it('reads the steps, the interval and fail-on-inconclusive, with their defaults', () => {
    expect(read(canary).canary).toEqual({
      steps: [5, 25, 100],
      intervalMs: 60_000,
      failOnInconclusive: true,
    });
    expect(
      read({
        ...canary,
        'canary-steps': '10%,50%',
        'canary-interval': '30s',
        'fail-on-inconclusive': 'false',
      }).canary,
    ).toEqual({ steps: [10, 50, 100], intervalMs: 30_000, failOnInconclusive: false });
    expect(read({}).canary).toBeUndefined();
  });

  it.each([
    [{ 'canary-steps': '5%,2%' }, 'canary-steps', /2% after 5% does not rise/],
    [{ 'canary-steps': '150%' }, 'canary-steps', /"150%" is not a share above 0% and at most 100%/],
    [{ 'canary-interval': '100ms' }, 'canary-interval', /"canary-interval"/],
    [{ 'public-url': '', 'expect-version': '' }, 'strategy', /set "public-url" and "expect-version"/],
    [{ 'expect-version': '' }, 'strategy', /set "public-url" and "expect-version"/],
    [{ strategy: 'rolling' }, 'canary-steps', /applies to strategy: canary only; strategy is rolling/],
    [{ 'min-success-rate': '2' }, 'min-success-rate', /"min-success-rate"/],
  ])('refuses %j naming %s', (values, input, message) => {
    const got = error({ ...canary, 'canary-steps': '5%,25%', ...values });
    expect(got.input).toBe(input);
    expect(got.message).toMatch(message);
  });

  it('takes an analysis (the metrics judged at each step) only with canary, checked as smoke-test checks it', () => {
    const analysis = [
      'prometheus: { address: "http://prometheus:9090" }',
      'metrics:',
      '  - name: errors',
      '    query: rate(http_requests_total{version="{{ version }}",release="{{ release }}",code=~"5.."}[30s])',
      '    success-condition: result < 0.01',
      '    interval: 5s',
    ].join('\n');
    const metrics = read({ ...canary, analysis }).canary?.metrics;
    expect(metrics?.withBake(8000, { release: 'R9' }).metrics[0]).toMatchObject({
      query: 'rate(http_requests_total{version="v2",release="R9",code=~"5.."}[30s])',
    });
    expect(read(canary).canary?.metrics).toBeUndefined();
    expect(error({ strategy: 'rolling', analysis }).input).toBe('analysis');
    expect(error({ ...canary, analysis: 'metrics: [' }).message).toMatch(
      /Input "analysis" must be valid YAML/,
    );
    expect(error({ ...canary, analysis, 'analysis-vars': 'oops' }).input).toBe('analysis-vars');
  });

  it('takes min-success-rate, max-p95 and max-p99 as assertions on public-url', () => {
    const inputs = read({ ...canary, 'min-success-rate': '99%', 'max-p95': '300ms', 'max-p99': '1s' });
    expect(inputs.entry).toMatchObject({ minSuccessRate: 0.99, maxP95Ms: 300, maxP99Ms: 1000 });
    expect(error({ 'max-p95': '300ms' }).input).toBe('max-p95');
  });

  it('gives the entry point 30 s to answer as the new release (container-health-timeout if shorter), not the whole health wait', () => {
    const url = { 'public-url': 'https://shop.example/' };
    expect(read(url).entry?.readyTimeoutMs).toBe(30_000);
    expect(read({ ...url, 'container-health-timeout': '10m' }).entry?.readyTimeoutMs).toBe(30_000);
    expect(read({ ...url, 'container-health-timeout': '10s' }).entry?.readyTimeoutMs).toBe(10_000);
  });
});
