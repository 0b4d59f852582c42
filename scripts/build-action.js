#!/usr/bin/env node
// Builds one action's bundle the way every action is built: `npm run build` in an action folder runs this.
// - ncc, ES2022, transpile only (tsc checks types once for the whole repo), licenses beside the bundle;
// - ssh2's native parts stay out (its optional cpu-features addon and its sshcrypto addon, built for this
//   machine's Node, would not load on the runner's): ssh2 falls back to its pure-JS crypto;
// - assets ncc copied but the bundle never names (a package's files met while resolving something that
//   tree-shaking then dropped) are removed, so dist/ holds only what runs (the entry, the chunks of its dynamic
//   imports, and the assets they name);
// - the shell files that run on hosts (packages/shared/src/remote/sh) go to dist/sh when the bundle reads them,
//   so the bundle runs exactly what shellcheck and the script tests checked, and a user can read it there.
const { execFileSync } = require('node:child_process');
const { cpSync, readdirSync, readFileSync, rmSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const action = process.cwd();
const dist = join(action, 'dist');
const ncc = require.resolve('@vercel/ncc/dist/ncc/cli.js');
rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    ncc,
    'build',
    'src/index.ts',
    '-o',
    'dist',
    '--target',
    'es2022',
    '--license',
    'licenses.txt',
    '--no-source-map-register',
    '--transpile-only',
    '--quiet',
    '-e',
    'cpu-features',
    '-e',
    './crypto/build/Release/sshcrypto.node',
  ],
  { cwd: action, stdio: 'inherit' },
);

// Chunks of dynamic `import()`s are named `<id>.index.js` by the bundle's runtime (never literally): kept.
const CHUNK = /^\d+\.index\.js$/;
const bundle = readdirSync(dist)
  .filter((name) => name === 'index.js' || CHUNK.test(name))
  .map((name) => readFileSync(join(dist, name), 'utf8'))
  .join('\n');
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
for (const file of files(dist)) {
  const name = relative(dist, file);
  if (name === 'index.js' || name === 'licenses.txt' || CHUNK.test(name)) continue;
  if (!bundle.includes(name.split('/').pop())) rmSync(file);
}
for (const name of readdirSync(dist)) {
  const path = join(dist, name);
  if (statSync(path).isDirectory() && files(path).length === 0) rmSync(path, { recursive: true });
}

const SHELL_FILES = join(__dirname, '..', 'packages', 'shared', 'src', 'remote', 'sh');
if (bundle.includes("(__dirname, 'sh', `${name}.sh`)")) {
  cpSync(SHELL_FILES, join(dist, 'sh'), { recursive: true });
}
