import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { type EcsApi, imageDigest } from '@slipway/shared';
import type { BadMarks } from '../records/bad-marks';
import { type EcsChoice, ecsCandidates } from './choose-task-definition';
import type { PastDeployment } from './service-deployments';

/** DescribeTaskDefinition, at most once per task definition in a rollback (candidates, then the restored ones). */
export type Describe = (arn: string) => Promise<TaskDefinition>;

export function describeOnce(api: Pick<EcsApi, 'describeTaskDefinition'>): Describe {
  const described = new Map<string, Promise<TaskDefinition>>();
  return (arn) => {
    let def = described.get(arn);
    if (!def) {
      def = api.describeTaskDefinition(arn);
      described.set(arn, def);
    }
    return def;
  };
}

/**
 * How many of a service's past task definitions are looked at, newest first: each may cost a
 * DescribeTaskDefinition (only while digests are marked bad), so a long run of bad ones cannot turn into
 * a call per revision ECS remembers.
 */
export const MAX_CANDIDATES = 10;

/**
 * Why the records forbid restoring a task definition, if they do: its ARN ran in a deployment marked bad (or
 * rolled away from), or one of its containers' images is pinned to such a digest. It is described only when
 * some digest is marked.
 */
export async function badMarkOf(
  arn: string,
  avoid: BadMarks,
  describe: Describe,
): Promise<string | undefined> {
  const byArn = avoid.taskDefinitions.get(arn);
  if (byArn) return `${arn}: ran in ${byArn}`;
  if (!avoid.digests.size) return undefined;
  const def = await describe(arn);
  for (const container of def.containerDefinitions ?? []) {
    const digest = imageDigest(container.image ?? '');
    const why = digest && avoid.digests.get(digest);
    if (why) return `${arn}: its image ${container.image} ran in ${why}`;
  }
  return undefined;
}

/**
 * ECS's choice for one service (the newest successful deployment with another task definition), skipping what
 * the records forbid: ECS reports a deployment SUCCESSFUL that a rollback later marked bad. Returns the choice
 * (undefined when nothing is left within MAX_CANDIDATES) and what was skipped, with why.
 */
export async function chooseFromEcsHistory(
  service: Service,
  past: PastDeployment[] | undefined,
  avoid: BadMarks,
  describe: Describe,
): Promise<{ choice?: EcsChoice; skipped: string[] }> {
  const { from, candidates } = ecsCandidates(service, past);
  const skipped: string[] = [];
  if (!from) return { skipped };
  for (const to of candidates.slice(0, MAX_CANDIDATES)) {
    const why = await badMarkOf(to, avoid, describe);
    if (!why) return { choice: { from, to }, skipped };
    skipped.push(why);
  }
  return { skipped };
}

/** " Skipped, as the deployment records forbid them: a; b." for a notice or an error, or "" when none. */
export function skippedText(skipped: readonly string[]): string {
  return skipped.length ? ` Skipped, as the deployment records forbid them: ${skipped.join('; ')}.` : '';
}
