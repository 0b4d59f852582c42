import { isBug, toError, UserError } from './errors';
import * as core from './runner-commands';
import { redactText } from './secrets';

const POST_MARKER = 'slipway-post';

export interface ActionEntry {
  main: () => Promise<void>;
  /** The `post:` step; it only ever warns, so it can never fail a job that succeeded. */
  post?: () => Promise<void>;
}

/**
 * The one error boundary of every entry point. It runs `main`, or `post` when the runner calls the bundle a
 * second time (the state saved by main says so), turns anything thrown into an Error, calls `setFailed` once,
 * and keeps stacks at debug level.
 */
export async function runAction(entry: ActionEntry): Promise<void> {
  const isPost = core.getState(POST_MARKER) === 'true';
  if (!isPost && entry.post) core.saveState(POST_MARKER, 'true');
  try {
    if (isPost) await entry.post?.();
    else await entry.main();
  } catch (thrown) {
    const error = toError(thrown);
    if (error.stack) core.debug(redactText(error.stack));
    const message = redactText(describe(error));
    if (isPost) core.warning(`Cleanup did not finish: ${message}`);
    else core.setFailed(message);
  }
}

function describe(error: Error): string {
  if (error instanceof UserError) return error.message;
  const base = error.message || error.name || 'Unknown error';
  if (isBug(error)) {
    return `${base}\nThis looks like a bug in Slipway. Re-run with debug logging for the stack trace and report it.`;
  }
  return base;
}
