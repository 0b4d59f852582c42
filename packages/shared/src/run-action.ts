import { isBug, toError, UserError } from './errors';
import * as core from './runner-commands';
import { redactText } from './secrets';

const POST_MARKER = 'slipway-post';

export interface ActionEntry {
  main: () => Promise<void>;
  /** The `post:` step; it only ever warns, so it can never fail a job that succeeded. */
  post?: () => Promise<void>;
  /**
   * The state keys through which main hands the post step its work. When none holds a value, the post step ends
   * before its code loads: a run that stopped early (a bad input) then costs no second load of the engine.
   */
  postState?: readonly string[];
}

/**
 * The one error boundary of every entry point. It runs `main`, or `post` when the runner calls the bundle a
 * second time (the state saved by main says so), turns anything thrown into an Error, calls `setFailed` once,
 * and keeps stacks at debug level. Its commands go to `output` (tests collect them there).
 */
export async function runAction(
  entry: ActionEntry,
  output: core.CommandOutput = core.startUpOutput,
): Promise<void> {
  core.writeCommandsTo(output);
  const isPost = core.getState(POST_MARKER) === 'true';
  if (!isPost && entry.post) core.saveState(POST_MARKER, 'true');
  try {
    if (isPost) {
      if (!entry.postState || entry.postState.some(saved)) {
        core.startUpDone();
        await entry.post?.();
      }
    } else await entry.main();
  } catch (thrown) {
    const error = toError(thrown);
    if (error.stack) core.debug(redactText(error.stack));
    const message = redactText(describe(error));
    if (isPost) core.warning(`Cleanup did not finish: ${message}`);
    else core.setFailed(message);
  }
}

/** A state key main set to something other than nothing (a cleared key holds JSON null). */
function saved(key: string): boolean {
  const value = core.getState(key);
  return value !== '' && value !== 'null';
}

function describe(error: Error): string {
  if (error instanceof UserError) return error.message;
  const base = error.message || error.name || 'Unknown error';
  if (isBug(error)) {
    return `${base}\nThis looks like a bug in Slipway. Re-run with debug logging for the stack trace and report it.`;
  }
  return base;
}
