// `npm run demo [-- compose|ecs]`: a scenario of the staged pipeline, run here for real through the workflow
// files (see test/e2e/compose-world.ts and test/e2e/ecs-world.ts): a release goes build → staging → approval →
// production; a second one follows the same way; then a release that breaks only in production is stopped there
// (Compose: the entry point refuses the switch, the old containers serve on; ECS: the production gate fails and
// the service is rolled back). Compose (default): a staging host and two production hosts over SSH, each app
// behind Caddy in the same Compose project, and users' requests through the proxies during each production
// deploy (an open-loop load: how many were sent, how many failed); ecs: ecs-local services behind a load
// balancer each. Prints a timeline and writes every job summary to demo-report.md.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Infra, loadInfra, repoRoot } from '@slipway/testing';
import type { JobRecord, TimelineEvent, WorkflowResult } from '@slipway/workflow-runner';
import { type ProxyLoad, startComposeWorld } from '../test/e2e/compose-world';
import { ENVIRONMENTS, startEcsWorld } from '../test/e2e/ecs-world';
import { failures, labelStandInScans, type PipelineWorld } from '../test/e2e/world';

const REPORT = join(repoRoot, 'demo-report.md');
const started = Date.now();
const clock = () => `+${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
const mark = { success: '✔', failure: '✘', skipped: '·', approved: '✔', rejected: '✘' } as const;

/** What the scenario does when production's approval is given and when its deploy step ends. */
const production: { approved?: () => Promise<void>; deployed?: () => Promise<void> } = {};

/** `h2 web rolling` / `h2 proxy recreated` per host and service, from a deploy-compose log. */
function deployActions(log: string): string[] {
  return [...log.matchAll(/^(?:slipway-)?(\w+)@\S+: (\S+): (rolling|recreating)/gm)].map(
    ([, host, service, action]) => `${host} ${service} ${action === 'rolling' ? 'rolling' : 'recreated'}`,
  );
}

function printEvent(e: TimelineEvent): void {
  const what = e.kind === 'step' ? `  ${e.step}` : e.kind === 'approval' ? `  approval for ${e.detail}` : '';
  const detail = e.kind === 'job' && e.detail ? `  ${e.detail}` : '';
  console.log(
    `${clock()}  ${mark[e.result]} ${e.job}${what}${e.kind === 'job' ? ` (job ${e.result})` : ''}${detail}`,
  );
  if (e.kind === 'step' && e.step?.endsWith('actions/deploy-compose')) {
    const actions = deployActions(e.log ?? '');
    if (actions.length) console.log(`${' '.repeat(14)}${actions.join(', ')}`);
  }
}

/** Runs the scenario's hooks in order with the timeline (the runner does not wait for them). */
let hooks = Promise.resolve();
function onEvent(e: TimelineEvent): void {
  printEvent(e);
  const deployed = e.kind === 'step' && /actions\/deploy-(compose|ecs)$/.test(e.step ?? '');
  if (deployed && e.job.includes('production') && production.deployed)
    hooks = hooks.then(production.deployed);
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
  /** What a release broken in production ends as. */
  brokenOutcome: string;
  /** Users' requests to production's entry points, from when every one of them answers (Compose). */
  load?: () => Promise<{ stop(): Promise<ProxyLoad> } | undefined>;
}

const describeLoad = (load: ProxyLoad) =>
  `${load.sent} requests through the proxies during the production deploy, ${load.failed} failed` +
  `${load.causes ? ` (${load.causes})` : ''}; answered by ${[...load.commits].map(([c, n]) => `${c.slice(0, 7)} ×${n}`).join(', ')}`;

const scenarios: Record<string, (infra: Infra) => Promise<Scenario>> = {
  async compose(infra) {
    const world = await startComposeWorld(infra, onEvent);
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
      brokenOutcome: 'the entry point refused the switch, the old containers served on',
      async load() {
        const serving = await Promise.all(
          world.production.map((h) => world.version(h).then(Boolean, () => false)),
        );
        return serving.every(Boolean) ? world.loadThrough(world.production, 100) : undefined;
      },
    };
  },
  async ecs(infra) {
    const world = await startEcsWorld(infra, onEvent);
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
      brokenOutcome: 'the production gate failed and production was rolled back',
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
  const loads: string[] = [];
  /** Runs a release through the pipeline; with a load, users' requests go through production's proxies meanwhile. */
  const release = async (title: string, commit: ReturnType<PipelineWorld['commit']>) => {
    let load: { stop(): Promise<ProxyLoad> } | undefined;
    production.deployed = async () => {
      const through = await load?.stop();
      load = undefined;
      if (!through) return;
      const line = describeLoad(through);
      loads.push(`${title}: ${line}`);
      console.log(`${' '.repeat(14)}${line}`);
    };
    const result = await world.run('deploy', commit, {
      approve: async (environment) => {
        if (environment !== 'production') return true;
        console.log(`${clock()}  ⏸ production needs approval: approved (demo)`);
        load = await scenario.load?.();
        if (scenario.load && !load)
          console.log(`${' '.repeat(14)}production serves nothing yet: no users to measure`);
        return true;
      },
    });
    await hooks;
    await load?.stop(); // the production deploy never ran (a failure before it)
    return result;
  };
  try {
    console.log(`\n== 1. a good release: build → staging → approval → ${scenario.production}\n`);
    const first = await release('release 1', world.commit());
    record('1. a good release', first, await state('\nafter release 1'));

    console.log(`\n== 2. the next good release, the same way, while users keep arriving\n`);
    const second = await release('release 2', world.commit());
    record('2. the next release', second, await state('\nafter release 2'));

    console.log('\n== 3. a release without its production configuration: stopped in production\n');
    const broken = world.commit((dir) => rmSync(join(dir, 'app/config/production.env')));
    const third = await release('release 3', broken);
    record('3. a release broken in production', third, await state('\nafter release 3'));

    if (loads.length)
      report.push(
        '## Requests through the proxies during each production deploy',
        '',
        ...loads.map((l) => `- ${l}`),
        '',
      );
    writeFileSync(REPORT, `${report.join('\n')}\n`);
    console.log(`\nJob summaries: ${REPORT}`);
    if (loads.length)
      console.log(`\nDuring each production deploy:\n${loads.map((l) => `  ${l}`).join('\n')}`);
    const ok = first.result === 'success' && second.result === 'success' && third.result === 'failure';
    console.log(
      ok
        ? `As expected: releases 1 and 2 ran everywhere in turn; release 3 runs on staging only (${scenario.brokenOutcome}).`
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
