import * as core from '@actions/core';
import { connectOptions, formatSshTarget, readInputs, releaseLock } from '@slipway/shared';
import { getInputs, type Inputs } from './inputs';
import { type Deps, defaultDeps } from './main';

/**
 * The post step: releases every lock the main step still held (it was cancelled, timed out or crashed), first
 * stopping the remote command it left running there.
 * It runs on `always()`; it only warns, so it never fails a job.
 */
export async function post(
  deps: Deps = defaultDeps(),
  read: () => Inputs | Promise<Inputs> = () => readInputs(getInputs),
): Promise<void> {
  const locks = deps.state.get('locks') ?? {};
  const held = Object.entries(locks);
  if (held.length === 0) return;
  const inputs = await read();
  for (const [name, lock] of held) {
    const host = inputs.hosts.find((h) => formatSshTarget(h.target) === name);
    if (!host) continue;
    try {
      const session = await deps.connect({ ...connectOptions(inputs, host), retry: { attempts: 2 } });
      try {
        const stopped = await releaseLock(session, lock);
        if (stopped) core.info(`${name}: stopped the remote command the main step left running.`);
      } finally {
        session.close();
      }
      core.info(`${name}: released the deploy lock the main step left behind.`);
    } catch (error) {
      core.warning(
        `${name}: could not release the deploy lock (${(error as Error).message}); it expires with lock-ttl.`,
      );
    }
  }
}
