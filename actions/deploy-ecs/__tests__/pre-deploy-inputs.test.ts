import { InputError, InputReader, mapInputs } from '@slipway/shared';
import { getInputs } from '../src/inputs';

const read = (values: Record<string, string>) =>
  getInputs(new InputReader(mapInputs({ region: 'eu-west-1', service: 'web', ...values })));

describe('deploy-ecs pre-deploy and backup inputs', () => {
  it('reads a shell command, the exec form, overrides, network, launch type and the backup settings', () => {
    expect(read({ 'pre-deploy-command': 'bin/migrate up' }).preDeploy).toEqual({
      command: ['sh', '-c', 'bin/migrate up'],
      container: undefined,
      overrides: {},
      networkConfiguration: undefined,
      launchType: undefined,
      timeoutMs: 30 * 60_000,
    });
    const inputs = read({
      'pre-deploy-command': '["bin/migrate", "up"]',
      'pre-deploy-container': 'app',
      'pre-deploy-overrides': '{"taskRoleArn":"arn:aws:iam::123456789012:role/migrate"}',
      'pre-deploy-network-configuration': '{"awsvpcConfiguration":{"subnets":["subnet-1"]}}',
      'pre-deploy-launch-type': 'FARGATE',
      'pre-deploy-timeout': '10m',
      backup: 'instance:orders-db\ncluster:orders-aurora',
      'backup-timeout': '1h',
      'keep-backups': '3',
    });
    expect(inputs.preDeploy).toEqual({
      command: ['bin/migrate', 'up'],
      container: 'app',
      overrides: { taskRoleArn: 'arn:aws:iam::123456789012:role/migrate' },
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      launchType: 'FARGATE',
      timeoutMs: 10 * 60_000,
    });
    expect(inputs.backup).toEqual({
      targets: [
        { kind: 'instance', id: 'orders-db' },
        { kind: 'cluster', id: 'orders-aurora' },
      ],
      timeoutMs: 3_600_000,
      keep: 3,
    });
    expect(read({}).backup).toBeUndefined();
  });

  it.each([
    [
      { backup: 'orders-db' },
      'backup',
      /takes instance:<DB instance id> or cluster:<Aurora cluster id> lines/,
    ],
    [{ backup: 'instance:orders--db' }, 'backup', /got "instance:orders--db"/],
    [{ backup: 'instance:1db' }, 'backup', /a letter first/],
    [{ backup: 'instance:db-' }, 'backup', /no hyphen last/],
    [{ backup: `instance:${'a'.repeat(64)}` }, 'backup', /1 to 63/],
    [{ backup: 'instance:$(reboot)' }, 'backup', /got "instance:\$\(reboot\)"/],
    [{ backup: 'instance:db\ninstance:db' }, 'backup', /names instance:db twice/],
    [{ backup: 'instance:db', 'keep-backups': '-1' }, 'keep-backups', /must be a whole number from 1 to 100/],
    [{ 'keep-backups': '0' }, 'keep-backups', /from 1 to 100/],
    [{ 'backup-timeout': 'soon' }, 'backup-timeout', /must be a duration/],
    [{ 'pre-deploy-command': '["bin/migrate", 1]' }, 'pre-deploy-command', /must be a JSON list of strings/],
    [
      { 'pre-deploy-command': 'x', 'pre-deploy-overrides': '[1]' },
      'pre-deploy-overrides',
      /must be a JSON object/,
    ],
    [
      { 'pre-deploy-command': 'x', 'pre-deploy-overrides': '{"command":["x"]}' },
      'pre-deploy-overrides',
      /command is not one/,
    ],
    [
      { 'pre-deploy-command': 'x', 'pre-deploy-launch-type': 'LAMBDA' },
      'pre-deploy-launch-type',
      /one of EC2, FARGATE/,
    ],
    [{ 'pre-deploy-command': 'x', 'pre-deploy-container': 'a b' }, 'pre-deploy-container', /container name/],
    [{ 'pre-deploy-container': 'web' }, 'pre-deploy-container', /needs "pre-deploy-command"/],
    [{ 'pre-deploy-command': 'x', 'pre-deploy-timeout': '0s' }, 'pre-deploy-timeout', /from 1s to 6h/],
  ])('refuses %j naming %s', (values, input, message) => {
    let thrown: unknown;
    try {
      read(values);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).input).toBe(input);
    expect((thrown as Error).message).toMatch(new RegExp(`^Input "${input}"`));
    expect((thrown as Error).message).toMatch(message);
  });
});
