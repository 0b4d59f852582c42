import { markdownTable, serviceUnchanged } from '@slipway/shared';
import type { RenderedRevision } from './deploy';
import type { Inputs } from './inputs';
import { type Change, diffDefinitions } from './render/normalise';

/** The `plan` output of a dry run (JSON): the task definition a deploy would run, and what it does per service. */
export interface EcsPlan {
  target: 'ecs';
  cluster: string;
  family: string;
  origin: string;
  /** `register` a new revision, or `reuse` an equal one (`arn`). */
  revision: { action: 'register' | 'reuse'; arn?: string };
  services: Array<{
    service: string;
    /** The revision it runs now. */
    current?: string;
    /** `update`: UpdateService (a new deployment); `stay`: it already runs the definition. */
    action: 'update' | 'stay';
    /** The task-definition diff from what it runs now to the rendered one, one line per leaf. */
    changes: Change[];
  }>;
  changes: boolean;
}

/**
 * What a deploy of the rendered definition would do: register a revision or reuse an equal one, and per service
 * the diff from its own current definition and whether UpdateService would be called (by deployService's rule).
 * Reads only: DescribeTaskDefinition for services on another revision than the first one's.
 */
export async function planEcs(inputs: Inputs, r: RenderedRevision): Promise<EcsPlan> {
  const { api, services, current, base, rendered, equal } = r;
  const definitions = new Map(current?.taskDefinitionArn ? [[current.taskDefinitionArn, current]] : []);
  const planned: EcsPlan['services'] = [];
  for (const service of services) {
    const arn = service.taskDefinition;
    if (arn && !definitions.has(arn)) definitions.set(arn, await api.describeTaskDefinition(arn));
    const runs = arn ? definitions.get(arn) : undefined;
    const stays =
      equal?.taskDefinitionArn !== undefined && serviceUnchanged(service, equal.taskDefinitionArn, inputs);
    planned.push({
      service: service.serviceName ?? '',
      current: arn,
      action: stays ? 'stay' : 'update',
      changes: diffDefinitions(runs, rendered),
    });
  }
  return {
    target: 'ecs',
    cluster: inputs.cluster,
    family: rendered.family ?? '',
    origin: base.origin,
    revision: equal ? { action: 'reuse', arn: equal.taskDefinitionArn } : { action: 'register' },
    services: planned,
    changes: !equal || planned.some((s) => s.action !== 'stay'),
  };
}

const MAX_ROWS = 60;

/** The job summary of a dry run. */
export function renderEcsPlan(plan: EcsPlan): string {
  const revision =
    plan.revision.action === 'register'
      ? `a new revision of \`${plan.family}\` would be registered`
      : `the equal revision \`${plan.revision.arn}\` would be reused, nothing registered`;
  const lines = [
    `### deploy-ecs plan: cluster \`${plan.cluster}\` (dry run: nothing changed)`,
    '',
    `Rendered from ${plan.origin}: ${revision}.`,
    '',
  ];
  for (const s of plan.services) {
    lines.push(
      `#### ${s.service}: ${s.action === 'stay' ? 'stays (already runs it)' : 'would be updated (a new deployment)'}`,
      '',
      `Now: \`${s.current ?? 'none'}\``,
      '',
    );
    if (s.changes.length === 0) {
      lines.push('No change in the task definition.', '');
      continue;
    }
    const rows = s.changes.slice(0, MAX_ROWS).map((c) => [`\`${c.path}\``, c.before ?? '', c.after ?? '']);
    lines.push(markdownTable(['field', 'now', 'rendered'], rows), '');
    if (s.changes.length > MAX_ROWS)
      lines.push(`… and ${s.changes.length - MAX_ROWS} more (see the plan output).`, '');
  }
  return lines.join('\n');
}
