import * as core from '@actions/core';
import {
  type AnalysisConfig,
  type AnalysisResult,
  analyseRelease,
  analysisSummaryMarkdown,
  appendSummary,
  createStateStore,
  type DeploymentRecords,
  defaultGateDeps,
  digestsOf,
  formatDuration,
  type GateConfig,
  type GateDeps,
  type GateResult,
  logGroup,
  maskSecrets,
  type RecordedDeployment,
  runGate,
  type StateStore,
  UserError,
} from '@slipway/shared';
import { getInputs, type Inputs } from './inputs';
import type { PostState } from './post';
import { badMarks } from './records/bad-marks';
import { chooseFromRecords, describeRecord, environmentHistory } from './records/choose-release';
import { checkCooldown, checkMigrations } from './records/guards';
import { recordsFor } from './records/records-client';
import { parenthetical } from './report/parenthetical';
import { rollbackSummary } from './report/summary';
import type { RollbackOutcome, RollbackTarget, Source } from './targets';

export interface Deps {
  /** Deployment records, or undefined without a token or a repository. */
  records: (inputs: Inputs) => DeploymentRecords | undefined;
  target: (inputs: Inputs, log: (line: string) => void) => Promise<RollbackTarget>;
  gate: (config: GateConfig, log: (message: string) => void) => GateDeps;
  /** Runs the metric analysis (the real providers by default). */
  analyse: (config: AnalysisConfig, log: (message: string) => void) => Promise<AnalysisResult>;
  log: (line: string) => void;
  /** Wall-clock time, for the cooldown (deployment records carry wall-clock times). */
  now: () => number;
  /** The commit of this run, for a rollback recorded without a recorded release. */
  sha: string;
  /** Tells the post step what the run is restoring while it runs (none in tests that do not cancel). */
  state?: StateStore<PostState>;
}

export const defaultDeps = (): Deps => ({
  records: recordsFor,
  // Only the target in use is loaded (SSH and deploy-compose, or the AWS SDK and deploy-ecs), once the inputs
  // are known to be good: each is a large part of the bundle.
  target: async (inputs, log) => {
    if (inputs.compose) {
      const { composeTarget, defaultComposeDeps } = await import('./compose/compose-target');
      return composeTarget(inputs.compose, defaultComposeDeps(), inputs.reason || 'rolled back');
    }
    if (!inputs.ecs) throw new Error(`no settings for target ${inputs.target}`);
    const { createEcsDeps, ecsTarget } = await import('./ecs/ecs-target');
    return ecsTarget(inputs.ecs, { ...createEcsDeps(inputs.ecs, log), log, warning: core.warning });
  },
  gate: defaultGateDeps,
  analyse: (config, log) => analyseRelease(config, { log }),
  log: (line) => core.info(maskSecrets(line)),
  now: Date.now,
  sha: process.env.GITHUB_SHA ?? '',
  state: createStateStore<PostState>(),
});

