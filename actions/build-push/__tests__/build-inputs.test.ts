import { buildInputsHash } from '../src/build-inputs';

const base = {
  context: '.',
  file: undefined as string | undefined,
  target: undefined as string | undefined,
  buildArgs: [
    ['A', '1'],
    ['B', 'secret-looking-value'],
  ] as Array<[string, string]>,
  platforms: ['linux/amd64'],
};

describe('buildInputsHash', () => {
  it('is the same for the same image, whatever the order or spelling of equivalent inputs', () => {
    const hash = buildInputsHash(base);
    expect(hash).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(hash).not.toContain('secret-looking-value');
    expect(buildInputsHash({ ...base, buildArgs: [...base.buildArgs].reverse() })).toBe(hash);
    expect(buildInputsHash({ ...base, context: './', file: 'Dockerfile' })).toBe(hash);
  });

  it.each([
    ['context', { context: 'app' }],
    ['file', { file: 'Dockerfile.prod' }],
    ['target', { target: 'runtime' }],
    ['a build-arg value', { buildArgs: [['A', '2'], base.buildArgs[1]] }],
    ['a build-arg name', { buildArgs: [['C', '1'], base.buildArgs[1]] }],
    ['platforms', { platforms: ['linux/amd64', 'linux/arm64'] }],
  ])('changes with %s', (_what, change) => {
    expect(buildInputsHash({ ...base, ...(change as Partial<typeof base>) })).not.toBe(buildInputsHash(base));
  });
});
