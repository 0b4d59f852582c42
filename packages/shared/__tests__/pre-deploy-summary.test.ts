import { backupSection, preDeploySection } from '../src';

// The part of the job summary deploy-ecs and deploy-compose share (each gives its own words for where it ran).
describe('the pre-deploy and backup sections of a summary', () => {
  it('a failed run: the command masked, where, duration, exit code, what was spared, the last lines', () => {
    expect(
      preDeploySection({
        title: 'Pre-deploy container on h1',
        status: 'failed',
        command: 'migrate --db postgres://app:pw@db/shop',
        where: 'in a one-off `web` container',
        durationMs: 2500,
        exitCode: 3,
        failed: 'No service was changed on h1.',
        lastLines: ['applying 0042', 'ERROR: ``` relation exists'],
      }).join('\n'),
    ).toBe(
      [
        '',
        '### ❌ Pre-deploy container on h1: failed',
        '',
        '`migrate --db postgres://***@db/shop` in a one-off `web` container, 2.5s; exit code 3.',
        '',
        'No service was changed on h1.',
        '',
        'Last 2 log line(s):',
        '',
        '```',
        'applying 0042',
        "ERROR: ''' relation exists",
        '```',
      ].join('\n'),
    );
  });

  it('a run that succeeded says nothing of what was spared; no lines readable: the reason instead', () => {
    const text = preDeploySection({
      title: 'Pre-deploy task',
      status: 'succeeded',
      command: '["migrate"]',
      where: 'in container `app`, task `abc`',
      durationMs: 1000,
      exitCode: 0,
      failed: 'No service was updated: x.',
      noLines: 'No logs.',
    }).join('\n');
    expect(text).toContain('### ✅ Pre-deploy task: succeeded');
    expect(text).not.toContain('No service was updated');
    expect(text).toMatch(/No logs\.$/);
  });

  it('a timed-out run has no exit code; an empty output says so', () => {
    const text = preDeploySection({
      title: 'Pre-deploy task',
      status: 'timed-out',
      command: 'sleep 99',
      where: 'on h1',
      durationMs: 60_000,
      stop: 'stopped at command-timeout',
      lastLines: [],
    }).join('\n');
    expect(text).toContain('### ⏱️ Pre-deploy task: timed-out');
    expect(text).toContain('exit code none, stopped at command-timeout.');
    expect(text).toContain('Last 0 log line(s):\n\n```\n(no output)\n```');
  });

  it('backups: a table under "Backup", nothing without rows', () => {
    expect(backupSection(['host', 'backup'], [['h1', '/b/1.sql']])).toEqual([
      '',
      '### Backup',
      '',
      '| host | backup |\n| --- | --- |\n| h1 | /b/1.sql |',
    ]);
    expect(backupSection(['host', 'backup'], [])).toEqual([]);
  });
});
