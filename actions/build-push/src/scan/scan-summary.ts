import { escapeHtml, markdownTable } from '@slipway/shared';
import { type Finding, type ScanReport, SEVERITIES, type Severity } from './trivy-report';

const TOP = 10;

/** The job-summary section of a scan: counts per severity, the gate's verdict, the top findings with fixes. */
export function scanSummary(
  report: ScanReport,
  image: string,
  failOn: Severity | 'none',
  failed: Finding[],
): string {
  const counts = markdownTable([...SEVERITIES].reverse(), [
    [...SEVERITIES].reverse().map((s) => String(report.counts[s])),
  ]);
  const gate =
    failOn === 'none'
      ? 'No gate (`fail-on: none`).'
      : failed.length
        ? `**Refused**: ${failed.length} finding(s) at ${failOn} or above; nothing was pushed.`
        : `Passed the gate (nothing at ${failOn} or above).`;
  const lines = [`### Vulnerability scan of \`${escapeHtml(image)}\``, '', counts, '', gate];
  if (report.suppressed) lines.push('', `${report.suppressed} finding(s) suppressed by VEX or ignore rules.`);
  if (report.findings.length) {
    const rows = report.findings
      .slice(0, TOP)
      .map((f) => [
        f.url ? `[${f.id}](${f.url})` : f.id,
        f.severity,
        [...new Set(f.packages.map((p) => `${p.name} ${p.installed}`))].join(', '),
        f.fixedVersions.join(', ') || (f.statuses.length ? `no fix (${f.statuses.join(', ')})` : 'no fix'),
      ]);
    lines.push('', markdownTable(['vulnerability', 'severity', 'packages', 'fixed in'], rows));
    if (report.findings.length > TOP)
      lines.push('', `... and ${report.findings.length - TOP} more in the JSON and SARIF reports.`);
  }
  return `${lines.join('\n')}\n`;
}
