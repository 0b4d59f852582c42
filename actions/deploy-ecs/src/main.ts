import * as core from '@actions/core';
import {
  appendSummary,
  checkController,
  createDeploymentRecorder,
  createDeploymentRecords,
  createEcsApi,
  createGitHubClient,
  createStateStore,
  type DeploymentRecords,
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
  UserError,
} from '@slipway/shared';
import { getInputs, type Inputs } from './inputs';
import {
  findEqualRevision,
  latestRevision,
  loadBase,
  readTaskDefinitionFile,
} from './render/base-definition';
import { diffDefinitions } from './render/normalise';
import { imagesOf, renderTaskDefinition } from './render/render';
import { overallStatus, renderSummary } from './report/summary';

/**
 * What the post step needs when the main step stops while following a deployment (the run was cancelled or
 * timed out): the revision being deployed and its GitHub Deployment. Null once the outcome is recorded.
 */
export interface PostState {
  following: { taskDefinitionArn: string; githubDeploymentId?: number } | null;
}

export interface Deps {
  ecs: (inputs: Inputs, log: (line: string) => void) => EcsApi;
  /** GitHub Deployments of this repository; undefined without a token. */
  records: (token: string | undefined) => DeploymentRecords | undefined;
  /** The commit being deployed. */
  sha: string;
  log: (line: string) => void;
  state: StateStore<PostState>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultDeps = (): Deps => ({
  ecs: (inputs, log) =>
    createEcsApi({
      region: inputs.region,
      endpoint: inputs.endpoint,
      retryBaseDelayMs: Math.min(1000, inputs.pollIntervalMs),
      log,
    }),
  records: (token) =>
    token
      ? createDeploymentRecords(createGitHubClient(token), process.env.GITHUB_REPOSITORY ?? '')
      : undefined,
  sha: process.env.GITHUB_SHA ?? '',
  log: (line) => core.info(line),
  state: createStateStore<PostState>(),
});

// The default session of aws-actions/configure-aws-credentials with OIDC.
const USUAL_SESSION_MS = 3_600_000;

export async function run(inputs: Inputs = getInputs(), deps: Deps = defaultDeps()): Promise<void> {
  // Everything that can be checked without AWS is checked first: a bad file or input costs no API call.
  const file =
    inputs.taskDefinition.kind === 'file' ? readTaskDefinitionFile(inputs.taskDefinition.path) : undefined;
  if (file) renderTaskDefinition(file, inputs); // names a missing container before anything is called
  for (const { container, image } of inputs.images) {
    if (!image.includes('@sha256:')) {
      core.warning(
        `images: ${container}=${image} is not pinned by digest; ECS resolves the tag when each task starts.`,
      );
    }
  }
  if (inputs.wait && inputs.waitTimeoutMs > USUAL_SESSION_MS) {
    core.warning(
      `wait-timeout is ${formatDuration(inputs.waitTimeoutMs)}, longer than the usual 1h AWS session from OIDC: ` +
        'raise role-duration-seconds in configure-aws-credentials, or the credentials may expire while waiting.',
    );
  }
  const recorder = createDeploymentRecorder(
    { ...inputs.recording, sha: deps.sha },
    {
      records: deps.records(inputs.githubToken),
      notice: (m) => core.notice(m),
      warning: (m) => core.warning(m),
    },
  );
  // A digest a rollback marked bad is refused before anything in AWS changes: the `images` input's before any
  // AWS call, and below every container's of the definition actually deployed (a registered revision, a file).
  await recorder.guard(pinnedDigests(inputs.images));
  const api = deps.ecs(inputs, deps.log);

  const services = await api.describeServices(inputs.cluster, inputs.services);
  services.forEach(checkController);
  const current = services[0].taskDefinition
    ? await api.describeTaskDefinition(services[0].taskDefinition)
    : undefined;
  const base = await loadBase(inputs.taskDefinition, api, current, file);
  const rendered = renderTaskDefinition(base.definition, inputs);
  deps.log(`Task definition ${rendered.family}, rendered from ${base.origin}:`);
  for (const { container, image } of imagesOf(rendered)) deps.log(`  ${container}: ${image}`);
  await recorder.guard(pinnedDigests(imagesOf(rendered)));

  const latest = await latestRevision(api, rendered.family);
  const equal = inputs.forceNewDeployment
    ? undefined
    : findEqualRevision(rendered, [current, base.registered, latest]);
  const target = equal ?? (await api.registerTaskDefinition(rendered));
  const arn = target.taskDefinitionArn!;
  deps.log(
    equal ? `The rendered definition equals ${arn}: reusing it, nothing registered.` : `Registered ${arn}.`,
  );
  core.setOutput('task-definition-arn', arn);

  await recorder.begin(
    {
      target: 'ecs',
      images: Object.fromEntries(imagesOf(rendered).map(({ container, image }) => [container, image])),
      taskDefinitions: Object.fromEntries(services.map((s) => [s.serviceName ?? '', arn])),
      ...(inputs.migration ? { migration: inputs.migration } : {}),
    },
    `${inputs.services.join(', ')} → ${arn.split('/').pop()}`,
  );
  deps.state.save('following', { taskDefinitionArn: arn, githubDeploymentId: recorder.deploymentId });

  const options = { ...inputs, taskDefinitionArn: arn, log: deps.log, now: deps.now, sleep: deps.sleep };
  // Every service's deployment is followed to its end, even when another one's call fails: they are live.
  const settled = await Promise.allSettled(services.map((service) => deployService(api, service, options)));
  const rejected = settled.find((s) => s.status === 'rejected');
  if (rejected) {
    // The deployment was started but could not be followed (credentials expired, access denied mid-wait):
    // its outcome is unknown, and the outputs say so rather than staying empty.
    const message = String((rejected.reason as Error)?.message ?? rejected.reason);
    core.setOutput('status', 'unknown');
    core.setOutput('reason', `the deployment could not be followed to its end: ${message}`);
    await recorder.end('error', { description: message });
    deps.state.save('following', null);
    throw rejected.reason;
  }
  const results = settled.map((s) => (s as PromiseFulfilledResult<ServiceResult>).value);
  // All or nothing: one service failing takes the others this run moved back too (rollback-on-failure).
  await rollBackFleet(api, results, options);

  const status = overallStatus(results.map((r) => r.status));
  const join = (values: Array<string | undefined>) => values.map((v) => v ?? '').join(',');
  core.setOutput('previous-task-definition-arn', join(results.map((r) => r.previousTaskDefinitionArn)));
  core.setOutput('deployment-id', join(results.map((r) => r.deploymentId)));
  core.setOutput('status', status);
  core.setOutput('rolled-back', String(results.some((r) => r.rolledBack)));
  const reason = results
    .map((r) => (results.length > 1 ? `${r.service}: ${reasonOf(r)}` : reasonOf(r)))
    .join('; ');
  core.setOutput('reason', reason);
  const changes = diffDefinitions(current, rendered);
  await appendSummary(
    renderSummary({
      status,
      cluster: inputs.cluster,
      taskDefinitionArn: arn,
      revision: equal ? 'reused' : 'registered',
      origin: base.origin,
      changes,
      results,
    }),
  );

  const failed = results.filter(
    (r) => isFailure(r.status) && !(r.status === 'rolled-back' && !inputs.failOnEcsRollback),
  );
  for (const r of results.filter((x) => x.stoppedTasks.length)) {
    deps.log(`${r.service}: stopped tasks:`);
    for (const task of r.stoppedTasks) deps.log(`  ${formatStoppedTask(task)}`);
  }
  const state: FinalState = failed.length ? 'failure' : 'success';
  await recorder.end(state, { description: `ECS deploy ${status}: ${reason}` });
  deps.state.save('following', null);
  if (failed.length) {
    const withThem = results.filter((r) => r.rollback?.because);
    const fleet = withThem.length
      ? `; rolled back with them: ${withThem.map((r) => `${r.service} (${r.rollback!.status})`).join(', ')}`
      : '';
    throw new UserError(
      `ECS deploy ${status}: ${failed.map((r) => `${r.service} ${r.status} (${reasonOf(r)})`).join('; ')}${fleet}`,
    );
  }
  deps.log(`ECS deploy ${status}: ${reason}`);
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
