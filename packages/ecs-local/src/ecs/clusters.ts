import type { Operation } from '../protocol';
import { ensureCluster, nameOf, optionalString, paginate } from './lookup';
import type { ClusterRecord, EcsState, Json } from './model';

/** Clusters are only a namespace here: no container instances, capacity providers or statistics. */
export function clusterView(state: EcsState, cluster: ClusterRecord, include: unknown = []): Json {
  const tasks = state.tasks.filter((t) => t.cluster === cluster && t.lastStatus !== 'STOPPED');
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus !== 'RUNNING').length,
    activeServicesCount: state.services.filter((s) => s.cluster === cluster && s.status === 'ACTIVE').length,
    statistics: [],
    settings: cluster.settings,
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
    ...(Array.isArray(include) && include.includes('TAGS') ? { tags: cluster.tags } : {}),
  };
}

export function clusterOperations(state: EcsState): Record<string, Operation> {
  return {
    CreateCluster(input, caller) {
      const name = optionalString(input, 'clusterName') ?? 'default';
      const cluster = ensureCluster(state, caller.region, name, (input.tags as Json[] | undefined) ?? []);
      if (Array.isArray(input.settings)) cluster.settings = input.settings as Json[];
      return { cluster: clusterView(state, cluster, ['TAGS']) };
    },

    DescribeClusters(input, caller) {
      const refs = Array.isArray(input.clusters) && input.clusters.length ? input.clusters : ['default'];
      const clusters: Json[] = [];
      const failures: Json[] = [];
      for (const ref of refs as string[]) {
        const name = nameOf(ref);
        const cluster =
          state.clusters.get(name) ??
          (name === 'default' ? ensureCluster(state, caller.region, name) : undefined);
        if (cluster) clusters.push(clusterView(state, cluster, input.include));
        else failures.push({ arn: ref, reason: 'MISSING' });
      }
      return { clusters, failures };
    },

    ListClusters(input) {
      const { page, nextToken } = paginate(
        [...state.clusters.values()].map((c) => c.arn),
        input,
      );
      return { clusterArns: page, nextToken };
    },
  };
}
