// scripts/check-actions.js: action.yml is the one source of every input's default (issue 14, item 4). Each rule
// is shown failing on a made-up action folder, and the repository itself passes.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { check } = require('../../scripts/check-actions.js') as {
  check(root: string): { actions: string[]; problems: string[] };
};

const ACTION_YML = (inputs: string) => `name: Demo
description: A demo action.
branding: { icon: activity, color: green }
inputs:
${inputs}
runs:
  using: node24
  main: dist/index.js
`;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-check-actions-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** One action folder, `demo`, with this action.yml inputs block, src/inputs.ts and README. */
function problems(inputs: string, code: string, readme = '# demo\n'): string[] {
  const dir = join(root, 'actions/demo');
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist/index.js'), '');
  writeFileSync(join(dir, 'action.yml'), ACTION_YML(inputs));
  writeFileSync(join(dir, 'src/inputs.ts'), code);
  writeFileSync(join(dir, 'README.md'), readme);
  return check(root).problems;
}

const TIMEOUT = (extra = '') =>
  `  timeout:\n    description: How long one request may take${extra}.\n    required: false\n`;

it('the repository passes', () => {
  expect(check(join(__dirname, '../..')).problems).toEqual([]);
});

it('passes a code default equal to action.yml default:', () => {
  expect(
    problems(`${TIMEOUT()}    default: 10s\n`, "read.duration('timeout', { default: '10s', min: 1 });"),
  ).toEqual([]);
});

it('refuses a code default that differs from action.yml', () => {
  expect(problems(`${TIMEOUT()}    default: 10s\n`, "read.duration('timeout', { default: '30s' });")).toEqual(
    ['actions/demo: input "timeout": the code\'s default is 30s, action.yml says 10s'],
  );
});

it('refuses a code default that action.yml does not state, and takes one stated in the description', () => {
  expect(problems(TIMEOUT(), "read.integer('timeout', { default: 5, min: 1 });")).toEqual([
    'actions/demo: input "timeout": the code\'s default 5 is not in action.yml (give it default: 5, or "(default 5)" in its description when the runner must not fill it in)',
  ]);
  expect(problems(TIMEOUT(' (default 5)'), "read.integer('timeout', { default: 5, min: 1 });")).toEqual([]);
});

it('refuses a description that states another default than default:', () => {
  expect(problems(`${TIMEOUT(' (default 5s)')}    default: 10s\n`, "read.duration('timeout');")).toEqual([
    'actions/demo: input "timeout": its description says default 5s, its default: is 10s',
  ]);
});

it('refuses a README default column that disagrees with action.yml, or is empty when it has default:', () => {
  const table = (cell: string) =>
    `| input | default | meaning |\n| --- | --- | --- |\n| \`timeout\` | ${cell} | x |\n`;
  const yml = `${TIMEOUT()}    default: 10s\n`;
  const code = "read.duration('timeout');";
  expect(problems(yml, code, table('`10s`'))).toEqual([]);
  expect(problems(yml, code, table('`30s`'))).toEqual([
    'actions/demo: README: input "timeout" shows default 30s, action.yml says 10s',
  ]);
  expect(problems(yml, code, table(''))).toEqual([
    'actions/demo: README: input "timeout" shows no default, action.yml says 10s',
  ]);
  expect(problems(TIMEOUT(), code, table('`10s`'))).toEqual([
    'actions/demo: README: input "timeout" shows default 10s, action.yml says none',
  ]);
});

it('a renamed input: the old name counts as read, needs a deprecationMessage, and the new one no default:', () => {
  const old = '  old-timeout:\n    description: Deprecated.\n    required: false\n';
  const code = "read.duration('timeout', { default: '10s', formerly: 'old-timeout' });";
  expect(problems(`${TIMEOUT(' (default 10s)')}${old}    deprecationMessage: Use timeout.\n`, code)).toEqual(
    [],
  );
  expect(problems(`${TIMEOUT()}    default: 10s\n${old}`, code)).toEqual([
    'actions/demo: input "timeout" is read with formerly: \'old-timeout\', so it must have no default: in action.yml (the runner would always give it); state it in its description, "(default 10s)"',
    'actions/demo: input "old-timeout" (the former name of "timeout") must be declared with a deprecationMessage',
  ]);
});
