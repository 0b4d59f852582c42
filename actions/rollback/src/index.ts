import { runAction } from '@slipway/shared';
import { run } from './main';

void runAction({ main: () => run() });
