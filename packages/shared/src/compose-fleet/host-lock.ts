import { randomBytes } from 'node:crypto';
import { UserError } from '../errors';
import { sleep } from '../retry';
import { shellQuote } from '../shell-quote';
import { STOP_GROUP_FUNCTION } from '../ssh/remote-script';
import type { SshSession } from '../ssh/ssh-session';

const LOCK = '.slipway.lock';

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
 *
 * Every removal of a lock directory is atomic: only the run that makes the `takeover` mark inside that very
 * directory may remove it, only after checking its info is still what it expects (the stale info it read, or its
 * own token; a renewed or fresh lock has other info, and tokens are never reused), and it renames the directory
 * away, mark and all, before deleting it. So of the runs that find a lock stale, exactly one takes it over.
 * Info is written whole (temporary file, then rename); a lock without info yet gets a second to have it.
 */
function acquireScript(dir: string, token: string, info: string, ttlSeconds: number): string {
  return String.raw`
mkdir -p ${shellQuote(dir)}
L=${shellQuote(`${dir}/${LOCK}`)}
now=$(date +%s)
write_info() {
  printf '%s\nexpires=%s\n' ${shellQuote(info)} "$((now + ${ttlSeconds}))" > "$L/info.$$"
  mv "$L/info.$$" "$L/info"
}
if mkdir "$L" 2>/dev/null; then write_info; echo acquired; exit 0; fi
stale=$(cat "$L/info" 2>/dev/null || true)
if [ -z "$stale" ]; then sleep 1; stale=$(cat "$L/info" 2>/dev/null || true); fi
expires=$(printf '%s\n' "$stale" | sed -n 's/^expires=//p')
if [ -z "$expires" ]; then expires=0; fi
if [ "$expires" -lt "$now" ] && mkdir "$L/takeover" 2>/dev/null; then
  if [ "$(cat "$L/info" 2>/dev/null || true)" = "$stale" ]; then
    printf '%s\n' "$stale"
    mv "$L" "$L.gone.${token}"
    rm -rf "$L.gone.${token}"
    if mkdir "$L" 2>/dev/null; then write_info; echo taken-over; exit 0; fi
  else
    rmdir "$L/takeover" 2>/dev/null || true
  fi
fi
cat "$L/info" 2>/dev/null || true
echo held
`;
}

/**
 * The start of every script of a deploy phase: checks that the lock is still ours (else the phase stops with
 * exit code 75 before touching anything) and moves its expiry to `seconds` from now, so a deploy longer than
 * lock-ttl keeps its lock. It records the phase's process group (`pgid`), which releasing the lock stops.
 */
export function renewLockScript(lock: LockHandle, seconds: number): string {
  return `
slipway_lock=${shellQuote(`${lock.dir}/${LOCK}`)}
if ! grep -qx ${shellQuote(`token=${lock.token}`)} "$slipway_lock/info" 2>/dev/null; then
  echo ${shellQuote(`the deploy lock of ${lock.dir} is no longer held by this run: another run took it over after its lock-ttl ran out while this run was stalled. Stopping before changing anything else; check what the other run deployed, and raise lock-ttl if steps here can stall that long`)} >&2
  exit 75
fi
sed "s/^expires=.*/expires=$(( $(date +%s) + ${seconds} ))/" "$slipway_lock/info" > "$slipway_lock/info.$$"
mv "$slipway_lock/info.$$" "$slipway_lock/info"
echo "$$" > "$slipway_lock/pgid"
`;
}

export async function acquireLock(session: SshSession, options: LockOptions): Promise<LockHandle> {
  const token = randomBytes(12).toString('hex');
  const ttl = Math.ceil(options.ttlMs / 1000);
  const info = `owner=${options.owner}\nrun=${options.runUrl}\ntoken=${token}`;
  const script = acquireScript(options.dir, token, info, ttl);
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

/**
 * Releases the lock if we still hold it (a taken-over lock belongs to someone else now). A deploy phase still
 * running under it (the run was cancelled, or its connection lost) is stopped first, so nothing changes the
 * project once the lock is free. Returns whether such a phase was stopped.
 */
export async function releaseLock(session: SshSession, lock: LockHandle): Promise<boolean> {
  const { stdout } = await session.exec(
    `${STOP_GROUP_FUNCTION}
L=${shellQuote(`${lock.dir}/${LOCK}`)}
if mkdir "$L/takeover" 2>/dev/null; then
  if grep -qx ${shellQuote(`token=${lock.token}`)} "$L/info" 2>/dev/null; then
    stop_group "$(cat "$L/pgid" 2>/dev/null || true)"
    mv "$L" "$L.gone.${lock.token}"
    rm -rf "$L.gone.${lock.token}"
  else
    rmdir "$L/takeover"
  fi
fi
`,
    { label: 'releasing the deploy lock' },
  );
  return stdout.includes('stopping process group');
}
