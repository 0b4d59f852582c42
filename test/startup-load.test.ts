import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '@slipway/testing';
import { build } from 'esbuild';

// What each action loads before its first input error. The entry reads and checks every input with only the input
// parser and the error boundary loaded; the engine (AWS SDK, ssh2, octokit, undici, and @actions/core's index,
// which loads @actions/http-client and undici) and the parsers only some inputs need (yaml, ssh2's key parser)
// follow through `await import()`, in chunks of their own (README, Decisions). The time it saves is measured in
// the bench (section 1); this test keeps the entry from growing back, without a build or a clock: each entry's
// static imports are bundled from source as the actions are (workspace packages inside, the rest left to
// node_modules, its dynamic imports left out), run with no inputs, and the package files it loaded are read from
// require.cache; and bundled with the packages inside, it must carry no package code but core's command writers.

/** The parts of @actions/core the start-up path uses instead of core's index (runner-commands.ts). */
const ALLOWED = ['@actions/core/lib/file-command.js', '@actions/core/lib/utils.js'];
/** What of them runs: the file-command writer (it loads node:crypto) only for a multi-line state value. */
const RUN = ['@actions/core/lib/utils.js'];
/**
 * Node's own modules that cost start-up time and that no input check needs; net is what process.stdout on a pipe
 * loads (the start-up path writes to the descriptor).
 */
const HEAVY_BUILTINS = ['crypto', 'net', 'http', 'https', 'tls', 'zlib', 'child_process'];

const actions = readdirSync(join(repoRoot, 'actions')).sort();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-startup-load-'));
  writeFileSync(
    join(dir, 'probe.cjs'),
    "process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList })));\n",
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(action: string): Promise<string> {
  const outfile = join(dir, `${action}.cjs`);
  await build({
    entryPoints: [join(repoRoot, 'actions', action, 'src/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
    plugins: [
      {
        name: 'external-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@slipway/') ? undefined : { path: args.path, external: true },
          );
          // What the entry loads after the inputs (`await import('./main')`) is left out: not reached here.
          b.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
          );
        },
      },
    ],
    nodePaths: [join(repoRoot, 'node_modules')],
  });
  return outfile;
}

/** The package files whose code the entry carries: bundled with the packages inside, tree-shaken, `import()`s out. */
async function entryPackageFiles(action: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [join(repoRoot, 'actions', action, 'src/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'error',
    loader: { '.node': 'empty' },
    plugins: [
      {
        name: 'dynamic-imports-out',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
          );
        },
      },
    ],
    nodePaths: [join(repoRoot, 'node_modules')],
  });
  const [output] = Object.values(metafile.outputs);
  return Object.entries(output.inputs)
    .filter(([file, input]) => file.includes('node_modules/') && input.bytesInOutput > 0)
    .map(([file]) => file.replace(/^.*node_modules\//, ''))
    .sort();
}

// The entry's code is compiled at start-up whether it runs or not: a package `require()`d inside a function (yaml
// once was, ~250 KB) costs as much as one imported at the top.
test.each(actions)("%s carries no package code in its entry but core's command utilities", async (action) => {
  expect(await entryPackageFiles(action)).toEqual(ALLOWED);
});

test.each(actions)('%s reads its inputs before it loads any engine', async (action) => {
  const entry = await bundle(action);
  const probeOut = join(dir, `${action}.json`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    NODE_PATH: join(repoRoot, 'node_modules'),
    PROBE_OUT: probeOut,
  };
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV']) {
    env[name] = join(dir, `${action}-${name}`);
    writeFileSync(env[name], '');
  }
  const run = spawnSync(process.execPath, ['-r', join(dir, 'probe.cjs'), entry], {
    env,
    encoding: 'utf8',
    cwd: dir,
  });
  expect({ stdout: run.stdout, stderr: run.stderr }).toMatchObject({
    stdout: expect.stringMatching(/::error::Input "[^"]+"/),
  });
  expect(run.status).toBe(1);
  const probe = JSON.parse(readFileSync(probeOut, 'utf8')) as { files: string[]; builtins: string[] };
  const loaded = probe.files
    .filter((file) => file.includes('/node_modules/'))
    .map((file) => relative(join(repoRoot, 'node_modules'), file))
    .sort();
  expect(loaded).toEqual(RUN);
  const builtins = probe.builtins.map((name) => name.replace(/^NativeModule /, ''));
  expect(HEAVY_BUILTINS.filter((name) => builtins.includes(name))).toEqual([]);
});
