// `npm run demo [-- compose|ecs]`: a scenario of the staged pipeline, run here for real through the workflow
// files (see test/e2e/compose-world.ts and test/e2e/ecs-world.ts): a release goes build → staging → approval →
// production; then a release that breaks only in production fails the production gate and is rolled back
// automatically. Compose (default): a staging host and two production hosts over SSH; ecs: ecs-local services
// behind a load balancer each. Prints a timeline and writes every job summary to demo-report.md.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Infra, loadInfra, repoRoot } from '@slipway/testing';
import type { JobRecord, TimelineEvent, WorkflowResult } from '@slipway/workflow-runner';
import { startComposeWorld } from '../test/e2e/compose-world';
import { ENVIRONMENTS, startEcsWorld } from '../test/e2e/ecs-world';
import { failures, labelStandInScans, type PipelineWorld } from '../test/e2e/world';

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
      .map((s) => `### ${prefix}${id} › ${s.name}\n\n${labelStandInScans(s.summary?.trim() ?? '')}\n`),
    ...summaries(job.jobs ?? {}, `${prefix}${id}/`),
  ]);
}

const answer = (version: Promise<{ commit: string; status: string }>) =>
  version.then(
    (v) => `commit ${v.commit.slice(0, 7)}, ${v.status}`,
    () => 'no answer',
  );

/** A scenario: its world, where production is, and one line per place that serves the app. */
interface Scenario {
  title: string;
  production: string;
  world: PipelineWorld;
  places(): Promise<string[]>;
}

const scenarios: Record<string, (infra: Infra) => Promise<Scenario>> = {
  async compose(infra) {
    const world = await startComposeWorld(infra, printEvent);
    const places = (label: string, hosts: typeof world.staging) =>
      hosts.map(
        async (host) =>
          `  ${label.padEnd(10)} ${host.name}  ${world.urls.get(host)}  → ${await answer(world.version(host))}`,
      );
    return {
      title: 'Compose hosts',
      production: 'production (h2, h3)',
      world,
      places: () =>
        Promise.all([...places('staging', world.staging), ...places('production', world.production)]),
    };
  },
  async ecs(infra) {
    const world = await startEcsWorld(infra, printEvent);
    return {
      title: 'ECS (ecs-local)',
      production: 'the production service',
      world,
      places: () =>
        Promise.all(
          ENVIRONMENTS.map(async (environment) => {
            const { taskDefinition } = await world.running(environment);
            return `  ${environment.padEnd(10)} ${taskDefinition.replace(/^.*:task-definition\//, '')}  ${world.urls[environment]}  → ${await answer(world.version(environment))}`;
          }),
        ),
    };
  },
};

async function main(): Promise<void> {
  const target = process.argv[2] ?? 'compose';
  const start = scenarios[target];
  if (!start) throw new Error(`Unknown scenario "${target}": use ${Object.keys(scenarios).join(' or ')}.`);
  const infra = loadInfra();
  if (!infra) throw new Error('No local infrastructure: run "npm run infra up" (npm run demo does).');
  const scenario = await start(infra);
  const { world } = scenario;
  const state = async (title: string) => {
    const text = [`${title}:`, ...(await scenario.places())].join('\n');
    console.log(text);
    return text;
  };
  const report: string[] = [`# Slipway demo: the staged pipeline on ${scenario.title}`, ''];
  const record = (title: string, result: WorkflowResult, text: string) => {
    const failed = Object.entries(result.jobs).flatMap(([id, job]) => failures(job, `${id}/`));
    for (const f of failed) console.log(`\nfailed step ${f.split('\n').slice(-12).join('\n')}`);
    report.push(`## ${title}: ${result.result}`, '', '```', text, '```', '', ...summaries(result.jobs));
  };
  try {
    console.log(`\n== 1. a good release: build → staging → approval → ${scenario.production}\n`);
    const good = world.commit();
    const first = await world.run('deploy', good, {
      approve: (environment) => {
        if (environment === 'production')
          console.log(`${clock()}  ⏸ production needs approval: approved (demo)`);
        return true;
      },
    });
    record('1. a good release', first, await state('\nafter release 1'));

    console.log('\n== 2. a release without its production configuration: the production gate fails\n');
    const broken = world.commit((dir) => rmSync(join(dir, 'app/config/production.env')));
    const second = await world.run('deploy', broken);
    record('2. a release broken in production', second, await state('\nafter release 2'));

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
