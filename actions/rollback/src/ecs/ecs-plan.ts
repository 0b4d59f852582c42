import * as core from '@actions/core';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { checkController, type EcsApi, type RecordedDeployment, UserError } from '@slipway/shared';
import type { EcsInputs, Explicit } from '../inputs';
import { type BadMarks, NO_BAD_MARKS } from '../records/bad-marks';
import { nothingInEcs } from './choose-task-definition';
import type { PastDeployment, ServiceDeploymentsApi } from './service-deployments';
import { badMarkOf, chooseFromEcsHistory, type Describe, describeOnce, skippedText } from './skip-marked';

/** Where the restored task definition comes from: a deployment record, an explicit `to`, or ECS's memory. */
export type EcsSource = { record: RecordedDeployment } | { explicit: Explicit } | { ecs: true };

export interface EcsPlan {
  services: Array<{ service: Service; past: PastDeployment[] | undefined; from: string; to: string }>;
  /** The restored task definitions' container images, for the rollback's own deployment record. */
  images: Record<string, string>;
}

export interface EcsPlanDeps {
  api: EcsApi;
  deployments: ServiceDeploymentsApi;
  /** Says that a service's task definition comes from ECS's history, and what the records made it skip. */
  notice?: (message: string) => void;
}

interface Choosing {
  avoid: BadMarks;
  describe: Describe;
  notice: (message: string) => void;
}

/**
 * Decides, for every service, what it is rolled away from and back to, and checks that the services exist and
 * that every task definition to restore is still ACTIVE. Changes nothing, so a wrong name or a deregistered
 * revision costs no side effect: no service is moved while another one cannot be. What `avoid` holds (the
 * records' bad marks) is never restored from ECS's history, nor named by `to`.
 */
export async function planEcsRollback(
  inputs: EcsInputs,
  source: EcsSource,
  deps: EcsPlanDeps,
  avoid: BadMarks = NO_BAD_MARKS,
): Promise<EcsPlan> {
  const { api } = deps;
  const choosing: Choosing = { avoid, describe: describeOnce(api), notice: deps.notice ?? core.notice };
  const services = await api.describeServices(inputs.cluster, inputs.services);
  services.forEach(checkController);
  // With an explicit "to", ECS's history only serves to stop a deployment in flight: DescribeServices will do
  // where the service-deployments API fails (missing, denied, not emulated).
  const optional = 'explicit' in source;
  const histories = await Promise.all(
    services.map((s) => deps.deployments.history(inputs.cluster, s.serviceName!, { optional })),
  );
  const explicit = 'explicit' in source ? await resolveExplicit(source.explicit, choosing) : undefined;
  const plans = await Promise.all(
    services.map(async (service, i) => {
      const past = histories[i];
      const newest = past?.[0]?.taskDefinition ?? service.taskDefinition ?? '';
      if (explicit) return { service, past, from: newest, to: explicit };
      if ('record' in source) {
        const recorded = source.record.payload?.taskDefinitions?.[service.serviceName!];
        if (recorded) return { service, past, from: newest, to: recorded };
        return { service, past, ...(await uncovered(service, past, source.record, choosing)) };
      }
      return { service, past, ...(await fromEcs(service, past, choosing)) };
    }),
  );
  const definitions = await describeRestored(choosing.describe, plans);
  return { services: plans, images: imagesOf(plans, definitions) };
}

/**
 * A service the chosen record does not cover (a deploy of some services only) goes back to its own last
 * successful task definition in ECS's history, never to another service's: the record says nothing about it.
 * With nothing there either, the whole rollback is refused.
 */
