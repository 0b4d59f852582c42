import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callerOf, readBody } from './protocol';

/**
 * RDS as `@aws-sdk/client-rds` speaks it: the AWS Query protocol (a form-encoded POST, `Action=…&Version=
 * 2014-10-31`, lists as `Tags.Tag.1.Key`) answered in XML, errors as `<ErrorResponse>` with RDS's codes. The few
 * calls a backup before a deploy makes: Describe/Create/Delete of DB snapshots and DB cluster snapshots, and
 * DescribeDBInstances/DescribeDBClusters. Instances and clusters are what the test adds; a snapshot is
 * `creating` for `snapshotMs`, then `available` (or `failed`, when the test says so).
 */
export interface RdsLocal {
  url: string;
  /** Every call, in order, as Action names. */
  calls: string[];
  addInstance(id: string, engine?: string): void;
  addCluster(id: string, engine?: string): void;
  /** What the next snapshots end as (default available), and how long they are `creating`. */
  snapshotOutcome(status: 'available' | 'failed', snapshotMs?: number): void;
  /** The next `times` calls of `action` fail with `code` (HTTP 400, or `status`). */
  fail(action: string, code: string, times?: number, status?: number): void;
  snapshots(): SnapshotRecord[];
  close(): Promise<void>;
}

export interface SnapshotRecord {
  id: string;
  kind: 'instance' | 'cluster';
  source: string;
  createdAt: Date;
  readyAt: number;
  outcome: 'available' | 'failed';
  tags: Array<{ Key: string; Value: string }>;
}

class RdsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const TAG = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const ID = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$/;

