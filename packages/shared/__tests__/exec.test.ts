import { CommandError, createCommandRunner, registerSecret } from '../src';

describe('createCommandRunner', () => {
  const capture = () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    return { lines, restore: () => spy.mockRestore() };
  };

  it('returns code, stdout and stderr of a real process and feeds stdin', async () => {
    const out = capture();
    const result = await createCommandRunner().run('sh', ['-c', 'cat; echo err >&2; exit 3'], {
      input: 'from stdin',
      allowFailure: true,
    });
    out.restore();
    expect(result).toEqual({ code: 3, stdout: 'from stdin', stderr: 'err\n' });
  });

  it('throws a CommandError with the exit code and the end of stderr', async () => {
    const out = capture();
    const error = await createCommandRunner()
      .run('sh', ['-c', 'echo boom >&2; exit 7'])
      .catch((e) => e);
    out.restore();
    expect(error).toBeInstanceOf(CommandError);
    expect(error.exitCode).toBe(7);
    expect(error.message).toBe('sh -c exited with code 7:\nboom');
  });

  it('masks registered secrets in what it logs, but returns the real output', async () => {
    registerSecret('pa55word-xyz');
    const out = capture();
    const result = await createCommandRunner().run('echo', ['login', 'pa55word-xyz']);
    out.restore();
    const log = out.lines.filter((l) => !l.startsWith('::add-mask::')).join('');
    expect(log).toContain('$ echo login ***');
    expect(log).not.toContain('pa55word-xyz');
    expect(result.stdout.trim()).toBe('login pa55word-xyz');
  });
});
