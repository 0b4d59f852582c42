import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCommand } from '@actions/core/lib/command';
import { parseCommandFile } from '@slipway/testing';
import {
  debug,
  saveState,
  setFailed,
  setSecret,
  startUpDone,
  startUpOutput,
  warning,
  writeCommandsTo,
} from '../src/runner-commands';

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

// The boundary's commands are written as core writes them (its writer goes only to process.stdout, which the
// start-up path leaves unopened: a pipe loads node:net).
describe('runner commands', () => {
  const tricky = 'a%b\r\nc:d,e::f';

  function fromCore(write: () => void): string {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      write();
    } finally {
      spy.mockRestore();
    }
    return lines.join('');
  }

  it("are core's lines, escapes included", () => {
    const saved = process.env.GITHUB_STATE;
    delete process.env.GITHUB_STATE;
    const ours: string[] = [];
    writeCommandsTo((text) => ours.push(text));
    try {
      debug(tricky);
      warning(tricky);
      setSecret(tricky);
      saveState('slipway-post', tricky);
      setFailed(tricky);
    } finally {
      process.env.GITHUB_STATE = saved;
      process.exitCode = undefined;
    }
    const core = fromCore(() => {
      issueCommand('debug', {}, tricky);
      issueCommand('warning', {}, tricky);
      issueCommand('add-mask', {}, tricky);
      issueCommand('save-state', { name: 'slipway-post' }, tricky);
      issueCommand('error', {}, tricky);
    });
    expect(ours.join('')).toBe(core);
  });

  it('start-up output goes through process.stdout once the start-up is done', () => {
    startUpDone();
    expect(fromCore(() => startUpOutput('::debug::after\n'))).toBe('::debug::after\n');
  });
});
