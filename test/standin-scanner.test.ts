// The demo and the end-to-end pipeline scan with a stand-in Trivy that answers with a fixture report (a RHEL 7
// base: setuptools, bash...). Wherever a person reads those findings - the step's log, the demo's report - they
// are labelled as the fixture's, not as found in the demo's busybox image (issue 14).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, writeStandinTrivy } from '../actions/build-push/__tests__/helpers/standin-trivy';
import { labelStandInScans } from './e2e/world';

it("labels each scan section of a job summary as the stand-in's fixture findings, and nothing else", () => {
  const summary = '### Vulnerability scan of `registry/shop`\n\n| CRITICAL |\n\n### Pushed\n';
  const labelled = labelStandInScans(summary);
  expect(labelled).toContain(
    '### Vulnerability scan of `registry/shop`\n\n> **Stand-in scanner**: Trivy cannot download its database here',
  );
  expect(labelled).toContain('These findings were not found in this image');
  expect(labelled.match(/Stand-in scanner/g)).toHaveLength(1);
  expect(labelStandInScans('### Pushed\n')).toBe('### Pushed\n');
});

it("says in the step's log that the image was not scanned", () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-standin-'));
  try {
    const trivy = writeStandinTrivy(dir);
    const run = spawnSync(
      trivy,
      ['image', '--input', 'app.tar', '--platform', 'linux/amd64', '--output', join(dir, 'out.json')],
      { env: { ...process.env, STANDIN_TRIVY_REPORT: join(FIXTURES, 'ubi-7-comprehensive.json.golden') } },
    );
    expect(run.status).toBe(0);
    expect(run.stderr.toString()).toBe(
      'stand-in trivy: app.tar was not scanned; the findings are those of the fixture report ubi-7-comprehensive.json.golden\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
