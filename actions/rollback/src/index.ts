import { runAction } from '@slipway/shared';
import { getInputs } from './inputs';

// The inputs are read and checked before the rest of the action loads (GitHub, HTTP, SSH or AWS clients), so a
// bad input fails at once.
void runAction({
  main: async () => {
    const inputs = getInputs();
    const { run } = await import('./main');
    await run(inputs);
  },
});
