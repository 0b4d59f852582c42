import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'trivy');

/**
 * Writes a stand-in `trivy` executable: it answers the commands the action runs with the real reports in
 * fixtures/trivy. `image --download-db-only` fails for DB repositories containing "unreachable";
 * `image ... <ref>` checks the image is in the local Docker store (the scan is of the local image), logs its
 * ID and writes $STANDIN_TRIVY_REPORT; `image --input <archive> --platform <p>` logs the platform and writes it too; `convert --format sarif` writes a SARIF file from that report.
 * Like real Trivy, a local image with JAR files needs the Java DB: with `--skip-java-db-update` and no
 * `<cache>/java-db/metadata.json` it fails ("cannot be specified on the first run"); otherwise it is fetched
 * from the first `--java-db-repository` entry not containing "unreachable" (logged as `java-db <repo>`).
 * Every call is appended to $STANDIN_TRIVY_LOG. Each scan says on stderr (the step's log) that the image was not
 * scanned and the findings are the fixture's.
 */
export function writeStandinTrivy(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'trivy');
  writeFileSync(
    path,
    `#!/usr/bin/env node
const { appendFileSync, readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const args = process.argv.slice(2);
const log = process.env.STANDIN_TRIVY_LOG;
const say = (line) => log && appendFileSync(log, line + '\\n');
say('args ' + JSON.stringify(args));
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
if (args[0] === 'image' && args.includes('--download-db-only')) {
  const repo = opt('--db-repository');
  if (repo.includes('unreachable')) { console.error('FATAL DB error: failed to download vulnerability DB from ' + repo + ': dial tcp: i/o timeout'); process.exit(1); }
  mkdirSync(opt('--cache-dir') + '/db', { recursive: true });
  writeFileSync(opt('--cache-dir') + '/db/metadata.json', JSON.stringify({ Version: 2, Repository: repo }));
  process.exit(0);
}
// Said in the step's log, where a person reads it: these findings are the fixture's, not the image's.
const standIn = (what) => console.error('stand-in trivy: ' + what + ' was not scanned; the findings are those of the fixture report ' + require('node:path').basename(process.env.STANDIN_TRIVY_REPORT || ''));
if (args[0] === 'image' && args.includes('--input')) {
  say('scanned-input ' + opt('--platform') + ' ' + opt('--input'));
  standIn(opt('--input'));
  writeFileSync(opt('--output'), readFileSync(process.env.STANDIN_TRIVY_REPORT));
  process.exit(0);
}
if (args[0] === 'image') {
  const ref = args[args.length - 1];
  const id = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', ref]).toString().trim();
  const container = execFileSync('docker', ['create', ref, 'true']).toString().trim();
  let files;
  try { files = execFileSync('sh', ['-c', 'docker export "$1" | tar -t', 'sh', container], { maxBuffer: 1 << 26 }).toString(); }
  finally { execFileSync('docker', ['rm', container]); }
  const javaMeta = opt('--cache-dir') + '/java-db/metadata.json';
  if (/.jar$/m.test(files) && !require('node:fs').existsSync(javaMeta)) {
    if (args.includes('--skip-java-db-update')) {
      console.error('FATAL Fatal error: --skip-java-db-update cannot be specified on the first run');
      process.exit(1);
    }
    const repos = (opt('--java-db-repository') || 'mirror.gcr.io/aquasec/trivy-java-db:1').split(',');
    const repo = repos.find((r) => !r.includes('unreachable'));
    if (!repo) { console.error('FATAL Java DB update failed'); process.exit(1); }
    mkdirSync(opt('--cache-dir') + '/java-db', { recursive: true });
    writeFileSync(javaMeta, JSON.stringify({ Version: 1, Repository: repo }));
    say('java-db ' + repo);
  }
  say('scanned ' + ref + ' ' + id);
  standIn(ref);
  writeFileSync(opt('--output'), readFileSync(process.env.STANDIN_TRIVY_REPORT));
  process.exit(0);
}
if (args[0] === 'convert') {
  const report = JSON.parse(readFileSync(args[args.length - 1], 'utf8'));
  const results = (report.Results || []).flatMap((r) => (r.Vulnerabilities || []).map((v) => ({
    ruleId: v.VulnerabilityID, level: 'error', message: { text: v.PkgName + ' ' + v.InstalledVersion },
    locations: [{ physicalLocation: { artifactLocation: { uri: r.Target } } }] })));
  writeFileSync(opt('--output'), JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: 'Trivy', informationUri: 'https://github.com/aquasecurity/trivy' } }, results }] }));
  process.exit(0);
}
console.error('stand-in trivy: unexpected ' + args.join(' '));
process.exit(2);
`,
  );
  chmodSync(path, 0o755);
  return path;
}
