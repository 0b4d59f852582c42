import { readInputs, runAction } from '@slipway/shared';
import { getInputs } from './inputs';

// The inputs are read and checked before the rest of the action loads (its engine, @actions/core's index, and the
// AWS, GitHub, HTTP or SSH clients), so a bad input fails at once (README, Decisions: lazy loading).
void runAction({
  main: async () => {
    const inputs = await readInputs(getInputs);
    const { run } = await import('./main');
    await run(inputs);
  },
  post: async () => (await import('./post')).post(),
  postState: ['locks'],
});
