import type { HostResult } from '@slipway/shared';
import { preDeployOutputs, preDeploySummary } from '../src/pre-deploy-report';

// The backup and pre-deploy outputs and summary, as deploy-ecs has them, from the hosts' results (no host).
const host = (name: string, extra: Partial<HostResult> = {}): HostResult => ({
  host: name,
  status: 'deployed',
  durationMs: 1000,
  images: {},
  changed: ['web'],
  ...extra,
});
const ran = (status: 'succeeded' | 'failed' | 'timed-out', exitCode?: number, lastLines = ['done']) => ({
  service: 'web',
  command: 'bin/migrate',
  status,
  exitCode,
  lastLines,
  durationMs: 1500,
});

describe('deploy-compose: pre-deploy-exit-code, backups and their summary sections', () => {
  it('nothing ran: both outputs empty, no section', () => {
    const results = [host('h1'), host('h2')];
    expect(preDeployOutputs(results)).toEqual({ exitCode: '', backups: '' });
    expect(preDeploySummary(results)).toEqual([]);
  });

  it('every host succeeded: exit code 0; backups host:path in the order of hosts', () => {
    const results = [
      host('deploy@h1', { backup: '/var/backups/1.sql', preDeploy: ran('succeeded', 0) }),
      host('deploy@h2:2222', { backup: '/var/backups/2.sql', preDeploy: ran('succeeded', 0) }),
    ];
    expect(preDeployOutputs(results)).toEqual({
      exitCode: '0',
      backups: 'deploy@h1:/var/backups/1.sql,deploy@h2:2222:/var/backups/2.sql',
    });
    const text = preDeploySummary(results).join('\n');
    expect(text).toContain(
      '### Backup\n\n| host | backup (last line of the backup command) |\n| --- | --- |\n| deploy@h1 | `/var/backups/1.sql` |',
    );
    expect(text).toContain('### ✅ Pre-deploy container on deploy@h1: succeeded');
    expect(text).toContain('### ✅ Pre-deploy container on deploy@h2:2222: succeeded');
  });

  it('one host failed with exit 3: its code is the output, its section shows why and its last lines', () => {
    const results = [
      host('h1', { preDeploy: ran('succeeded', 0) }),
      host('h2', {
        status: 'failed',
        preDeploy: ran('failed', 3, ['applying 0042', 'ERROR: relation exists']),
      }),
      host('h3', { status: 'skipped' }),
    ];
    expect(preDeployOutputs(results).exitCode).toBe('3');
    const text = preDeploySummary(results).join('\n');
    expect(text).toContain(
      [
        '### ❌ Pre-deploy container on h2: failed',
        '',
        '`bin/migrate` in a one-off `web` container of the new image, 1.5s; exit code 3.',
        '',
        'No service was changed on h2: the pre-deploy command exited with code 3.',
        '',
        'Last 2 log line(s):',
        '',
        '```',
        'applying 0042',
        'ERROR: relation exists',
        '```',
      ].join('\n'),
    );
    expect(text).not.toContain('on h3');
  });

  it('stopped at command-timeout: no exit code (empty output), timed-out in the summary', () => {
    const results = [host('h1', { status: 'failed', preDeploy: ran('timed-out', undefined, ['step 1']) })];
    expect(preDeployOutputs(results).exitCode).toBe('');
    const text = preDeploySummary(results).join('\n');
    expect(text).toContain('### ⏱️ Pre-deploy container on h1: timed-out');
    expect(text).toContain('exit code none, stopped at command-timeout.');
    expect(text).toContain('did not finish within command-timeout');
  });
});
