import { join } from 'node:path';
import { findLeaks, runBundle } from '../src';

describe('findLeaks', () => {
  const action = join(__dirname, 'fixture-action');

  it('finds a secret the action printed, even though the runner would mask it', async () => {
    const run = await runBundle({ action, inputs: { token: 'tok-leaky-9876' } });
    expect(run.log).not.toContain('tok-leaky-9876');
    expect(findLeaks(run, ['tok-leaky-9876'])).toEqual(['stdout contains tok…(14 characters)']);
  });

  it('finds nothing when the secret went nowhere', async () => {
    const run = await runBundle({ action, inputs: { who: 'someone' } });
    expect(findLeaks(run, ['never-given-secret'])).toEqual([]);
  });

  it('finds secrets in outputs and in files left behind, also base64-encoded', async () => {
    const run = await runBundle({ action, inputs: { who: 'pa55-in-output' }, post: false });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(run.dirs.temp, 'config.json'),
      JSON.stringify({ auth: Buffer.from('pa55-in-output').toString('base64') }),
    );
    expect(findLeaks(run, ['pa55-in-output'])).toEqual([
      'outputs contains pa5…(14 characters)',
      'state contains pa5…(14 characters)',
      `${join(run.dirs.temp, 'config.json')} contains base64 of pa5…(14 characters)`,
    ]);
  });
});
