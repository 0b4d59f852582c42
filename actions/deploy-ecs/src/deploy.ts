import type { Service } from '@aws-sdk/client-ecs';
import {
  analyseRelease,
  checkController,
  createDeploymentRecorder,
  type DeploymentRecorder,
  type DeploymentRecords,
  defaultGateDeps,
  deployService,
  type EcsApi,
  type FinalState,
  formatDuration,
  formatStoppedTask,
  imageDigest,
  isFailure,
  rollBackFleet,
  type ServiceResult,
  type StateStore,
  type Status,
} from '@slipway/shared';
import type { RdsApi } from './backup/rds-api';
import type { BackupResult } from './backup/take-backups';
import type { Inputs } from './inputs';
import { checkPauses, createPauseAnswerer, type PauseDeps } from './pauses/pause-answerer';
import { type EcsPlan, planEcs } from './plan';
import { backUpFirst, preDeployTask } from './pre-deploy/before-update';
import type { LogsReader } from './pre-deploy/logs-reader';
import { type PreDeployResult, preDeployContainer } from './pre-deploy/run-pre-deploy';
import type { OneOffTaskApi } from './pre-deploy/task-api';
import {
  findEqualRevision,
  latestRevision,
  loadBase,
  readTaskDefinitionFile,
} from './render/base-definition';
import { diffDefinitions } from './render/normalise';
import { imagesOf, renderTaskDefinition } from './render/render';
import { overallStatus, type Report } from './report/summary';

/**
 * What the post step needs when the main step stops while following a deployment (the run was cancelled or
 * timed out): the revision being deployed and its GitHub Deployment. Null once the outcome is recorded.
 */
export interface PostState {
  following: {
    taskDefinitionArn: string;
    githubDeploymentId?: number;
    /**
     * Services whose current deployment is this run's own rollback (rollback-on-failure), each with the task
     * definition it goes back to: the post step sees those through instead of rolling them back.
     */
    rollingBack?: Record<string, string>;
  } | null;
  /** The pre-deploy task while it runs: the post step stops it when the run is cancelled. */
  preDeployTask: { cluster: string; taskArn: string; githubDeploymentId?: number } | null;
}

/** What the engine needs from the world; tests pass fakes (see main.ts's defaultDeps for the real ones). */
export interface EngineDeps {
  ecs: (inputs: Inputs, log: (line: string) => void, notice?: (message: string) => void) => EcsApi;
  /** GitHub Deployments of this repository; undefined without a token. */
  records: (token: string | undefined) => DeploymentRecords | undefined;
  /** The commit being deployed. */
  sha: string;
  log: (line: string) => void;
  /** A step output (known ones are set as soon as known: a cancelled run still names its revision). */
  output: (name: string, value: string) => void;
  warning: (message: string) => void;
  notice: (message: string) => void;
  state: StateStore<PostState>;
  /** The health gate's HTTP client and clock, for the checks run at pauses (default: the real ones). */
  gate?: PauseDeps['gate'];
  /** The metric analysis run at POST_PRODUCTION_TRAFFIC_SHIFT (default: the real providers). */
  analyse?: PauseDeps['analyse'];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** `pre-deploy-command` and `backup`: their clients, loaded only when used (defaults in before-update.ts). */
  tasks?: (inputs: Inputs, log: (line: string) => void) => Promise<OneOffTaskApi>;
  logs?: () => Promise<LogsReader>;
  rds?: (inputs: Inputs, log: (line: string) => void) => Promise<RdsApi>;
  /** This run's URL, tagged on backups (default from GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID). */
  runUrl?: string;
}

/** How the deploy ended, for the outputs, the summary and the step's verdict. */
export interface EcsDeployOutcome {
  status: Status;
  results: ServiceResult[];
  /** Every service's reason, in words (the `reason` output). */
  reason: string;
  report: Report;
  /** Why the step fails, when it does. */
  failure?: string;
}

export interface EcsDeploy {
  /** Renders, registers (or reuses), deploys every service and follows it; all or nothing over the services. */
  deploy(): Promise<EcsDeployOutcome>;
  /** The dry run: everything up to the first change, then what the deploy would do (see plan.ts). */
  plan(): Promise<EcsPlan>;
  /** Records the outcome on the GitHub Deployment (error when there is none) and ends the post step's watch. */
  close(outcome: EcsDeployOutcome | undefined): Promise<void>;
}

// The default session of aws-actions/configure-aws-credentials with OIDC.
const USUAL_SESSION_MS = 3_600_000;

/**
 * Everything that can be checked without AWS is checked here, first: a bad file or input costs no API call.
 * Nothing is called until `deploy()`.
 */
