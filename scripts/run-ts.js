#!/usr/bin/env node
// Runs a TypeScript entry point (a benchmark, the demo) without a build step: esbuild bundles the entry and the
// workspace packages (@slipway/*, which point at their sources) into node_modules/.cache/run-ts, and leaves every
// other package to be required from node_modules as usual. The shell that runs on hosts is read beside the bundle
// (sh/, as in the actions' dist/), so it is copied there.
//   node scripts/run-ts.js bench/index.ts [args...]
const { cpSync, mkdirSync } = require('node:fs');
const { basename, join, resolve } = require('node:path');

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-ts.js <entry.ts> [args...]');
  process.exit(2);
}
const root = join(__dirname, '..');
const outfile = join(root, 'node_modules/.cache/run-ts', `${basename(entry, '.ts')}.cjs`);
mkdirSync(join(outfile, '..'), { recursive: true });

const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@slipway/') ? undefined : { path: args.path, external: true },
    );
  },
};

require('esbuild')
  .build({
    entryPoints: [resolve(entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
    plugins: [externalPackages],
    nodePaths: [join(root, 'node_modules')],
  })
  .then(() => {
    // The remote shell files are read beside the code that runs them (as in the actions' dist/sh).
    cpSync(join(root, 'packages/shared/src/remote/sh'), join(outfile, '../sh'), { recursive: true });
    process.argv.splice(1, 2, outfile);
    require(outfile);
  })
  .catch(() => process.exit(1));
