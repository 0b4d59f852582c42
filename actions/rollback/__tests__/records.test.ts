import { createHash } from 'node:crypto';
import type { RecordedDeployment } from '@slipway/shared';
import { chooseFromRecords, sameTaskDefinition } from '../src/records/choose-release';
import { checkCooldown, checkMigrations } from '../src/records/guards';

const digest = (v: string) => `sha256:${createHash('sha256').update(v).digest('hex')}`;
const arn = (rev: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${rev}`;
let id = 100;

/** A recorded deployment of `version`, newest last in the list given to `newestFirst`. */
function deployment(
  version: string,
  states: string[],
  extra: { bad?: string; migration?: string; rollback?: boolean; at?: string; environment?: string } = {},
): RecordedDeployment {
  const rev = Number(version.replace(/\D/g, ''));
  return {
    id: id++,
    environment: extra.environment ?? 'production',
    sha: createHash('sha1').update(version).digest('hex'),
    createdAt: extra.at ?? '2026-11-23T10:00:00Z',
    payload: {
      slipway: 1,
      target: 'ecs',
      images: { web: `app@${digest(version)}` },
      taskDefinitions: { web: arn(rev) },
      sha: '',
      ...(extra.migration ? { migration: extra.migration } : {}),
      ...(extra.rollback ? { rollback: { from: [], reason: 'x' } } : {}),
    },
    statuses: states.map((state) => ({ state, description: '' })),
    badReason: extra.bad,
  };
}
const newestFirst = (...ds: RecordedDeployment[]) => [...ds].reverse();
const inputs = { environment: 'production', target: 'ecs' as const, to: undefined };

describe('choosing the release from the deployment records', () => {
  it('takes the last good deployment, never "the previous one": failed and bad ones are skipped', () => {
    const v1 = deployment('v1', ['in_progress', 'success', 'inactive']);
    const v2 = deployment('v2', ['in_progress', 'success'], { bad: 'leaks memory' });
    const v3 = deployment('v3', ['in_progress', 'failure']);
    const v4 = deployment('v4', ['in_progress', 'success']);
    expect(chooseFromRecords(newestFirst(v1, v2, v3, v4), inputs)).toEqual({ from: v4, to: v1 });
  });

  it('skips a deployment that ran a digest marked bad elsewhere, and one with the digest rolled away from', () => {
    const v1 = deployment('v1', ['success']);
    const v2 = deployment('v2', ['success']);
    const v2again = { ...deployment('v2', ['failure'], { bad: 'broken' }), id: id++ };
    const v3 = deployment('v3', ['success']);
    const v3config = { ...deployment('v3', ['success']), id: id++ };
    expect(chooseFromRecords(newestFirst(v1, v2, v2again, v3, v3config), inputs)?.to).toBe(v1);
  });

  it('ignores other environments and targets, and says when the environment has no records', () => {
    const other = deployment('v1', ['success'], { environment: 'staging' });
    expect(chooseFromRecords([other], inputs)).toBeUndefined();
    expect(
      chooseFromRecords([deployment('v1', ['success'])], { ...inputs, target: 'compose' }),
    ).toBeUndefined();
  });

  it('fails clearly when there is nothing good to go back to', () => {
    const v1 = deployment('v1', ['failure']);
    const v2 = deployment('v2', ['success']);
    expect(() => chooseFromRecords(newestFirst(v1, v2), inputs)).toThrow(
      /^Nothing to roll back to: production has no successful ecs deployment before #\d+ \(arn:.*web:2, success, commit [0-9a-f]{7}\).*Name the release to restore with "to"\.$/,
    );
  });

  it('finds an explicit "to" by digest, task definition or family:revision; refuses bad ones and the current one', () => {
    const v1 = deployment('v1', ['success']);
    const v2 = deployment('v2', ['success'], { bad: 'slow' });
    const v3 = deployment('v3', ['success']);
    const history = newestFirst(v1, v2, v3);
    const choose = (to: Parameters<typeof chooseFromRecords>[1]['to']) =>
      chooseFromRecords(history, { ...inputs, to });
    expect(choose({ kind: 'digest', digest: digest('v1') })?.to).toBe(v1);
    expect(choose({ kind: 'task-definition', ref: 'web:1' })?.to).toBe(v1);
    expect(choose({ kind: 'task-definition', ref: arn(1) })?.to).toBe(v1);
    expect(choose({ kind: 'task-definition', ref: 'web:9' })).toEqual({ from: v3, to: undefined });
    expect(() => choose({ kind: 'digest', digest: digest('v2') })).toThrow(
      /was marked bad by an earlier rollback \(slow\)/,
    );
    expect(() => choose({ kind: 'task-definition', ref: 'web:2' })).toThrow(
      /names deployment #\d+, which was marked bad \(slow\)/,
    );
    expect(() => choose({ kind: 'task-definition', ref: 'web:3' })).toThrow(/names what production runs now/);
  });

  it('matches task definitions by ARN or family:revision only', () => {
    expect(sameTaskDefinition(arn(12), 'web:12')).toBe(true);
    expect(sameTaskDefinition(arn(12), 'web:1')).toBe(false);
    expect(sameTaskDefinition(arn(12), 'eb:12')).toBe(false);
  });
});

describe('guards', () => {
  const now = Date.parse('2026-11-23T10:10:00Z');

  it.each([
    [0, '2026-11-23T10:09:00Z', undefined],
    [600_000, '2026-11-23T10:09:00Z', /rolled back 1m00s ago .* the cooldown is 10m00s/],
    [600_000, '2026-11-23T09:59:00Z', undefined],
  ])('cooldown %i with the last rollback at %s', (cooldownMs, at, error) => {
    const history = newestFirst(
      deployment('v9', ['success'], { at: '2026-11-23T09:00:00Z' }),
      deployment('v1', ['success'], { rollback: true, at }),
    );
    const check = () => checkCooldown(history, { environment: 'production', cooldownMs }, now);
    if (error) expect(check).toThrow(error);
    else expect(check).not.toThrow();
  });

  it('does not count a rollback followed by an ordinary deploy: rolling back a new bad release is not flapping', () => {
    const v1 = deployment('v1', ['success'], { at: '2026-11-23T10:00:00Z' });
    const v2 = deployment('v2', ['success'], { at: '2026-11-23T10:02:00Z' });
    const back = deployment('v1', ['success'], { rollback: true, at: '2026-11-23T10:04:00Z' });
    const v3 = deployment('v3', ['success'], { at: '2026-11-23T10:06:00Z' });
    const check =
      (...ds: RecordedDeployment[]) =>
      () =>
        checkCooldown(newestFirst(...ds), { environment: 'production', cooldownMs: 600_000 }, now);
    expect(check(v1, v2, back, v3)).not.toThrow();
    // Two rollbacks in a row, nothing deployed between them, is what the cooldown is for.
    const backAgain = deployment('v0', ['success'], { rollback: true, at: '2026-11-23T10:08:00Z' });
    expect(check(v1, v2, back, v3, backAgain)).toThrow(/rolled back 2m00s ago \(deployment #\d+\)/);
  });

  it('warns or refuses when a newer deployment recorded a migration the restored release did not have', () => {
    const v1 = deployment('v1', ['success'], { migration: 'm1' });
    const v2 = deployment('v2', ['success'], { migration: 'm2-orders' });
    const v3 = deployment('v3', ['failure'], { migration: 'm2-orders' });
    const history = newestFirst(v1, v2, v3);
    expect(checkMigrations(history, v1, 'off')).toBeUndefined();
    expect(checkMigrations(history, v1, 'warn')).toBe(
      `The release to restore (deployment #${v1.id}) is older than schema migration(s) m2-orders (deployment #${v3.id}): ` +
        'its code may not work with the migrated schema.',
    );
    expect(() => checkMigrations(history, v1, 'refuse')).toThrow(
      /set migrations-guard: warn to roll back anyway/,
    );
    expect(checkMigrations(history, v2, 'refuse')).toBeUndefined();
  });
});
