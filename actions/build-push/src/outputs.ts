import * as core from '@actions/core';
import { appendSummary, markdownTable } from '@slipway/shared';
import type { ScanReport, Severity } from './scan/trivy-report';

export interface Published {
  repository: string;
  /** The manifest digest confirmed with the registry; empty when nothing was pushed. */
  digest: string;
  /** false with `push: false`: the image was built (and scanned) only. */
  pushed: boolean;
  /** The built image's local ID (one platform) or its OCI index digest (several platforms); unset when not built. */
  imageId?: string;
  tags: string[];
  labels: Array<[string, string]>;
  /** built: a new image; reused: skip-existing found it; promoted: tagged from source-image. */
  how: 'built' | 'reused' | 'promoted';
  source?: string;
  scan: {
    result: 'passed' | 'failed' | 'skipped';
    report?: ScanReport;
    jsonFile?: string;
    sarifFile?: string;
  };
}

export function setScanOutputs(scan: Published['scan']): void {
  core.setOutput('scan-result', scan.result);
  core.setOutput('vulnerabilities', scan.report ? JSON.stringify(scan.report.counts) : '{}');
  core.setOutput('json-file', scan.jsonFile ?? '');
  core.setOutput('sarif-file', scan.sarifFile ?? '');
}

/** Every output and the job summary of a run that ended with an image in the registry (or built only). */
export async function publish(p: Published): Promise<void> {
  const imageRef = p.pushed ? `${p.repository}@${p.digest}` : '';
  const refs = p.tags.map((t) => `${p.repository}:${t}`);
  core.setOutput('image', p.repository);
  core.setOutput('digest', p.digest);
  core.setOutput('image-ref', imageRef);
  core.setOutput('image-id', p.imageId ?? '');
  core.setOutput('tags', refs.join('\n'));
  setScanOutputs(p.scan);
  const counts: Partial<Record<Severity, number>> | undefined = p.scan.report?.counts;
  core.setOutput(
    'metadata',
    JSON.stringify({
      image: p.repository,
      digest: p.digest,
      imageRef,
      ...(p.imageId ? { imageId: p.imageId } : {}),
      pushed: p.pushed,
      tags: refs,
      labels: Object.fromEntries(p.labels),
      how: p.how,
      ...(p.source ? { source: p.source } : {}),
      scan: { result: p.scan.result, ...(counts ? { vulnerabilities: counts } : {}) },
    }),
  );
  const verb = !p.pushed
    ? 'Built, not pushed (push: false)'
    : {
        built: 'Built and pushed',
        reused: 'Reused (already in the registry, build skipped)',
        promoted: 'Promoted without rebuilding',
      }[p.how];
  const shown = imageRef || `${p.repository} (${p.imageId ?? 'not loaded'})`;
  if (p.pushed) core.info(`${verb}: ${imageRef}`);
  else
    core.notice(
      `"push" is false: nothing was pushed, so "image-ref" and "digest" are empty. The image was built${p.scan.result === 'skipped' ? '' : ' and scanned'}: image-id ${p.imageId ?? '(none)'}.`,
    );
  await appendSummary(
    [
      `### ${verb}`,
      '',
      markdownTable(
        ['', ''],
        [['image', shown], ...(p.source ? [['from', p.source]] : []), ['tags', p.tags.join(', ')]],
      ),
      '',
    ].join('\n'),
  );
}
