import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A host with no Docker: a temp home, and `docker` / `docker-compose` on PATH that record each call and answer
 * from a table. The scripts run as an SSH exec channel runs them (`<shell> -c <command>`), under dash or bash.
 */

/** One answer: the first rule whose `args` (exact, or a RegExp) matches a call answers it; `once` rules are used up. */
export interface Rule {
  bin?: 'docker' | 'docker-compose' | 'curl';
  args: string | RegExp;
  stdout?: string;
  code?: number;
  once?: boolean;
  /** Seconds to take before answering (a hanging pull). */
  sleep?: number;
  /** `docker login`: writes credentials into $DOCKER_CONFIG as the real one does. */
  login?: boolean;
}

const FAKE = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.FAKE_HOST;
const bin = process.argv[2];
const args = fs.readFileSync(process.argv[3], 'utf8').split('\0').slice(0, -1).join(' ');
fs.rmSync(process.argv[3]);
// docker exec -i feeds the container a command on standard input (HAProxy's runtime API): recorded after <<<.
const input = args.startsWith('exec -i ') ? ' <<< ' + fs.readFileSync(0, 'utf8').trim() : '';
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ bin, args: args + input }) + '\n');
const table = JSON.parse(fs.readFileSync(path.join(dir, 'table.json'), 'utf8'));
const used = fs.existsSync(path.join(dir, 'used.json')) ? JSON.parse(fs.readFileSync(path.join(dir, 'used.json'), 'utf8')) : [];
const index = table.findIndex((rule, i) => (rule.bin ?? 'docker') === bin && !used.includes(i) &&
  (rule.regex ? new RegExp(rule.regex).test(args) : rule.args === args));
const rule = index >= 0 ? table[index] : { code: 0, stdout: '' };
if (rule.once) fs.writeFileSync(path.join(dir, 'used.json'), JSON.stringify([...used, index]));
if (rule.login) {
  fs.mkdirSync(process.env.DOCKER_CONFIG, { recursive: true });
  fs.writeFileSync(path.join(process.env.DOCKER_CONFIG, 'config.json'), JSON.stringify({ auths: { r: { auth: fs.readFileSync(0, 'utf8') } } }));
}
setTimeout(() => {
  process.stdout.write(rule.stdout ?? '');
  process.exitCode = rule.code ?? 0;
}, (rule.sleep ?? 0) * 1000);
`;

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Each call, `docker ps -q ...`, with the temp home written as `~`. */
  calls: string[];
}

export interface FakeHost {
  home: string;
  /** The host's temp folder (TMPDIR): what a script leaves behind is found here. */
  tmp: string;
  answer(rules: Rule[]): void;
  /** Starts a command as sshd would; `stdin` is sent and closed. */
  start(shell: 'dash' | 'bash', command: string, stdin?: string): RunningScript;
  run(shell: 'dash' | 'bash', command: string, stdin?: string): Promise<ScriptRun>;
  calls(): string[];
  remove(): void;
}

export interface RunningScript {
  pid: number;
  done: Promise<ScriptRun>;
  /** The connection drops: sshd's side of the channel closes and the session's shell gets SIGHUP. */
  hangUp(): void;
}

export interface FakeHostOptions {
  compose: 'v1' | 'v2';
  /** Programs the host lacks (e.g. curl, to run a script's busybox-wget path): PATH then holds links to the rest. */
  hide?: string[];
  /** Programs put on PATH as links (e.g. wget: /usr/bin/busybox, the busybox applet). */
  links?: Record<string, string>;
  /** A fake curl that answers from the table too (bin: 'curl'). */
  curl?: boolean;
}

const SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];

/** A folder of links to the system's programs, without the hidden ones. */
function systemWithout(dir: string, hide: string[]): string {
  mkdirSync(dir);
  for (const from of SYSTEM_PATH.filter(existsSync)) {
    for (const name of readdirSync(from)) {
      if (hide.includes(name) || existsSync(join(dir, name))) continue;
      symlinkSync(join(from, name), join(dir, name));
    }
  }
  return dir;
}

export function fakeHost(options: FakeHostOptions = { compose: 'v2' }): FakeHost {
  const root = mkdtempSync(join(tmpdir(), 'slipway-fake-host-'));
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  const bin = join(root, 'bin');
  for (const dir of [home, tmp, bin]) mkdirSync(dir);
  for (const [name, target] of Object.entries(options.links ?? {})) symlinkSync(target, join(bin, name));
  const system = options.hide?.length
    ? systemWithout(join(root, 'system'), options.hide)
    : SYSTEM_PATH.join(':');
  const names = [
    'docker',
    ...(options.compose === 'v1' ? ['docker-compose'] : []),
    ...(options.curl ? ['curl'] : []),
  ];
  // A shell front: Node 20 reads `--env-file` anywhere on its command line, even after the script's name.
  writeFileSync(join(root, 'fake.js'), FAKE);
  for (const name of names) {
    const front = `#!/bin/sh\nargs=$(mktemp "$FAKE_HOST/args.XXXXXX")\nprintf '%s\\0' "$@" > "$args"\nexec ${process.execPath} "$FAKE_HOST/fake.js" ${name} "$args"\n`;
    writeFileSync(join(bin, name), front);
    chmodSync(join(bin, name), 0o755);
  }
  // Compose v2 is `docker compose`; a v1 host's docker has no such command.
  const base: Rule[] = [{ args: 'compose version', code: options.compose === 'v2' ? 0 : 1 }];
  const answer = (rules: Rule[]) => {
    const table = [...rules, ...base].map((r) => ({
      ...r,
      args: typeof r.args === 'string' ? r.args : undefined,
      regex: r.args instanceof RegExp ? r.args.source : undefined,
    }));
    writeFileSync(join(root, 'table.json'), JSON.stringify(table));
    rmSync(join(root, 'used.json'), { force: true });
    writeFileSync(join(root, 'calls.jsonl'), '');
  };
  answer([]);
  const calls = () =>
    readFileSync(join(root, 'calls.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { bin: string; args: string })
      .map((c) => `${c.bin} ${c.args}`.split(home).join('~'));
  const start = (shell: 'dash' | 'bash', command: string, stdin = ''): RunningScript => {
    const child = spawn(shell, ['-c', command], {
      cwd: home,
      env: {
        PATH: `${bin}:${system}`,
        HOME: home,
        TMPDIR: tmp,
        FAKE_HOST: root,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
    const done = new Promise<ScriptRun>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr, calls: calls() })),
    );
    return {
      pid: child.pid ?? 0,
      done,
      hangUp() {
        child.stdout.destroy();
        child.stderr.destroy();
        child.kill('SIGHUP');
      },
    };
  };
  return {
    home,
    tmp,
    answer,
    start,
    run: (shell, command, stdin) => start(shell, command, stdin).done,
    calls,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** reload_proxy's listing of the Nginx workers that accept connections in container `id` (lib.sh nginx_workers), as recorded. */
export const nginxWorkers = (id: string) =>
  `docker exec ${id} sh -c cd /proc && for p in [0-9]*; do if [ "$(tr -d "\\000" < "$p/cmdline" 2>/dev/null)" = "nginx: worker process" ]; then echo "$p"; fi; done`;

/** Files left in a folder, recursively (relative paths). */
export function leftIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** The container ids queued for the stop after the verdict in a project folder (.slipway-retire, queue_retire). */
export function queuedIn(dir: string): string[] {
  const queue = join(dir, '.slipway-retire');
  if (!existsSync(queue)) return [];
  return readdirSync(queue)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => readFileSync(join(queue, name), 'utf8').split('\n').filter(Boolean))
    .sort();
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
