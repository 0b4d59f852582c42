import { InputReader, mapInputs } from '@slipway/shared';
import { getInputs } from '../src/inputs';

const BASE = {
  target: 'ecs',
  environment: 'production',
  service: 'web',
  region: 'eu-west-1',
  'health-url': 'https://app.example.com/health',
};
const read = (values: Record<string, string>) =>
  getInputs(new InputReader(mapInputs({ ...BASE, ...values })));
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('rollback inputs', () => {
  it('reads the defaults', () => {
    const inputs = read({});
    expect(inputs).toMatchObject({
      target: 'ecs',
      environment: 'production',
      to: undefined,
      reason: '',
      cooldownMs: 600_000,
      migrationsGuard: 'warn',
      ecs: {
        cluster: 'default',
        services: ['web'],
        region: 'eu-west-1',
        waitTimeoutMs: 1_800_000,
        pollIntervalMs: 5000,
      },
    });
    expect(inputs.health).toMatchObject({
      samples: 5,
      intervalMs: 1000,
      timeoutMs: 10_000,
      readyTimeoutMs: 300_000,
    });
    expect(inputs.health.checks.map((c) => c.url.href)).toEqual(['https://app.example.com/health']);
  });

  // Issue 14: health-timeout meant one HTTP request here and the container wait in deploy-compose.
  it('reads health-request-timeout, and the deprecated health-timeout with a warning', () => {
    expect(read({ 'health-request-timeout': '3s' }).health.timeoutMs).toBe(3000);
    const warnings: string[] = [];
    const old = getInputs(
      new InputReader(mapInputs({ ...BASE, 'health-timeout': '4s' }), (m) => warnings.push(m)),
    );
    expect(old.health.timeoutMs).toBe(4000);
    expect(warnings).toEqual([
      'Input "health-timeout" is deprecated: use "health-request-timeout" (the same setting).',
    ]);
    expect(() => read({ 'health-timeout': '4s', 'health-request-timeout': '3s' })).toThrow(
      'Inputs "health-timeout" and "health-request-timeout" are both given',
    );
  });

  it.each([
    [DIGEST, { kind: 'digest', digest: DIGEST }],
    [`123.dkr.ecr.eu-west-1.amazonaws.com/app@${DIGEST}`, { kind: 'digest', digest: DIGEST }],
    ['web:12', { kind: 'task-definition', ref: 'web:12' }],
    [
      'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12',
      { kind: 'task-definition', ref: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12' },
    ],
  ])('tells what "to" names: %s', (to, expected) => {
    expect(read({ to }).to).toEqual(expected);
  });

  it('maps health-checks (smoke-test checks, YAML) and expect-version onto the gate', () => {
    const inputs = read({
      'health-url': '',
      'health-checks':
        '- name: api\n  url: http://127.0.0.1:1/health\n  expect-json: { status: ok }\n- http://127.0.0.1:1/',
      'expect-version': 'v7',
      'health-samples': '2',
      'health-interval': '50ms',
    });
    expect(inputs.health.checks.map((c) => [c.name, c.expectVersion, c.expectJson.length])).toEqual([
      ['api', 'v7', 1],
      ['http://127.0.0.1:1/', 'v7', 0],
    ]);
    expect(inputs.health).toMatchObject({ samples: 2, intervalMs: 50, readyBackoffMs: 50 });
  });

  it.each([
    [{ environment: '' }, 'Input "environment" is required'],
    [{ to: 'sha256:abc' }, 'Input "to" must be a task-definition ARN'],
    [{ services: 'api' }, 'Set either "service" or "services", not both.'],
    [{ service: '', services: 'a\na' }, 'Input "services" names a service twice.'],
    [{ 'health-checks': '- url: x' }, 'Inputs "health-url" and "health-checks" both list what to check'],
    [{ 'health-url': 'ftp://x' }, 'Input "health-url": "url" must use http or https'],
    [{ 'health-samples': '0' }, 'Input "health-samples" must be a whole number from 1 to 10000'],
    [{ cooldown: '-1' }, 'Input "cooldown" must be a duration'],
    [{ endpoint: 'localhost:4566' }, 'Input "endpoint" must be an http(s) URL'],
    [{ region: '' }, 'Input "region" is required when AWS_REGION is not set'],
  ])('refuses %j', (values, message) => {
    const saved = { region: process.env.AWS_REGION, fallback: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      expect(() => read(values)).toThrow(message);
    } finally {
      if (saved.region !== undefined) process.env.AWS_REGION = saved.region;
      if (saved.fallback !== undefined) process.env.AWS_DEFAULT_REGION = saved.fallback;
    }
  });
});

// issue 17, class 5: an unparsable health-url was shown with its password; a YAML error in health-checks quoted
// its first characters, header values included.
describe('rollback inputs: secrets in input errors', () => {
  it.each([
    ['health-url', { 'health-url': 'http://user:pw-s3cret@host:99999/' }],
    [
      'health-checks',
      {
        'health-url': '',
        'health-checks': '- url: http://x\n  headers: { Authorization: Bearer hdr-s3cret }\n  method: [',
      },
    ],
    ['health-checks', { 'health-url': '', 'health-checks': 'Authorization: Bearer hdr-s3cret\n  - [' }],
  ])('names %s without its password or header values', (input, values) => {
    let error: Error | undefined;
    try {
      read(values);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toMatchObject({ input });
    expect(error?.message).not.toMatch(/pw-s3cret|hdr-s3cret|Bearer/);
  });
});
