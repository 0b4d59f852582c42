// The ECS scenario of the staged pipeline, shared by the end-to-end test and `npm run demo -- ecs`: the
// application repository examples/ecs pushed through the suite's workflow files, executed as written by
// workflow-runner, against ecs-local (tasks are real containers on the machine's Docker daemon) with a load
// balancer in front of each environment's service, the local registry, and github-local for the deployments.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  CreateServiceCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import type { Infra } from '@slipway/testing';
import type { ActionStandIn, StepOutcome, TimelineEvent } from '@slipway/workflow-runner';
import { CREDENTIALS, EcsWorld, TOKEN } from '../../actions/rollback/__tests__/ecs-fixture';
import { createAppRepository, type PipelineWorld } from './world';

export { type Commit, failures, inner, stepsOf } from './world';

export type Environment = 'staging' | 'production';
export const ENVIRONMENTS: Environment[] = ['staging', 'production'];
export const ROLE = 'arn:aws:iam::123456789012:role/slipway-deploy';
/** deploy-ecs's and rollback's poll-interval, from the repository's variable (not the 5s default). */
const POLL_INTERVAL = '2s';

export interface EcsPipelineWorld extends PipelineWorld {
  aws: EcsWorld;
  /** Each environment's ECS service (one task, its own task definition family with APP_ENV). */
  services: Record<Environment, string>;
  /** The stable URL of each environment: its load balancer, in front of whatever tasks ECS runs. */
  urls: Record<Environment, string>;
  /** The task definition each environment's service is on, its image, and the task definitions its tasks run. */
  running(environment: Environment): Promise<{ taskDefinition: string; image: string; tasks: string[] }>;
  /** What the environment answers on /version.json. */
  version(environment: Environment): Promise<{ commit: string; environment: string; status: string }>;
  /** The job token and the AWS credentials: never shown by a run. */
  secrets: string[];
  /** The roles configure-aws-credentials (a stand-in here) was asked to assume, with the region. */
  assumed: string[];
}

/**
 * Sets the world up as an application's infrastructure code would have: per environment a task definition
 * (container `web`, APP_ENV, port 8080, a health check) and a service with the circuit breaker on, running a
 * first release of the app built here; a load balancer in front of each. The repository's variables name
 * the region and the role, each environment's the service and the URL.
 */
export async function startEcsWorld(
  infra: Infra,
  onEvent?: (e: TimelineEvent) => void,
): Promise<EcsPipelineWorld> {
  const aws = new EcsWorld();
  await aws.start();
  const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const services = { staging: `shop-staging-${suffix}`, production: `shop-production-${suffix}` };
  const urls = {} as Record<Environment, string>;
  for (const environment of ENVIRONMENTS) urls[environment] = (await aws.balancer(services[environment])).url;
  const assumed: string[] = [];
  const sessionToken = `session-${randomBytes(12).toString('hex')}`;

  // configure-aws-credentials: checks what the workflow gives it and exports credentials for the job's later
  // steps, as the real action does (so a deploy without this step has no credentials).
  const configureAwsCredentials: ActionStandIn = (inputs): StepOutcome => {
    const missing = ['role-to-assume', 'aws-region'].filter((name) => !inputs[name]);
    if (missing.length)
      return { outcome: 'failure', outputs: {}, log: `Input required and not supplied: ${missing[0]}` };
    assumed.push(`${inputs['role-to-assume']} ${inputs['aws-region']}`);
    return {
      outcome: 'success',
      outputs: { 'aws-account-id': '123456789012' },
      log: `assumed ${inputs['role-to-assume']} in ${inputs['aws-region']}`,
      env: {
        ...CREDENTIALS,
        AWS_SESSION_TOKEN: sessionToken,
        AWS_REGION: inputs['aws-region'],
        AWS_DEFAULT_REGION: inputs['aws-region'],
      },
    };
  };

  const repository = createAppRepository(infra, {
    example: 'ecs',
    github: aws.github,
    token: TOKEN,
    suffix,
    onEvent,
    settings: {
      vars: {
        SLIPWAY_AWS_REGION: CREDENTIALS.AWS_REGION,
        SLIPWAY_AWS_ROLE: ROLE,
        SLIPWAY_ECS_POLL_INTERVAL: POLL_INTERVAL,
      },
      environments: Object.fromEntries(
        ENVIRONMENTS.map((e) => [
          e,
          {
            vars: {
              SLIPWAY_ECS_SERVICES: services[e],
              SLIPWAY_URL: `${urls[e]}/version.json`,
              SLIPWAY_ENVIRONMENT_URL: urls[e],
            },
          },
        ]),
      ),
      // No AWS credentials here: only configure-aws-credentials gives a job some.
      env: { AWS_ENDPOINT_URL_ECS: aws.ecs.url },
      standIns: { 'aws-actions/configure-aws-credentials': configureAwsCredentials },
    },
  });

  try {
    // The release the services run before the pipeline's first: the app as it is, built here.
    const first = `${repository.image}:first`;
    execFileSync(
      'docker',
      [
        'build',
        '-q',
        '-t',
        first,
        '--build-arg',
        'GIT_SHA=first',
        '--build-arg',
        `BASE_IMAGE=${infra.images.busybox}`,
        repository.commit().dir,
      ],
      { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: 'ignore' },
    );
    await Promise.all(ENVIRONMENTS.map((e) => createService(aws, services[e], e, first)));
  } catch (error) {
    await aws.stop();
    await repository.close();
    throw error;
  }

  const describeTasks = async (service: string) => {
    const list = await aws.client.send(
      new ListTasksCommand({ serviceName: service, desiredStatus: 'RUNNING' }),
    );
    if (!list.taskArns?.length) return [];
    return (await aws.client.send(new DescribeTasksCommand({ tasks: list.taskArns }))).tasks ?? [];
  };

  return {
    aws,
    github: aws.github,
    image: repository.image,
    services,
    urls,
    assumed,
    secrets: [TOKEN, CREDENTIALS.AWS_SECRET_ACCESS_KEY, sessionToken],
    commit: repository.commit,
    run: repository.run,
    pushed: repository.pushed,
    async running(environment) {
      const service = await aws.describe(services[environment]);
      const taskDefinition = service.taskDefinition ?? '';
      const described = await aws.client.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
      const web = described.taskDefinition?.containerDefinitions?.find((c) => c.name === 'web');
      const tasks = (await describeTasks(services[environment])).map((t) => t.taskDefinitionArn ?? '');
      return { taskDefinition, image: web?.image ?? '', tasks };
    },
    async version(environment) {
      const response = await fetch(`${urls[environment]}/version.json`);
      return (await response.json()) as { commit: string; environment: string; status: string };
    },
    async close() {
      // ecs-local first: its containers hold the images
      await aws.stop();
      await repository.close();
    },
  };
}

async function createService(aws: EcsWorld, service: string, environment: Environment, image: string) {
  const registered = await aws.client.send(
    new RegisterTaskDefinitionCommand({
      family: service,
      containerDefinitions: [
        {
          name: 'web',
          image,
          environment: [{ name: 'APP_ENV', value: environment }],
          portMappings: [{ containerPort: 8080 }],
          healthCheck: {
            command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/version.json || exit 1'],
          },
        },
      ],
    }),
  );
  await aws.client.send(
    new CreateServiceCommand({
      serviceName: service,
      taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      desiredCount: 1,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    }),
  );
  await aws.until(service, (s) => s.deployments?.[0]?.rolloutState === 'COMPLETED');
}
