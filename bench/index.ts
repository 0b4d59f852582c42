// `npm run bench`: measures the suite beside its references in one run and writes bench/results/<date>.md.
// Not part of the test command: these machines are noisy, so speed lives here, not in timed tests.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { smokeTestSection } from './smoke-test';
import { startupSection } from './startup';
import { renderSection, type Section } from './table';

/** The repository root: the nearest folder above the working directory whose package.json is "slipway". */
function findRepoRoot(from = process.cwd()): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'slipway') return dir;
    if (dirname(dir) === dir) throw new Error('Run the benchmarks from inside the Slipway repository.');
  }
}

const repoRoot = findRepoRoot();

function machine(): string {
  const os = execSync('. /etc/os-release && echo "$PRETTY_NAME"', {
    shell: '/bin/sh',
    encoding: 'utf8',
  }).trim();
  const load = execSync('cat /proc/loadavg', { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${os}, Node ${process.version}, load average ${load} at start`;
}

async function main() {
  const sections: Section[] = [];
  const only = process.argv.slice(2);
  const want = (name: string) => only.length === 0 || only.includes(name);
  const header = `# Slipway benchmarks, ${new Date().toISOString().slice(0, 10)}\n\nMachine: ${machine()}\n`;
  if (want('startup')) sections.push(startupSection(repoRoot));
  if (want('smoke-test')) sections.push(await smokeTestSection(repoRoot));
  const report = [header, ...sections.map(renderSection)].join('\n');
  mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
  const file = join(repoRoot, 'bench/results', `${new Date().toISOString().slice(0, 10)}.md`);
  writeFileSync(file, report);
  console.log(report);
  console.log(`written to ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
