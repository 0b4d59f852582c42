import { rollPhases } from '../bench/step-phases';

// A quiet rolling step's debug lines as deploy-compose writes them (timed-connect.ts), from a bench run.
const LOG = [
  '::debug::slipway-h2@127.0.0.1:2222: connected in 206 ms (at 0.37 s)',
  '::debug::slipway-h2@127.0.0.1:2222: reading the release history: 94 ms (at 0.47 s)',
  '::debug::slipway-h2@127.0.0.1:2222: taking the deploy lock: 94 ms (at 0.56 s)',
  '::debug::slipway-h2@127.0.0.1:2222: pulling images and comparing services: 364 ms (at 1.27 s)',
  'web: rolling.',
  '::debug::slipway-h2@127.0.0.1:2222: rolling web (new containers): 2705 ms (at 3.97 s)',
  '::debug::slipway-h2@127.0.0.1:2222: rolling web (the switch): 193 ms (at 4.17 s)',
  '::debug::slipway-h2@127.0.0.1:2222: rolling web (the old containers are queued to stop once drained): 71 ms (at 4.24 s)',
  '::debug::slipway-h2@127.0.0.1:2222: removing orphan services: 63 ms (at 4.31 s)',
  '::debug::slipway-h2@127.0.0.1:2222: writing the release history: 136 ms (at 4.45 s)',
  '::debug::slipway-h2@127.0.0.1:2222: releasing the deploy lock: 118 ms (at 6.31 s)',
].join('\n');

describe("bench: where a rolling step's time went", () => {
  it('splits the step at its connection and at the roll of the service', () => {
    const phases = rollPhases(LOG, 6340, 'web');
    expect(phases).toEqual({
      connect: 370,
      before: 3970 - 2705 - 370,
      newUp: 2705,
      switch: 193,
      after: 6340 - 4170,
    });
    const sum = Object.values(phases ?? {}).reduce((a, b) => a + b, 0);
    // the phases cover the step, up to the gap between the new containers' end and the switch's start
    expect(Math.abs(sum - 6340)).toBeLessThan(50);
  });

  it('says nothing for a step that did not roll that service (a recreate, another service)', () => {
    expect(rollPhases(LOG, 6340, 'worker')).toBeUndefined();
    expect(rollPhases(LOG.replace(/rolling web/g, 'recreating web'), 6340, 'web')).toBeUndefined();
  });
});
