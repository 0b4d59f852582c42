import {
  appendSummary,
  createDeploymentRecorder,
  type HostPlan,
  markdownTable,
  planHost,
  refuseHostBadDigests,
  UserError,
  withFleet,
} from '@slipway/shared';
import type { DeployPlan, Deps } from './deploy';
import type { Inputs } from './inputs';

/** The `plan` output of a dry run (JSON): what a deploy of this release would do, per host and service. */
export interface ComposePlan {
  target: 'compose';
  project: string;
  release: string;
  strategy: string;
  images: Record<string, string>;
  proxy: {
    /** The project's reverse proxies, `service (kind)`. */
    services: string[];
    /** Services the proxies send requests to. */
    behind: string[];
    /** Where each switch is judged before any old container stops. */
    entry: string;
  };
  hosts: Array<HostPlan | { host: string; error: string }>;
  /** Whether the deploy would change anything on any host. */
  changes: boolean;
}

/**
 * The dry run: everything a deploy checks before its first change (inputs, credentials, host keys, the bad-digest
 * guards over the deployment records and each host's history), then per host what the deploy would do, read
 * with the deploy's own rules. No lock is taken, no GitHub Deployment made, nothing written on any host.
 */
export async function planCompose(plan: DeployPlan, inputs: Inputs, deps: Deps): Promise<ComposePlan> {
  const { release, options, digests } = plan;
  const recorder = createDeploymentRecorder(
    { ...inputs.recording, sha: plan.sha },
    { records: deps.records(inputs.githubToken), notice: deps.io.notice, warning: deps.io.warning },
  );
  await recorder.guard(digests);
  const hosts = await withFleet(inputs, deps.connect, async (fleet) => {
    const histories = await fleet.histories();
    if (digests.length > 0) {
      refuseHostBadDigests(fleet.names, histories, digests, inputs.recording.force, options.warn);
    }
    const place = { dir: options.dir, project: options.project };
    const planned = await fleet.each((session, i) => {
      const history = histories[i];
      if (history instanceof Error) throw history;
      return planHost(session, release, history, { ...options, place });
    });
    return planned.map((p, i) => (p instanceof Error ? { host: fleet.names[i], error: p.message } : p));
  });
  const proxies = release.services.filter((s) => s.proxy);
  return {
    target: 'compose',
    project: inputs.project,
    release: release.id,
    strategy: inputs.strategy,
    images: release.images,
    proxy: {
      services: proxies.map((s) => `${s.name} (${s.proxy})`),
      behind: release.services.filter((s) => s.public).map((s) => s.name),
      entry: inputs.entry
        ? `public-url: ${inputs.entry.checks.map((c) => `${c.url.origin}${c.url.pathname}`).join(', ')}`
        : proxies.length
          ? "the ports the project's proxies publish on each host"
          : 'none: no proxy in the project, each service is judged by its own health',
    },
    hosts,
    changes: hosts.some(
      (h) => 'error' in h || h.removed.length > 0 || h.services.some((s) => s.action !== 'stay'),
    ),
  };
}

/** The job summary of a dry run. */
export function renderComposePlan(plan: ComposePlan): string {
  const lines = [
    `### deploy-compose plan: ${plan.project} ${plan.release} (dry run: nothing changed)`,
    '',
    `Strategy \`${plan.strategy}\`. Proxies: ${plan.proxy.services.join(', ') || 'none'}` +
      (plan.proxy.behind.length ? `, in front of ${plan.proxy.behind.join(', ')}` : '') +
      `. Each switch is judged at ${plan.proxy.entry}.`,
    '',
  ];
  for (const host of plan.hosts) {
    if ('error' in host) {
      lines.push(`#### ${host.host}`, '', `Could not be planned: ${host.error}`, '');
      continue;
    }
    const rows = host.services.map((s) => [s.service, s.action, s.why]);
    for (const name of host.removed)
      rows.push([name, 'remove', 'runs on the host but is not in the release']);
    lines.push(
      `#### ${host.host} (now ${host.current ?? 'nothing deployed'})`,
      '',
      ...(host.lockedBy
        ? [`The deploy lock is held (${host.lockedBy}): a deploy would wait for it.`, '']
        : []),
      markdownTable(['service', 'action', 'why'], rows),
      '',
    );
  }
  return lines.join('\n');
}

/** The outputs and job summary of a dry run; a host that could not be planned fails the step, naming it. */
export async function reportPlan(plan: ComposePlan, deps: Deps): Promise<void> {
  const markdown = renderComposePlan(plan);
  deps.io.setOutput('plan', JSON.stringify(plan));
  deps.io.setOutput('plan-markdown', markdown);
  await appendSummary(markdown);
  const failed = plan.hosts.filter((h) => 'error' in h);
  if (failed.length > 0) {
    throw new UserError(
      `The plan could not be made for ${failed.map((h) => h.host).join(', ')}:\n${failed.map((h) => `- ${h.host}: ${'error' in h ? h.error : ''}`).join('\n')}`,
    );
  }
  deps.io.info(
    plan.changes ? 'Dry run: the deploy would change the hosts above.' : 'Dry run: nothing would change.',
  );
}
