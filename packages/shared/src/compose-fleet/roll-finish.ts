import type { ScriptValue } from '../remote/host-script';

/**
 * roll-finish (sh/roll-finish.sh), rolling's and the canary's last phase: the old containers, out of rotation,
 * are queued to stop after the verdict once drained, for drain-period from now or, when they drained already
 * (`drained`: the entry point was judged after a drain, or a canary step outlasted it), not at all. The same drain
 * goes to the host (DRAIN, which their stop waits out) and to `onDrain` (the step reports once it is over).
 */
export async function finishRoll(
  run: (verb: 'roll-finish', label: string, extra?: Record<string, ScriptValue>) => Promise<unknown>,
  label: string,
  drain: { drained: boolean; drainMs: number; onDrain?: (ms: number) => void },
): Promise<number> {
  await run('roll-finish', label, drain.drained ? { DRAIN: 0 } : {});
  const ms = drain.drained ? 0 : drain.drainMs;
  drain.onDrain?.(ms);
  return ms;
}
