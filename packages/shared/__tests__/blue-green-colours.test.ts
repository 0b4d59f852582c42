import { type ColourEvent, colourRecord, nextColour } from '../src/compose-fleet/blue-green';
import type { HistoryEntry } from '../src/host-history';

const entry = (id: string, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id,
  time: '2026-12-06T00:00:00Z',
  gitSha: '',
  actor: 'me',
  runUrl: '',
  images: {},
  result: 'deployed',
  composeFiles: ['compose-0.yml'],
  services: [],
  ...extra,
});
const kept: ColourEvent = { kind: 'kept', containers: { web: ['abc'] }, until: '2026-12-06T00:10:00Z' };

describe('colours in the host history', () => {
  it('blue and green alternate from the release serving; a failed release does not count', () => {
    expect(nextColour([])).toBe('blue');
    expect(nextColour([entry('R1', { colour: 'blue' })])).toBe('green');
    expect(
      nextColour([entry('R1', { colour: 'blue' }), entry('R2', { colour: 'green', result: 'failed' })]),
    ).toBe('green');
    expect(nextColour([entry('R1', { strategy: 'rolling' })])).toBe('blue');
  });

  it.each([
    ['a rolling deploy', [], 'rolling', undefined, true, { strategy: 'rolling' }],
    [
      'a blue-green switch that kept the previous release',
      [entry('R1', { colour: 'blue' })],
      'blue-green',
      kept,
      true,
      {
        strategy: 'blue-green',
        colour: 'green',
        kept: { release: 'R1', containers: { web: ['abc'] }, until: '2026-12-06T00:10:00Z' },
      },
    ],
    [
      'a blue-green deploy that changed nothing keeps the colour serving',
      [entry('R1', { colour: 'blue' })],
      'blue-green',
      undefined,
      false,
      { strategy: 'blue-green', colour: 'blue' },
    ],
    [
      'a switch back takes the other colour than the release switched away from',
      [entry('R1'), entry('R2', { colour: 'blue' })],
      'rolling',
      { kind: 'switched-back', services: ['web'] },
      true,
      { strategy: 'switch-back', colour: 'green' },
    ],
  ] as Array<[string, HistoryEntry[], string, ColourEvent | undefined, boolean, object]>)(
    '%s',
    (_, history, strategy, event, changed, expected) => {
      expect(colourRecord(history, strategy, event, 'R1', changed)).toEqual(expected);
    },
  );
});
