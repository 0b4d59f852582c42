import { randomBytes } from 'node:crypto';
import { UserError } from '../errors';
import { sleep } from '../retry';
import { shellQuote } from '../shell-quote';
import type { SshSession } from '../ssh/ssh-session';

/** Who holds a project's lock on a host; the token lets only the holder release it. */
export interface LockHandle {
  token: string;
  dir: string;
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
 * One lock per project and host: a directory made with `mkdir` (atomic on every filesystem), holding who took
 * it, from which run, and until when. A lock past its time is stale: it is taken over with a warning, so a run
 * that died without its post step never blocks the next deploy for longer than the TTL.
 */
function acquireScript(dir: string, info: string, ttlSeconds: number): string {
  return String.raw`
mkdir -p ${shellQuote(dir)}
L=${shellQuote(`${dir}/.slipway.lock`)}
now=$(date +%s)
write_info() { printf '%s\nexpires=%s\n' ${shellQuote(info)} "$((now + ${ttlSeconds}))" > "$L/info"; }
if mkdir "$L" 2>/dev/null; then write_info; echo acquired; exit 0; fi
expires=$(sed -n 's/^expires=//p' "$L/info" 2>/dev/null || true)
if [ -z "$expires" ]; then expires=0; fi
if [ "$expires" -lt "$now" ]; then
  cat "$L/info" 2>/dev/null || true
  rm -rf "$L"
  if mkdir "$L" 2>/dev/null; then write_info; echo taken-over; exit 0; fi
fi
cat "$L/info" 2>/dev/null || true
echo held
`;
}

export async function acquireLock(session: SshSession, options: LockOptions): Promise<LockHandle> {
  const token = randomBytes(12).toString('hex');
  const ttl = Math.ceil(options.ttlMs / 1000);
  const info = `owner=${options.owner}\nrun=${options.runUrl}\ntoken=${token}`;
  const script = acquireScript(options.dir, info, ttl);
  const started = Date.now();
  for (let announced = false; ; ) {
    const { stdout } = await session.exec(script, { label: 'taking the deploy lock' });
    const lines = stdout.trim().split('\n');
    const state = lines.at(-1);
    const holder = lines.filter((l) => /^(owner|run)=/.test(l)).join(', ');
    if (state === 'acquired') return { token, dir: options.dir };
    if (state === 'taken-over') {
      options.warn(
        `${session.name}: took over a stale deploy lock (${holder || 'no owner recorded'}); its TTL had passed.`,
      );
      return { token, dir: options.dir };
    }
    if (Date.now() - started >= options.waitMs) {
      throw new UserError(
        `The deploy lock of ${options.dir} is held by another deploy (${holder}). Waited ${Math.round(options.waitMs / 1000)}s (lock-wait). Let that run finish, or remove ${options.dir}/.slipway.lock on the host if it is dead.`,
      );
    }
    if (!announced) options.log(`${session.name}: waiting for the deploy lock held by ${holder}.`);
    announced = true;
    await sleep(options.pollMs ?? 2000);
  }
}

/** Releases the lock if we still hold it (a taken-over lock belongs to someone else now). */
export async function releaseLock(session: SshSession, lock: LockHandle): Promise<void> {
  const L = shellQuote(`${lock.dir}/.slipway.lock`);
  await session.exec(
    `if grep -qx ${shellQuote(`token=${lock.token}`)} ${L}/info 2>/dev/null; then rm -rf ${L}; fi`,
    {
      label: 'releasing the deploy lock',
    },
  );
}
