import { ECSClient } from '@aws-sdk/client-ecs';
import { awsClientConfig, createEcsApi } from '@slipway/shared';
import type { EcsInputs } from '../inputs';
import { parenthetical } from '../report/parenthetical';
import { type RollbackTarget, uniqueJoin } from '../targets';
import { planEcsRollback } from './ecs-plan';
import { type EcsRollbackDeps, runEcsRollback } from './ecs-rollback';
import { createServiceDeploymentsApi } from './service-deployments';

/** The real ECS: one SDK client for deploy-ecs's calls and rollback's own. */
export function createEcsDeps(
  inputs: EcsInputs,
  log: (line: string) => void,
): Pick<EcsRollbackDeps, 'api' | 'deployments'> {
  const client = new ECSClient(awsClientConfig({ region: inputs.region, endpoint: inputs.endpoint }));
  const retryBaseDelayMs = Math.min(1000, inputs.pollIntervalMs);
  return {
    api: createEcsApi({ region: inputs.region, endpoint: inputs.endpoint, retryBaseDelayMs, log }, client),
    deployments: createServiceDeploymentsApi(client, { retryBaseDelayMs }),
  };
}

export function ecsTarget(inputs: EcsInputs, deps: EcsRollbackDeps): RollbackTarget {
  return {
    async plan(source, avoid) {
      const plan = await planEcsRollback(inputs, 'fallback' in source ? { ecs: true } : source, deps, avoid);
      return {
        from: uniqueJoin(plan.services.map((s) => s.from)),
        to: uniqueJoin(plan.services.map((s) => s.to)),
        payload: {
          images: plan.images,
          taskDefinitions: Object.fromEntries(plan.services.map((s) => [s.service.serviceName!, s.to])),
        },
        async execute() {
          const result = await runEcsRollback(inputs, plan, deps);
          return {
            ok: result.ok,
            units: result.services.map((s) => ({
              name: s.service,
              from: s.from,
              to: s.to,
              status: s.status,
              reason: s.stopped
                ? `${s.reason} ${parenthetical(`stopped ${s.stopped.arn}: ${s.stopped.outcome}`)}`
                : s.reason,
            })),
          };
        },
      };
    },
  };
}
