import * as core from '@actions/core';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  type ServiceDeploymentStatus,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import { awsAuthProblem, explainAwsError, isTransient, retry } from '@slipway/shared';
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
  /** Newest first; undefined where ECS (or the role) does not offer ListServiceDeployments. */
  history(cluster: string, service: string): Promise<PastDeployment[] | undefined>;
  /**
   * StopServiceDeployment with stopType ROLLBACK: ECS puts the service back on its last completed revision.
   * Returns why not where ECS refuses (nothing completed to go back to, not stoppable, not offered).
   */
  stopWithRollback(arn: string): Promise<{ stopped: true } | { stopped: false; why: string }>;
}

const UNSUPPORTED = new Set(['UnknownOperationException', 'UnsupportedFeatureException', 'InvalidAction']);
const REFUSED = new Set(['ConflictException', 'InvalidParameterException', 'ClientException']);
const PAGE = 20;

export function createServiceDeploymentsApi(
  client: ECSClient,
  options: { retryBaseDelayMs?: number } = {},
): ServiceDeploymentsApi {
  const call = <T>(fn: () => Promise<T>): Promise<T> =>
    retry(fn, { attempts: 6, baseDelayMs: options.retryBaseDelayMs ?? 1000, retryable: isTransient });
  const unsupported = (error: unknown) =>
    UNSUPPORTED.has((error as Error).name) || awsAuthProblem(error) === 'access-denied';
  return {
    async history(cluster, service) {
      let briefs: Array<{ serviceDeploymentArn?: string }>;
      try {
        const out = await call(() =>
          client.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: PAGE })),
        );
        briefs = out.serviceDeployments ?? [];
      } catch (error) {
        if (!unsupported(error)) throw explainAwsError(error, 'ecs:ListServiceDeployments');
        core.notice(
          `ecs:ListServiceDeployments is not available ${parenthetical((error as Error).message)}; ` +
            'rollback sees only the deployments DescribeServices still shows.',
        );
        return undefined;
      }
      const arns = briefs.map((b) => b.serviceDeploymentArn).filter((a): a is string => Boolean(a));
      if (!arns.length) return [];
      const described = await call(() =>
        client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns })),
      ).catch((error) => {
        throw explainAwsError(error, 'ecs:DescribeServiceDeployments');
      });
      const deployments = described.serviceDeployments ?? [];
      const revisionArns = [
        ...new Set(deployments.map((d) => d.targetServiceRevision?.arn).filter((a): a is string => !!a)),
      ];
      const revisions = revisionArns.length
        ? await call(() =>
            client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionArns })),
          ).catch((error) => {
            throw explainAwsError(error, 'ecs:DescribeServiceRevisions');
          })
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
    },

    async stopWithRollback(arn) {
      try {
        await call(() =>
          client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
        );
        return { stopped: true };
      } catch (error) {
        if (unsupported(error) || REFUSED.has((error as Error).name)) {
          return { stopped: false, why: `${(error as Error).name}: ${(error as Error).message}` };
        }
        throw explainAwsError(error, 'ecs:StopServiceDeployment');
      }
    },
  };
}

/** Deployments still moving: the ones StopServiceDeployment can stop. */
export const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS']);
