import { runAction } from '@slipway/shared';
import { post, run } from './main';

void runAction({ main: () => run(), post: () => post() });
