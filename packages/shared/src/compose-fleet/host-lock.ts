import { randomBytes } from 'node:crypto';
import { UserError } from '../errors';
import { historyValues } from '../host-history';
import { hostScript, shellFile } from '../remote/host-script';
import { sleep } from '../retry';
import type { SshSession } from '../ssh/ssh-session';

/** Who holds a project's lock on a host; the token lets only the holder release it. */
export interface LockHandle {
  token: string;
  dir: string;
}

/**
 * The holder the keep-previous timer writes when it takes a project's lock on its host (bg-timer.sh): it stops the
 * previous blue-green colour under the same lock a deploy takes, for a few seconds.
 */
export const KEEP_PREVIOUS_TIMER = 'keep-previous-timer';

/**
 * The holder a deploy's lock is handed to when it is released with old containers still to stop (lock-release.sh
 * starts retire.sh): it holds the lock until their drain and stop grace period are over.
 */
export const OLD_CONTAINERS_STOP = 'old-containers-stop';

/** A lock's holder as its info lines name it (owner=, run=). */
const listedHolder = (lines: readonly string[]) => lines.filter((l) => /^(owner|run)=/.test(l)).join(', ');

/** Who holds a lock, for the messages of a run that waits for it. */
function holderOf(lines: readonly string[]): string {
  if (lines.includes(`owner=${KEEP_PREVIOUS_TIMER}`))
    return 'the keep-previous timer, which is stopping the previous blue-green colour (it holds it for seconds)';
  if (lines.includes(`owner=${OLD_CONTAINERS_STOP}`))
    return `the stop of the old containers of the deploy before (${lines.filter((l) => l.startsWith('run=')).join('')}), which holds it until they drained and stopped`;
  return `another deploy (${listedHolder(lines)})`;
}

export interface LockOptions {
  dir: string;
  owner: string;
  runUrl: string;
  ttlMs: number;
  /** How long to wait for a lock someone else holds before failing. */
  waitMs: number;
  pollMs?: number;
  warn: (message: string) => void;
  log: (message: string) => void;
}

/**
 * The lock's own values for a deploy phase's script (lock-renew.sh): checks the lock is still ours and renews it
 * until `seconds` from now, else the phase stops with exit code 75 before touching anything.
 */
export function renewLockValues(lock: LockHandle, seconds: number) {
  return { LOCK_PARENT: lock.dir, LOCK_TOKEN: lock.token, LOCK_SECONDS: seconds };
}

/** What lock-acquire.sh prints between its lock lines and the history, when it took the lock. */
const HISTORY_MARK = '\n--- history\n';

/**
 * One lock per project and host (lock-acquire.sh): a directory made with `mkdir`, holding who took it, from which
 * run, and until when. A lock past its time is stale: it is taken over with a warning, so a run that died without
 * its post step never blocks the next deploy for longer than the TTL. The project's release history is read under
 * the lock in the same command (history-read.sh after lock-acquire.sh): a deploy's first two steps in one round
 * trip. It comes back as history-read.sh's text, for parseHistory, which the caller runs once it keeps the lock (a
 * history it cannot read still leaves a lock to release).
 */
export async function acquireLock(
  session: SshSession,
  options: LockOptions,
): Promise<{ lock: LockHandle; historyText: string }> {
  const token = randomBytes(12).toString('hex');
  const ttl = Math.ceil(options.ttlMs / 1000);
  const info = `owner=${options.owner}\nrun=${options.runUrl}\ntoken=${token}`;
  const script = hostScript(
    {
      LOCK_PARENT: options.dir,
      LOCK_TOKEN: token,
      LOCK_INFO: info,
      LOCK_TTL: ttl,
      ...historyValues(options.dir),
    },
    'lock-acquire',
    'history-read',
  );
  const started = Date.now();
  for (let announced = false; ; ) {
    const { stdout } = await session.exec(script, { label: 'taking the deploy lock' });
    const mark = stdout.indexOf(HISTORY_MARK);
    const historyText = mark < 0 ? '' : stdout.slice(mark + HISTORY_MARK.length);
    const lines = (mark < 0 ? stdout : stdout.slice(0, mark)).trim().split('\n');
    const state = lines.at(-1);
    // The end of the deploy before (bounded: its lock expires when the stop must be over) is waited for whatever
    // lock-wait says, and looked at more often: it ends within seconds.
    const stopping = lines.includes(`owner=${OLD_CONTAINERS_STOP}`);
    if (state === 'acquired') return { lock: { token, dir: options.dir }, historyText };
    if (state === 'taken-over') {
      options.warn(
        `${session.name}: took over a stale deploy lock (${listedHolder(lines) || 'no owner recorded'}); its TTL had passed.`,
      );
      return { lock: { token, dir: options.dir }, historyText };
    }
    if (!stopping && Date.now() - started >= options.waitMs) {
      throw new UserError(
        `The deploy lock of ${options.dir} is held by ${holderOf(lines)}. Waited ${Math.round(options.waitMs / 1000)}s (lock-wait). Let that run finish, or remove ${options.dir}/.slipway.lock on the host if it is dead.`,
      );
    }
    if (!announced) options.log(`${session.name}: waiting for the deploy lock held by ${holderOf(lines)}.`);
    announced = true;
    await sleep(stopping ? Math.min(500, options.pollMs ?? 500) : (options.pollMs ?? 2000));
  }
}

/** lock-release.sh with the functions it calls (stop_group, detached_started). */
export const LOCK_RELEASE_FILES = ['stop-group', 'detach', 'lock-release'] as const;

/** The text of lock-release.sh and what it needs, for a script that releases the lock itself (LOCK_RELEASE). */
export function lockReleaseScript(): string {
  return LOCK_RELEASE_FILES.map(shellFile).join('\n');
}

/** What the holder the lock is handed to runs, detached (retire.sh), releasing the lock at its end. */
function retireScript(): string {
  return hostScript({ LOCK_RELEASE: lockReleaseScript() }, 'lib', 'retire');
}

/**
 * Releases the lock if we still hold it (a taken-over lock belongs to someone else now). A deploy phase still
 * running under it (the run was cancelled, or its connection lost) is stopped first, so nothing changes the
 * project once the lock is free. Old containers a roll queued for the stop after the verdict keep it held: it is
 * handed to that stop (OLD_CONTAINERS_STOP), which runs detached on the host and releases it once they stopped.
 * Returns whether a phase was stopped.
 */
export async function releaseLock(session: SshSession, lock: LockHandle): Promise<boolean> {
  const { stdout } = await session.exec(
    hostScript(
      { LOCK_PARENT: lock.dir, LOCK_TOKEN: lock.token, RETIRE_SCRIPT: retireScript() },
      ...LOCK_RELEASE_FILES,
    ),
    { label: 'releasing the deploy lock' },
  );
  return stdout.includes('stopping process group');
}