export function openEcsDeploy(inputs: Inputs, deps: EngineDeps): EcsDeploy {
  const file =
    inputs.taskDefinition.kind === 'file' ? readTaskDefinitionFile(inputs.taskDefinition.path) : undefined;
  if (file) renderTaskDefinition(file, inputs); // names a missing container before anything is called
  for (const { container, image } of inputs.images) {
    if (!image.includes('@sha256:')) {
      deps.warning(
        `images: ${container}=${image} is not pinned by digest; ECS resolves the tag when each task starts.`,
      );
    }
  }
  if (inputs.wait && inputs.waitTimeoutMs > USUAL_SESSION_MS) {
    deps.warning(
      `wait-timeout is ${formatDuration(inputs.waitTimeoutMs)}, longer than the usual 1h AWS session from OIDC: ` +
        'raise role-duration-seconds in configure-aws-credentials, or the credentials may expire while waiting.',
    );
  }
  const recorder = createDeploymentRecorder(
    { ...inputs.recording, sha: deps.sha },
    { records: deps.records(inputs.githubToken), notice: deps.notice, warning: deps.warning },
  );
  return {
    deploy: () => deploy(inputs, deps, recorder, file),
    plan: async () => planEcs(inputs, await renderRevision(inputs, deps, recorder, file)),
    async close(outcome) {
      const state: FinalState = !outcome
        ? 'error'
        : outcome.status === 'unknown'
          ? 'error'
          : outcome.failure
            ? 'failure'
            : 'success';
      const description = outcome
        ? `ECS deploy ${outcome.status}: ${outcome.reason}`
        : 'The deploy stopped with an error before its outcome was known: see the run log.';
      await recorder.end(state, { description });
      deps.state.save('following', null);
    },
  };
}

/**
 * Everything before the first change, for the deploy and the dry run alike: the bad-digest guards, the services
 * (ECS's controller checked), the definition rendered from its base, and an equal revision to reuse, if any.
 */
export type RenderedRevision = Awaited<ReturnType<typeof renderRevision>>;

export async function renderRevision(
  inputs: Inputs,
  deps: EngineDeps,
  recorder: DeploymentRecorder,
  file: ReturnType<typeof readTaskDefinitionFile> | undefined,
) {
  // A digest a rollback marked bad is refused before anything in AWS changes: the `images` input's before any
  // AWS call, and below every container's of the definition actually deployed (a registered revision, a file).
  await recorder.guard(pinnedDigests(inputs.images));
  const api = deps.ecs(inputs, deps.log, deps.notice);

  const services = await api.describeServices(inputs.cluster, inputs.services);
  services.forEach(checkController);
  checkPauses(services, inputs.pauses);
  const current = services[0].taskDefinition
    ? await api.describeTaskDefinition(services[0].taskDefinition)
    : undefined;
  const base = await loadBase(inputs.taskDefinition, api, current, file);
  const rendered = renderTaskDefinition(base.definition, inputs);
  deps.log(`Task definition ${rendered.family}, rendered from ${base.origin}:`);
  for (const { container, image } of imagesOf(rendered)) deps.log(`  ${container}: ${image}`);
  await recorder.guard(pinnedDigests(imagesOf(rendered)));
  if (inputs.preDeploy) preDeployContainer(rendered, inputs.preDeploy); // a wrong container, before any change

  const latest = await latestRevision(api, rendered.family);
  const equal = inputs.forceNewDeployment
    ? undefined
    : findEqualRevision(rendered, [current, base.registered, latest]);
  return { api, services, current, base, rendered, equal };
}

async function deploy(
  inputs: Inputs,
  deps: EngineDeps,
  recorder: DeploymentRecorder,
  file: ReturnType<typeof readTaskDefinitionFile> | undefined,
): Promise<EcsDeployOutcome> {
  const { api, services, current, base, rendered, equal } = await renderRevision(
    inputs,
    deps,
    recorder,
    file,
  );
  // The backup is the first change (never in a plan): RDS snapshots before anything is registered or updated.
  const backups = await backUpFirst(inputs, deps, imagesOf(rendered));
  const target = equal ?? (await api.registerTaskDefinition(rendered));
  const arn = target.taskDefinitionArn!;
  deps.log(
    equal ? `The rendered definition equals ${arn}: reusing it, nothing registered.` : `Registered ${arn}.`,
  );
  deps.output('task-definition-arn', arn);

  await recorder.begin(
    {
      target: 'ecs',
      images: Object.fromEntries(imagesOf(rendered).map(({ container, image }) => [container, image])),
      taskDefinitions: Object.fromEntries(services.map((s) => [s.serviceName ?? '', arn])),
      ...(inputs.migration ? { migration: inputs.migration } : {}),
      ...(backups.length ? { backups: backups.map((b) => `${b.kind}:${b.source}/${b.snapshot}`) } : {}),
    },
    `${inputs.services.join(', ')} → ${arn.split('/').pop()}`,
  );
  const shown = {
    cluster: inputs.cluster,
    taskDefinitionArn: arn,
    origin: base.origin,
    changes: diffDefinitions(current, rendered),
    reused: Boolean(equal),
    backups,
  };
  const pre = await preDeployTask(inputs, deps, target, services[0], recorder.deploymentId);
  if (pre && pre.status !== 'succeeded') return preDeployFailed(pre, shown);
  const following = { taskDefinitionArn: arn, githubDeploymentId: recorder.deploymentId };
  const rollingBack: Record<string, string> = {};
  deps.state.save('following', following);

  const pauses = createPauseAnswerer(api, inputs.pauses, {
    gate: deps.gate ?? defaultGateDeps,
    analyse: deps.analyse ?? ((config, log) => analyseRelease(config, { log })),
    log: deps.log,
    warning: deps.warning,
  });
  const results = await deployAll(api, services, {
    ...inputs,
    onPause: pauses.onPause,
    // From our own rollback's UpdateService on, that service's deployment is the one a stopped run leaves.
    onDeploymentStarted: (service, to, ours) => {
      if (ours) return;
      rollingBack[service] = to;
      deps.state.save('following', { ...following, rollingBack });
    },
    taskDefinitionArn: arn,
    log: deps.log,
    now: deps.now,
    sleep: deps.sleep,
  });
  for (const r of results.filter((x) => x.stoppedTasks.length)) {
    deps.log(`${r.service}: stopped tasks:`);
    for (const task of r.stoppedTasks) deps.log(`  ${formatStoppedTask(task)}`);
  }
  for (const r of results) {
    // ECS rolled back because a gate answered ROLLBACK: the gate's verdict comes first in the reason.
    const decided = pauses.verdicts.find((v) => v.service === r.service && v.action === 'ROLLBACK');
    if (decided && r.status === 'rolled-back') r.reason = `${decided.reason}; ${r.reason}`;
  }
  return outcomeOf(inputs, results, { ...shown, preDeploy: pre, pauses: pauses.verdicts });
}

