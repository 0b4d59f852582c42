import * as core from '@actions/core';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type ServiceDeployment,
  StopServiceDeploymentCommand,
  type Task,
  type TaskDefinition,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { classifyAwsResponse, keepNonJsonBodies } from '../aws/aws-response';
import { awsAuthProblem, awsClientConfig, explainAwsError } from '../aws/client-config';
import { UserError } from '../errors';
import { isTransient, retry } from '../retry';

/** The ECS calls deploy-ecs and rollback make, behind one small interface (tests pass a fake). */
export interface EcsApi {
  /** Services by name; throws a UserError naming any that is missing or INACTIVE. */
  describeServices(cluster: string, names: readonly string[]): Promise<Service[]>;
  describeTaskDefinition(ref: string): Promise<TaskDefinition>;
  /** The same, but undefined where ECS has no such definition (a family deployed for the first time). */
  findTaskDefinition(ref: string): Promise<TaskDefinition | undefined>;
  registerTaskDefinition(def: RegisterTaskDefinitionCommandInput): Promise<TaskDefinition>;
  updateService(input: UpdateServiceCommandInput): Promise<Service>;
  /** The service deployment, or undefined where ECS (or the role) does not offer DescribeServiceDeployments. */
  describeServiceDeployment(arn: string): Promise<ServiceDeployment | undefined>;
  /** Answers a paused lifecycle hook (a PAUSE hook of a blue/green, linear or canary deployment). */
  continueServiceDeployment?(
    serviceDeploymentArn: string,
    hookId: string,
    action: 'CONTINUE' | 'ROLLBACK',
  ): Promise<void>;
  /**
   * StopServiceDeployment with stopType ROLLBACK: ECS rolls the deployment back to the last completed service
   * revision (PENDING or IN_PROGRESS; one already rolling back carries on).
   */
  stopServiceDeployment?(serviceDeploymentArn: string): Promise<void>;
  /** Recently stopped tasks of a service (at most `limit`), described. */
  stoppedTasks(cluster: string, service: string, limit: number): Promise<Task[]>;
  /** Calls throttled (or failed on the network) and tried again so far: the wait slows down after one. */
  retries?(): number;
}

export interface EcsApiOptions {
  region: string;
  endpoint?: string;
  /** Back-off for throttling and network errors. */
  retryBaseDelayMs?: number;
  /** Told about each retry. */
  log?: (line: string) => void;
  /** Told once when DescribeServiceDeployments is not available (default: core.notice). */
  notice?: (message: string) => void;
}

// What ECS says when an input names something that is not there: the input to check.
const HINTS: Record<string, string> = {
  ClusterNotFoundException: 'Check the "cluster" input.',
  ServiceNotFoundException: 'Check the "service"/"services" and "cluster" inputs.',
  ServiceNotActiveException: 'The service is being deleted or was deleted: check the "service" input.',
  ClientException: 'Check the task definition and the inputs that name things in it.',
  InvalidParameterException: 'Check the task definition and the inputs.',
};

/** ECS refusing a request on the user's account (a 4xx it will not change its mind about) is a UserError. */
function refusal(error: unknown, call: string): unknown {
  const e = error as { name?: string; message?: string; $fault?: string };
  if (error instanceof UserError || e.$fault !== 'client' || isTransient(error)) return error;
  const hint = HINTS[e.name ?? ''] ?? '';
  return new UserError(`ECS refused ecs:${call} (${e.name}: ${e.message}).${hint ? ` ${hint}` : ''}`);
}

const UNSUPPORTED = new Set(['UnknownOperationException', 'UnsupportedFeatureException', 'InvalidAction']);

/**
 * Whether an error of an optional ECS API (the service-deployments calls) says at once "this ECS, or this role,
 * does not offer it": an unknown operation, access denied, HTTP 501 or 404 (an emulator's "not implemented",
 * LocalStack's 501 InternalFailure), or a 4xx answer that is not AWS JSON. Never worth another try.
 */
export function apiNotOffered(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode ?? 0;
  return (
    UNSUPPORTED.has(e?.name ?? '') ||
    awsAuthProblem(error) === 'access-denied' ||
    status === 501 ||
    status === 404 ||
    (e?.name === 'NonJsonResponse' && status < 500)
  );
}

/**
 * The same once the retries are over: an answer that is still not AWS JSON (an HTML 500 page from an emulator
 * without the API) counts too, so the caller goes on through DescribeServices alone.
 */
export const apiUnavailable = (error: unknown): boolean =>
  apiNotOffered(error) || (error as { name?: string })?.name === 'NonJsonResponse';

/** Sends one SDK command, with a non-JSON answer turned into an AwsResponseError naming `ecs:<name>`. */
export const classifiedEcsCall =
  <T>(name: string, fn: () => Promise<T>) =>
  (): Promise<T> =>
    fn().catch((error) => {
      throw classifyAwsResponse(error, `ecs:${name}`);
    });

