import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionRun } from './runner-contract';

/**
 * Every place where one of `secrets` shows up after a run: stdout and stderr (not masked: the runner's masking
 * is a last line of defence, not ours), outputs, state, exported env, the job summary, the post step, and every
 * file left in the runner's folders or in `extraDirs` (e.g. a host's project folder). Also looks for each
 * secret in base64, the form credentials take in Docker's config.json.
 */
export function findLeaks(run: ActionRun, secrets: string[], extraDirs: string[] = []): string[] {
  const needles = secrets
    .filter((s) => s.length >= 4)
    .flatMap((s) => [
      { secret: s, form: s },
      { secret: s, form: Buffer.from(s).toString('base64') },
    ]);
  const places: string[] = [];
  const check = (where: string, text: string) => {
    for (const n of needles) {
      if (text.includes(n.form))
        places.push(`${where} contains ${n.form === n.secret ? '' : 'base64 of '}${mask(n.secret)}`);
    }
  };
  check('stdout', run.stdout);
  check('stderr', run.stderr);
  check('outputs', JSON.stringify(run.outputs));
  check('state', JSON.stringify(run.state));
  check('env', JSON.stringify(run.env));
  check('summary', run.summary);
  if (run.post) {
    check('post stdout', run.post.stdout);
    check('post stderr', run.post.stderr);
  }
  for (const dir of [run.dirs.workspace, run.dirs.temp, run.dirs.toolCache, ...extraDirs]) {
    for (const file of filesUnder(dir)) check(file, readFileSync(file, 'latin1'));
  }
  return places;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() && stat.size < 50 * 2 ** 20 ? [path] : [];
  });
}

/** Enough of a secret to say which one leaked, never the whole of it. */
function mask(secret: string): string {
  return `${secret.slice(0, 3)}…(${secret.length} characters)`;
}
