import { formatDuration, parseDuration, timerDelay } from '../src';

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [12_340, '12.3s'],
    [245_000, '4m05s'],
  ])('formats %d', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('parseDuration', () => {
  it.each(['9'.repeat(400), `${'9'.repeat(400)}h`, `1${'0'.repeat(320)}ms`])(
    'gives undefined for %j, which is no finite number of milliseconds',
    (text) => expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('timerDelay', () => {
  it('never gives a timer more than it holds (2^31 - 1 ms), nor less than 0', () => {
    expect(timerDelay(2 ** 31)).toBe(2 ** 31 - 1);
    expect(timerDelay(Number.POSITIVE_INFINITY)).toBe(2 ** 31 - 1);
    expect(timerDelay(-5)).toBe(0);
    expect(timerDelay(Number.NaN)).toBe(0);
    expect(timerDelay(1500)).toBe(1500);
  });
});
