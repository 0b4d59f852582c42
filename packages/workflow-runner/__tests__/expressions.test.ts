import { evaluateCondition, evaluateText, evaluateValue } from '../src';

const ctx = {
  inputs: { version: '1.2.3', flag: true },
  needs: { build: { outputs: { ref: 'r@sha256:1' } } },
  github: { sha: 'abc' },
};
const ok = { success: true, failure: false };
const failed = { success: false, failure: true };

describe('expressions (GitHub evaluator)', () => {
  it.each([
    ['app@${{ inputs.version }}', 'app@1.2.3'],
    ['${{ needs.build.outputs.ref }}', 'r@sha256:1'],
    ["${{ format('{0}-{1}', github.sha, inputs.version) }}", 'abc-1.2.3'],
    ['${{ inputs.flag }}', 'true'],
    ['${{ inputs.missing }}', ''],
    ['plain', 'plain'],
  ])('evaluates %j to %j', (text, expected) => {
    expect(evaluateText(text, ctx)).toBe(expected);
  });

  it('keeps the type of a whole expression', () => {
    expect(evaluateValue('${{ inputs.flag }}', ctx)).toBe(true);
    expect(evaluateValue('${{ fromJSON(\'{"a":[1,2]}\') }}', ctx)).toEqual({ a: [1, 2] });
  });

  it.each([
    [undefined, ok, true],
    [undefined, failed, false],
    ['failure()', failed, true],
    ['failure()', ok, false],
    ['always()', failed, true],
    ["inputs.version == '1.2.3'", ok, true],
    ["inputs.version == '1.2.3'", failed, false],
    ["${{ inputs.version != '1.2.3' }}", ok, false],
    ["failure() && inputs.version == '1.2.3'", failed, true],
  ])('condition %j with %j is %s', (condition, status, expected) => {
    expect(evaluateCondition(condition, ctx, status)).toBe(expected);
  });
});
