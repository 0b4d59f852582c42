import { X509Certificate } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  type AnalysisConfig,
  buildAnalysisConfig,
  buildGateConfig,
  type CheckOptions,
  type GateConfig,
  InputError,
  InputReader,
  readWorkspaceText,
  registerSecret,
} from '@slipway/shared';
import type * as Yaml from 'yaml';

export interface Inputs {
  gate: GateConfig;
  /** Metrics judged during the bake, after the checks pass. */
  analysis?: AnalysisConfig;
  failOnInconclusive: boolean;
}

/** Every input of the action, read and validated before any request is sent. */
export function getInputs(
  read = new InputReader(),
  workspace = process.env.GITHUB_WORKSPACE ?? process.cwd(),
): Inputs {
  const urls = (read.string('url') ?? '')
    .split(/[\r\n|]+/)
    .map((u) => u.trim())
    .filter(Boolean);
  const checksText = read.string('checks');
  if (urls.length && checksText) {
    throw new InputError(
      'checks',
      'Inputs "url" and "checks" both list what to check: use "url" for plain URLs or "checks" for a YAML list, not both.',
    );
  }
  if (!urls.length && !checksText) {
    throw new InputError(
      'url',
      'Input "url" is required (or "checks", a YAML list of checks): set it in the step\'s "with:" block.',
    );
  }
  const defaults: CheckOptions = {
    method: read.string('method'),
    headers: read.string('headers'),
    body: read.string('body'),
    'expect-status': read.string('expect-status'),
    'expect-body': read.string('expect-body'),
    'expect-json': read.string('expect-json'),
    'expect-header': read.string('expect-header'),
    'max-latency': read.string('max-latency'),
    'expect-version': read.string('expect-version'),
    'version-field': read.string('version-field'),
    'follow-redirects': read.boolean('follow-redirects', { default: true }),
  };
  const gate = buildGateConfig({
    checks: checksText ? readChecks(checksText, workspace) : urls,
    'checks-source': checksText ? 'checks' : 'url',
    defaults,
    timeout: read.duration('timeout', { default: '10s', min: 100, max: 600_000 }),
    'ready-timeout': read.duration('ready-timeout', { default: '5m', min: 0 }),
    'ready-backoff': read.duration('ready-backoff', { default: '1s', min: 0 }),
    'ready-backoff-max': read.duration('ready-backoff-max', { default: '15s', min: 0 }),
    // Empty: the gate's READY_STATUS (action.yml's default, checked equal in host-scripts/http-check.test.ts).
    'ready-status': read.string('ready-status'),
    samples: read.string('samples') ? read.integer('samples', { min: 1, max: 100_000 }) : undefined,
    duration: read.string('duration') ? read.duration('duration', { min: 1 }) : undefined,
    interval: read.duration('interval', { default: '1s', min: 0 }),
    concurrency: read.integer('concurrency', { default: 1, min: 1, max: 256 }),
    'consecutive-successes': read.integer('consecutive-successes', { default: 0, min: 0 }),
    'failure-limit': read.string('failure-limit') ? read.integer('failure-limit', { min: 0 }) : undefined,
    'error-limit': read.integer('error-limit', { default: 0, min: 0 }),
    'min-success-rate': read.number('min-success-rate', { default: 1, min: 0, max: 1, percent: true }),
    'max-p95': read.string('max-p95') ? read.duration('max-p95', { min: 1 }) : undefined,
    'max-p99': read.string('max-p99') ? read.duration('max-p99', { min: 1 }) : undefined,
    deadline: read.duration('deadline', { default: '10m', min: 1 }),
    ca: readCa(read.string('ca'), workspace),
    insecure: read.boolean('insecure', { default: false }),
  });
  // Header values and URL passwords are masked before anything can print them.
  for (const secret of gate.secrets) registerSecret(secret);
  if (gate.tls.ca && gate.tls.insecure) {
    throw new InputError(
      'insecure',
      'Inputs "ca" and "insecure" contradict each other: with a CA to trust, leave "insecure" off.',
    );
  }
  const analysis = readAnalysis(read, workspace, gate.tls.ca, defaults['expect-version']);
  return { gate, analysis, failOnInconclusive: read.boolean('fail-on-inconclusive', { default: true }) };
}