async function uncovered(
  service: Service,
  past: PastDeployment[] | undefined,
  record: RecordedDeployment,
  choosing: Choosing,
) {
  const name = service.serviceName!;
  const covers = Object.keys(record.payload?.taskDefinitions ?? {}).join(', ') || 'no service';
  const { choice, skipped } = await chooseFromEcsHistory(service, past, choosing.avoid, choosing.describe);
  if (!choice) {
    throw new UserError(
      `Deployment #${record.id}, the release to restore, recorded no task definition for ${name} (it covers ` +
        `${covers}), and ${nothingInEcs(service)}${skipped.length ? ' that the records allow' : ''}. ` +
        `Nothing was changed.${skippedText(skipped)} Leave ${name} out of "services", or name the task ` +
        'definition to restore with "to".',
    );
  }
  choosing.notice(
    `Deployment #${record.id}, the release to restore, recorded no task definition for ${name} (it covers ` +
      `${covers}): ${name} goes back to its own last successful task definition in ECS's history, ${choice.to}.` +
      skippedText(skipped),
  );
  return choice;
}

/** Without a record to restore, ECS's history decides (see chooseFromEcsHistory); nothing there refuses. */
async function fromEcs(service: Service, past: PastDeployment[] | undefined, choosing: Choosing) {
  const { choice, skipped } = await chooseFromEcsHistory(service, past, choosing.avoid, choosing.describe);
  if (!choice) {
    throw new UserError(
      `Nothing to roll back to: ${nothingInEcs(service)}${skipped.length ? ' that the records allow' : ''}, ` +
        `and there are no deployment records (see the notice above).${skippedText(skipped)} ` +
        'Name the task definition to restore with "to".',
    );
  }
  if (skipped.length) {
    choosing.notice(
      `${service.serviceName} goes back to ${choice.to} from ECS's history.${skippedText(skipped)}`,
    );
  }
  return choice;
}

/** Resolves family:revision to its ARN and proves it exists, for `to`; one the records forbid is refused. */
async function resolveExplicit(explicit: Explicit, choosing: Choosing): Promise<string> {
  if (explicit.kind !== 'task-definition') {
    throw new UserError(
      `Input "to": no deployment record runs ${explicit.kind === 'digest' ? explicit.digest : 'that release'}, ` +
        'and ECS cannot be searched by image digest. Name the task-definition ARN to restore instead.',
    );
  }
  const arn = (await choosing.describe(explicit.ref)).taskDefinitionArn!;
  const why = await badMarkOf(arn, choosing.avoid, choosing.describe);
  if (why) {
    throw new UserError(
      `Input "to" names a task definition the deployment records forbid - ${why}. Nothing was changed; ` +
        'choose another release.',
    );
  }
  return arn;
}

/**
 * Every task definition to restore, described once; a deregistered (INACTIVE) one refuses the whole rollback
 * up front, naming the services that would need it.
 */
async function describeRestored(
  describe: Describe,
  plans: EcsPlan['services'],
): Promise<Map<string, TaskDefinition>> {
  const arns = [...new Set(plans.map((p) => p.to))];
  const defs = await Promise.all(arns.map((arn) => describe(arn)));
  const inactive = defs
    .map((def, i) => ({ def, arn: arns[i] }))
    .filter(({ def }) => def.status === 'INACTIVE')
    .map(({ def, arn }) => {
      const users = plans.filter((p) => p.to === arn).map((p) => p.service.serviceName);
      return `${users.join(', ')}: ${def.taskDefinitionArn ?? arn}`;
    });
  if (inactive.length) {
    throw new UserError(
      `Cannot roll back: the task definition to restore is deregistered (INACTIVE), and ECS cannot run it - ` +
        `${inactive.join('; ')}. Nothing was changed. Register that revision again and name it with "to", or ` +
        'choose another release.',
    );
  }
  return new Map(defs.map((def, i) => [arns[i], def]));
}

/** Container name -> image over every restored task definition; a name two of them use differently is qualified. */
function imagesOf(plans: EcsPlan['services'], defs: Map<string, TaskDefinition>): Record<string, string> {
  const images: Record<string, string> = {};
  for (const plan of plans) {
    for (const c of defs.get(plan.to)?.containerDefinitions ?? []) {
      const name = c.name ?? '';
      const key =
        images[name] === undefined || images[name] === c.image ? name : `${plan.service.serviceName}/${name}`;
      images[key] = c.image ?? '';
    }
  }
  return images;
}
