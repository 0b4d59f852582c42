#!/usr/bin/env node
// Runs ecs-local from its TypeScript sources: bundled by esbuild (a root devDependency) into
// node_modules/.cache/ecs-local once, and again whenever a source file is newer than the bundle.
const { existsSync, mkdirSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const pkg = join(__dirname, '..');
const root = join(pkg, '../..');
const bundle = join(root, 'node_modules/.cache/ecs-local/ecs-local.cjs');

function newestSource(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    return Math.max(newest, time);
  }, 0);
}

if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource(join(pkg, 'src'))) {
  mkdirSync(join(bundle, '..'), { recursive: true });
  require('esbuild').buildSync({
    entryPoints: [join(pkg, 'src/cli-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    logLevel: 'error',
  });
}
require(bundle);
