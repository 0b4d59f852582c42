// `npm run bench`: measures the suite beside its references in one run and writes bench/results/<date>.md.
// Not part of the test command: these machines are noisy, so speed lives here, not in timed tests.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { type Infra, loadInfra } from '@slipway/testing';
import { analysisSection } from './analysis';
import { blueGreenSection } from './blue-green';
import { canarySection } from './canary';
import { composeDeploySection } from './compose-deploy';
import { ecsSection } from './ecs';
import { recoverySection } from './recovery';
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

/** The sections in report order; those needing the local infrastructure (scripts/infra.sh up) get it. */
const SECTIONS: Array<{ name: string; infra: boolean; run: (infra: Infra) => Section | Promise<Section> }> = [
  { name: 'startup', infra: false, run: () => startupSection(repoRoot) },
  { name: 'compose', infra: true, run: (infra) => composeDeploySection(repoRoot, infra) },
  { name: 'recovery', infra: true, run: (infra) => recoverySection(repoRoot, infra) },
  { name: 'ecs', infra: true, run: () => ecsSection() },
  { name: 'smoke-test', infra: false, run: () => smokeTestSection(repoRoot) },
  { name: 'blue-green', infra: true, run: (infra) => blueGreenSection(repoRoot, infra) },
  { name: 'canary', infra: true, run: (infra) => canarySection(repoRoot, infra) },
  { name: 'analysis', infra: true, run: (infra) => analysisSection(repoRoot, infra) },
];

async function main() {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length) {
    throw new Error(
      `Unknown section(s) ${unknown.join(', ')}: choose from ${SECTIONS.map((s) => s.name).join(', ')}.`,
    );
  }
  const date = new Date().toISOString().slice(0, 10);
  const header = `# Slipway benchmarks, ${date}\n\nMachine: ${machine()}\n`;
  const infra = loadInfra();
  const parts: string[] = [header];
  for (const section of SECTIONS.filter((s) => only.length === 0 || only.includes(s.name))) {
    if (section.infra && !infra) {
      parts.push(`## ${section.name}\n\nSkipped: no local infrastructure (\`scripts/infra.sh up\`).\n`);
      continue;
    }
    console.error(`bench: ${section.name}...`);
    // A section that fails does not take the others' figures with it; the run then fails and writes nothing.
    try {
      parts.push(renderSection(await section.run(infra as Infra)));
    } catch (error) {
      console.error(error);
      parts.push(`## ${section.name}\n\nFailed: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  }
  const report = parts.join('\n');
  console.log(report);
  // Only a full run without failures is a dated result; a run of some sections is printed, not written.
  if (only.length === 0 && !process.exitCode) {
    mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
    const file = join(repoRoot, 'bench/results', `${date}.md`);
    writeFileSync(file, report);
    console.log(`written to ${file}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