/** The pre-deploy task failed or timed out: no service was updated, and the step fails with its last lines. */
function preDeployFailed(
  pre: PreDeployResult,
  shown: Omit<Report, 'status' | 'results' | 'revision'> & { reused: boolean; backups: BackupResult[] },
): EcsDeployOutcome {
  const { reused, ...rest } = shown;
  const status = pre.status === 'timed-out' ? 'timed-out' : 'failed';
  const report: Report = {
    ...rest,
    preDeploy: pre,
    status,
    results: [],
    revision: reused ? 'reused' : 'registered',
  };
  const tail = pre.lastLines?.length ? ` Last lines: ${pre.lastLines.slice(-5).join(' | ')}` : '';
  const reason = `${pre.reason}; no service was updated`;
  return { status, results: [], reason, report, failure: `ECS deploy ${status}: ${reason}.${tail}` };
}

/**
 * Every service's deployment, followed to its end even when another one's fails (they are live); then all or
 * nothing: one service failing takes the others this run moved back too (rollback-on-failure), whatever step
 * failed (UpdateService refused, the deployment failed, timed out).
 */
async function deployAll(
  api: EcsApi,
  services: Service[],
  options: Parameters<typeof deployService>[2],
): Promise<ServiceResult[]> {
  const results = await Promise.all(services.map((service) => deployService(api, service, options)));
  await rollBackFleet(api, results, options);
  return results;
}

function outcomeOf(
  inputs: Inputs,
  results: ServiceResult[],
  shown: Omit<Report, 'status' | 'results' | 'revision'> & { reused: boolean },
): EcsDeployOutcome {
  const status = overallStatus(results.map((r) => r.status));
  const reason = results
    .map((r) => (results.length > 1 ? `${r.service}: ${reasonOf(r)}` : reasonOf(r)))
    .join('; ');
  const { reused, ...rest } = shown;
  const report: Report = { ...rest, status, results, revision: reused ? 'reused' : 'registered' };
  const failed = results.filter(
    (r) => isFailure(r.status) && !(r.status === 'rolled-back' && !inputs.failOnEcsRollback),
  );
  if (!failed.length) return { status, results, reason, report };
  const withThem = results.filter((r) => r.rollback?.because);
  const fleet = withThem.length
    ? `; rolled back with them: ${withThem.map((r) => `${r.service} (${r.rollback!.status})`).join(', ')}`
    : '';
  const failure = `ECS deploy ${status}: ${failed.map((r) => `${r.service} ${r.status} (${reasonOf(r)})`).join('; ')}${fleet}`;
  return { status, results, reason, report, failure };
}

/** The step's outputs of an outcome (task-definition-arn is set as soon as it is known). */
export function setOutputs(outcome: EcsDeployOutcome, output: (name: string, value: string) => void): void {
  const join = (values: Array<string | undefined>) => values.map((v) => v ?? '').join(',');
  output('previous-task-definition-arn', join(outcome.results.map((r) => r.previousTaskDefinitionArn)));
  output('deployment-id', join(outcome.results.map((r) => r.deploymentId)));
  output('status', outcome.status);
  output('rolled-back', String(outcome.results.some((r) => r.rolledBack)));
  output('reason', outcome.reason);
}

/** The digests that images pin, each with the container that runs it. */
function pinnedDigests(images: Array<{ container: string; image: string }>) {
  return images.flatMap(({ container, image }) => {
    const digest = imageDigest(image);
    return digest ? [{ digest, what: `container ${container}` }] : [];
  });
}

function reasonOf(r: ServiceResult): string {
  if (!r.rollback) return r.reason;
  const because = r.rollback.because ? ` because ${r.rollback.because}` : '';
  return `${r.reason}; rolled back to ${r.previousTaskDefinitionArn}${because}: ${r.rollback.status} (${r.rollback.reason})`;
}
