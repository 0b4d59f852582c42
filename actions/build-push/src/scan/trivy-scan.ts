import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { type CommandRunner, type RetryOptions, retry, UserError } from '@slipway/shared';
import { mergeReports, parseTrivyReport, type ScanReport, type Severity } from './trivy-report';

export interface ScanOptions {
  trivy: string;
  severity: Severity[];
  ignoreUnfixed: boolean;
  ignoreFile?: string;
  /** Vulnerability DB repositories, tried in order. */
  dbRepositories: string[];
  /** Java DB repositories, given to Trivy, which fetches that DB only for images with JAR files. */
  javaDbRepositories: string[];
  /** Trivy's cache (the DB); outside the workspace so it survives between jobs on the same runner. */
  cacheDir: string;
  /** Where the JSON and SARIF files are written. */
  outputDir: string;
  runner: CommandRunner;
  retry?: RetryOptions;
}

export interface ScanOutcome {
  report: ScanReport;
  jsonFile: string;
  sarifFile: string;
}

/** Downloads (or refreshes) the vulnerability DB, retrying each mirror, then the next one. */
export async function downloadTrivyDb(options: ScanOptions): Promise<void> {
  const failures: string[] = [];
  for (const repository of options.dbRepositories) {
    try {
      await retry(
        () =>
          options.runner.run(
            options.trivy,
            [
              'image',
              '--download-db-only',
              '--db-repository',
              repository,
              '--cache-dir',
              options.cacheDir,
              '--no-progress',
            ],
            { quiet: true },
          ),
        { attempts: 2, ...options.retry, retryable: () => true },
      );
      core.info(`Trivy vulnerability DB ready (from ${repository}).`);
      return;
    } catch (error) {
      const reason = (error as Error).message.split('\n').slice(-1)[0];
      failures.push(`${repository}: ${reason}`);
      core.warning(`Could not download the Trivy DB from ${repository}; trying the next mirror. ${reason}`);
    }
  }
  throw new UserError(
    `The Trivy vulnerability DB could not be downloaded from any mirror (${failures.join('; ')}). Set "trivy-db-repositories" to a reachable mirror, or "scan: false".`,
  );
}

/** What is scanned: a local image in the Docker daemon, or one platform of an OCI image archive. */
export type ScanTarget = { image: string } | { input: string; platform: string };

/**
 * One scan of what is about to be pushed: the JSON report (for several platforms, one per platform merged into
 * one, each finding's target naming its platform), then the SARIF converted from that same report.
 */
export async function scanImage(options: ScanOptions, targets: ScanTarget[]): Promise<ScanOutcome> {
  await downloadTrivyDb(options);
  const jsonFile = join(options.outputDir, 'trivy-results.json');
  const sarifFile = join(options.outputDir, 'trivy-results.sarif');
  if (targets.length === 1) {
    await options.runner.run(options.trivy, scanArgs(options, targets[0], jsonFile));
  } else {
    const parts: Array<{ label: string; text: string }> = [];
    for (const target of targets) {
      const label = 'platform' in target ? target.platform : target.image;
      const file = join(options.outputDir, `trivy-results-${label.replace(/[^A-Za-z0-9.-]+/g, '-')}.json`);
      await options.runner.run(options.trivy, scanArgs(options, target, file));
      parts.push({ label, text: readFileSync(file, 'utf8') });
    }
    writeFileSync(jsonFile, mergeReports(parts));
  }
  await options.runner.run(options.trivy, ['convert', '--format', 'sarif', '--output', sarifFile, jsonFile], {
    quiet: true,
  });
  const report = parseTrivyReport(readFileSync(jsonFile, 'utf8'));
  return { report, jsonFile, sarifFile };
}

function scanArgs(options: ScanOptions, target: ScanTarget, output: string): string[] {
  const args = [
    'image',
    '--format',
    'json',
    '--output',
    output,
    '--scanners',
    'vuln',
    '--severity',
    options.severity.join(','),
    '--exit-code',
    '0',
    '--skip-db-update',
    // not --skip-java-db-update: Trivy refuses it while the cache has no Java DB, and fetches that DB (about
    // 700 MB) only when the image has JAR files, into the same cache, from these mirrors in order
    '--java-db-repository',
    options.javaDbRepositories.join(','),
    '--cache-dir',
    options.cacheDir,
    '--no-progress',
  ];
  if (options.ignoreUnfixed) args.push('--ignore-unfixed');
  if (options.ignoreFile) args.push('--ignorefile', options.ignoreFile);
  if ('image' in target) args.push('--image-src', 'docker', target.image);
  else args.push('--platform', target.platform, '--input', target.input);
  return args;
}
