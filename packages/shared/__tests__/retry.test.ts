import { backoffDelay, isTransient, retry } from '../src';

describe('retry', () => {
  const noWait = { sleep: async () => {}, random: () => 1 };

  it('retries transient errors until success', async () => {
    let calls = 0;
    const value = await retry(async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
      return 'ok';
    }, noWait);
    expect(value).toBe('ok');
    expect(calls).toBe(3);
  });

  it('does not retry what is not transient', async () => {
    let calls = 0;
    const denied = Object.assign(new Error('denied'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      retry(async () => {
        calls++;
        throw denied;
      }, noWait),
    ).rejects.toBe(denied);
    expect(calls).toBe(1);
  });

  it('rethrows the last error when attempts run out', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw Object.assign(new Error(`503 #${calls}`), { status: 503 });
        },
        { ...noWait, attempts: 4 },
      ),
    ).rejects.toThrow('503 #4');
    expect(calls).toBe(4);
  });

  it('stops before a wait would pass the deadline', async () => {
    let clock = 0;
    let calls = 0;
    const waits: number[] = [];
    await expect(
      retry(
        async () => {
          calls++;
          throw Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
        },
        {
          attempts: 100,
          baseDelayMs: 1000,
          maxDelayMs: 1000,
          deadlineMs: 3500,
          random: () => 1,
          now: () => clock,
          sleep: async (ms) => {
            waits.push(ms);
            clock += ms;
          },
        },
      ),
    ).rejects.toThrow('timeout');
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(calls).toBe(4);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 100, 1000, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(3, 100, 1000, () => 0)).toBe(0);
    expect(backoffDelay(3, 100, 1000, () => 0.5)).toBe(200);
  });

  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ cause: { code: 'UND_ERR_SOCKET' } }, true],
    [{ name: 'ThrottlingException' }, true],
    [{ status: 502 }, true],
    [{ statusCode: 429 }, true],
    [{ $metadata: { httpStatusCode: 500 } }, true],
    [{ status: 404 }, false],
    [{ status: 501 }, false],
    [{ name: 'AccessDeniedException' }, false],
    [{ name: 'ExpiredTokenException' }, false],
    ['a string', false],
  ])('classifies %j as transient=%s', (error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });
});
