import { clientError, type Operation } from '../protocol';
import { arn, optionalString, paginate, requiredString, requireTaskDefinition } from './lookup';
import { type EcsState, type Json, nowSeconds, type TaskDefinitionRecord } from './model';

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;

// Fields RegisterTaskDefinition accepts and echoes back as given.
const ECHOED = [
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
];

/** Container definition defaults ECS fills in on registration. */
function containerWithDefaults(container: Json, networkMode: unknown): Json {
  const ports = (container.portMappings as Json[] | undefined) ?? [];
  return {
    cpu: 0,
    essential: true,
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    systemControls: [],
    ...container,
    portMappings: ports.map((p) => ({
      ...p,
      hostPort: p.hostPort ?? (networkMode === 'awsvpc' || networkMode === 'host' ? p.containerPort : 0),
      protocol: p.protocol ?? 'tcp',
    })),
  };
}

/** The capability attributes ECS derives from a definition: cheap to compute, and tools diff against them. */
function requiresAttributes(body: Json, containers: Json[]): Json[] {
  const names = new Set(['com.amazonaws.ecs.capability.docker-remote-api.1.18']);
  if (body.networkMode === 'awsvpc') names.add('ecs.capability.task-eni');
  if (body.executionRoleArn) names.add('ecs.capability.execution-role-ecr-pull');
  for (const c of containers) {
    if (c.healthCheck) {
      names.add('ecs.capability.container-health-check');
      names.add('com.amazonaws.ecs.capability.docker-remote-api.1.24');
    }
    const driver = (c.logConfiguration as Json | undefined)?.logDriver;
    if (driver) names.add(`com.amazonaws.ecs.capability.logging-driver.${driver}`);
    if ((c.secrets as unknown[] | undefined)?.length)
      names.add('ecs.capability.secrets.ssm.environment-variables');
    if (String(c.image).includes('.dkr.ecr.')) names.add('com.amazonaws.ecs.capability.ecr-auth');
  }
  return [...names].map((name) => ({ name }));
}

function validateContainers(input: Json): Json[] {
  const containers = input.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw clientError('Container list cannot be empty.');
  }
  const seen = new Set<string>();
  for (const c of containers as Json[]) {
    if (!c || typeof c.name !== 'string' || !c.name)
      throw clientError('Container.name should not be null or empty.');
    if (typeof c.image !== 'string' || !c.image)
      throw clientError('Container.image should not be null or empty.');
    if (seen.has(c.name)) throw clientError(`Duplicate container name ${c.name}.`);
    seen.add(c.name);
  }
  if (!(containers as Json[]).some((c) => c.essential !== false)) {
    throw clientError('A task definition must have at least one essential container.');
  }
  return containers as Json[];
}

export function taskDefinitionOperations(state: EcsState): Record<string, Operation> {
  const view = (record: TaskDefinitionRecord, input: Json) => ({
    taskDefinition: record.body,
    ...(Array.isArray(input.include) && input.include.includes('TAGS') ? { tags: record.tags } : {}),
  });
  return {
    RegisterTaskDefinition(input, caller) {
      const family = requiredString(input, 'family');
      if (!FAMILY.test(family)) {
        throw clientError(
          'Family contains invalid characters: up to 255 letters, numbers, hyphens and underscores.',
        );
      }
      const containers = validateContainers(input);
      const revisions = state.taskDefinitions.get(family) ?? [];
      const revision = (revisions.at(-1)?.body.revision ?? 0) + 1;
      const echoed = Object.fromEntries(
        ECHOED.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]),
      );
      const containerDefinitions = containers.map((c) => containerWithDefaults(c, input.networkMode));
      const fargate = input.networkMode === 'awsvpc' && input.cpu !== undefined && input.memory !== undefined;
      const body = {
        taskDefinitionArn: arn(state, caller.region, `task-definition/${family}:${revision}`),
        containerDefinitions,
        family,
        ...echoed,
        volumes: input.volumes ?? [],
        placementConstraints: input.placementConstraints ?? [],
        revision,
        status: 'ACTIVE',
        requiresAttributes: requiresAttributes(input, containerDefinitions),
        compatibilities: fargate ? ['EC2', 'FARGATE'] : ['EXTERNAL', 'EC2'],
        registeredAt: nowSeconds(),
        registeredBy: `arn:aws:iam::${state.accountId}:user/${caller.accessKeyId}`,
      };
      const tags = (input.tags as Json[] | undefined) ?? [];
      const record: TaskDefinitionRecord = { body, tags };
      state.taskDefinitions.set(family, [...revisions, record]);
      return { taskDefinition: body, tags };
    },

    DescribeTaskDefinition(input) {
      return view(requireTaskDefinition(state, requiredString(input, 'taskDefinition')), input);
    },

    DeregisterTaskDefinition(input) {
      const ref = requiredString(input, 'taskDefinition');
      if (!ref.includes(':'))
        throw clientError('The specified revision is required: family:revision or an ARN.');
      const record = requireTaskDefinition(state, ref);
      if (record.body.status === 'ACTIVE') {
        record.body.status = 'INACTIVE';
        record.body.deregisteredAt = nowSeconds();
      }
      return { taskDefinition: record.body };
    },

    ListTaskDefinitions(input) {
      const prefix = optionalString(input, 'familyPrefix');
      const status = optionalString(input, 'status') ?? 'ACTIVE';
      const all = [...state.taskDefinitions.entries()]
        .filter(([family]) => !prefix || family === prefix)
        .flatMap(([, revisions]) => revisions)
        .filter((r) => r.body.status === status)
        .sort(
          (a, b) =>
            Number(a.body.registeredAt) - Number(b.body.registeredAt) || a.body.revision - b.body.revision,
        )
        .map((r) => r.body.taskDefinitionArn);
      if (optionalString(input, 'sort') === 'DESC') all.reverse();
      const { page, nextToken } = paginate(all, input);
      return { taskDefinitionArns: page, nextToken };
    },

    ListTaskDefinitionFamilies(input) {
      const prefix = optionalString(input, 'familyPrefix') ?? '';
      const status = optionalString(input, 'status') ?? 'ACTIVE';
      const families = [...state.taskDefinitions.entries()]
        .filter(([family]) => family.startsWith(prefix))
        .filter(([, rs]) => status === 'ALL' || rs.some((r) => r.body.status === status))
        .map(([family]) => family)
        .sort();
      const { page, nextToken } = paginate(families, input);
      return { families: page, nextToken };
    },
  };
}
