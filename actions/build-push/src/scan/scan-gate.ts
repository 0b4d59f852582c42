import { mkdirSync } from 'node:fs';
import * as core from '@actions/core';
import { appendSummary, type CommandRunner, type RetryOptions, UserError } from '@slipway/shared';
import type { Inputs } from '../inputs';
import { setScanOutputs } from '../outputs';
import { scanSummary } from './scan-summary';
import { TRIVY_CHECKSUMS, TRIVY_VERSION } from './trivy-checksums';
import { installTrivy, type TrivyInstallOptions } from './trivy-install';
import { atOrAbove, type ScanReport } from './trivy-report';
import { type ScanTarget, scanImage } from './trivy-scan';

export interface ScanDeps {
  runner: CommandRunner;
  installTrivy: (options: TrivyInstallOptions) => Promise<string>;
  /** Trivy's DB cache, outside the workspace. */
  cacheDir: string;
  outputDir: string;
  retry?: RetryOptions;
}

export const defaultScanDeps = (
  runner: CommandRunner,
  env: NodeJS.ProcessEnv,
): Omit<ScanDeps, 'outputDir'> => ({
  runner,
  installTrivy,
  cacheDir: `${env.RUNNER_TOOL_CACHE || `${env.HOME ?? '/tmp'}/.cache`}/trivy-db`,
});

export interface ScanVerdict {
  result: 'passed' | 'failed';
  report: ScanReport;
  jsonFile: string;
  sarifFile: string;
}

/**
 * Scans the local image once and writes every result (JSON, SARIF, summary, outputs) before the gate decides,
 * so a refused image still leaves its full report. Throws a UserError when the gate refuses.
 */
export async function scanAndGate(
  inputs: Inputs,
  targets: ScanTarget[],
  label: string,
  deps: ScanDeps,
): Promise<ScanVerdict> {
  const trivy = await deps.installTrivy({
    version: TRIVY_VERSION,
    baseUrl: inputs.trivyDownloadUrl,
    checksums: TRIVY_CHECKSUMS,
  });
  mkdirSync(deps.outputDir, { recursive: true });
  mkdirSync(deps.cacheDir, { recursive: true });
  const outcome = await scanImage(
    {
      trivy,
      severity: inputs.severity,
      ignoreUnfixed: inputs.ignoreUnfixed,
      ignoreFile: inputs.ignoreFile,
      dbRepositories: inputs.trivyDbRepositories,
      javaDbRepositories: inputs.trivyJavaDbRepositories,
      cacheDir: deps.cacheDir,
      outputDir: deps.outputDir,
      runner: deps.runner,
      retry: deps.retry,
    },
    targets,
  );
  const failed = inputs.failOn === 'none' ? [] : atOrAbove(outcome.report, inputs.failOn);
  const result = failed.length ? 'failed' : 'passed';
  setScanOutputs({ result, ...outcome });
  await appendSummary(scanSummary(outcome.report, label, inputs.failOn, failed));
  const counts = Object.entries(outcome.report.counts)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  core.info(`Scan of ${label}: ${counts}.`);
  if (failed.length) {
    const ids = failed
      .slice(0, 5)
      .map((f) => f.id)
      .join(', ');
    throw new UserError(
      `The image was not pushed: ${failed.length} vulnerabilit${failed.length === 1 ? 'y' : 'ies'} at ${inputs.failOn} or above (${ids}${failed.length > 5 ? ', ...' : ''}). Fix them (see the job summary and ${outcome.jsonFile}), ignore accepted ones in "ignore-file", or raise "fail-on".`,
    );
  }
  return { result, ...outcome };
}
