import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandFile } from '@slipway/testing';
import { saveState } from '../src/runner-commands';

// issue 14, item 5: the boundary's post marker is saved first thing in every run; a one-line value goes in the
// state file's `name=value` form (no random delimiter, so node:crypto stays unloaded), anything else in core's
// `name<<delimiter` form. The runner (and the harness's parser, which reads files as the runner does) reads both.
describe('saveState', () => {
  let dir: string;
  const saved = process.env.GITHUB_STATE;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-state-'));
    process.env.GITHUB_STATE = join(dir, 'state');
    writeFileSync(process.env.GITHUB_STATE, '');
  });
  afterEach(() => {
    process.env.GITHUB_STATE = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const file = () => readFileSync(join(dir, 'state'), 'utf8');

  it('writes a one-line value as name=value', () => {
    saveState('slipway-post', 'true');
    expect(file()).toBe('slipway-post=true\n');
  });

  it('writes a multi-line value, or a name the short form cannot carry, with a delimiter', () => {
    saveState('locks', '{"a":\n1}');
    expect(file()).toMatch(/^locks<<ghadelimiter_[0-9a-f-]{36}\n\{"a":\n1\}\nghadelimiter_[0-9a-f-]{36}\n$/);
    // `a<<b=x` would read as a block named "a": such a name keeps core's form
    saveState('a<<b', 'x');
    expect(file().split('\n')[4]).toMatch(/^a<<b<<ghadelimiter_/);
  });

  it('reads back as the runner reads it, whatever the form', () => {
    saveState('slipway-post', 'true');
    saveState('following', '{"arn":"x=y"}');
    saveState('state', 'a\r\nb');
    expect(parseCommandFile(file())).toEqual({
      'slipway-post': 'true',
      following: '{"arn":"x=y"}',
      state: 'a\r\nb'.replace(/\r\n/g, '\n'),
    });
  });
});
