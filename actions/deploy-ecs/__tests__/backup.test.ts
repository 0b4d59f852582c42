import { CreateDBSnapshotCommand, RDSClient } from '@aws-sdk/client-rds';
import { type RdsLocal, startRdsLocal } from '@slipway/ecs-local';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import { createDeploymentRecords, createGitHubClient, type DeploymentRecords } from '@slipway/shared';
import { describeWithInfra } from '@slipway/testing';
import { Fixture } from './ecs-local-fixture';

jest.setTimeout(120_000);

const TOKEN = 'ghs_deploy_ecs_backup';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const CHANGES = /RegisterTaskDefinition|UpdateService|RunTask/;

describeWithInfra('deploy-ecs backup: RDS snapshots before anything changes (ecs-local, rds-local)', () => {
  const fx = new Fixture();
  let rds: RdsLocal;
  let github: GitHubLocal;
  let records: DeploymentRecords;
  let client: RDSClient;

  beforeAll(async () => {
    await fx.start();
    rds = await startRdsLocal();
    rds.addInstance('orders-db');
    rds.addCluster('orders-aurora');
    github = await startGitHubLocal({ token: TOKEN });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_RDS: rds.url,
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SHA: SHA,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '4242',
    });
    records = createDeploymentRecords(createGitHubClient(TOKEN, github.url), 'acme/app');
    client = new RDSClient({
      endpoint: rds.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDSETUP', secretAccessKey: 'setup' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await rds?.close();
    await github?.close();
    await fx.stop();
  });

  const deploy = (values: Record<string, string>) =>
    fx.deploy({ 'github-token': TOKEN, 'deployment-environment': 'production', ...values });

  it('snapshots an instance and an Aurora cluster, tagged with the release, then deploys; our old snapshots are pruned to keep-backups', async () => {
    rds.snapshotOutcome('available', 400);
    const ours = { Key: 'slipway:managed-by', Value: 'slipway/deploy-ecs' };
    for (const id of ['slipway-orders-db-old-1', 'slipway-orders-db-old-2', 'manual-before-upgrade']) {
      await client.send(
        new CreateDBSnapshotCommand({
          DBInstanceIdentifier: 'orders-db',
          DBSnapshotIdentifier: id,
          Tags: id.startsWith('slipway') ? [ours] : [],
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 450)); // the seeded ones are available
    const { name, first, file } = await fx.prepare('healthy');
    rds.calls.length = 0;
    const r = await deploy({
      service: name,
      'task-definition': file,
      environment: 'RELEASE=2',
      migration: '0044_orders',
      backup: 'instance:orders-db\ncluster:orders-aurora',
      'keep-backups': '2',
    });
    expect(r.error).toBeUndefined();
    expect(r.outputs().status).toBe('succeeded');
    // Before anything changed: every snapshot call precedes the first ECS change.
    expect(rds.calls.slice(0, 2).sort()).toEqual(['CreateDBClusterSnapshot', 'CreateDBSnapshot']);
    const [instanceSnap, clusterSnap] = r.outputs().backups.split(',');
    expect(instanceSnap).toMatch(/^slipway-orders-db-\d{14}-0123456$/);
    expect(clusterSnap).toMatch(/^slipway-orders-aurora-\d{14}-0123456$/);
    const snap = rds.snapshots().find((s) => s.id === instanceSnap)!;
    expect(Object.fromEntries(snap.tags.map((t) => [t.Key, t.Value]))).toEqual({
      'slipway:managed-by': 'slipway/deploy-ecs',
      'slipway:source': 'instance:orders-db',
      'slipway:commit': SHA,
      'slipway:digest': '',
      'slipway:run': 'https://github.com/acme/app/actions/runs/4242',
      'slipway:deploy': `default/${name}`,
    });
    // keep-backups 2: the new one and the newest old one of ours; the snapshot we did not take is untouched.
    expect(
      rds
        .snapshots()
        .filter((s) => s.source === 'orders-db')
        .map((s) => s.id)
        .sort(),
    ).toEqual(['manual-before-upgrade', instanceSnap, 'slipway-orders-db-old-2'].sort());
    expect(r.summary()).toContain('### Backup');
    expect(r.summary()).toContain(
      `| instance orders-db | \`${instanceSnap}\` | available | slipway-orders-db-old-1 |`,
    );
    const [latest] = await records.history('production');
    expect(latest.payload).toMatchObject({
      migration: '0044_orders',
      backups: [`instance:orders-db/${instanceSnap}`, `cluster:orders-aurora/${clusterSnap}`],
    });
    expect((await fx.describe(name)).taskDefinition).toBe(first.replace(/:1$/, ':2'));
  });

  it('RDS throttling is retried with back-off, each try logged, and the deploy goes on', async () => {
    rds.snapshotOutcome('available', 100);
    rds.fail('CreateDBSnapshot', 'Throttling', 2);
    const { name, file } = await fx.prepare('healthy');
    const r = await deploy({
      service: name,
      'task-definition': file,
      environment: 'RELEASE=2',
      backup: 'instance:orders-db',
    });
    expect(r.error).toBeUndefined();
    expect(r.log.filter((l) => l.startsWith('rds:CreateDBSnapshot - Throttling; try'))).toHaveLength(2);
    expect(r.outputs().status).toBe('succeeded');
  });

  it('access denied on CreateDBSnapshot names the permission to add; nothing changed', async () => {
    rds.fail('CreateDBSnapshot', 'AccessDenied', 1, 403);
    const { name, first, file } = await fx.prepare('healthy');
    const r = await deploy({
      service: name,
      'task-definition': file,
      environment: 'RELEASE=2',
      backup: 'instance:orders-db',
    });
    expect(r.error?.message).toMatch(
      /^Access denied on rds:CreateDBSnapshot .*add rds:CreateDBSnapshot to the role's policy/,
    );
    expect(r.calls.filter((c) => CHANGES.test(c))).toEqual([]);
    expect((await fx.describe(name)).taskDefinition).toBe(first);
  });

  it.each([
    [
      'a snapshot that fails',
      () => rds.snapshotOutcome('failed', 100),
      /^Backup failed: RDS snapshot slipway-orders-db-\S+ of DB instance orders-db is failed\. Nothing was deployed\.$/,
    ],
    [
      'a snapshot not available within backup-timeout',
      () => rds.snapshotOutcome('available', 60_000),
      /^Backup timed out: RDS snapshot\(s\) slipway-orders-db-\S+ \(creating\) not available within backup-timeout \(1\.0s\)/,
    ],
    [
      'an instance RDS does not know',
      () => rds.snapshotOutcome('available', 100),
      /^RDS refused rds:CreateDBSnapshot \(DBInstanceNotFoundFault: DBInstance missing-db not found\.\)\. Check the "backup" input\.$/,
    ],
  ])('%s stops the deploy before any change', async (what, arrange, message) => {
    arrange();
    const { name, first, file } = await fx.prepare('healthy');
    const r = await deploy({
      service: name,
      'task-definition': file,
      backup: what.includes('know') ? 'instance:missing-db' : 'instance:orders-db',
      'backup-timeout': '1s',
      'pre-deploy-command': 'true',
    });
    expect(r.error?.message).toMatch(message);
    expect(r.calls.filter((c) => CHANGES.test(c))).toEqual([]);
    expect((await fx.describe(name)).taskDefinition).toBe(first);
    expect((await records.history('production')).some((d) => d.payload?.taskDefinitions?.[name])).toBe(false);
  });
});
