import {
  type AnalysisConfig,
  type GateConfig,
  InputError,
  type InputReader,
  readAnalysisInputs,
  readUrlAssertions,
  urlGate,
} from '@slipway/shared';

/** The pause stages deploy-ecs runs a gate at, and the input that gives each one's URLs. */
export const GATED_STAGES = {
  POST_TEST_TRAFFIC_SHIFT: 'test-url',
  POST_PRODUCTION_TRAFFIC_SHIFT: 'production-url',
} as const;
export type GatedStage = keyof typeof GATED_STAGES;

/** The stages a PAUSE hook may hold (ECS refuses PAUSE at TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT). */
export const PAUSE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

/** What deploy-ecs answers at the pauses of a blue/green, linear or canary deployment. */
export interface PauseInputs {
  /** The gate run at each gated stage: its checks go to that stage's listener. */
  gates: Partial<Record<GatedStage, GateConfig>>;
  /** Stages whose pause is continued at once, without a check (`continue-at`). */
  continueAt: string[];
  /** The metrics judged at POST_PRODUCTION_TRAFFIC_SHIFT over the bake (after production-url passes). */
  analysis?: AnalysisConfig;
}

/** The stages this run answers with a check: a gate's, or the analysis's. */
export function checkedStages(inputs: PauseInputs): string[] {
  const stages = Object.keys(inputs.gates);
  if (inputs.analysis && !stages.includes('POST_PRODUCTION_TRAFFIC_SHIFT'))
    stages.push('POST_PRODUCTION_TRAFFIC_SHIFT');
  return stages;
}

/** Who in this run answers each pause stage: `for this run's test-url` (analysis, continue-at). */
export function pauseAnswerers(inputs: PauseInputs): (stage: string) => string | undefined {
  const by: Record<string, string> = {};
  for (const stage of inputs.continueAt) by[stage] = 'continue-at';
  if (inputs.analysis) by.POST_PRODUCTION_TRAFFIC_SHIFT = 'analysis';
  for (const stage of Object.keys(inputs.gates) as GatedStage[]) by[stage] = GATED_STAGES[stage];
  return (stage) => (by[stage] ? `for this run's ${by[stage]}` : undefined);
}

/**
 * `test-url` and `production-url` with smoke-test's assertion inputs (as deploy-compose's `public-url` reads
 * them), and `continue-at`. Each check waits up to ready-timeout for the listener to answer as the new release.
 */
export function getPauseInputs(read: InputReader): PauseInputs {
  const assertions = readUrlAssertions(read);
  const readyTimeoutMs = read.duration('ready-timeout', { default: '5m', min: 0, max: 3_600_000 });
  const gates: PauseInputs['gates'] = {};
  const given: Record<GatedStage, string[]> = {
    POST_TEST_TRAFFIC_SHIFT: read.list('test-url', { separator: 'newline' }),
    POST_PRODUCTION_TRAFFIC_SHIFT: read.list('production-url', { separator: 'newline' }),
  };
  for (const [stage, urls] of Object.entries(given) as Array<[GatedStage, string[]]>) {
    const input = GATED_STAGES[stage];
    if (!urls.length) continue;
    gates[stage] = urlGate(urls, input, assertions, readyTimeoutMs);
  }
  // smoke-test's analysis inputs, read by the one shared reader (inline YAML or a workspace file)
  const version = assertions['expect-version'];
  const analysis = readAnalysisInputs(read, {
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    version: typeof version === 'string' && version ? version : undefined,
  })?.config;
  if (!Object.keys(gates).length && !analysis) {
    const given = Object.entries(assertions).find(([, value]) => value !== undefined);
    if (given) {
      throw new InputError(
        given[0],
        `Input "${given[0]}" is an assertion on "test-url" and "production-url": set one of them too.`,
      );
    }
  }
  const continueAt = read.list('continue-at').map((s) => s.toUpperCase());
  for (const stage of continueAt) {
    if (!PAUSE_STAGES.includes(stage)) {
      throw new InputError(
        'continue-at',
        `Input "continue-at" takes lifecycle stages a PAUSE hook can hold (${PAUSE_STAGES.join(', ')}); got ${JSON.stringify(stage)}.`,
      );
    }
    if (stage in gates) {
      throw new InputError(
        'continue-at',
        `Input "continue-at" names ${stage}, where ${GATED_STAGES[stage as GatedStage]} is checked: a pause is answered by one of them.`,
      );
    }
  }
  return { gates, continueAt, ...(analysis ? { analysis } : {}) };
}
