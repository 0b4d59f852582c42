// `npm run demo`: the Compose scenario of the staged pipeline, run here for real through the workflow files
// (see test/e2e/compose-world.ts): a release goes build → staging → approval → two production hosts; then a
// release that breaks only in production fails the production gate and is rolled back automatically.
// Prints a timeline and writes every job summary to demo-report.md.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadInfra, repoRoot } from '@slipway/testing';
import type { JobRecord, TimelineEvent, WorkflowResult } from '@slipway/workflow-runner';
import { type ComposeWorld, failures, startComposeWorld } from '../test/e2e/compose-world';

const REPORT = join(repoRoot, 'demo-report.md');
const started = Date.now();
const clock = () => `+${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
const mark = { success: '✔', failure: '✘', skipped: '·', approved: '✔', rejected: '✘' } as const;

function printEvent(e: TimelineEvent): void {
  const what = e.kind === 'step' ? `  ${e.step}` : e.kind === 'approval' ? `  approval for ${e.detail}` : '';
  const detail = e.kind === 'job' && e.detail ? `  ${e.detail}` : '';
  console.log(
    `${clock()}  ${mark[e.result]} ${e.job}${what}${e.kind === 'job' ? ` (job ${e.result})` : ''}${detail}`,
  );
}

/** Every step summary of a run, under its job path. */
function summaries(jobs: Record<string, JobRecord>, prefix = ''): string[] {
  return Object.entries(jobs).flatMap(([id, job]) => [
    ...job.steps
      .filter((s) => s.summary?.trim())
      .map((s) => `### ${prefix}${id} › ${s.name}\n\n${s.summary?.trim()}\n`),
    ...summaries(job.jobs ?? {}, `${prefix}${id}/`),
  ]);
}

async function hosts(world: ComposeWorld, title: string): Promise<string> {
  const lines = [`${title}:`];
  for (const [label, list] of [
    ['staging', world.staging],
    ['production', world.production],
  ] as const) {
    for (const host of list) {
      const answer = await world.version(host).then(
        (v) => `commit ${v.commit.slice(0, 7)}, ${v.status}`,
        () => 'no answer',
      );
      lines.push(`  ${label.padEnd(10)} ${host.name}  ${world.urls.get(host)}  → ${answer}`);
    }
  }
  console.log(lines.join('\n'));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const infra = loadInfra();
  if (!infra) throw new Error('No local infrastructure: run "npm run infra up" (npm run demo does).');
  const world = await startComposeWorld(infra, printEvent);
  const report: string[] = ['# Slipway demo: the staged pipeline on Compose hosts', ''];
  const record = (title: string, result: WorkflowResult, state: string) => {
    const failed = Object.entries(result.jobs).flatMap(([id, job]) => failures(job, `${id}/`));
    for (const f of failed) console.log(`\nfailed step ${f.split('\n').slice(-12).join('\n')}`);
    report.push(`## ${title}: ${result.result}`, '', '```', state, '```', '', ...summaries(result.jobs));
  };
  try {
    console.log('\n== 1. a good release: build → staging → approval → production (h2, h3)\n');
    const good = world.commit();
    const first = await world.run('deploy', good, {
      approve: (environment) => {
        if (environment === 'production')
          console.log(`${clock()}  ⏸ production needs approval: approved (demo)`);
        return true;
      },
    });
    record('1. a good release', first, await hosts(world, '\nafter release 1'));

    console.log('\n== 2. a release without its production configuration: the production gate fails\n');
    const broken = world.commit((dir) => rmSync(join(dir, 'app/config/production.env')));
    const second = await world.run('deploy', broken);
    record('2. a release broken in production', second, await hosts(world, '\nafter release 2'));

    writeFileSync(REPORT, `${report.join('\n')}\n`);
    console.log(`\nJob summaries: ${REPORT}`);
    const ok = first.result === 'success' && second.result === 'failure';
    console.log(
      ok
        ? 'As expected: release 1 runs everywhere; release 2 runs on staging only, production was rolled back.'
        : 'Unexpected outcome: see the report.',
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await world.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
