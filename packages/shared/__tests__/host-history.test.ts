import {
  currentRelease,
  type HistoryEntry,
  hostBadDigest,
  hostBadRelease,
  markReleaseBad,
  previousReleases,
} from '../src';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const entry = (id: string, d: string, result: HistoryEntry['result'] = 'deployed'): HistoryEntry => ({
  id,
  time: '2026-01-01T00:00:00Z',
  gitSha: '',
  actor: 'a',
  runUrl: '',
  images: { web: `r/web@${digest(d)}`, proxy: 'caddy:2' },
  result,
  composeFiles: ['compose-0.yml'],
  services: [],
});
const mark = { reason: 'broke checkout', time: '2026-01-02T00:00:00Z', runUrl: 'https://run/1' };

describe("a host's release history (deploy-compose's history.json)", () => {
  it('goes back to the newest successful release that is neither marked bad nor runs a bad digest', () => {
    // Oldest first: r1 (a), r2 (b, marked bad), r1 again, r3 (b again: forced), r4 (c, failed), r5 (d, running).
    const history = [
      entry('r1', 'a'),
      entry('r2', 'b'),
      entry('r1', 'a'),
      entry('r3', 'b'),
      entry('r4', 'c', 'failed'),
      entry('r5', 'd'),
    ];
    expect(previousReleases(history).map((e) => e.id)).toEqual(['r3', 'r1', 'r2']);
    markReleaseBad(history, 'r2', mark);
    expect(history.filter((e) => e.bad).map((e) => e.id)).toEqual(['r2']);
    expect(currentRelease(history)?.id).toBe('r5');
    expect(previousReleases(history).map((e) => e.id)).toEqual(['r1']);
    expect(hostBadRelease(history, 'r3')).toEqual(mark);
    expect(hostBadRelease(history, 'r1')).toBeUndefined();
    expect(hostBadDigest(history, digest('b'))).toEqual({ releaseId: 'r2', mark });
    expect(hostBadDigest(history, digest('a'))).toBeUndefined();
  });
});