export async function startRdsLocal(region = 'eu-west-1', account = '123456789012'): Promise<RdsLocal> {
  const instances = new Map<string, string>();
  const clusters = new Map<string, string>();
  const snapshots: SnapshotRecord[] = [];
  const failures: Array<{ action: string; code: string; times: number; status: number }> = [];
  const calls: string[] = [];
  let outcome: 'available' | 'failed' = 'available';
  let snapshotMs = 300;

  const arn = (s: SnapshotRecord) =>
    `arn:aws:rds:${region}:${account}:${s.kind === 'cluster' ? 'cluster-snapshot' : 'snapshot'}:${s.id}`;
  const status = (s: SnapshotRecord) => (Date.now() < s.readyAt ? 'creating' : s.outcome);
  const tagsXml = (s: SnapshotRecord) =>
    `<TagList>${s.tags.map((t) => `<Tag><Key>${x(t.Key)}</Key><Value>${x(t.Value)}</Value></Tag>`).join('')}</TagList>`;
  const snapshotXml = (s: SnapshotRecord) => {
    const progress = status(s) === 'creating' ? 40 : 100;
    return s.kind === 'instance'
      ? `<DBSnapshot><DBSnapshotIdentifier>${s.id}</DBSnapshotIdentifier><DBInstanceIdentifier>${s.source}</DBInstanceIdentifier>` +
          `<SnapshotCreateTime>${s.createdAt.toISOString()}</SnapshotCreateTime><Engine>${instances.get(s.source) ?? 'postgres'}</Engine>` +
          `<Status>${status(s)}</Status><PercentProgress>${progress}</PercentProgress><SnapshotType>manual</SnapshotType>` +
          `<DBSnapshotArn>${arn(s)}</DBSnapshotArn>${tagsXml(s)}</DBSnapshot>`
      : `<DBClusterSnapshot><DBClusterSnapshotIdentifier>${s.id}</DBClusterSnapshotIdentifier><DBClusterIdentifier>${s.source}</DBClusterIdentifier>` +
          `<SnapshotCreateTime>${s.createdAt.toISOString()}</SnapshotCreateTime><Engine>${clusters.get(s.source) ?? 'aurora-postgresql'}</Engine>` +
          `<Status>${status(s)}</Status><PercentProgress>${progress}</PercentProgress><SnapshotType>manual</SnapshotType>` +
          `<DBClusterSnapshotArn>${arn(s)}</DBClusterSnapshotArn>${tagsXml(s)}</DBClusterSnapshot>`;
  };

  const create = (kind: 'instance' | 'cluster', p: URLSearchParams) => {
    const sourceKey = kind === 'instance' ? 'DBInstanceIdentifier' : 'DBClusterIdentifier';
    const idKey = kind === 'instance' ? 'DBSnapshotIdentifier' : 'DBClusterSnapshotIdentifier';
    const source = p.get(sourceKey) ?? '';
    const id = p.get(idKey) ?? '';
    if (!ID.test(id))
      throw new RdsError('InvalidParameterValue', `The parameter ${idKey} is not a valid identifier.`);
    if (kind === 'instance' && !instances.has(source))
      throw new RdsError('DBInstanceNotFound', `DBInstance ${source} not found.`, 404);
    if (kind === 'cluster' && !clusters.has(source))
      throw new RdsError('DBClusterNotFoundFault', `DBCluster ${source} not found.`, 404);
    if (snapshots.some((s) => s.kind === kind && s.id === id)) {
      throw kind === 'instance'
        ? new RdsError(
            'DBSnapshotAlreadyExists',
            `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`,
          )
        : new RdsError(
            'DBClusterSnapshotAlreadyExistsFault',
            `Cannot create the cluster snapshot because one with the identifier ${id} already exists.`,
          );
    }
    const tags: SnapshotRecord['tags'] = [];
    for (let i = 1; p.has(`Tags.Tag.${i}.Key`); i++) {
      const tag = { Key: p.get(`Tags.Tag.${i}.Key`)!, Value: p.get(`Tags.Tag.${i}.Value`) ?? '' };
      // RDS's tag rules: letters, digits, spaces and _ . : / = + - @; keys up to 128, values up to 256.
      if (!TAG.test(tag.Key) || !TAG.test(tag.Value) || tag.Key.length > 128 || tag.Value.length > 256) {
        throw new RdsError('InvalidParameterValue', `Invalid tag ${JSON.stringify(tag)}.`);
      }
      tags.push(tag);
    }
    const record: SnapshotRecord = {
      id,
      kind,
      source,
      createdAt: new Date(),
      readyAt: Date.now() + snapshotMs,
      outcome,
      tags,
    };
    snapshots.push(record);
    return snapshotXml(record);
  };

  const describe = (kind: 'instance' | 'cluster', p: URLSearchParams) => {
    const source = p.get(kind === 'instance' ? 'DBInstanceIdentifier' : 'DBClusterIdentifier');
    const id = p.get(kind === 'instance' ? 'DBSnapshotIdentifier' : 'DBClusterSnapshotIdentifier');
    const found = snapshots.filter(
      (s) => s.kind === kind && (!source || s.source === source) && (!id || s.id === id),
    );
    if (id && !found.length) {
      throw kind === 'instance'
        ? new RdsError('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404)
        : new RdsError('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`, 404);
    }
    // Small pages, so clients must follow Marker as they must against RDS.
    const start = Number(p.get('Marker') ?? 0);
    const page = found.slice(start, start + 20);
    const marker = start + 20 < found.length ? `<Marker>${start + 20}</Marker>` : '';
    const list = kind === 'instance' ? 'DBSnapshots' : 'DBClusterSnapshots';
    return `<${list}>${page.map(snapshotXml).join('')}</${list}>${marker}`;
  };

  const remove = (kind: 'instance' | 'cluster', p: URLSearchParams) => {
    const id = p.get(kind === 'instance' ? 'DBSnapshotIdentifier' : 'DBClusterSnapshotIdentifier');
    const index = snapshots.findIndex((s) => s.kind === kind && s.id === id);
    if (index < 0) {
      throw kind === 'instance'
        ? new RdsError('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404)
        : new RdsError('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`, 404);
    }
    const [record] = snapshots.splice(index, 1);
    return snapshotXml(record).replace(/<Status>[^<]*<\/Status>/, '<Status>deleted</Status>');
  };

  const actions: Record<string, (p: URLSearchParams) => string> = {
    DescribeDBInstances: (p) => {
      const id = p.get('DBInstanceIdentifier');
      if (id && !instances.has(id))
        throw new RdsError('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
      const ids = id ? [id] : [...instances.keys()];
      return `<DBInstances>${ids.map((i) => `<DBInstance><DBInstanceIdentifier>${i}</DBInstanceIdentifier><Engine>${instances.get(i)}</Engine><DBInstanceStatus>available</DBInstanceStatus></DBInstance>`).join('')}</DBInstances>`;
    },
    DescribeDBClusters: (p) => {
      const id = p.get('DBClusterIdentifier');
      if (id && !clusters.has(id))
        throw new RdsError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
      const ids = id ? [id] : [...clusters.keys()];
      return `<DBClusters>${ids.map((i) => `<DBCluster><DBClusterIdentifier>${i}</DBClusterIdentifier><Engine>${clusters.get(i)}</Engine><Status>available</Status></DBCluster>`).join('')}</DBClusters>`;
    },
    CreateDBSnapshot: (p) => create('instance', p),
    CreateDBClusterSnapshot: (p) => create('cluster', p),
    DescribeDBSnapshots: (p) => describe('instance', p),
    DescribeDBClusterSnapshots: (p) => describe('cluster', p),
    DeleteDBSnapshot: (p) => remove('instance', p),
    DeleteDBClusterSnapshot: (p) => remove('cluster', p),
  };

  const server: Server = createServer(async (req, res) => {
    const requestId = `rds-local-${Date.now().toString(36)}`;
    const send = (status: number, xml: string) => {
      res.writeHead(status, {
        'content-type': 'text/xml',
        'content-length': Buffer.byteLength(xml),
        'x-amzn-requestid': requestId,
      });
      res.end(xml);
    };
    let action = '';
    try {
      const params = new URLSearchParams(await readBody(req));
      action = params.get('Action') ?? '';
      const handler = actions[action];
      if (req.method !== 'POST' || !handler || params.get('Version') !== '2014-10-31') {
        throw new RdsError('InvalidAction', `rds-local does not implement ${action || req.url}`);
      }
      calls.push(action);
      if (!callerOf(req)) throw new RdsError('MissingAuthenticationToken', 'Request is not signed.', 403);
      const failure = failures.find((f) => f.action === action && f.times > 0);
      if (failure) {
        failure.times--;
        throw new RdsError(failure.code, `${failure.code} (injected by the test)`, failure.status);
      }
      const result = handler(params);
      send(
        200,
        `<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><${action}Result>${result}</${action}Result>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      );
    } catch (error) {
      const e = error instanceof RdsError ? error : new RdsError('InternalFailure', String(error), 500);
      send(
        e.status,
        `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>${e.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
          `<Code>${x(e.code)}</Code><Message>${x(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    addInstance: (id, engine = 'postgres') => void instances.set(id, engine),
    addCluster: (id, engine = 'aurora-postgresql') => void clusters.set(id, engine),
    snapshotOutcome: (next, ms = snapshotMs) => {
      outcome = next;
      snapshotMs = ms;
    },
    fail: (action, code, times = 1, status = 400) => void failures.push({ action, code, times, status }),
    snapshots: () => [...snapshots],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const x = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
