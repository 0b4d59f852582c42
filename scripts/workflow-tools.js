// GitHub's own workflow parser and expression engine, loaded for Node 20.
// @actions/workflow-parser and @actions/expressions are ESM that import a JSON file without the import
// attribute Node 20 demands, so they throw when loaded plainly. Bundled into one CommonJS file by esbuild they
// work; the bundle is made once into node_modules/.cache and rebuilt when the installed versions change.
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const cacheDir = join(root, 'node_modules/.cache/slipway');

function versions() {
  return ['@actions/workflow-parser', '@actions/expressions']
    .map(
      (name) =>
        `${name}@${JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version}`,
    )
    .join(' ');
}

function loadWorkflowTools() {
  const stamp = versions();
  const bundle = join(cacheDir, 'workflow-tools.cjs');
  const stampFile = `${bundle}.version`;
  if (!existsSync(bundle) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    mkdirSync(cacheDir, { recursive: true });
    const entry = join(cacheDir, 'entry.mjs');
    writeFileSync(
      entry,
      [
        "export { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from '@actions/workflow-parser';",
        "export { Lexer, Parser, Evaluator, data } from '@actions/expressions';",
      ].join('\n'),
    );
    require('esbuild').buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: bundle,
      nodePaths: [join(root, 'node_modules')],
      logLevel: 'error',
    });
    writeFileSync(stampFile, stamp);
  }
  return require(bundle);
}

module.exports = { loadWorkflowTools };
