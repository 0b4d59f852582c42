import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellCommand, shellQuote } from '../src';

describe('shellQuote', () => {
  const canaryDir = mkdtempSync(join(tmpdir(), 'quote-'));
  const canary = join(canaryDir, 'pwned');
  const hostile = [
    "it's",
    `"double" and 'single'`,
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `; touch ${canary}`,
    `a\ntouch ${canary}`,
    '$HOME ${PATH} $((1+1))',
    '*',
    '~root',
    'a b\tc',
    'naïve — 日本語 🚀',
    '\\',
    "'",
    '',
    '-n',
    '&& || | > < &',
  ];

  it.each(hostile)('round-trips %j through a real /bin/sh without running anything', (arg) => {
    const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(arg)}`]).toString('utf8');
    expect(out).toBe(arg);
    expect(existsSync(canary)).toBe(false);
  });

  it('keeps every argument separate in a command line', () => {
    const script = `for a in ${shellCommand(hostile)}; do printf '[%s]' "$a"; done`;
    const out = execFileSync('/bin/sh', ['-c', script]).toString('utf8');
    expect(out).toBe(hostile.map((a) => `[${a}]`).join(''));
    expect(existsSync(canary)).toBe(false);
  });

  it('leaves safe words readable', () => {
    expect(shellCommand(['docker', 'compose', '-f', '/srv/app/compose.yml', 'up', '-d'])).toBe(
      'docker compose -f /srv/app/compose.yml up -d',
    );
  });

  it('refuses NUL, which no shell argument can hold', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});
