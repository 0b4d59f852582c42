import { InputError, registerSecret, runAction, UserError } from '../src';

/** Runs the boundary in-process and captures what it tells the runner. */
async function boundary(entry: Parameters<typeof runAction>[0], state: Record<string, string> = {}) {
  const lines: string[] = [];
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(state)) process.env[`STATE_${k}`] = v;
  delete process.env.GITHUB_STATE;
  delete process.env.GITHUB_OUTPUT;
  process.exitCode = undefined;
  try {
    await runAction(entry, (text) => lines.push(text));
    return { out: lines.join(''), exitCode: process.exitCode };
  } finally {
    process.env = saved;
    process.exitCode = undefined;
  }
}

const errors = (out: string) => out.split('\n').filter((l) => l.startsWith('::error::'));

describe('runAction (the error boundary)', () => {
  it('succeeds quietly', async () => {
    const { out, exitCode } = await boundary({ main: async () => {} });
    expect(errors(out)).toEqual([]);
    expect(exitCode).toBeUndefined();
  });

  it('fails once with a user error message and no stack outside debug', async () => {
    const { out, exitCode } = await boundary({
      main: async () => {
        throw new InputError('url', 'Input "url" is required.');
      },
    });
    expect(errors(out)).toEqual(['::error::Input "url" is required.']);
    expect(exitCode).toBe(1);
    expect(out.split('\n').filter((l) => l.includes('at ') && !l.startsWith('::debug::'))).toEqual([]);
  });

  it('still fails the step when something that is not an Error is thrown', async () => {
    const { out, exitCode } = await boundary({
      main: async () => {
        throw 'plain string';
      },
    });
    expect(errors(out)).toEqual(['::error::plain string']);
    expect(exitCode).toBe(1);
    const obj = await boundary({
      main: async () => {
        throw { code: 42 };
      },
    });
    expect(errors(obj.out)).toEqual(['::error::Non-error thrown: {"code":42}']);
  });

  it('labels programming errors as bugs and keeps the stack at debug level', async () => {
    const { out } = await boundary({
      main: async () => {
        (undefined as unknown as { x: number }).x;
      },
    });
    expect(errors(out)[0]).toMatch(
      /Cannot read properties of undefined.*%0AThis looks like a bug in Slipway/,
    );
    expect(out).toMatch(/::debug::TypeError/);
  });

  it('runs post when the state says so, and a failing post only warns', async () => {
    const calls: string[] = [];
    const { out, exitCode } = await boundary(
      {
        main: async () => {
          calls.push('main');
        },
        post: async () => {
          calls.push('post');
          throw new UserError('lock already gone');
        },
      },
      { 'slipway-post': 'true' },
    );
    expect(calls).toEqual(['post']);
    expect(errors(out)).toEqual([]);
    expect(out).toContain('::warning::Cleanup did not finish: lock already gone');
    expect(exitCode).toBeUndefined();
  });

  it('loads no post step when main handed it nothing (postState keys unset or cleared to null)', async () => {
    const calls: string[] = [];
    const entry = {
      main: async () => {},
      post: async () => {
        calls.push('post');
      },
      postState: ['locks', 'following'],
    };
    await boundary(entry, { 'slipway-post': 'true' });
    await boundary(entry, { 'slipway-post': 'true', following: 'null' });
    expect(calls).toEqual([]);
    await boundary(entry, { 'slipway-post': 'true', following: 'null', locks: '{"h1":{}}' });
    expect(calls).toEqual(['post']);
  });

  // issue 17, class 5: an unparsable URL with a password was printed whole in ::error::.
  it('masks URL passwords and registered secrets in every error it shows, and in the stack', async () => {
    registerSecret('r3gistered-s3cret');
    const { out } = await boundary({
      main: async () => {
        throw new Error(
          'fetch http://user:pw-s3cret@host:99999/health and https://tok3n-only@ghcr.io/x failed near r3gistered-s3cret',
        );
      },
    });
    expect(errors(out)).toEqual([
      '::error::fetch http://***@host:99999/health and https://***@ghcr.io/x failed near ***',
    ]);
    expect(out).not.toMatch(/pw-s3cret|tok3n-only|r3gistered-s3cret/);
  });
});
