import { join } from 'node:path';
import { inputVariable, parseCommandFile, parseWorkflowCommands, runBundle } from '../src';

describe('runner contract harness', () => {
  const action = join(__dirname, 'fixture-action');

  it('names input variables as the runner does', () => {
    expect(inputVariable('ssh-key')).toBe('INPUT_SSH-KEY');
    expect(inputVariable('Extra Words')).toBe('INPUT_EXTRA_WORDS');
  });

  it('runs main then post with outputs, state, env, summary, annotations and masks', async () => {
    const run = await runBundle({ action, inputs: { 'Extra Words': 'spaced', token: 'tok-123456' } });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ greeting: 'hello world', multi: 'line 1\nline 2', extra: 'spaced' });
    expect(run.state).toEqual({ phase: 'main-done', greeting: 'hello world' });
    expect(run.env).toEqual({ FROM_ACTION: 'yes' });
    expect(run.annotations).toEqual([
      { level: 'warning', message: 'careful: 50% done, a:b', properties: { file: 'x.ts', line: '3' } },
    ]);
    expect(run.masks).toEqual(['tok-123456']);
    expect(run.stdout).toContain('token is tok-123456');
    expect(run.log).toContain('token is ***');
    expect(run.log).not.toContain('tok-123456');
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain('post sees hello world');
    expect(run.summary).toBe('| a | b |\n\npost line');
  });

  it("fills a ${{ github.token }} default with the job's token, as the runner does", async () => {
    const run = await runBundle({ action, githubToken: 'ghs_job_token', post: false });
    expect(run.masks).toEqual(['ghs_job_token']);
    const without = await runBundle({ action, post: false });
    expect(without.masks).toEqual([]);
  });

  it('reports a failed step', async () => {
    const run = await runBundle({ action, inputs: { who: 'fail' }, post: false });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => [a.level, a.message])).toEqual([
      ['warning', 'careful: 50% done, a:b'],
      ['error', 'asked to fail'],
    ]);
    expect(run.post).toBeUndefined();
  });

  it('cancels a step as the runner does (SIGINT, then SIGTERM), then runs the post step', async () => {
    const run = await runBundle({
      action,
      inputs: { who: 'stubborn' },
      cancelWhen: (stdout) => stdout.includes('waiting'),
    });
    expect(run).toMatchObject({ cancelled: true, timedOut: false, exitCode: 143 });
    expect(run.stdout).toMatch(/waiting\n.*got SIGINT, carrying on\n.*got SIGTERM/s);
    expect(run.post?.stdout).toContain('post sees hello stubborn');

    const quick = await runBundle({ action, inputs: { who: 'ann' }, cancelWhen: () => false, post: false });
    expect(quick).toMatchObject({ cancelled: false, exitCode: 0 });
  });

  it('parses heredoc blocks and refuses malformed runner files', () => {
    expect(parseCommandFile('a=1\nb<<EOF_1\nx\n\ny\nEOF_1\nc=2=3\n')).toEqual({
      a: '1',
      b: 'x\n\ny',
      c: '2=3',
    });
    expect(() => parseCommandFile('b<<EOF\nnever closed')).toThrow(/Unterminated/);
    expect(() => parseCommandFile('no equals')).toThrow(/Malformed/);
  });

  it('unescapes command data and properties', () => {
    const parsed = parseWorkflowCommands('::error title=a%3Ab%2Cc::100%25%0Anext\n::add-mask::xyz\nplain');
    expect(parsed.annotations).toEqual([
      { level: 'error', message: '100%\nnext', properties: { title: 'a:b,c' } },
    ]);
    expect(parsed.masks).toEqual(['xyz']);
    expect(parsed.stdout).not.toContain('add-mask');
  });
});
