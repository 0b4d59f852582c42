#!/usr/bin/env node
// Checks every action folder against the suite's rules:
// - action.yml has a name, description, branding, `runs.using: node24`, `runs.main: dist/index.js`;
// - every input read in src/ (InputReader calls with a literal name) is declared, and every declared one is read;
//   an input parser of @slipway/shared (`export function name(read: InputReader`) counts as read by every action
//   whose src/ calls it (getFleetInputs: the hosts and SSH inputs of deploy-compose and rollback);
// - every output set in src/ (`setOutput('name'`, or `output('name'` through an action's deps) is declared, and the
//   reverse;
// - defaults (issue 14): action.yml is their one source. An input's stated default is its `default:`, or, without
//   one, the "(default X)" / "Default X." of its description (inputs the runner must not fill in: a renamed
//   input's new name, conditional defaults). A default in code (`default:` passed to the reader) must equal the
//   stated one; a description stating a default must agree with `default:`; a README table's default column
//   (a leading `value`) must agree with the stated default, and may not be empty when action.yml has `default:`;
// - a renamed input (`formerly: 'old'` passed to the reader): the old name stays declared with a
//   deprecationMessage, and the new name has no `default:` (the runner would always give it, so the old name
//   could never be used alone).
// Run it (`node scripts/check-actions.js`) or require it: `check(root)` returns the problems.
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');

const RUNTIME = 'node24';
const METHODS =
  'string|required|secret|boolean|integer|number|duration|list|keyValues|enumeration|json|yaml|url';
const READER = new RegExp(`\\.(?:${METHODS})\\(\\s*'([^']+)'`, 'g');
// A read with its options object: `.duration('name', { default: '2m', ... })` (an enumeration's list between).
const READ_OPTIONS = new RegExp(
  `\\.(?:${METHODS})\\(\\s*'([^']+)'\\s*,\\s*(?:\\[[^\\]]*\\](?:\\s*as const)?\\s*,\\s*)?\\{([^}]*)\\}`,
  'g',
);
const FORMERLY = /\bformerly:\s*'([^']+)'/;
const CODE_DEFAULT = /\bdefault:\s*('([^']*)'|[-\w.]+)/;
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

/** The code of the shared parsers `code` calls, and of those they call in turn. */
function parsersCalledBy(code, sharedParsers) {
  const found = new Set();
  let added = true;
  while (added) {
    added = false;
    const seen = [code, ...found].join('\n');
    for (const parser of sharedParsers) {
      if (!found.has(parser.code) && new RegExp(`\\b${parser.name}\\(`).test(seen)) {
        found.add(parser.code);
        added = true;
      }
    }
  }
  return found;
}

/** The default a person reads in action.yml: `default:`, else the one its description states. */
function describedDefault(description = '') {
  const m =
    /\(default:? ([^),]+)[),]/i.exec(description) ?? /\bDefault:? (\S+?)\.?(?:\s|$)/.exec(description);
  return m?.[1].trim();
}
const statedDefault = (input) =>
  input.default !== undefined ? String(input.default) : describedDefault(input.description);

/** The rows of the README tables whose second column is "default": [names, default cell]. */
function readmeDefaults(text) {
  const rows = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    const cells = line.startsWith('|')
      ? line
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((c) => c.trim())
      : [];
    if (!cells.length) inTable = false;
    else if (cells[1] === 'default') inTable = true;
    else if (inTable && !/^-+$/.test(cells[0])) {
      const names = [...cells[0].matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]);
      rows.push({ names, cell: cells[1] });
    }
  }
  return rows;
}

function checkDefaults(meta, inputCode, readme, say) {
  const inputs = meta.inputs ?? {};
  for (const [name, input] of Object.entries(inputs)) {
    const described = describedDefault(input.description);
    if (input.default !== undefined && described !== undefined && described !== String(input.default))
      say(`input "${name}": its description says default ${described}, its default: is ${input.default}`);
  }
  for (const [, name, options] of inputCode.matchAll(READ_OPTIONS)) {
    const input = inputs[name];
    if (!input) continue;
    const formerly = FORMERLY.exec(options)?.[1];
    if (formerly) {
      if (input.default !== undefined)
        say(
          `input "${name}" is read with formerly: '${formerly}', so it must have no default: in action.yml ` +
            `(the runner would always give it); state it in its description, "(default ${input.default})"`,
        );
      if (!inputs[formerly]?.deprecationMessage)
        say(`input "${formerly}" (the former name of "${name}") must be declared with a deprecationMessage`);
    }
    const code = CODE_DEFAULT.exec(options);
    if (!code) continue;
    const value = code[2] ?? code[1];
    const stated = statedDefault(input);
    if (value === '') continue;
    if (stated === undefined)
      say(
        `input "${name}": the code's default ${value} is not in action.yml (give it default: ${value}, or ` +
          `"(default ${value})" in its description when the runner must not fill it in)`,
      );
    else if (stated !== value)
      say(`input "${name}": the code's default is ${value}, action.yml says ${stated}`);
  }
  for (const { names, cell } of readmeDefaults(readme)) {
    const claimed = /^`([^`]*)`/.exec(cell)?.[1];
    for (const name of names.filter((n) => inputs[n])) {
      const stated = statedDefault(inputs[name]);
      if (claimed !== undefined && claimed !== stated)
        say(`README: input "${name}" shows default ${claimed}, action.yml says ${stated ?? 'none'}`);
      if (cell === '' && inputs[name].default !== undefined)
        say(`README: input "${name}" shows no default, action.yml says ${inputs[name].default}`);
    }
  }
}

/** Every problem of every action under `root`, one line each. */
function check(root) {
  const sharedSrc = join(root, 'packages/shared/src');
  const sharedParsers = (existsSync(sharedSrc) ? sources(sharedSrc) : []).flatMap((code) =>
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
    const readmePath = join(dir, 'README.md');
    if (!existsSync(readmePath)) say('README.md is missing');
    const code = sources(join(dir, 'src')).join('\n');
    const inputCode = [code, ...parsersCalledBy(code, sharedParsers)].join('\n');
    const read = new Set([
      ...[...inputCode.matchAll(READER)].map((m) => m[1]),
      ...[...inputCode.matchAll(new RegExp(FORMERLY, 'g'))].map((m) => m[1]),
    ]);
    const set = new Set([...code.matchAll(OUTPUT)].map((m) => m[1]));
    const declaredInputs = new Set(Object.keys(meta.inputs ?? {}));
    const declaredOutputs = new Set(Object.keys(meta.outputs ?? {}));
    for (const input of read)
      if (!declaredInputs.has(input)) say(`input "${input}" is read in src/ but not declared`);
    for (const input of declaredInputs)
      if (!read.has(input)) say(`input "${input}" is declared but never read`);
    for (const input of declaredInputs) {
      if (!meta.inputs[input]?.description) say(`input "${input}" has no description`);
    }
    for (const output of set)
      if (!declaredOutputs.has(output)) say(`output "${output}" is set in src/ but not declared`);
    for (const output of declaredOutputs)
      if (!set.has(output)) say(`output "${output}" is declared but never set`);
    checkDefaults(meta, inputCode, existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '', say);
  }
  return { actions, problems };
}

module.exports = { check };

if (require.main === module) {
  const { actions, problems } = check(join(__dirname, '..'));
  for (const p of problems) console.error(p);
  console.log(`actions: ${actions.length} checked, ${problems.length} problems`);
  process.exit(problems.length ? 1 : 0);
}
