import { applyBlueGreen, type ColourEvent, colourRecord, nextColour } from '../src/compose-fleet/blue-green';
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

describe('the kept colour, as bg-keep reports it', () => {
  /** One blue-green deploy of web, the host's phases answering `keepStdout` for bg-keep. */
  async function keepWith(keepStdout: string) {
    const logs: string[] = [];
    const notices: string[] = [];
    const answers: Record<string, string> = { 'bg-up': 'new new1 10.0.0.7\n', 'bg-keep': keepStdout };
    const event = await applyBlueGreen({
      phase: async (verb) => ({ code: 0, stdout: answers[verb] ?? '', stderr: '', timedOut: false }),
      where: 'h1',
      services: [{ name: 'web', public: true }],
      valuesOf: (service) => ({ SERVICE: service.name }),
      entryCheck: false,
      entrySeconds: 5,
      applyOthers: async () => undefined,
      keepPreviousMs: 600_000,
      drain: async () => undefined,
      log: (message) => logs.push(message),
      notice: (message) => notices.push(message),
    });
    return { event, logs, notices };
  }

  it('a running timer: the log says until when', async () => {
    const { event, logs, notices } = await keepWith('kept web 0123456789abcdef\n');
    expect(event).toMatchObject({ kind: 'kept', containers: { web: ['0123456789ab'] } });
    expect(logs.at(-1)).toMatch(
      /^h1: the previous colour \(1 container\(s\)\) stays running out of rotation until /,
    );
    expect(notices).toEqual([]);
  });

  it('a timer that never started: a notice says nothing will stop it, what will, and how to stop it now', async () => {
    const { event, notices } = await keepWith('timer not-started\nkept web 0123456789abcdef\n');
    expect(event).toMatchObject({ kind: 'kept', containers: { web: ['0123456789ab'] } });
    expect(notices).toEqual([
      expect.stringMatching(
        /^h1: the previous colour \(1 container\(s\)\) keeps running out of rotation, but nothing will stop it at \S+: its keep-previous timer did not start on the host within 5 s \(a busy host\?\)\. The next deploy of this project stops it; to stop it now, run "docker rm -f 0123456789ab" on the host\.$/,
      ),
    ]);
  });
});