export async function run(inputs: Inputs = getInputs(), deps: Deps = defaultDeps()): Promise<void> {
  const started = deps.now();
  const { records, history } = await loadHistory(deps.records(inputs), inputs);
  const mine = history ? environmentHistory(history, inputs) : [];
  const why: string[] = inputs.reason ? [inputs.reason] : [];

  let source: Source;
  let from: RecordedDeployment | undefined;
  let migrationWarning: string | undefined;
  const target = await deps.target(inputs, deps.log);
  let plan: Awaited<ReturnType<RollbackTarget['plan']>>;
  try {
    if (history) checkCooldown(mine, inputs, deps.now());
    const choice = history ? chooseFromRecords(history, inputs) : undefined;
    from = choice?.from;
    if (choice?.to) source = { record: choice.to };
    else if (inputs.to) source = { explicit: inputs.to };
    else source = { fallback: true };
    if (history && !choice) {
      core.notice(
        `No deployment records of ${inputs.environment} for target ${inputs.target}: the release to restore is ` +
          `chosen from ${inputs.target === 'ecs' ? "ECS's deployment history" : "the hosts' release history"}.`,
      );
    }
    if (choice?.to) migrationWarning = checkMigrations(mine, choice.to, inputs.migrationsGuard);
    else if (inputs.migrationsGuard !== 'off') {
      core.warning(
        'migrations-guard could not be checked: schema migrations are known only from deployment records, and ' +
          'the release to restore is not among them.',
      );
    }
    if (from) why.push(`rolled away from deployment #${from.id} (${describeRecord(from)})`);
    plan = await target.plan(source, badMarks(history ?? [], from));
  } catch (error) {
    if (error instanceof UserError) core.setOutput('result', 'refused');
    throw error;
  }
  if (migrationWarning) core.warning(migrationWarning);
  deps.log(`Rolling ${inputs.environment} back: ${plan.from || '(nothing recorded)'} -> ${plan.to}.`);

  // Marked bad first: from now on the deploy actions refuse the digests rolled away from.
  const reason = inputs.reason || 'rolled back';
  if (records && from && from.badReason === undefined) {
    await records.markBad(from.id, reason).then(
      () => deps.log(`Marked deployment #${from!.id} bad (${digestsOf(from!).join(', ') || 'no digests'}).`),
      (error) =>
        core.warning(
          `Could not mark deployment #${from!.id} bad ${parenthetical(`GitHub API: ${(error as Error).message}`)}.`,
        ),
    );
  }
  const recordId = await beginRecord(records, inputs, deps, source, plan, from, reason);
  // A run stopped from here on leaves the restore to the post step: its pauses, its record (see post.ts).
  const taskDefinitions = plan.payload.taskDefinitions;
  if (taskDefinitions) deps.state?.save('following', { taskDefinitions, githubDeploymentId: recordId });

  const outcome: RollbackOutcome = await logGroup(
    `rollback: ${inputs.target} ${plan.from} -> ${plan.to}`,
    () => plan.execute(),
  );
  let health: GateResult | undefined;
  if (outcome.ok) {
    health = await logGroup(`rollback: health checks (${inputs.health.checks.length})`, () =>
      checkHealth(inputs.health, deps),
    );
  }
  // The same analysis as the deploy's gate, on the restored release: the health checks alone prove it answers,
  // the metrics that it serves users well.
  let analysis: AnalysisResult | undefined;
  if (inputs.analysis && health?.result === 'passed') {
    const config = inputs.analysis.withVars({ release: plan.to });
    const what = config.bakeMs === undefined ? '' : ` over a ${formatDuration(config.bakeMs)} bake`;
    analysis = await logGroup(`rollback: analysis of ${config.metrics.length} metric(s)${what}`, () =>
      deps.analyse(config, (message) => deps.log(message)),
    );
    core.setOutput('analysis-result', analysis.result);
  }
  const healthy = health?.result === 'passed' && (!analysis || analysis.result === 'passed');
  const result = !outcome.ok ? 'failed' : healthy ? 'rolled-back' : 'unhealthy';
  if (records && recordId !== undefined) {
    await records
      .finish(recordId, healthy ? 'success' : 'failure', { description: `rollback ${result}` })
      .catch((error) =>
        core.warning(
          `Could not record the rollback's result ${parenthetical(`GitHub API: ${(error as Error).message}`)}.`,
        ),
      );
  }
  deps.state?.save('following', null);
  core.setOutput('rolled-back-to', plan.to);
  core.setOutput('rolled-back-from', plan.from);
  core.setOutput('result', result);
  await appendSummary(
    rollbackSummary({
      environment: inputs.environment,
      target: inputs.target,
      from: plan.from,
      to: plan.to,
      result,
      why,
      chosenBy: describeSource(source, inputs),
      durationMs: deps.now() - started,
      outcome,
      health,
    }) + (analysis ? `\n${analysisSummaryMarkdown(analysis)}` : ''),
  );
  if (!outcome.ok) {
    const restored = (u: RollbackOutcome['units'][number]) =>
      u.status === 'succeeded' || u.status === 'unchanged';
    const failed = outcome.units.filter((u) => !restored(u));
    const done = outcome.units.filter(restored).map((u) => u.name);
    throw new UserError(
      `Rollback of ${inputs.environment} to ${plan.to} FAILED: ${failed.map((u) => `${u.name} ${u.status} ${parenthetical(u.reason)}`).join('; ')}. ` +
        (done.length ? `On the restored release: ${done.join(', ')}. ` : '') +
        'It was tried once; look at the events above before trying again.',
    );
  }
  if (!healthy) {
    const failing = [
      ...(health?.checks.filter((c) => c.result !== 'passed') ?? []).map((c) => `${c.name}: ${c.reason}`),
      ...(analysis?.metrics ?? [])
        .filter((m) => m.result !== 'passed')
        .map((m) => `analysis ${m.name} ${m.result}: ${m.reason}`),
    ];
    throw new UserError(
      `Rolled ${inputs.environment} back to ${plan.to}, but the restored release is NOT healthy: ` +
        `${failing.join('; ')}. The environment needs attention now.`,
    );
  }
  deps.log(
    `Rolled ${inputs.environment} back to ${plan.to}; the health checks passed${analysis ? `, and the analysis: ${analysis.reason}` : ''}.`,
  );
}

