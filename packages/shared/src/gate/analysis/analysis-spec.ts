import { existsSync, lstatSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../../errors';
import type { InputReader } from '../../inputs';
import { yamlParser } from '../../lazy-parser';
import { registerSecret } from '../../secrets';
import { readWorkspaceText } from '../../workspace-files';
import { type AnalysisConfig, type AnalysisOptions, buildAnalysisConfig } from './analysis-config';

/** An analysis read from an action's inputs: checked, and what to build it again with values known later. */
export interface AnalysisInputs {
  config: AnalysisConfig;
  /** The same analysis with more `{{ name }}` values (rollback's restored release, known once it is planned). */
  withVars(vars: Record<string, string>): AnalysisConfig;
  /** The same analysis over another bake (a canary step's interval), with more `{{ name }}` values. */
  withBake(bakeMs: number, vars?: Record<string, string>): AnalysisConfig;
}

/**
 * The analysis inputs but the bake: `analysis` (YAML, inline or a file of the workspace), `analysis-vars`
 * ("name=value" lines), `prometheus-url`, `prometheus-token`, over `bakeMs` (the action's `bake`, or a canary
 * step's interval given later through `withBake`). See readAnalysisInputs. Undefined without an analysis.
 */
export function readAnalysisSpec(
  read: InputReader,
  options: {
    workspace: string;
    ca?: string;
    version?: string;
    later?: string[];
    since?: number;
    bakeMs?: number;
  },
): AnalysisInputs | undefined {
  const token = read.secret('prometheus-token');
  const address = read.url('prometheus-url', { example: 'https://prometheus.example.com:9090' });
  const text = read.string('analysis');
  const varsText = read.string('analysis-vars');
  if (!text) return undefined;
  const { bakeMs } = options;
  const vars: Record<string, string> = {};
  if (options.version) vars.version = options.version;
  for (const line of (varsText ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z][\w-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      throw new InputError(
        'analysis-vars',
        `Input "analysis-vars" must be "name=value" lines (such as "release=42" or "colour=green"); got ${JSON.stringify(line)}.`,
      );
    }
    vars[match[1]] = match[2];
  }
  const spec = readYamlInput('analysis', text, options.workspace);
  const build = (more: Record<string, string>, bake = bakeMs) => {
    const settings: AnalysisOptions = {
      bakeMs: bake,
      since: options.since,
      // analysis-vars win over the values the action fills in
      vars: { ...more, ...vars },
      prometheus: { address, token, ca: options.ca },
    };
    return buildAnalysisConfig(spec, settings);
  };
  const config = build(Object.fromEntries((options.later ?? []).map((name) => [name, `<${name}>`])));
  for (const secret of config.secrets) registerSecret(secret);
  return { config, withVars: (more) => build(more), withBake: (ms, more = {}) => build(more, ms) };
}

/** YAML inline, or the path of a file of the workspace holding it (read through the workspace-files reader). */
export function readYamlInput(input: string, text: string, workspace: string, what = 'YAML'): unknown {
  const inline = /[\n:]/.test(text) || /^[-[{]/.test(text);
  let yamlText = text;
  if (!inline) {
    const path = isAbsolute(text) ? text : resolve(workspace, text);
    if (!existsSync(path) && !lstatSync(path, { throwIfNoEntry: false })) {
      throw new InputError(
        input,
        `Input "${input}" is neither ${what} nor an existing file: ${path} does not exist.`,
      );
    }
    yamlText = readWorkspaceText(input, text, { workspace });
  }
  // yaml loads when a YAML input is given, not before the first input error (README, Decisions: lazy loading).
  const yaml = yamlParser();
  try {
    return yaml.parse(yamlText);
  } catch (error) {
    // Only the first line: the rest of the parser's message quotes the text, which may hold a secret header.
    const reason = (error as Error).message.split('\n')[0];
    throw new InputError(input, `Input "${input}" must be valid YAML (${reason}).`);
  }
}