/** `analysis` (YAML, inline or a file of the workspace) with the bake, the release's values and Prometheus. */
function readAnalysis(
  read: InputReader,
  workspace: string,
  ca: string | undefined,
  expectVersion: unknown,
): AnalysisConfig | undefined {
  const token = read.secret('prometheus-token');
  const address = read.url('prometheus-url', { example: 'https://prometheus.example.com:9090' });
  const bakeText = read.string('bake');
  const text = read.string('analysis');
  const varsText = read.string('analysis-vars');
  if (!text) {
    // prometheus-url, its token and analysis-vars may be set for every environment, the analysis for some.
    if (bakeText) {
      throw new InputError(
        'bake',
        'Input "bake" needs an "analysis" (the metrics to judge during the bake): set "analysis" too, or leave "bake" empty.',
      );
    }
    return undefined;
  }
  const bakeMs = bakeText ? read.duration('bake', { min: 1000 }) : undefined;
  const vars: Record<string, string> = {};
  if (typeof expectVersion === 'string' && expectVersion) vars.version = expectVersion;
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
  const config = buildAnalysisConfig(readYaml('analysis', text, workspace), {
    bakeMs,
    vars,
    prometheus: { address, token, ca },
  });
  for (const secret of config.secrets) registerSecret(secret);
  return config;
}

/** YAML inline, or the path of a file of the workspace holding it (read through the workspace-files reader). */
function readYaml(input: 'checks' | 'analysis', text: string, workspace: string): unknown {
  const inline = /[\n:]/.test(text) || /^[-[{]/.test(text);
  let yamlText = text;
  if (!inline) {
    const path = isAbsolute(text) ? text : resolve(workspace, text);
    if (!existsSync(path) && !lstatSync(path, { throwIfNoEntry: false })) {
      const what = input === 'checks' ? 'a YAML list' : 'YAML';
      throw new InputError(
        input,
        `Input "${input}" is neither ${what} nor an existing file: ${path} does not exist.`,
      );
    }
    yamlText = readWorkspaceText(input, text, { workspace });
  }
  try {
    // yaml loads here, not before the first input error (README, Decisions: lazy loading).
    return (require('yaml') as typeof Yaml).parse(yamlText);
  } catch (error) {
    // Only the first line: the rest of the parser's message quotes the text, which may hold a secret header.
    const reason = (error as Error).message.split('\n')[0];
    throw new InputError(input, `Input "${input}" must be valid YAML (${reason}).`);
  }
}

/** `checks` is YAML (a list, or a map with a `checks` list), inline or in a file of the workspace. */
function readChecks(text: string, workspace: string): unknown {
  const parsed = readYaml('checks', text, workspace);
  const list =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as { checks?: unknown }).checks
      : parsed;
  if (!Array.isArray(list)) {
    throw new InputError(
      'checks',
      'Input "checks" must be a YAML list of checks, each a URL or a map with "url" (and "name", "expect-status", ...).',
    );
  }
  return list;
}

/** A PEM certificate (or bundle), inline or in a file. Checked here so a typo fails before any request. */
function readCa(value: string | undefined, workspace: string): string | undefined {
  if (!value) return undefined;
  let pem = value;
  if (!value.includes('-----BEGIN')) {
    const path = isAbsolute(value) ? value : resolve(workspace, value);
    if (!existsSync(path) && !lstatSync(path, { throwIfNoEntry: false })) {
      throw new InputError(
        'ca',
        `Input "ca" must be PEM text or the path of a PEM file; ${path} does not exist.`,
      );
    }
    pem = readWorkspaceText('ca', value, { workspace });
  }
  try {
    new X509Certificate(pem);
  } catch (error) {
    throw new InputError(
      'ca',
      `Input "ca" must hold a PEM certificate ("-----BEGIN CERTIFICATE-----"): ${(error as Error).message}.`,
    );
  }
  return pem;
}
