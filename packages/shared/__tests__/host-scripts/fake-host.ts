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
import { type AddressInfo, createServer, type Server } from 'node:net';
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

interface TableRule extends Omit<Rule, 'args'> {
  args?: string;
  regex?: RegExp;
}

/**
 * The fake programs answer from this process: each is a bash front (a few milliseconds, where a Node process per
 * call took ~50 ms) that sends its name, $DOCKER_CONFIG, the file holding its standard input (`docker exec -i`, a
 * `--password-stdin` login) and its arguments over TCP, NUL-separated after their count, and prints what comes back:
 * the exit code on the first line, then standard output.
 */
const FRONT = [
  '#!/bin/bash',
  'exec 3<>"/dev/tcp/127.0.0.1/$FAKE_PORT" || exit 97',
  'input=',
  'if [ "$1 $2" = "exec -i" ] || [[ " $* " == *" --password-stdin "* ]]; then',
  '  input=$(mktemp "$FAKE_HOST/stdin.XXXXXX")',
  '  cat > "$input"',
  'fi',
  `printf '%s\\0' "$#" "$FAKE_NAME" "\${DOCKER_CONFIG-}" "$input" "$@" >&3`,
  'IFS= read -r code <&3',
  'cat <&3',
  'exit "${code:-98}"',
  '',
].join('\n');

interface Call {
  bin: string;
  args: string;
}

/** Answers the fronts' calls from the table; records each call. */
function fakeServer(table: () => TableRule[], used: Set<number>, record: (call: Call) => void): Server {
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const fields = buffer.toString('utf8').split('\0');
      const count = Number(fields[0]);
      if (fields.length < count + 5) return; // each field ends with a NUL: the last piece is empty once all came
      socket.removeAllListeners('data');
      const [, bin, dockerConfig, inputFile, ...rest] = fields;
      const args = rest.slice(0, count).join(' ');
      const input = inputFile ? readFileSync(inputFile, 'utf8') : '';
      if (inputFile) rmSync(inputFile, { force: true });
      // docker exec -i feeds the container a command on standard input (HAProxy's runtime API): recorded after <<<.
      record({ bin, args: args.startsWith('exec -i ') ? `${args} <<< ${input.trim()}` : args });
      const rules = table();
      const index = rules.findIndex(
        (rule, i) =>
          (rule.bin ?? 'docker') === bin &&
          !used.has(i) &&
          (rule.regex ? rule.regex.test(args) : rule.args === args),
      );
      const rule: TableRule = index >= 0 ? rules[index] : { code: 0, stdout: '' };
      if (rule.once) used.add(index);
      if (rule.login) {
        mkdirSync(dockerConfig, { recursive: true });
        writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { r: { auth: input } } }));
      }
      const reply = () => {
        if (!socket.destroyed) socket.end(`${rule.code ?? 0}\n${rule.stdout ?? ''}`);
      };
      if (rule.sleep) setTimeout(reply, rule.sleep * 1000).unref();
      else reply();
    });
  });
  // without a host, listen binds at once (no lookup), so the port is known before the first script starts
  server.listen(0);
  server.unref();
  return server;
}

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
  /** Puts an executable `name` (a script's text) first on PATH: a host whose program behaves differently. */
  program(name: string, text: string): void;
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
  let table: TableRule[] = [];
  const used = new Set<number>();
  let recorded: Call[] = [];
  const server = fakeServer(
    () => table,
    used,
    (call) => recorded.push(call),
  );
  const port = (server.address() as AddressInfo).port;
  for (const name of names) {
    writeFileSync(join(bin, name), FRONT.replace('\n', `\nFAKE_NAME=${name}\n`));
    chmodSync(join(bin, name), 0o755);
  }
  // Compose v2 is `docker compose`; a v1 host's docker has no such command.
  const base: Rule[] = [{ args: 'compose version', code: options.compose === 'v2' ? 0 : 1 }];
  const answer = (rules: Rule[]) => {
    table = [...rules, ...base].map((r) => ({
      ...r,
      args: typeof r.args === 'string' ? r.args : undefined,
      regex: r.args instanceof RegExp ? r.args : undefined,
    }));
    used.clear();
    recorded = [];
  };
  answer([]);
  const calls = () => recorded.map((c) => `${c.bin} ${c.args}`.split(home).join('~'));
  const start = (shell: 'dash' | 'bash', command: string, stdin = ''): RunningScript => {
    const child = spawn(shell, ['-c', command], {
      cwd: home,
      env: {
        PATH: `${bin}:${system}`,
        HOME: home,
        TMPDIR: tmp,
        FAKE_HOST: root,
        FAKE_PORT: String(port),
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
    program: (name, text) => {
      writeFileSync(join(bin, name), text);
      chmodSync(join(bin, name), 0o755);
    },
    remove: () => {
      server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** reload_proxy's listing of the Nginx workers that accept connections in container `id` (lib.sh nginx_workers), as recorded. */
export const nginxWorkers = (id: string) =>
  `docker exec ${id} sh -c cd /proc && for p in [0-9]*; do if [ "$(tr -d "\\000" < "$p/cmdline" 2>/dev/null)" = "nginx: worker process" ]; then echo "$p"; fi; done`;

/** A host of its own for one test (a variant of the shared one): `use` gets it, and it is removed however `use` ends. */
export async function withFakeHost<T>(
  options: FakeHostOptions,
  use: (host: FakeHost) => Promise<T>,
): Promise<T> {
  const host = fakeHost(options);
  try {
    return await use(host);
  } finally {
    host.remove();
  }
}

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
