import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Release } from '../src/compose-fleet';
import { parseHashes, serviceAction, serviceChanges } from '../src/compose-fleet/service-changes';
import type { ServicePlan } from '../src/host-history';
import { tarArchive } from '../src/remote/tar-archive';

// The one set of rules the deploy applies and the dry run reports (host-deploy.ts and host-plan.ts both call it).

const release = (services: ServicePlan[]) => ({ services }) as unknown as Release;
const HASHES = [
  'want web aaaaaaaaaaaaaaaa',
  'want proxy pppppppppppppppp',
  'want db dddddddddddddddd',
  'have web 0000000000000000',
  'have web aaaaaaaaaaaaaaaa',
  'have proxy pppppppppppppppp',
  'have db dddddddddddddddd',
  'have old eeeeeeeeeeeeeeee',
  'files proxy digest-1',
].join('\n');

describe('what a deploy does per service', () => {
  it('finds a changed configuration (any running hash differs), a service not running, changed files', () => {
    const changes = serviceChanges(
      release([
        { name: 'web' },
        { name: 'proxy', proxy: 'caddy', filesDigest: 'digest-2' },
        { name: 'db', filesDigest: undefined },
        { name: 'worker' },
      ]),
      parseHashes(HASHES),
    );
    expect(Object.fromEntries(changes)).toEqual({
      web: {
        what: 'config',
        running: true,
        count: 2,
        why: 'its Compose configuration changed (hash 000000000000 -> aaaaaaaaaaaa)',
      },
      proxy: { what: 'files', running: true, count: 1, why: 'its files changed' },
      worker: { what: 'config', running: false, count: 0, why: 'no container of it runs' },
    });
  });

  it.each([
    [
      'a proxy whose files alone changed',
      { name: 'p', proxy: 'nginx' },
      'files',
      'rolling',
      { action: 'reload' },
    ],
    [
      'traefik (no reload in place) whose files changed',
      { name: 't', proxy: 'traefik' },
      'files',
      'rolling',
      { action: 'roll' },
    ],
    ['a service that can run twice', { name: 'web' }, 'config', 'rolling', { action: 'roll' }],
    [
      'a service with a published port, rolling',
      { name: 'web', recreateReason: 'it publishes a host port' },
      'config',
      'rolling',
      { action: 'recreate', notRolled: 'it publishes a host port' },
    ],
    ['any service under recreate', { name: 'web' }, 'config', 'recreate', { action: 'recreate' }],
    [
      'a service that can run twice, canary (rolled in steps)',
      { name: 'web' },
      'config',
      'canary',
      { action: 'roll' },
    ],
    [
      'a service with a published port, canary',
      { name: 'web', recreateReason: 'it publishes a host port' },
      'config',
      'canary',
      { action: 'recreate', notRolled: 'it publishes a host port' },
    ],
  ] as const)('%s', (_label, service, what, strategy, expected) => {
    expect(
      serviceAction(service as ServicePlan, { what, running: true, count: 1, why: '' }, strategy),
    ).toEqual(expected);
  });
});

describe('tarArchive (the dry run sends Compose files on standard input)', () => {
  it('is unpacked by tar as written: names, contents byte for byte, modes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-tar-'));
    try {
      const archive = tarArchive([
        { name: 'compose-0.yml', content: 'services:\n  web: {}\n', mode: 0o644 },
        { name: 'release.env', content: Buffer.from('A=ü $x `y`\n'), mode: 0o600 },
        { name: 'empty.yml', content: '', mode: 0o644 },
        { name: 'big.yml', content: 'x'.repeat(70_000), mode: 0o644 },
      ]);
      writeFileSync(join(dir, 'a.tar'), archive);
      execFileSync('tar', ['-x', '-f', 'a.tar'], { cwd: dir });
      expect(readFileSync(join(dir, 'release.env'), 'utf8')).toBe('A=ü $x `y`\n');
      expect(readFileSync(join(dir, 'compose-0.yml'), 'utf8')).toBe('services:\n  web: {}\n');
      expect(readFileSync(join(dir, 'empty.yml'), 'utf8')).toBe('');
      expect(readFileSync(join(dir, 'big.yml'), 'utf8')).toHaveLength(70_000);
      expect(statSync(join(dir, 'release.env')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