/** How the retry log names an error: the status for a non-JSON answer, else its name. */
export const retryLabel = (error: unknown): string =>
  (error as { label?: string }).label ?? (error as Error).name;

export function createEcsApi(
  options: EcsApiOptions,
  client = new ECSClient(awsClientConfig(options)),
): EcsApi {
  keepNonJsonBodies(client);
  let serviceDeploymentsUsable = true;
  let retried = 0;
  const log = options.log ?? ((line: string) => core.info(line));
  const notice = options.notice ?? ((message: string) => core.notice(message));
  const attempt = <T>(
    name: string,
    fn: () => Promise<T>,
    retryable: (error: unknown) => boolean = isTransient,
  ): Promise<T> =>
    retry(classifiedEcsCall(name, fn), {
      attempts: 6,
      baseDelayMs: options.retryBaseDelayMs ?? 1000,
      maxDelayMs: 20_000,
      retryable,
      onRetry: (error, n, delay) => {
        retried++;
        log(`ecs:${name} - ${retryLabel(error)}; try ${n + 1} in ${delay}ms`);
      },
    });
  const call = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    attempt(name, fn).catch((error) => {
      throw refusal(explainAwsError(error, `ecs:${name}`), name);
    });

  return {
    retries: () => retried,

    async describeServices(cluster, names) {
      const found: Service[] = [];
      for (let i = 0; i < names.length; i += 10) {
        const chunk = names.slice(i, i + 10);
        const out = await call('DescribeServices', () =>
          client.send(new DescribeServicesCommand({ cluster, services: chunk })),
        );
        for (const failure of out.failures ?? []) {
          throw new UserError(
            `ECS service ${failure.arn} in cluster ${cluster}: ${failure.reason}${failure.detail ? ` (${failure.detail})` : ''}. ` +
              'Check the "service" and "cluster" inputs.',
          );
        }
        found.push(...(out.services ?? []));
      }
      for (const name of names) {
        const service = found.find((s) => s.serviceName === name || s.serviceArn === name);
        if (!service) throw new UserError(`ECS service ${name} was not found in cluster ${cluster}.`);
        if (service.status !== 'ACTIVE') {
          throw new UserError(`ECS service ${name} in cluster ${cluster} is ${service.status}, not ACTIVE.`);
        }
      }
      return names.map((name) => found.find((s) => s.serviceName === name || s.serviceArn === name)!);
    },

    async describeTaskDefinition(ref) {
      const out = await call('DescribeTaskDefinition', () =>
        client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })),
      );
      if (!out.taskDefinition) throw new UserError(`ECS returned no task definition for ${ref}.`);
      return out.taskDefinition;
    },

    async findTaskDefinition(ref) {
      try {
        const out = await attempt('DescribeTaskDefinition', () =>
          client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })),
        );
        return out.taskDefinition;
      } catch (error) {
        if ((error as { name?: string }).name === 'ClientException') return undefined;
        throw refusal(explainAwsError(error, 'ecs:DescribeTaskDefinition'), 'DescribeTaskDefinition');
      }
    },

    async registerTaskDefinition(def) {
      const out = await call('RegisterTaskDefinition', () =>
        client.send(new RegisterTaskDefinitionCommand(def)),
      );
      return out.taskDefinition!;
    },

    async updateService(input) {
      const out = await call('UpdateService', () => client.send(new UpdateServiceCommand(input)));
      return out.service!;
    },

    async describeServiceDeployment(arn) {
      if (!serviceDeploymentsUsable) return undefined;
      try {
        const out = await attempt(
          'DescribeServiceDeployments',
          () => client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })),
          (error) => isTransient(error) && !apiNotOffered(error),
        );
        return out.serviceDeployments?.[0];
      } catch (error) {
        if (!apiUnavailable(error)) throw explainAwsError(error, 'ecs:DescribeServiceDeployments');
        serviceDeploymentsUsable = false;
        notice(
          `ecs:DescribeServiceDeployments is not available (${(error as Error).message}); ` +
            'following the deployment through DescribeServices alone.',
        );
        return undefined;
      }
    },

    async continueServiceDeployment(serviceDeploymentArn, hookId, action) {
      await call('ContinueServiceDeployment', () =>
        client.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action })),
      );
    },

    async stopServiceDeployment(serviceDeploymentArn) {
      await call('StopServiceDeployment', () =>
        client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: 'ROLLBACK' })),
      );
    },

    async stoppedTasks(cluster, service, limit) {
      const list = await call('ListTasks', () =>
        client.send(
          new ListTasksCommand({
            cluster,
            serviceName: service,
            desiredStatus: 'STOPPED',
            maxResults: limit,
          }),
        ),
      );
      const arns = (list.taskArns ?? []).slice(0, limit);
      if (!arns.length) return [];
      const out = await call('DescribeTasks', () =>
        client.send(new DescribeTasksCommand({ cluster, tasks: arns })),
      );
      return out.tasks ?? [];
    },
  };
}
