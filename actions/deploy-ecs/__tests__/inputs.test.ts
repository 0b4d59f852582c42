import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReader, mapInputs } from '@slipway/shared';
import { getInputs } from '../src/inputs';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const dir = mkdtempSync(join(tmpdir(), 'deploy-ecs-inputs-'));
const file = join(dir, 'task-definition.json');
writeFileSync(file, '{}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (values: Record<string, string>) =>
  getInputs(new InputReader(mapInputs({ region: 'eu-west-1', service: 'web', ...values })));

describe('deploy-ecs inputs', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('has defaults that follow the deployment to its end', () => {
    expect(read({})).toEqual({
      cluster: 'default',
      services: ['web'],
      taskDefinition: { kind: 'service' },
      images: [],
      environment: [],
      secrets: [],
      dockerLabels: [],
      cpu: { containers: [] },
      memory: { containers: [] },
      desiredCount: undefined,
      forceNewDeployment: false,
      wait: true,
      waitTimeoutMs: 30 * 60_000,
      pollIntervalMs: 5000,
      rollbackOnFailure: true,
      failOnEcsRollback: true,
      region: 'eu-west-1',
      endpoint: undefined,
      githubToken: undefined,
      recording: { enabled: true, environment: undefined, environmentUrl: undefined, force: false },
      migration: undefined,
      dryRun: false,
      preDeploy: undefined,
      backup: undefined,
      pauses: { gates: {}, continueAt: [] },
    });
  });

  it('reads what answers the pauses: a gate per listener, with the assertions, and continue-at', () => {
    const { pauses } = read({
      'test-url': 'http://lb:8081/health',
      'production-url': 'http://lb/health\nhttp://lb/api',
      'expect-version': 'abc123',
      'version-field': 'json:commit',
      'ready-timeout': '30s',
      'continue-at': 'post_scale_up',
    });
    expect(pauses.continueAt).toEqual(['POST_SCALE_UP']);
    expect(pauses.gates.POST_TEST_TRAFFIC_SHIFT?.checks.map((c) => c.url.href)).toEqual([
      'http://lb:8081/health',
    ]);
    expect(pauses.gates.POST_PRODUCTION_TRAFFIC_SHIFT?.checks).toHaveLength(2);
    expect(pauses.gates.POST_TEST_TRAFFIC_SHIFT).toMatchObject({ readyTimeoutMs: 30_000 });
    expect(pauses.gates.POST_TEST_TRAFFIC_SHIFT?.checks[0]).toMatchObject({ expectVersion: 'abc123' });
  });

  it.each<[Record<string, string>, RegExp]>([
    [
      { 'continue-at': 'TEST_TRAFFIC_SHIFT' },
      /^Input "continue-at" takes lifecycle stages a PAUSE hook can hold/,
    ],
    [{ 'test-url': 'http://lb/', 'continue-at': 'POST_TEST_TRAFFIC_SHIFT' }, /where test-url is checked/],
    [
      { 'expect-version': 'abc' },
      /^Input "expect-version" is an assertion on "test-url" and "production-url"/,
    ],
    [{ 'test-url': 'not a url' }, /test-url/],
  ])('refuses the pause inputs %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });

  it('reads every setting', () => {
    const inputs = read({
      service: '',
      services: 'web\napi',
      cluster: 'prod',
      'task-definition': file,
      images: `web=repo/web@${DIGEST}\napi=repo/api:1`,
      environment: 'web:URL=https://x/?a=b\nLOG=debug',
      secrets: 'api:DB=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
      'docker-labels': 'web:traefik.http.routers.web.rule=Host(`x`)',
      cpu: '1024\nweb=256',
      memory: 'api=512',
      'desired-count': '0',
      'force-new-deployment': 'true',
      wait: 'false',
      'wait-timeout': '2h',
      'poll-interval': '250ms',
      'rollback-on-failure': 'false',
      'fail-on-ecs-rollback': 'false',
      endpoint: 'http://127.0.0.1:4566',
    });
    expect(inputs).toMatchObject({
      cluster: 'prod',
      services: ['web', 'api'],
      taskDefinition: { kind: 'file', path: file },
      images: [
        { container: 'web', image: `repo/web@${DIGEST}` },
        { container: 'api', image: 'repo/api:1' },
      ],
      environment: [
        { container: 'web', key: 'URL', value: 'https://x/?a=b' },
        { key: 'LOG', value: 'debug' },
      ],
      secrets: [
        { container: 'api', key: 'DB', value: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db' },
      ],
      dockerLabels: [{ container: 'web', key: 'traefik.http.routers.web.rule', value: 'Host(`x`)' }],
      cpu: { task: 1024, containers: [{ container: 'web', value: 256 }] },
      memory: { containers: [{ container: 'api', value: 512 }] },
      desiredCount: 0,
      forceNewDeployment: true,
      wait: false,
      waitTimeoutMs: 7_200_000,
      pollIntervalMs: 250,
      rollbackOnFailure: false,
      failOnEcsRollback: false,
      endpoint: 'http://127.0.0.1:4566',
    });
  });

  it.each([
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/app:12', 'registered'],
    ['app:12', 'registered'],
    ['app', 'registered'],
  ])('takes %s as a registered task definition', (value, kind) => {
    expect(read({ 'task-definition': value }).taskDefinition).toEqual({ kind, ref: value });
  });

  it.each([
    ['a folder of that name in the workspace', 'folder'],
    ['a file of that name without an extension', 'file'],
  ])('takes a bare name as the family even beside %s (write ./name for the file)', (_name, what) => {
    const workspace = mkdtempSync(join(dir, 'ws-'));
    if (what === 'folder') mkdirSync(join(workspace, 'demo'));
    else writeFileSync(join(workspace, 'demo'), '{}');
    process.env.GITHUB_WORKSPACE = workspace;
    expect(read({ 'task-definition': 'demo' }).taskDefinition).toEqual({ kind: 'registered', ref: 'demo' });
    expect(read({ 'task-definition': 'demo:3' }).taskDefinition).toEqual({
      kind: 'registered',
      ref: 'demo:3',
    });
    if (what === 'file') {
      expect(read({ 'task-definition': './demo' }).taskDefinition).toEqual({
        kind: 'file',
        path: join(workspace, 'demo'),
      });
    }
  });

  it.each([
    ['a .json name', 'td.json', 'task definition file'],
    ['a .yaml name', 'td.yaml', 'task definition file'],
    ['a relative path', 'deploy/td', 'task definition file'],
  ])('reads %s as a file', (_name, value) => {
    const workspace = mkdtempSync(join(dir, 'ws-'));
    mkdirSync(join(workspace, 'deploy'));
    writeFileSync(join(workspace, value), '{}');
    process.env.GITHUB_WORKSPACE = workspace;
    expect(read({ 'task-definition': value }).taskDefinition).toEqual({
      kind: 'file',
      path: join(workspace, value),
    });
  });

  it('refuses a path that names a folder, before anything else', () => {
    const workspace = mkdtempSync(join(dir, 'ws-'));
    mkdirSync(join(workspace, 'demo.json'));
    process.env.GITHUB_WORKSPACE = workspace;
    expect(() => read({ 'task-definition': 'demo.json' })).toThrow(
      /^Input "task-definition" names .*demo\.json, which is not a regular file \(a folder\)/,
    );
    expect(() => read({ 'task-definition': './demo' })).toThrow(/^Input "task-definition" .*no such file/);
  });

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION', () => {
    process.env.AWS_REGION = 'ap-south-1';
    expect(read({ region: '' }).region).toBe('ap-south-1');
    delete process.env.AWS_REGION;
    process.env.AWS_DEFAULT_REGION = 'sa-east-1';
    expect(read({ region: '' }).region).toBe('sa-east-1');
  });

  it.each<[Record<string, string>, string | RegExp]>([
    [{ service: '' }, 'Input "service" (or "services", one per line) is required.'],
    [{ services: 'api' }, 'Set either "service" or "services", not both.'],
    [{ service: '', services: 'a\nb\na' }, 'Input "services" names "a" twice.'],
    [
      { 'task-definition': 'missing.json' },
      /^Input "task-definition" must be a task definition file .*no such file/,
    ],
    [{ 'task-definition': 'arn:aws:ecs:us-east-1:1:service/x' }, /^Input "task-definition" must be/],
    [{ images: 'web' }, /^Input "images" takes KEY=VALUE lines/],
    [
      { images: 'web=repo/web@sha256:short' },
      /^Input "images" takes container=image lines .* "repo\/web@sha256:short"/,
    ],
    [{ images: 'web=a b' }, /^Input "images" takes container=image lines/],
    [{ images: 'web=a\nweb=b' }, 'Input "images" sets web twice.'],
    [{ environment: '1BAD=x' }, /^Input "environment" takes KEY=VALUE lines/],
    [{ secrets: 'web:=x' }, /^Input "secrets" takes KEY=VALUE lines/],
    [{ cpu: 'lots' }, /^Input "cpu" takes a whole number .* got "lots"/],
    [{ cpu: '0' }, /^Input "cpu" takes a whole number/],
    [{ memory: '512\n1024' }, 'Input "memory" sets the task\'s value twice.'],
    [{ 'desired-count': '-1' }, /^Input "desired-count" must be a whole number of at least 0/],
    [{ wait: 'maybe' }, /^Input "wait" must be true or false/],
    [{ 'wait-timeout': '7h' }, /^Input "wait-timeout" must be a duration .* from 1s to 6h;/],
    [{ 'poll-interval': 'often' }, /^Input "poll-interval" must be a duration/],
    [{ endpoint: 'localhost:4566' }, /^Input "endpoint" must be an http\(s\) URL/],
    [{ region: '' }, 'Input "region" is required when AWS_REGION is not set (e.g. us-east-1).'],
  ])('refuses %j', (values, message) => {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    expect(() => read(values)).toThrow(message);
  });
});
