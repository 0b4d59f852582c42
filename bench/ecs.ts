import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';
import { FAST, Fixture } from '../actions/deploy-ecs/__tests__/ecs-local-fixture';
import { median, type Section } from './table';

const POLL = '1s';
const FAILING_RUNS = 5;
const BREAKER = (rollback: boolean) => ({
  deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback } },
});

/** API calls by operation, most first: `DescribeServices ×4, UpdateService ×1`. */
function byOperation(calls: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const name = call.slice(call.lastIndexOf('.') + 1);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ×${n}`)
    .join(', ');
}

/** When ecs-local first marks a deployment of `service` FAILED (its state, looked at every 5 ms). */
function watchForFailure(fx: Fixture, service: string) {
  let failedAt: number | undefined;
  const timer = setInterval(() => {
    const record = fx.ecs.ecs.state.services.find((s) => s.name === service);
    if (failedAt === undefined && record?.deployments.some((d) => d.rolloutState === 'FAILED')) {
      failedAt = performance.now();
    }
  }, 5);
  return () => {
    clearInterval(timer);
    return failedAt;
  };
}

/** One failing deploy by deploy-ecs's run(): ms from ecs-local's FAILED to the step failing. */
async function failedToStepFailed(fx: Fixture, ecsRollsBack: boolean) {
  const { name, file } = await fx.prepare('unhealthy', BREAKER(ecsRollsBack));
  const stop = watchForFailure(fx, name);
  const r = await fx.deploy({ service: name, 'task-definition': file, 'poll-interval': POLL });
  const failedStep = performance.now();
  const failedAt = stop();
  if (!r.error) throw new Error(`deploy-ecs passed a deployment whose tasks never got healthy (${name})`);
  if (failedAt === undefined) throw new Error(`ecs-local never marked the deployment of ${name} FAILED`);
  return { ms: failedStep - failedAt, status: r.outputs().status };
}

/**
 * aws-actions/amazon-ecs-deploy-task-definition's calls for a service deploy, in its order (from its index.js):
 * RegisterTaskDefinition, DescribeServices (the deployment controller), UpdateService, then the SDK's
 * waitUntilServicesStable with minDelay 15 s (its WAIT_DEFAULT_DELAY_SEC) and the SDK's default maxDelay.
 * Replayed with the same SDK against ecs-local; counts what ecs-local received.
 */
async function replayAwsAction(fx: Fixture, service: string, file: string) {
  const def = JSON.parse(readFileSync(file, 'utf8')) as RegisterTaskDefinitionCommandInput;
  def.containerDefinitions![0].environment = [{ name: 'RELEASE', value: '2' }];
  fx.ecs.calls.length = 0;
  const started = performance.now();
  const registered = await fx.client.send(new RegisterTaskDefinitionCommand(def));
  await fx.client.send(new DescribeServicesCommand({ services: [service], cluster: 'default' }));
  await fx.client.send(
    new UpdateServiceCommand({
      cluster: 'default',
      service,
      taskDefinition: registered.taskDefinition!.taskDefinitionArn,
      forceNewDeployment: false,
    }),
  );
  const outcome = await waitUntilServicesStable(
    { client: fx.client, minDelay: 15, maxWaitTime: 30 * 60 },
    { services: [service], cluster: 'default' },
  ).then(
    (r) => r.state,
    (error: Error) => `${error.name}`,
  );
  return { calls: [...fx.ecs.calls], ms: performance.now() - started, outcome };
}

/**
 * deploy-ecs against ecs-local (tasks are real containers on the machine's dockerd): how long after ecs-local marks
 * a deployment FAILED the step fails, and the API calls of a healthy deploy, beside what
 * aws-actions/amazon-ecs-deploy-task-definition makes for the same deploy.
 */
export async function ecsSection(): Promise<Section> {
  const fx = new Fixture();
  await fx.start();
  try {
    const healthy = await fx.prepare('healthy');
    const started = performance.now();
    const ours = await fx.deploy({
      service: healthy.name,
      'task-definition': healthy.file,
      environment: 'web:RELEASE=2',
      'poll-interval': POLL,
    });
    const oursMs = performance.now() - started;
    if (ours.error) throw new Error(`the healthy deploy failed: ${ours.error.message}`);
    const theirs = await replayAwsAction(fx, (await fx.prepare('healthy')).name, healthy.file);
    if (theirs.outcome !== 'SUCCESS') throw new Error(`the replayed waiter ended ${theirs.outcome}`);

    const rows: string[][] = [];
    for (const ecsRollsBack of [true, false]) {
      const runs = [];
      for (let i = 0; i < FAILING_RUNS; i++) runs.push(await failedToStepFailed(fx, ecsRollsBack));
      const ms = runs.map((r) => r.ms);
      rows.push([
        ecsRollsBack
          ? 'circuit breaker FAILED, ECS rolls back → step fails'
          : 'circuit breaker FAILED, no ECS rollback → deploy-ecs rolls back itself → step fails',
        `median ${Math.round(median(ms))} ms (${ms.map(Math.round).join(', ')}); status ${[...new Set(runs.map((r) => r.status))].join('/')}`,
        `poll-interval ${POLL}`,
      ]);
    }
    const failing = await fx.prepare('unhealthy', BREAKER(true));
    const theirsFailing = await replayAwsAction(fx, failing.name, failing.file);
    rows[0].push(
      `the same sequence as aws-actions' (replayed) ends ${theirsFailing.outcome} once ECS's rollback is stable: ` +
        `that step passes (${(theirsFailing.ms / 1000).toFixed(1)} s, ${theirsFailing.calls.length} calls)`,
    );
    rows[1].push('—');
    rows.push([
      'API calls per healthy deploy',
      `${ours.calls.length} in ${(oursMs / 1000).toFixed(1)} s: ${byOperation(ours.calls)}`,
      `poll-interval ${POLL}`,
      `aws-actions/amazon-ecs-deploy-task-definition: ${theirs.calls.length} in ${(theirs.ms / 1000).toFixed(1)} s: ` +
        `${byOperation(theirs.calls)}`,
    ]);
    return {
      title: '4. ECS: failed deployment to failed step; API calls per deploy',
      note:
        `deploy-ecs's run() with its real AWS SDK client against packages/ecs-local (ECS's timings scaled down: ` +
        `tick ${FAST.timings.tickMs} ms, steady state ${FAST.timings.steadyStateMs} ms, breaker after ` +
        `${FAST.failureThreshold} failed tasks; tasks are Docker containers, one per service). ` +
        `"Failed" is the moment ecs-local's state shows the deployment FAILED (checked every 5 ms); ` +
        `${FAILING_RUNS} runs each. The reference calls are aws-actions/amazon-ecs-deploy-task-definition's ` +
        'sequence read from its index.js (RegisterTaskDefinition, DescribeServices, UpdateService, then ' +
        "@aws-sdk/client-ecs's waitUntilServicesStable with minDelay 15 s), replayed with the same SDK against " +
        "the same ecs-local. The waiter's first DescribeServices is immediate, then the k-th wait is drawn " +
        'between 15 s and 15·2^(k−1) s (at most 600 s): a deploy that takes minutes on real ECS costs it a handful ' +
        'of polls; deploy-ecs one per poll-interval (default 5 s) for the first 2 minutes and after any change, ' +
        'then, while nothing moves, less often (×1.5 per poll, up to every 30 s): the healthy deploy here ends ' +
        'within its first 2 minutes, so it is counted at poll-interval.',
      headers: ['measurement', 'deploy-ecs', 'configured', 'reference'],
      rows,
    };
  } finally {
    await fx.stop();
  }
}
