import { dirname, resolve } from 'node:path';
import {
  type AnalysisInputs,
  type CanaryAnalysis,
  type CanaryStepReport,
  createDeploymentRecorder,
  type DeploymentRecords,
  entryCanaryJudge,
  entryChecks,
  type FleetOptions,
  fleetOptions,
  type GateConfig,
  type HostResult,
  InputError,
  imageDigest,
  inputsCanaryAnalysis,
  joinCanaryAnalyses,
  type LockHandle,
  preSwitchCheck,
  type Release,
  refuseHostBadDigests,
  type SshConnectOptions,
  type SshSession,
  type StateStore,
  UserError,
  withFleet,
} from '@slipway/shared';
import { buildRelease } from './compose-files';
import type { Inputs } from './inputs';
import { collectFiles, type LocalFs } from './local-files';

/** What the post step needs to release locks a cancelled or crashed main step left behind. */
export interface PostState {
  locks: Record<string, LockHandle>;
}

/** How the action talks to the runner: logs, annotations, outputs. */
export interface RunnerIo {
  info: (message: string) => void;
  notice: (message: string) => void;
  warning: (message: string) => void;
  setOutput: (name: string, value: string) => void;
}

export interface Deps {
  connect: (options: SshConnectOptions) => Promise<SshSession>;
  readFile: (path: string) => string;
  /** The workspace's files, for the `files` input. */
  fs: LocalFs;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  state: StateStore<PostState>;
  /** GitHub Deployments of this repository; undefined without a token. */
  records: (token: string | undefined) => DeploymentRecords | undefined;
  io: RunnerIo;
}

/** The release to deploy and how, decided from the inputs and the workspace before anything is contacted. */
export interface DeployPlan {
  release: Release;
  options: FleetOptions;
  /** The images' digests, checked against earlier rollbacks before any host changes. */
  digests: string[];
  sha: string;
  /** `strategy: canary`: each step's outcome, filled in as the steps end (the outputs). */
  canarySteps: CanaryStepReport[];
}

function releaseId(now: Date, sha: string): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${sha.slice(0, 7) || 'nosha'}`;
}

/** The fleet options from the inputs, with deploy-compose's hooks and atomic setting. */
export function deployOptions(inputs: Inputs, env: NodeJS.ProcessEnv, runUrl: string): FleetOptions {
  return {
    ...fleetOptions(inputs, env, runUrl),
    hooks: {
      preDeploy: inputs.preDeploy
        ? { service: inputs.preDeployService ?? inputs.images[0]?.[0] ?? '', command: inputs.preDeploy }
        : undefined,
      postDeploy: inputs.postDeploy,
      backup: inputs.backup,
    },
    atomic: inputs.atomic,
    ...(inputs.strategy === 'blue-green' ? { blueGreen: { keepPreviousMs: inputs.keepPreviousMs } } : {}),
  };
}

/**
 * A canary step's judge: the entry point's answers of the new version, and with `analysis` its metrics too, over
 * the step's interval, with `{{ release }}` the release being canaried (as smoke-test's analysis has it).
 */
export function canaryJudge(
  entry: GateConfig,
  metrics: AnalysisInputs | undefined,
  io: RunnerIo,
  releaseId: string,
): CanaryAnalysis {
  const answers = entryCanaryJudge(entry, { log: io.info });
  if (!metrics) return answers;
  return joinCanaryAnalyses(answers, inputsCanaryAnalysis(metrics, { log: io.info }, { release: releaseId }));
}

/**
 * The entry point's checks, when public-url is given: logged through the runner; with strategy blue-green, the
 * same assertions on the new containers directly before the switch; with strategy canary, its judge of each step
 * (the hook other gates can join: joinCanaryAnalyses), each step's outcome kept in `steps`.
 */
function withEntry(
  options: FleetOptions,
  inputs: Inputs,
  io: RunnerIo,
  steps: CanaryStepReport[],
  releaseId: string,
): FleetOptions {
  if (!inputs.entry) return options;
  const entry = entryChecks(inputs.entry, io.info);
  const preSwitch = inputs.strategy === 'blue-green' ? preSwitchCheck(inputs.entry, io.info) : undefined;
  const canary = inputs.canary && {
    ...inputs.canary,
    analysis: canaryJudge(inputs.entry, inputs.canary.metrics, io, releaseId),
    onStep: (report: CanaryStepReport) => steps.push(report),
  };
  return { ...options, entry: preSwitch ? { ...entry, preSwitch } : entry, ...(canary ? { canary } : {}) };
}

/** Reads the Compose files and `files`, and builds the release. Refuses bad input; contacts nothing. */
export function planDeploy(inputs: Inputs, deps: Deps): DeployPlan {
  const { env } = deps;
  const sha = env.GITHUB_SHA ?? '';
  const runUrl = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
  const release = buildRelease({
    id: releaseId(deps.now(), sha),
    composeFiles: inputs.composeFiles.map((path) => {
      try {
        return { path, content: deps.readFile(path) };
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw new UserError(
          `Input "compose-file": cannot read ${path} (${(error as Error).message}). Paths are relative to the workspace.`,
        );
      }
    }),
    files: collectFiles(inputs.files, dirname(resolve(inputs.composeFiles[0])), deps.fs),
    secretFiles: inputs.secretFiles,
    env: inputs.env,
    images: inputs.images,
    httpChecks: inputs.healthChecks,
    proxyServices: inputs.proxyServices,
    gitSha: sha,
    actor: env.GITHUB_ACTOR ?? 'unknown',
    runUrl,
    warn: deps.io.warning,
  });
  const canarySteps: CanaryStepReport[] = [];
  // The fleet's progress (each host's phases, each canary step) goes through the runner's io, as the rest.
  const base = { ...deployOptions(inputs, env, runUrl), log: deps.io.info };
  const options = withEntry(base, inputs, deps.io, canarySteps, release.id);
  const pre = options.hooks.preDeploy;
  if (pre && !release.services.some((s) => s.name === pre.service)) {
    throw new UserError(
      'Input "pre-deploy-command" needs a service to run in: set "pre-deploy-service" to a service of the Compose files (or list one in "images").',
    );
  }
  const traefik = release.services.find((s) => s.proxy === 'traefik');
  if (inputs.strategy === 'blue-green' && traefik) {
    // Traefik's Docker provider routes by address to every running, healthy container with the labels: a colour
    // out of the service's DNS name is still in its rotation, and only leaves it when it stops.
    throw new InputError(
      'strategy',
      `Input "strategy": blue-green keeps the previous colour running out of rotation, but ${traefik.name} is Traefik, whose Docker provider sends requests to every running, healthy container with the service's labels, so the previous colour would go on answering. Behind Traefik use "rolling" or "canary" (a container leaves Traefik's rotation when it stops).`,
    );
  }
  const pooled = release.services.find((s) => s.pooledByName);
  if (inputs.strategy === 'canary' && pooled) {
    // one upstream, a few kept-alive connections each to one container: behind it, a step's share was 0%, 8% or
    // 100% where 33% was set (canary.test.ts)
    throw new InputError(
      'strategy',
      `Input "strategy": a canary needs its proxy to spread requests over the service's containers, but ${pooled.name} is Caddy naming the service as host:port (\`reverse_proxy web:8080\`), which sends them over a few kept-alive connections, each to one container: the canary's share would be anything from 0% to 100%. Name it with \`dynamic a web 8080\` in the Caddyfile (Caddy then spreads requests over its addresses), or use "rolling" or "blue-green".`,
    );
  }
  const digests = inputs.images.map(([, image]) => imageDigest(image)).filter((d) => d !== undefined);
  return { release, options, digests, sha, canarySteps };
}

