import * as core from '@actions/core';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  type ServiceDeploymentStatus,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import {
  apiNotOffered,
  apiUnavailable,
  classifiedEcsCall,
  explainAwsError,
  isBug,
  isTransient,
  keepNonJsonBodies,
  retry,
} from '@slipway/shared';
import { parenthetical } from '../report/parenthetical';

/** One of a service's deployments, as ECS remembers it, with the task definition it deployed. */
export interface PastDeployment {
  arn: string;
  status: ServiceDeploymentStatus | string;
  taskDefinition?: string;
  createdAt?: Date;
}

/** The ECS calls rollback makes beyond deploy-ecs's: a service's deployment history, and stopping one. */
export interface ServiceDeploymentsApi {
  /**
   * Newest first; undefined where ECS (or the role) does not offer ListServiceDeployments or the calls that
   * describe its answer. `optional`: any other failure of these calls too (a rollback with an explicit "to"
   * needs the history only to stop a deployment in flight), each time with a notice.
   */
  history(
    cluster: string,
    service: string,
    how?: { optional?: boolean },
  ): Promise<PastDeployment[] | undefined>;
  /**
   * StopServiceDeployment with stopType ROLLBACK: ECS puts the service back on its last completed revision.
   * Returns why not where ECS refuses (nothing completed to go back to, not stoppable, not offered).
   */
  stopWithRollback(arn: string): Promise<{ stopped: true } | { stopped: false; why: string }>;
}

const CALL = Symbol('the ECS call that failed');
const REFUSED = new Set(['ConflictException', 'InvalidParameterException', 'ClientException']);
const PAGE = 20;

export function createServiceDeploymentsApi(
  client: ECSClient,
  options: { retryBaseDelayMs?: number; notice?: (message: string) => void } = {},
): ServiceDeploymentsApi {
  const notice = options.notice ?? ((message: string) => core.notice(message));
  keepNonJsonBodies(client);
  // Each failure carries the call that failed, for the error or the notice.
  const call = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    retry(classifiedEcsCall(name, fn), {
      attempts: 6,
      baseDelayMs: options.retryBaseDelayMs ?? 1000,
      retryable: (error) => isTransient(error) && !apiNotOffered(error),
    }).catch((error) => {
      if (error && typeof error === 'object') Object.assign(error, { [CALL]: name });
      throw error;
    });
  return {
    async history(cluster, service, how = {}) {
      try {
        return await readHistory(client, call, cluster, service);
      } catch (error) {
        const name = (error as { [CALL]?: string })[CALL] ?? 'ListServiceDeployments';
        if (!(error instanceof Error) || isBug(error) || (!apiUnavailable(error) && !how.optional)) {
          throw explainAwsError(error, `ecs:${name}`);
        }
        notice(
          `ecs:${name} is not available ${parenthetical((explainAwsError(error, `ecs:${name}`) as Error).message)}; ` +
            'rollback sees only the deployments DescribeServices still shows.',
        );
        return undefined;
      }
    },

    async stopWithRollback(arn) {
      try {
        await call('StopServiceDeployment', () =>
          client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
        );
        return { stopped: true };
      } catch (error) {
        if (apiUnavailable(error) || REFUSED.has((error as Error).name)) {
          return { stopped: false, why: `${(error as Error).name}: ${(error as Error).message}` };
        }
        throw explainAwsError(error, 'ecs:StopServiceDeployment');
      }
    },
  };
}

type Call = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** ListServiceDeployments, then DescribeServiceDeployments and DescribeServiceRevisions for what it lists. */
async function readHistory(
  client: ECSClient,
  call: Call,
  cluster: string,
  service: string,
): Promise<PastDeployment[]> {
  const listed = await call('ListServiceDeployments', () =>
    client.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: PAGE })),
  );
  const arns = (listed.serviceDeployments ?? [])
    .map((b) => b.serviceDeploymentArn)
    .filter((a): a is string => Boolean(a));
  if (!arns.length) return [];
  const described = await call('DescribeServiceDeployments', () =>
    client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns })),
  );
  const deployments = described.serviceDeployments ?? [];
  const revisionArns = [
    ...new Set(deployments.map((d) => d.targetServiceRevision?.arn).filter((a): a is string => !!a)),
  ];
  const revisions = revisionArns.length
    ? await call('DescribeServiceRevisions', () =>
        client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionArns })),
      )
    : { serviceRevisions: [] };
  const taskDefinitionOf = new Map(
    (revisions.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]),
  );
  return arns
    .map((arn) => deployments.find((d) => d.serviceDeploymentArn === arn))
    .filter((d) => d !== undefined)
    .map((d) => ({
      arn: d.serviceDeploymentArn!,
      status: d.status ?? 'UNKNOWN',
      taskDefinition: taskDefinitionOf.get(d.targetServiceRevision?.arn),
      createdAt: d.createdAt,
    }));
}

/** Deployments still moving: the ones StopServiceDeployment can stop. */
export const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS']);
