import { runAction } from '@slipway/shared';
import { run } from './main';
import { post } from './post';

void runAction({ main: () => run(), post: () => post() });
