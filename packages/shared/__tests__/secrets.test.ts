import { maskSecrets, registerSecret } from '../src';

describe('secrets', () => {
  it('masks every registered secret, longest first, line by line', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    registerSecret('s3cr3t-value');
    registerSecret('line-one-secret\nline-two-secret');
    const commands = write.mock.calls.map((c) => String(c[0]));
    write.mockRestore();
    expect(commands.some((c) => c.startsWith('::add-mask::s3cr3t-value'))).toBe(true);
    expect(commands.some((c) => c.startsWith('::add-mask::line-two-secret'))).toBe(true);
    expect(maskSecrets('token=s3cr3t-value; next: line-two-secret')).toBe('token=***; next: ***');
  });

  it('ignores empty and tiny values instead of masking every "a"', () => {
    registerSecret('');
    registerSecret('ab');
    expect(maskSecrets('a b ab')).toBe('a b ab');
  });
});
