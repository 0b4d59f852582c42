import type { RecordedDeployment } from '@slipway/shared';
import { checkMigrations } from '../src/records/guards';

let id = 500;
function deployment(migration?: string, backups?: string[]): RecordedDeployment {
  return {
    id: id++,
    environment: 'production',
    sha: `sha-${id}`,
    createdAt: '2026-12-06T10:00:00Z',
    payload: {
      slipway: 1,
      target: 'ecs',
      images: {},
      sha: '',
      ...(migration ? { migration } : {}),
      ...(backups ? { backups } : {}),
    },
    statuses: [{ state: 'success', description: '' }],
  };
}

describe('migrations-guard names the backup taken before the migration', () => {
  it('shows the snapshot deploy-ecs took before the migration first ran', () => {
    const v1 = deployment('m1');
    const snap = 'instance:orders-db/slipway-orders-db-20261206100000-abc1234';
    const v2 = deployment('m2-orders', [snap, 'cluster:reports/slipway-reports-20261206100000-abc1234']);
    const v3 = deployment('m2-orders', ['instance:orders-db/slipway-orders-db-20261206110000-def5678']);
    const history = [v3, v2, v1];
    expect(checkMigrations(history, v1, 'warn')).toBe(
      `The release to restore (deployment #${v1.id}) is older than schema migration(s) m2-orders (deployment #${v3.id}; ` +
        `backup taken before it: ${snap}, cluster:reports/slipway-reports-20261206100000-abc1234 (deployment #${v2.id})): ` +
        'its code may not work with the migrated schema.',
    );
    expect(() => checkMigrations(history, v1, 'refuse')).toThrow(`backup taken before it: ${snap}`);
  });

  it('says nothing of a backup when none was recorded', () => {
    const v1 = deployment();
    const v2 = deployment('m2');
    expect(checkMigrations([v2, v1], v1, 'warn')).not.toContain('backup');
  });
});
