import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { describeWithInfra } from '@slipway/testing';
import { parseCli } from '../src/cli';
import { localEcsClient } from './ecs-client';

describe('ecs-local command line', () => {
  it.each([
    [[], { port: 4566, timings: { healthCheck: {} } }],
    [
      ['--port', '0', '--tick-ms', '50', '--health-interval-ms', '100', '--failure-threshold', '1'],
      { port: 0, failureThreshold: 1, timings: { tickMs: 50, healthCheck: { intervalMs: 100 } } },
    ],
    [['--account-id', '000011112222', '--host', '0.0.0.0'], { accountId: '000011112222', host: '0.0.0.0' }],
  ])('parses %j', (argv, expected) => {
    expect(parseCli(argv)).toMatchObject(expected);
  });

  it.each([
    [['--tick-ms', 'fast'], '--tick-ms must be a whole number, got "fast".'],
    [['--port=-1'], '--port must be a whole number, got "-1".'],
    [['--account-id', '12'], '--account-id must be 12 digits.'],
    [['--nope'], "Unknown option '--nope'"],
  ])('rejects %j naming the flag', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('reads registry logins from ECS_LOCAL_REGISTRY_AUTH, and says what shape it wants', () => {
    const login = { '127.0.0.1:5001': { username: 'u', password: 'p' } };
    expect(parseCli([], { ECS_LOCAL_REGISTRY_AUTH: JSON.stringify(login) })).toMatchObject({
      registryAuth: login,
    });
    for (const bad of ['u:p', '[]', '{"h": {"username": "u"}}']) {
      expect(() => parseCli([], { ECS_LOCAL_REGISTRY_AUTH: bad })).toThrow(
        /^ECS_LOCAL_REGISTRY_AUTH must be JSON like/,
      );
    }
  });
});

describeWithInfra('bin/ecs-local.js', () => {
  it('bundles the sources, serves ECS on the printed URL and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(__dirname, '../bin/ecs-local.js'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      void exited.then((code) => reject(new Error(`ecs-local exited with ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = localEcsClient(url);
    await client.send(
      new RegisterTaskDefinitionCommand({
        family: 'cli',
        containerDefinitions: [{ name: 'a', image: 'local/busybox:1' }],
      }),
    );
    const out = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'cli:1' }));
    expect(out.taskDefinition?.family).toBe('cli');
    client.destroy();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
