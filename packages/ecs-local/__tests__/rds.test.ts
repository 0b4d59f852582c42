import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { type RdsLocal, startRdsLocal } from '../src';

describe('rds-local through the real @aws-sdk/client-rds (AWS Query, XML)', () => {
  let rds: RdsLocal;
  let client: RDSClient;
  beforeAll(async () => {
    rds = await startRdsLocal();
    rds.addInstance('orders-db');
    rds.addCluster('orders-aurora');
    client = new RDSClient({
      endpoint: rds.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await rds.close();
  });

  it('creates a tagged snapshot that becomes available, lists, deletes; cluster snapshots alike', async () => {
    rds.snapshotOutcome('available', 100);
    const created = await client.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: 'orders-db',
        DBSnapshotIdentifier: 'slipway-orders-db-1',
        Tags: [
          { Key: 'slipway:commit', Value: 'abc' },
          { Key: 'slipway:run', Value: 'https://x/y/z=1+2@h' },
        ],
      }),
    );
    expect(created.DBSnapshot).toMatchObject({
      DBSnapshotIdentifier: 'slipway-orders-db-1',
      Status: 'creating',
    });
    expect(created.DBSnapshot!.SnapshotCreateTime).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 150));
    const listed = await client.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'orders-db' }));
    expect(listed.DBSnapshots).toEqual([
      expect.objectContaining({
        Status: 'available',
        TagList: [
          { Key: 'slipway:commit', Value: 'abc' },
          { Key: 'slipway:run', Value: 'https://x/y/z=1+2@h' },
        ],
      }),
    ]);
    await client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'slipway-orders-db-1' }));
    expect(
      (await client.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'orders-db' }))).DBSnapshots,
    ).toEqual([]);

    await client.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: 'orders-aurora',
        DBClusterSnapshotIdentifier: 'c-1',
      }),
    );
    const clusters = await client.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'orders-aurora' }),
    );
    expect(clusters.DBClusterSnapshots).toEqual([
      expect.objectContaining({ DBClusterSnapshotIdentifier: 'c-1' }),
    ]);
  });

  it('answers RDS errors the SDK names', async () => {
    await expect(
      client.send(
        new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'missing', DBSnapshotIdentifier: 's-1' }),
      ),
    ).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault', $metadata: { httpStatusCode: 404 } });
    await expect(
      client.send(
        new CreateDBSnapshotCommand({
          DBInstanceIdentifier: 'orders-db',
          DBSnapshotIdentifier: 's-3',
          Tags: [{ Key: 'services', Value: 'web,api' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    rds.fail('CreateDBSnapshot', 'SnapshotQuotaExceeded');
    await expect(
      client.send(
        new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: 's-2' }),
      ),
    ).rejects.toMatchObject({ name: 'SnapshotQuotaExceededFault' });
    rds.fail('DescribeDBSnapshots', 'AccessDenied', 1, 403);
    await expect(client.send(new DescribeDBSnapshotsCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });
});