/** The records and the environment's history; neither when the API cannot be used (a notice says so). */
async function loadHistory(
  records: DeploymentRecords | undefined,
  inputs: Inputs,
): Promise<{ records?: DeploymentRecords; history?: RecordedDeployment[] }> {
  if (!records) {
    core.notice(
      'No GitHub API access (github-token or GITHUB_REPOSITORY missing): rolling back without deployment records, ' +
        'from what the target remembers. Cooldown and migrations-guard are not checked, and nothing is marked bad.',
    );
    return {};
  }
  try {
    return { records, history: await records.history(inputs.environment) };
  } catch (error) {
    core.notice(
      `The deployment records could not be read ${parenthetical(`GitHub API: ${(error as Error).message}`)}: rolling back from ` +
        'what the target remembers. Cooldown and migrations-guard are not checked, and nothing is marked bad.',
    );
    return {};
  }
}

async function beginRecord(
  records: DeploymentRecords | undefined,
  inputs: Inputs,
  deps: Deps,
  source: Source,
  plan: Awaited<ReturnType<RollbackTarget['plan']>>,
  from: RecordedDeployment | undefined,
  reason: string,
): Promise<number | undefined> {
  const restored = 'record' in source ? source.record : undefined;
  const sha = restored?.sha ?? deps.sha;
  if (!records || !sha) return undefined;
  try {
    return await records.start({
      environment: inputs.environment,
      sha,
      payload: {
        slipway: 1,
        target: inputs.target,
        ...plan.payload,
        ...(restored?.payload?.migration ? { migration: restored.payload.migration } : {}),
        sha,
        rollback: { fromId: from?.id, from: from ? digestsOf(from) : plan.from.split(','), reason },
      },
      description: `rollback to ${plan.to}`,
    });
  } catch (error) {
    core.warning(
      `Could not record the rollback as a deployment ${parenthetical(`GitHub API: ${(error as Error).message}`)}.`,
    );
    return undefined;
  }
}

async function checkHealth(config: GateConfig, deps: Deps): Promise<GateResult> {
  const gateDeps = deps.gate(config, deps.log);
  try {
    return await runGate(config, gateDeps);
  } finally {
    await gateDeps.client.close();
  }
}

function describeSource(source: Source, inputs: Inputs): string {
  if ('record' in source) {
    return `deployment record #${source.record.id} (${inputs.to ? 'named by "to"' : 'the last good one'})`;
  }
  if ('explicit' in source) return 'the "to" input';
  return "the target's own history (no deployment records)";
}
