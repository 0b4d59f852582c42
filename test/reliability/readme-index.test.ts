import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@slipway/testing';

// The README's "Reliability" table names a test for every fault; this keeps the table true: every named test
// exists in its file, every fault of issue 10 has a row, and every test of faults.test.ts is listed.
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const section = readme.split(/^## Reliability$/m)[1]?.split(/^## /m)[0] ?? '';
const rows = section.split('\n').filter((line) => /^\| (?!fault |---)/.test(line));
const references = rows.map((row) => {
  const match = /`([^`]+\.test\.ts)::([^`]+)`/.exec(row);
  return { row, file: match?.[1], name: match?.[2] };
});

/**
 * True when `file` declares a test titled `name`: the title is the first argument of it(...), test(...) or of the
 * call after an it.each table, on the call's line or on the next one.
 */
function declares(file: string, name: string): boolean {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return ["'", '"', '`'].some((q) => {
    const at = text.indexOf(`${q}${name}${q}`);
    return at > 0 && text.slice(0, at).trimEnd().endsWith('(');
  });
}

describe('the README "Reliability" table', () => {
  it('has a row for every fault issue 10 names', () => {
    const faults = rows.map((row) => row.split('|')[1].trim()).join('\n');
    for (const fault of [
      /registry 5xx/,
      /SSH .*drop/,
      /sshd down/,
      /AWS throttling/,
      /AWS access denied/,
      /concurrent/,
      /cancelled run/,
    ])
      expect(faults).toMatch(fault);
  });

  it.each(references.map((r) => [r.name ?? r.row, r]))('names a test that exists: %s', (_name, ref) => {
    expect(ref.file).toBeDefined();
    expect(existsSync(join(repoRoot, ref.file!))).toBe(true);
    expect(declares(ref.file!, ref.name!)).toBe(true);
  });

  it('lists every test of test/reliability/faults.test.ts', () => {
    const text = readFileSync(join(repoRoot, 'test/reliability/faults.test.ts'), 'utf8');
    const names = [...text.matchAll(/^\s*it\('([^']+)'/gm)].map((m) => m[1]);
    const listed = references.filter((r) => r.file === 'test/reliability/faults.test.ts').map((r) => r.name);
    expect(names.length).toBeGreaterThan(0);
    expect(listed.sort()).toEqual(names.sort());
  });
});
