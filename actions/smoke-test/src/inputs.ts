import type * as Crypto from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  type AnalysisConfig,
  buildGateConfig,
  type CheckOptions,
  type GateConfig,
  InputError,
  InputReader,
  readAnalysisInputs,
  readWorkspaceText,
  readYamlInput,
  registerSecret,
} from '@slipway/shared';

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
  const version = defaults['expect-version'];
  const analysis = readAnalysisInputs(read, {
    workspace,
    ca: gate.tls.ca,
    version: typeof version === 'string' && version ? version : undefined,
    since: deployedAt(read.string('deployed-at')),
  })?.config;
  return { gate, analysis, failOnInconclusive: read.boolean('fail-on-inconclusive', { default: true }) };
}

/**
 * `deployed-at`: when the release began to deploy, as an ISO 8601 time with its zone (2026-12-06T21:00:00Z) or
 * epoch seconds (`date +%s`); within the last 24h and not in the future (a minute of clock skew allowed).
 */
function deployedAt(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const ms = /^\d{9,11}$/.test(value)
    ? Number(value) * 1000
    : /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)
      ? Date.parse(value)
      : Number.NaN;
  if (!Number.isFinite(ms) || ms > now + 60_000 || ms < now - 24 * 3_600_000) {
    throw new InputError(
      'deployed-at',
      `Input "deployed-at" must be when the release began to deploy, within the last 24h: an ISO 8601 time with its zone (2026-12-06T21:00:00Z) or epoch seconds; got ${JSON.stringify(value.slice(0, 40))}.`,
    );
  }
  return ms;
}

/** `checks` is YAML (a list, or a map with a `checks` list), inline or in a file of the workspace. */
function readChecks(text: string, workspace: string): unknown {
  const parsed = readYamlInput('checks', text, workspace, 'a YAML list');
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
  // node:crypto loads when a CA is given, not before the first input error (README, Decisions: lazy loading).
  const { X509Certificate } = require('node:crypto') as typeof Crypto;
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
