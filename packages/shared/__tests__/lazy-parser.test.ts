import { generateSshKey } from '@slipway/testing';

// issue 14, item 5: the parsers only some inputs need (yaml, ssh2's key parser) load in chunks of their own when an
// input needs them; the input parser stays synchronous and readInputs reads again once the parser is there. Each
// test takes fresh modules (jest's setup loads both parsers for the rest of the suite), so nothing is loaded yet.
type Inputs = typeof import('../src/inputs');
type Parsers = typeof import('../src/lazy-parser');
type Ssh = typeof import('../src/compose-fleet/ssh-credentials');

async function fresh(): Promise<Inputs & Parsers & Ssh> {
  let modules: (Inputs & Parsers & Ssh) | undefined;
  await jest.isolateModulesAsync(async () => {
    modules = {
      ...(await import('../src/inputs')),
      ...(await import('../src/lazy-parser')),
      ...(await import('../src/compose-fleet/ssh-credentials')),
    };
  });
  return modules as Inputs & Parsers & Ssh;
}

const KEY = generateSshKey().private;

describe('lazy input parsers', () => {
  it('a YAML input read before yaml is loaded asks for it; readInputs loads it and reads again', async () => {
    const m = await fresh();
    const values = m.mapInputs({ checks: '- url: http://a/\n' });
    // a ParserNotLoaded, not turned into an input error by the YAML error handling around the parse
    expect(() => new m.InputReader(values).yaml('checks')).toThrow(m.ParserNotLoaded);

    let passes = 0;
    const got = await m.readInputs((read) => {
      passes++;
      return read.yaml('checks');
    }, new m.InputReader(values));
    expect(got).toEqual([{ url: 'http://a/' }]);
    expect(passes).toBe(2);
    // loaded once: later readers parse at once
    expect(new m.InputReader(values).yaml('checks')).toEqual([{ url: 'http://a/' }]);
  });

  it('an input error before any YAML input fails without loading yaml', async () => {
    const m = await fresh();
    const values = m.mapInputs({ checks: '- url: http://a/\n' });
    await expect(
      m.readInputs((read) => [read.required('url'), read.yaml('checks')], new m.InputReader(values)),
    ).rejects.toThrow('Input "url" is required');
    expect(() => new m.InputReader(values).yaml('checks')).toThrow(m.ParserNotLoaded);
  });

  it('bad YAML is still an input error naming the input, after the load', async () => {
    const m = await fresh();
    const values = m.mapInputs({ checks: 'a: [' });
    await expect(m.readInputs((read) => read.yaml('checks'), new m.InputReader(values))).rejects.toThrow(
      /^Input "checks" must be valid YAML/,
    );
  });

  it("an SSH key is checked once ssh2's key parser is loaded; a bad one is an input error", async () => {
    const m = await fresh();
    expect(() => m.checkSshKey(KEY, undefined)).toThrow(m.ParserNotLoaded);
    await expect(m.readInputs(() => m.checkSshKey(KEY, undefined))).resolves.toBeUndefined();
    await expect(m.readInputs(() => m.checkSshKey('not a key', undefined))).rejects.toThrow(
      'Input "ssh-key" is not a private key SSH can use',
    );
  });

  it('a deprecation warning is given once, however many passes the read takes', async () => {
    const m = await fresh();
    const warnings: string[] = [];
    const reader = new m.InputReader(m.mapInputs({ 'health-timeout': '30s', checks: 'a: 1' }), (message) =>
      warnings.push(message),
    );
    await m.readInputs(
      (read) => [
        read.duration('container-health-timeout', { formerly: 'health-timeout' }),
        read.yaml('checks'),
      ],
      reader,
    );
    expect(warnings).toEqual([
      'Input "health-timeout" is deprecated: use "container-health-timeout" (the same setting).',
    ]);
  });
});