/**
 * The deploy: a digest a rollback marked bad (in the deployment records, or in a host's own history) is refused
 * before any host is touched; then the GitHub Deployment, the fleet deploy, and the record's outcome. Each host
 * is connected once and every session closed however it ends; each lock taken is saved for the post step.
 */
export async function deployCompose(plan: DeployPlan, inputs: Inputs, deps: Deps): Promise<HostResult[]> {
  const { release, options, digests } = plan;
  const recorder = createDeploymentRecorder(
    { ...inputs.recording, sha: plan.sha },
    { records: deps.records(inputs.githubToken), notice: deps.io.notice, warning: deps.io.warning },
  );
  await recorder.guard(digests);
  const locks: Record<string, LockHandle> = {};
  options.onLock = (host, lock) => {
    if (lock) locks[host] = lock;
    else delete locks[host];
    deps.state.save('locks', locks);
  };
  return withFleet(inputs, deps.connect, async (fleet) => {
    if (digests.length > 0) {
      refuseHostBadDigests(
        fleet.names,
        await fleet.histories(),
        digests,
        inputs.recording.force,
        options.warn,
      );
    }
    deps.io.info(
      `Deploying release ${release.id} of ${inputs.project} to ${fleet.names.length} host(s) (${inputs.strategy}).`,
    );
    await recorder.begin(
      {
        target: 'compose',
        images: Object.fromEntries(inputs.images),
        releaseId: release.id,
        strategy: inputs.strategy,
        ...(inputs.strategy === 'blue-green' ? { keepPrevious: inputs.keepPreviousMs / 1000 } : {}),
        ...(inputs.migration ? { migration: inputs.migration } : {}),
      },
      `${inputs.project} ${release.id} to ${fleet.names.length} host(s)`,
    );
    const results = await fleet
      .deploy(() => release, options)
      .catch(async (error) => {
        await recorder.end('error', { description: String((error as Error)?.message ?? error) });
        throw error;
      });
    const failed = results.filter((r) => r.status === 'failed').map((r) => r.host);
    await recorder.end(failed.length ? 'failure' : 'success', {
      description: `${release.id}: ${failed.length ? `failed on ${failed.join(', ')}` : 'deployed'}`,
    });
    return results;
  });
}
