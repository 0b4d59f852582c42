import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { awsClientConfig, explainAwsError, isTransient, retry, UserError } from '@slipway/shared';

export type DbKind = 'instance' | 'cluster';

export interface Snapshot {
  id: string;
  status: string;
  createdAt?: Date;
  arn?: string;
  tags: Record<string, string>;
}

/** The RDS calls a backup makes (loaded only when `backup` is set: README, Decisions, lazy loading). */
export interface RdsApi {
  create(kind: DbKind, source: string, id: string, tags: Record<string, string>): Promise<Snapshot>;
  describe(kind: DbKind, id: string): Promise<Snapshot>;
  /** Every manual snapshot of the instance or cluster. */
  list(kind: DbKind, source: string): Promise<Snapshot[]>;
  remove(kind: DbKind, id: string): Promise<void>;
  close(): void;
}

// What RDS says when a name in `backup` is wrong: the input to check.
const NOT_FOUND = new Set(['DBInstanceNotFoundFault', 'DBClusterNotFoundFault']);

interface RawSnapshot {
  DBSnapshotIdentifier?: string;
  DBClusterSnapshotIdentifier?: string;
  Status?: string;
  SnapshotCreateTime?: Date;
  DBSnapshotArn?: string;
  DBClusterSnapshotArn?: string;
  TagList?: Array<{ Key?: string; Value?: string }>;
}

const toSnapshot = (s: RawSnapshot): Snapshot => ({
  id: s.DBSnapshotIdentifier ?? s.DBClusterSnapshotIdentifier ?? '',
  status: s.Status ?? 'unknown',
  createdAt: s.SnapshotCreateTime,
  arn: s.DBSnapshotArn ?? s.DBClusterSnapshotArn,
  tags: Object.fromEntries((s.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
});

export function createRdsApi(
  options: { region: string; log: (line: string) => void; retryBaseDelayMs?: number },
  client = new RDSClient(awsClientConfig({ region: options.region })),
): RdsApi {
  const call = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    retry(fn, {
      attempts: 6,
      baseDelayMs: options.retryBaseDelayMs ?? 1000,
      maxDelayMs: 20_000,
      retryable: isTransient,
      onRetry: (error, n, delay) =>
        options.log(`rds:${name} - ${(error as Error).name}; try ${n + 1} in ${delay}ms`),
    }).catch((error) => {
      const explained = explainAwsError(error, `rds:${name}`);
      if (explained !== error) throw explained;
      const e = error as { name?: string; message?: string; $fault?: string };
      if (NOT_FOUND.has(e.name ?? '')) {
        throw new UserError(`RDS refused rds:${name} (${e.name}: ${e.message}). Check the "backup" input.`);
      }
      if (e.$fault === 'client') throw new UserError(`RDS refused rds:${name} (${e.name}: ${e.message}).`);
      throw error;
    });
  const tagList = (tags: Record<string, string>) =>
    Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    async create(kind, source, id, tags) {
      if (kind === 'instance') {
        const out = await call('CreateDBSnapshot', () =>
          client.send(
            new CreateDBSnapshotCommand({
              DBInstanceIdentifier: source,
              DBSnapshotIdentifier: id,
              Tags: tagList(tags),
            }),
          ),
        );
        return toSnapshot(out.DBSnapshot ?? {});
      }
      const out = await call('CreateDBClusterSnapshot', () =>
        client.send(
          new CreateDBClusterSnapshotCommand({
            DBClusterIdentifier: source,
            DBClusterSnapshotIdentifier: id,
            Tags: tagList(tags),
          }),
        ),
      );
      return toSnapshot(out.DBClusterSnapshot ?? {});
    },
    async describe(kind, id) {
      const found =
        kind === 'instance'
          ? (
              await call('DescribeDBSnapshots', () =>
                client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id })),
              )
            ).DBSnapshots
          : (
              await call('DescribeDBClusterSnapshots', () =>
                client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id })),
              )
            ).DBClusterSnapshots;
      return toSnapshot(found?.[0] ?? { Status: 'missing' });
    },
    async list(kind, source) {
      const all: Snapshot[] = [];
      let marker: string | undefined;
      do {
        const out =
          kind === 'instance'
            ? await call('DescribeDBSnapshots', () =>
                client.send(
                  new DescribeDBSnapshotsCommand({
                    DBInstanceIdentifier: source,
                    SnapshotType: 'manual',
                    Marker: marker,
                  }),
                ),
              )
            : await call('DescribeDBClusterSnapshots', () =>
                client.send(
                  new DescribeDBClusterSnapshotsCommand({
                    DBClusterIdentifier: source,
                    SnapshotType: 'manual',
                    Marker: marker,
                  }),
                ),
              );
        const page =
          'DBSnapshots' in out
            ? out.DBSnapshots
            : (out as { DBClusterSnapshots?: RawSnapshot[] }).DBClusterSnapshots;
        all.push(...(page ?? []).map(toSnapshot));
        marker = out.Marker;
      } while (marker);
      return all;
    },
    async remove(kind, id) {
      if (kind === 'instance') {
        await call('DeleteDBSnapshot', () =>
          client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id })),
        );
      } else {
        await call('DeleteDBClusterSnapshot', () =>
          client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id })),
        );
      }
    },
    close: () => client.destroy(),
  };
}
