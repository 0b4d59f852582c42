import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atOrAbove, parseTrivyReport } from '../src/scan/trivy-report';
import { FIXTURES } from './helpers/standin-trivy';

const read = (name: string) => parseTrivyReport(readFileSync(join(FIXTURES, name), 'utf8'));
const zero = { UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };

describe('parseTrivyReport over every real Trivy report', () => {
  const cases: Array<[string, Partial<typeof zero>, (report: ReturnType<typeof read>) => void]> = [
    [
      'alpine-39-high-critical.json.golden',
      { CRITICAL: 1 },
      (r) => {
        // one CVE on two packages is one finding listing both
        expect(r.findings).toHaveLength(1);
        expect(r.findings[0]).toMatchObject({
          id: 'CVE-2019-14697',
          fixedVersions: ['1.1.20-r5'],
          statuses: ['fixed'],
        });
        expect(r.findings[0].packages.map((p) => p.name)).toEqual(['musl', 'musl-utils']);
      },
    ],
    ['alpine-39-skip.json.golden', {}, (r) => expect(r.findings).toEqual([])],
    [
      'debian-buster-ignore-unfixed.json.golden',
      { CRITICAL: 1 },
      (r) =>
        expect(r.findings[0]).toMatchObject({ id: 'CVE-2019-18224', fixedVersions: ['2.0.5-1+deb10u1'] }),
    ],
    [
      'npm-with-suppressed.json.golden',
      { HIGH: 1 },
      (r) => {
        expect(r.findings[0].fixedVersions).toEqual(['3.1.0', '2.6.9']);
        expect(r.suppressed).toBeGreaterThan(0);
        expect(r.findings.map((f) => f.id)).not.toContain('CVE-2017-16137');
      },
    ],
    [
      'ubi-7-comprehensive.json.golden',
      { HIGH: 1, LOW: 1 },
      (r) => {
        const bash = r.findings.find((f) => f.id === 'CVE-2019-18276')!;
        expect(bash).toMatchObject({ severity: 'LOW', fixedVersions: [], statuses: ['will_not_fix'] });
        const setuptools = r.findings.find((f) => f.id === 'CVE-2022-40897')!;
        expect(setuptools.packages[0].path).toMatch(/setuptools-0.9.8/);
        expect(r.findings[0].severity).toBe('HIGH');
      },
    ],
  ];

  it('covers every fixture shipped', () => {
    const shipped = readdirSync(FIXTURES).filter((f) => f.endsWith('.golden'));
    expect(cases.map((c) => c[0]).sort()).toEqual(shipped.sort());
  });

  it.each(cases)('%s', (name, counts, check) => {
    const report = read(name);
    expect(report.counts).toEqual({ ...zero, ...counts });
    check(report);
  });

  it('gates at or above a threshold', () => {
    const ubi = read('ubi-7-comprehensive.json.golden');
    expect(atOrAbove(ubi, 'CRITICAL')).toEqual([]);
    expect(atOrAbove(ubi, 'HIGH').map((f) => f.id)).toEqual(['CVE-2022-40897']);
    expect(atOrAbove(ubi, 'LOW')).toHaveLength(2);
  });

  it.each([
    ['{"SchemaVersion":2,"Results":null}', 0],
    ['{"SchemaVersion":2,"Results":[{"Target":"x","Vulnerabilities":null}]}', 0],
    [
      '{"SchemaVersion":2,"Results":[{"Vulnerabilities":[{"VulnerabilityID":"CVE-1","Severity":"weird","FixedVersion":""}]}]}',
      1,
    ],
  ])('reads odd shapes: %s', (text, findings) => {
    const report = parseTrivyReport(text);
    expect(report.findings).toHaveLength(findings);
    if (findings) expect(report.findings[0]).toMatchObject({ severity: 'UNKNOWN', fixedVersions: [] });
  });

  it.each([
    ['not json', /could not be read/],
    ['null', /not an object/],
    ['{"SchemaVersion":1}', /SchemaVersion 1/],
  ])('refuses %s', (text, message) => expect(() => parseTrivyReport(text)).toThrow(message));
});
