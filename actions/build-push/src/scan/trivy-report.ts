export const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One vulnerability, with every package it was found in (one CVE often hits several packages). */
export interface Finding {
  id: string;
  severity: Severity;
  title?: string;
  url?: string;
  packages: Array<{ name: string; installed: string; target: string; path?: string }>;
  /** Versions that fix it, from Trivy's comma-separated FixedVersion; empty when there is no fix. */
  fixedVersions: string[];
  /** Trivy's Status (fixed, affected, will_not_fix, fix_deferred, end_of_life...), when given. */
  statuses: string[];
}

export interface ScanReport {
  artifact?: string;
  /** Findings by vulnerability ID, most severe first. */
  findings: Finding[];
  /** Distinct vulnerability IDs per severity. */
  counts: Record<Severity, number>;
  /** Findings suppressed by VEX or ignore rules (ExperimentalModifiedFindings), not counted. */
  suppressed: number;
}

interface RawVulnerability {
  VulnerabilityID?: string;
  PkgName?: string;
  PkgPath?: string;
  InstalledVersion?: string;
  FixedVersion?: string;
  Status?: string;
  Severity?: string;
  Title?: string;
  PrimaryURL?: string;
}

interface RawReport {
  SchemaVersion?: number;
  ArtifactName?: string;
  Results?: Array<{
    Target?: string;
    Vulnerabilities?: RawVulnerability[] | null;
    ExperimentalModifiedFindings?: unknown[] | null;
  }> | null;
}

/**
 * Reads Trivy's JSON report (SchemaVersion 2) without trusting its shape: no `Results` key (nothing found),
 * null lists, empty or comma-separated FixedVersion, a CVE repeated for several packages (merged into one
 * finding), unknown severities (UNKNOWN), Status values such as will_not_fix.
 */
export function parseTrivyReport(text: string): ScanReport {
  let raw: RawReport;
  try {
    raw = JSON.parse(text) as RawReport;
  } catch (error) {
    throw new Error(`Trivy's JSON report could not be read: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object') throw new Error("Trivy's JSON report is not an object.");
  if (raw.SchemaVersion !== undefined && raw.SchemaVersion !== 2) {
    throw new Error(
      `Trivy's JSON report has SchemaVersion ${raw.SchemaVersion}; this action reads version 2.`,
    );
  }
  const byId = new Map<string, Finding>();
  let suppressed = 0;
  for (const result of raw.Results ?? []) {
    suppressed += result.ExperimentalModifiedFindings?.length ?? 0;
    for (const v of result.Vulnerabilities ?? []) {
      if (!v?.VulnerabilityID) continue;
      const severity = toSeverity(v.Severity);
      let finding = byId.get(v.VulnerabilityID);
      if (!finding) {
        finding = {
          id: v.VulnerabilityID,
          severity,
          title: v.Title,
          url: v.PrimaryURL,
          packages: [],
          fixedVersions: [],
          statuses: [],
        };
        byId.set(v.VulnerabilityID, finding);
      } else if (rank(severity) > rank(finding.severity)) {
        finding.severity = severity;
      }
      finding.packages.push({
        name: v.PkgName ?? '(unknown package)',
        installed: v.InstalledVersion ?? '',
        target: result.Target ?? '',
        ...(v.PkgPath ? { path: v.PkgPath } : {}),
      });
      for (const fixed of splitVersions(v.FixedVersion)) {
        if (!finding.fixedVersions.includes(fixed)) finding.fixedVersions.push(fixed);
      }
      if (v.Status && !finding.statuses.includes(v.Status)) finding.statuses.push(v.Status);
    }
  }
  const findings = [...byId.values()].sort(
    (a, b) => rank(b.severity) - rank(a.severity) || a.id.localeCompare(b.id),
  );
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity]++;
  return { artifact: raw.ArtifactName, findings, counts, suppressed };
}

/**
 * One report from the reports of several platforms of one image: the first one's metadata, every result with
 * its platform put in front of its target, so a finding says where it was found.
 */
export function mergeReports(parts: Array<{ label: string; text: string }>): string {
  const reports = parts.map((part) => ({ label: part.label, raw: JSON.parse(part.text) as RawReport }));
  const results = reports.flatMap(({ label, raw }) =>
    (raw.Results ?? []).map((result) => ({ ...result, Target: `${label}: ${result.Target ?? ''}` })),
  );
  return JSON.stringify({ ...reports[0]?.raw, Results: results }, null, 2);
}

export function rank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The findings at or above `threshold`. */
export function atOrAbove(report: ScanReport, threshold: Severity): Finding[] {
  return report.findings.filter((f) => rank(f.severity) >= rank(threshold));
}

function toSeverity(value: string | undefined): Severity {
  const upper = (value ?? '').toUpperCase() as Severity;
  return SEVERITIES.includes(upper) ? upper : 'UNKNOWN';
}

function splitVersions(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
