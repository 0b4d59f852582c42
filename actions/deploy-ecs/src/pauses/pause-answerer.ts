import type { Service } from '@aws-sdk/client-ecs';
import {
  type AnalysisConfig,
  type AnalysisResult,
  answerPause,
  type EcsApi,
  type EcsPause,
  type GateConfig,
  type GateDeps,
  type GateResult,
  joinVerdicts,
  pauseStagesOf,
  runGate,
  UserError,
} from '@slipway/shared';
import { checkedStages, GATED_STAGES, type GatedStage, type PauseInputs } from './pause-inputs';

/** How one pause was answered, and why (the gate's result when a gate decided). */
export interface PauseVerdict {
  service: string;
  stage: string;
  hookId: string;
  action: 'CONTINUE' | 'ROLLBACK' | 'none';
  /** What decided: the input (`test-url`, `production-url`, `continue-at`) or our own rollback. */
  by: string;
  reason: string;
  gate?: GateResult;
  analysis?: AnalysisResult;
}

export interface PauseDeps {
  gate: (config: GateConfig, log: (line: string) => void) => GateDeps;
  /** Runs the metric analysis (the real providers by default). */
  analyse: (config: AnalysisConfig, log: (line: string) => void) => Promise<AnalysisResult>;
  log: (line: string) => void;
  warning: (message: string) => void;
}

/**
 * Before anything changes: every PAUSE stage of every service must be answered here (a gate or continue-at),
 * or the deployment would wait out wait-timeout with nobody to continue it; and every gate given must have a
 * pause to run at, or green would take traffic unchecked.
 */
export function checkPauses(services: Service[], inputs: PauseInputs): void {
  for (const service of services) {
    const stages = pauseStagesOf(service);
    const name = service.serviceName;
    const checked = checkedStages(inputs);
    const unanswered = stages.filter((s) => !checked.includes(s) && !inputs.continueAt.includes(s));
    if (unanswered.length) {
      const how = unanswered
        .map((s) => (s in GATED_STAGES ? `${GATED_STAGES[s as GatedStage]} (or continue-at)` : 'continue-at'))
        .join(', ');
      throw new UserError(
        `ECS service ${name} pauses its deployments at ${unanswered.join(', ')} (PAUSE lifecycle hooks), and ` +
          `nothing in this run answers ${unanswered.length > 1 ? 'them' : 'it'}: the deployment would wait until ` +
          `the hook's timeout. Set ${how}, or remove the hook from the service's deploymentConfiguration.`,
      );
    }
    for (const stage of checked as GatedStage[]) {
      if (!stages.includes(stage)) {
        const input = inputs.gates[stage] ? GATED_STAGES[stage] : 'analysis';
        throw new UserError(
          `Input "${input}" is checked at the ${stage} pause, but ECS service ${name} has no PAUSE ` +
            `lifecycle hook there, so its new tasks would take traffic unchecked. Add { targetType: PAUSE, ` +
            `lifecycleStages: [${stage}] } to the service's deploymentConfiguration.lifecycleHooks ` +
            '(strategy BLUE_GREEN, LINEAR or CANARY).',
        );
      }
    }
  }
}

/**
 * Answers each pause of the run's deployments: the stage's gate decides CONTINUE (passed) or ROLLBACK (failed
 * or inconclusive); continue-at stages and the run's own rollback deployment continue at once.
 */
export function createPauseAnswerer(api: EcsApi, inputs: PauseInputs, deps: PauseDeps) {
  const verdicts: PauseVerdict[] = [];
  async function onPause(service: string, pause: EcsPause, ours: boolean): Promise<void> {
    const base = { service, stage: pause.stage, hookId: pause.hookId };
    let verdict: PauseVerdict & { action: 'CONTINUE' | 'ROLLBACK' };
    if (!ours) {
      verdict = { ...base, action: 'CONTINUE', by: 'rollback', reason: 'our rollback deployment: continued' };
    } else if (checkedStages(inputs).includes(pause.stage)) {
      verdict = { ...base, ...(await judge(service, pause.stage as GatedStage, inputs, deps)) };
    } else if (inputs.continueAt.includes(pause.stage)) {
      verdict = { ...base, action: 'CONTINUE', by: 'continue-at', reason: `continue-at ${pause.stage}` };
    } else {
      deps.log(`${service}: paused at ${pause.stage}; nothing in this run answers it (someone else may).`);
      verdicts.push({ ...base, action: 'none', by: '', reason: `not answered by this run` });
      return;
    }
    verdicts.push(verdict);
    await answerPause(api, service, pause, verdict, deps);
  }
  return { onPause, verdicts };
}

/** The stage's gate, then (production, when the gate did not fail) the analysis over the bake. */
async function judge(service: string, stage: GatedStage, inputs: PauseInputs, deps: PauseDeps) {
  const gate = inputs.gates[stage];
  const input = GATED_STAGES[stage];
  let result: GateResult | undefined;
  let analysis: AnalysisResult | undefined;
  const reasons: string[] = [];
  if (gate) {
    deps.log(`${service}: paused at ${stage}: checking ${input} (${gate.checks.length} check(s)).`);
    result = await check(gate, deps);
    const failed = result.checks.filter((c) => c.result !== 'passed');
    reasons.push(
      result.result === 'passed'
        ? `${input} passed at ${stage}`
        : `${input} ${result.result} at ${stage}: ${failed.map((c) => `${c.name}: ${c.reason}`).join('; ')}`,
    );
  }
  const config = stage === 'POST_PRODUCTION_TRAFFIC_SHIFT' ? inputs.analysis : undefined;
  if (config && result?.result !== 'failed') {
    deps.log(`${service}: paused at ${stage}: analysis of ${config.metrics.length} metric(s).`);
    analysis = await deps.analyse(config, deps.log);
    reasons.push(`analysis ${analysis.result} at ${stage}: ${analysis.reason}`);
  }
  const verdict = joinVerdicts(result?.result, analysis?.result);
  return {
    action: verdict === 'passed' ? ('CONTINUE' as const) : ('ROLLBACK' as const),
    by: [gate && input, analysis && 'analysis'].filter(Boolean).join(' + '),
    reason: reasons.join('; '),
    ...(result ? { gate: result } : {}),
    ...(analysis ? { analysis } : {}),
  };
}

async function check(config: GateConfig, deps: PauseDeps): Promise<GateResult> {
  const gateDeps = deps.gate(config, deps.log);
  try {
    return await runGate(config, gateDeps);
  } finally {
    await gateDeps.client.close();
  }
}
