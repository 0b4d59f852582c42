import type { RdsApi, Snapshot } from '../src/backup/rds-api';
import { snapshotId, takeBackups } from '../src/backup/take-backups';

describe('takeBackups (a fake RDS)', () => {
  it('names snapshots within RDS limits and keeps tag values to the characters RDS takes', async () => {
    const created: Array<{ id: string; tags: Record<string, string> }> = [];
    const api: RdsApi = {
      create: async (_kind, _source, id, tags) => {
        created.push({ id, tags });
        return { id, status: 'available', tags };
      },
      describe: async (_kind, id): Promise<Snapshot> => ({ id, status: 'available', tags: {} }),
      list: async () => [],
      remove: async () => undefined,
      close: () => undefined,
    };
    const long = `db${'x'.repeat(61)}`;
    const out = await takeBackups(
      api,
      { targets: [{ kind: 'cluster', id: long }], timeoutMs: 1000, keep: 5 },
      {
        sha: 'ABCDEF0123456789',
        digests: ['sha256:aa', 'sha256:bb'],
        runUrl: 'https://github.com/acme/app/actions/runs/1?x=1,2',
        deploy: 'prod/web,api',
        pollIntervalMs: 10,
        log: () => undefined,
        warning: () => undefined,
        now: () => Date.parse('2026-12-06T21:30:05Z'),
      },
    );
    expect(out[0].snapshot).toBe(`slipway-${long}`.slice(0, 40).concat('-20261206213005-abcdef0'));
    expect(out[0].snapshot.length).toBeLessThanOrEqual(63);
    expect(created[0].tags).toMatchObject({
      'slipway:digest': 'sha256:aa sha256:bb',
      'slipway:run': 'https://github.com/acme/app/actions/runs/1_x=1_2',
      'slipway:deploy': 'prod/web_api',
    });
  });

  it('ends a snapshot id on no hyphen when the database id is cut there', () => {
    expect(snapshotId(`a${'-b'.repeat(30)}`, '', new Date('2026-12-06T00:00:00Z'))).toMatch(
      /^slipway-a(-b)+-20261206000000-[0-9a-f]{7}$/,
    );
  });
});
