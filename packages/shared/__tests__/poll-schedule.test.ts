import { nextPollDelay, type PollMoment, pollSchedule } from '../src/ecs/poll-schedule';

const S = 1000;
const MIN = 60 * S;
const quiet: PollMoment = { elapsedMs: 5 * MIN, leftMs: 25 * MIN, changed: false, throttled: false };

describe('pollSchedule', () => {
  it.each([
    [5 * S, 30 * S],
    [100, 30 * S],
    [30 * S, 30 * S],
    [2 * MIN, 2 * MIN], // a long poll-interval is never shortened, nor grown
  ])('poll-interval %i ms caps at %i ms', (base, cap) => {
    expect(pollSchedule(base)).toEqual({ baseMs: base, earlyMs: 2 * MIN, growth: 1.5, capMs: cap });
  });
});

describe('nextPollDelay', () => {
  it.each<[string, number, Partial<PollMoment>, number, number]>([
    // name, poll-interval, the moment (over `quiet`), interval, sleep
    ['first poll, early phase', 5 * S, { elapsedMs: 0, previousMs: undefined }, 5 * S, 5 * S],
    ['quiet but still early', 5 * S, { elapsedMs: 2 * MIN - 1, previousMs: 5 * S }, 5 * S, 5 * S],
    [
      'first quiet poll after the early phase grows x1.5',
      5 * S,
      { elapsedMs: 2 * MIN, previousMs: 5 * S },
      7500,
      7500,
    ],
    ['keeps growing while quiet', 5 * S, { previousMs: 7500 }, 11_250, 11_250],
    ['...up to the cap', 5 * S, { previousMs: 25_313 }, 30 * S, 30 * S],
    ['stays at the cap', 5 * S, { previousMs: 30 * S }, 30 * S, 30 * S],
    ['a change resets to poll-interval', 5 * S, { previousMs: 30 * S, changed: true }, 5 * S, 5 * S],
    ['quiet with no pace yet starts from poll-interval', 5 * S, { previousMs: undefined }, 7500, 7500],
    ['never sleeps past the deadline', 5 * S, { previousMs: 30 * S, leftMs: 4 * S }, 30 * S, 4 * S],
    ['at or past the deadline: no sleep', 5 * S, { changed: true, leftMs: -50 }, 5 * S, 0],
    [
      'throttled early: grows anyway',
      5 * S,
      { elapsedMs: 10 * S, previousMs: 5 * S, throttled: true },
      7500,
      7500,
    ],
    [
      'throttled with a change: no reset',
      5 * S,
      { previousMs: 20 * S, changed: true, throttled: true },
      30 * S,
      30 * S,
    ],
    ['throttled, capped', 5 * S, { previousMs: 30 * S, throttled: true }, 30 * S, 30 * S],
    ['poll-interval above the cap stays as it is', 2 * MIN, { previousMs: 2 * MIN }, 2 * MIN, 2 * MIN],
    ['a short poll-interval grows from itself', 100, { previousMs: 100 }, 150, 150],
  ])('%s', (_name, base, over, interval, sleep) => {
    expect(nextPollDelay(pollSchedule(base), { ...quiet, ...over })).toEqual({
      intervalMs: interval,
      sleepMs: sleep,
    });
  });

  it('a quiet 20-minute wait at 5s polls 63 times, not 241', () => {
    const schedule = pollSchedule(5 * S);
    const deadline = 20 * MIN;
    let at = 0;
    let pace: number | undefined;
    let polls = 1;
    while (at < deadline) {
      const next = nextPollDelay(schedule, {
        elapsedMs: at,
        leftMs: deadline - at,
        previousMs: pace,
        changed: polls === 1,
        throttled: false,
      });
      pace = next.intervalMs;
      at += next.sleepMs;
      polls++;
    }
    // 24 polls in the first 2 minutes, 4 growing (7.5s to 25.3s), then every 30s to the deadline.
    expect(polls).toBe(63);
  });
});
