#!/usr/bin/env node
// Checks every action folder against the suite's rules:
// - action.yml has a name, description, branding, `runs.using: node24`, `runs.main: dist/index.js`;
// - every input read in src/ (InputReader calls with a literal name) is declared, and every declared one is read;
//   an input parser of @slipway/shared (`export function name(read: InputReader`) counts as read by every action
//   whose src/ calls it (getFleetInputs: the hosts and SSH inputs of deploy-compose and rollback);
// - every output set in src/ (`setOutput('name'`, or `output('name'` through an action's deps) is declared, and the
//   reverse.
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');

const RUNTIME = 'node24';
const root = join(__dirname, '..');
const READER =
  /\.(?:string|required|secret|boolean|integer|number|duration|list|keyValues|enumeration|json|yaml|url)\(\s*'([^']+)'/g;
const OUTPUT = /\b(?:setOutput|output)\(\s*'([^']+)'/g;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [readFileSync(join(dir, e.name), 'utf8')]
        : [],
  );
}

// The shared input parsers: the names of the functions that take an InputReader, and the inputs they read.
const SHARED_PARSER = /export function (\w+)\(\s*read: InputReader/g;
const sharedParsers = sources(join(root, 'packages/shared/src')).flatMap((code) =>
  [...code.matchAll(SHARED_PARSER)].map((m) => ({ name: m[1], code })),
);

const problems = [];
const actions = readdirSync(join(root, 'actions')).filter((a) =>
  existsSync(join(root, 'actions', a, 'action.yml')),
);
for (const name of actions) {
  const dir = join(root, 'actions', name);
  const meta = parse(readFileSync(join(dir, 'action.yml'), 'utf8'));
  const say = (msg) => problems.push(`actions/${name}: ${msg}`);
  if (!meta.name) say('action.yml has no name');
  if (!meta.description) say('action.yml has no description');
  if (!meta.branding?.icon || !meta.branding?.color) say('action.yml has no branding icon and color');
  if (meta.runs?.using !== RUNTIME) say(`runs.using is ${meta.runs?.using}, every action uses ${RUNTIME}`);
  if (meta.runs?.main !== 'dist/index.js') say('runs.main must be dist/index.js');
  if (meta.runs?.post && meta.runs.post !== 'dist/index.js')
    say('runs.post must be dist/index.js (one bundle)');
  if (!existsSync(join(dir, 'dist/index.js'))) say('dist/index.js is missing: run npm run build');
  if (!existsSync(join(dir, 'README.md'))) say('README.md is missing');
  const code = sources(join(dir, 'src')).join('\n');
  const parsers = sharedParsers.filter((p) => new RegExp(`\\b${p.name}\\(`).test(code)).map((p) => p.code);
  const inputCode = [code, ...new Set(parsers)].join('\n');
  const used = (re) => new Set([...(re === READER ? inputCode : code).matchAll(re)].map((m) => m[1]));
  const declaredInputs = new Set(Object.keys(meta.inputs ?? {}));
  const declaredOutputs = new Set(Object.keys(meta.outputs ?? {}));
  for (const input of used(READER))
    if (!declaredInputs.has(input)) say(`input "${input}" is read in src/ but not declared`);
  for (const input of declaredInputs)
    if (!used(READER).has(input)) say(`input "${input}" is declared but never read`);
  for (const input of declaredInputs) {
    if (!meta.inputs[input]?.description) say(`input "${input}" has no description`);
  }
  for (const output of used(OUTPUT))
    if (!declaredOutputs.has(output)) say(`output "${output}" is set in src/ but not declared`);
  for (const output of declaredOutputs)
    if (!used(OUTPUT).has(output)) say(`output "${output}" is declared but never set`);
}
for (const p of problems) console.error(p);
console.log(`actions: ${actions.length} checked, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
