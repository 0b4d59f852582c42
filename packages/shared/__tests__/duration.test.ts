import { formatDuration } from '../src';

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [12_340, '12.3s'],
    [245_000, '4m05s'],
  ])('formats %d', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
