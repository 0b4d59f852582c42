import { AwsError, clientError, invalidParameter, type Operation } from '../protocol';
import { addEvent, startDeployment } from './deployments';
import { checkLifecycleHooks } from './lifecycle-hooks';
import {
  activeService,
  arn,
  describeEach,
  findCluster,
  findService,
  optionalString,
  paginate,
  requiredString,
  resolveTaskDefinition,
} from './lookup';
import { type EcsState, type Json, nowSeconds, type ServiceRecord } from './model';
import { serviceView } from './service-view';

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
// Fields CreateService/UpdateService accept that only matter to AWS's networking and placement: echoed back.
const ECHOED = [
  'launchType',
  'platformVersion',
  'networkConfiguration',
  'loadBalancers',
  'capacityProviderStrategy',
];
const DEFAULT_DEPLOYMENT_CONFIGURATION = {
  deploymentCircuitBreaker: { enable: false, rollback: false },
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  strategy: 'ROLLING',
  alarms: { alarmNames: [], rollback: false, enable: false },
};

function activeTaskDefinitionArn(state: EcsState, ref: string): string {
  const found = resolveTaskDefinition(state, ref);
  if (!found) throw clientError('TaskDefinition not found.');
  if (found.body.status !== 'ACTIVE')
    throw clientError(`TaskDefinition is inactive: ${found.body.taskDefinitionArn}`);
  return found.body.taskDefinitionArn;
}

function count(input: Json, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 0)
    throw invalidParameter(`${key} must be a non-negative integer.`);
  return value as number;
}

function deploymentConfiguration(current: Json, given: unknown): Json {
  if (given === undefined || given === null) return current;
  if (typeof given !== 'object') throw invalidParameter('deploymentConfiguration must be an object.');
  const merged = { ...current, ...(given as Json) };
  const min = Number(merged.minimumHealthyPercent);
  const max = Number(merged.maximumPercent);
  if (!(min >= 0 && min <= 100)) throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  if (!(max >= 100 || (max > 0 && min === 0))) throw invalidParameter('maximumPercent must be at least 100.');
  const breaker = merged.deploymentCircuitBreaker as Json | undefined;
  if (breaker && (typeof breaker.enable !== 'boolean' || typeof breaker.rollback !== 'boolean')) {
    throw invalidParameter('deploymentCircuitBreaker needs boolean enable and rollback.');
  }
  checkLifecycleHooks(merged);
  return merged;
}

export function serviceOperations(state: EcsState): Record<string, Operation> {
  return {
    CreateService(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const name = requiredString(input, 'serviceName');
      if (!NAME.test(name))
        throw invalidParameter('serviceName: up to 255 letters, numbers, hyphens and underscores.');
      const controller = (input.deploymentController as Json | undefined)?.type ?? 'ECS';
      if (controller !== 'ECS')
        throw invalidParameter(`ecs-local supports only the ECS deployment controller, not ${controller}.`);
      const existing = findService(state, cluster, name);
      if (existing && existing.status !== 'INACTIVE')
        throw invalidParameter('Creation of service was not idempotent.');
      const taskDefinition = activeTaskDefinitionArn(state, requiredString(input, 'taskDefinition'));
      const service: ServiceRecord = {
        arn: arn(state, cluster.region, `service/${cluster.name}/${name}`),
        name,
        cluster,
        status: 'ACTIVE',
        desiredCount: count(input, 'desiredCount') ?? 0,
        taskDefinition,
        deploymentConfiguration: deploymentConfiguration(
          DEFAULT_DEPLOYMENT_CONFIGURATION,
          input.deploymentConfiguration,
        ),
        echo: Object.fromEntries(ECHOED.filter((k) => input[k] !== undefined).map((k) => [k, input[k]])),
        healthCheckGracePeriodSeconds: count(input, 'healthCheckGracePeriodSeconds') ?? 0,
        deployments: [],
        events: [],
        createdAt: nowSeconds(),
        tags: (input.tags as Json[] | undefined) ?? [],
      };
      state.services.push(service);
      startDeployment(state, service, taskDefinition);
      return { service: serviceView(state, service) };
    },

    UpdateService(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const service = activeService(state, cluster, requiredString(input, 'service'));
      const ref = optionalString(input, 'taskDefinition');
      const taskDefinition = ref ? activeTaskDefinitionArn(state, ref) : service.taskDefinition;
      const desiredCount = count(input, 'desiredCount');
      const grace = count(input, 'healthCheckGracePeriodSeconds');
      service.deploymentConfiguration = deploymentConfiguration(
        service.deploymentConfiguration,
        input.deploymentConfiguration,
      );
      if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
      const networkChanged =
        input.networkConfiguration !== undefined &&
        JSON.stringify(input.networkConfiguration) !== JSON.stringify(service.echo.networkConfiguration);
      for (const key of ECHOED) if (input[key] !== undefined) service.echo[key] = input[key];
      if (desiredCount !== undefined && desiredCount !== service.desiredCount) {
        service.desiredCount = desiredCount;
        const primary = service.deployments.find((d) => d.status === 'PRIMARY');
        if (primary) primary.desiredCount = desiredCount;
      }
      if (taskDefinition !== service.taskDefinition || input.forceNewDeployment === true || networkChanged) {
        startDeployment(state, service, taskDefinition);
      }
      return { service: serviceView(state, service) };
    },

    DescribeServices(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const { found, failures } = describeEach(
        input,
        'services',
        10,
        (ref) => {
          const service = findService(state, cluster, ref);
          return service && serviceView(state, service, input.include);
        },
        (ref) =>
          ref.startsWith('arn:') ? ref : arn(state, cluster.region, `service/${cluster.name}/${ref}`),
      );
      return { services: found, failures };
    },

    ListServices(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const arns = state.services
        .filter((s) => s.cluster === cluster && s.status !== 'INACTIVE')
        .map((s) => s.arn);
      const { page, nextToken } = paginate(arns, input, 10);
      return { serviceArns: page, nextToken };
    },

    DeleteService(input, caller) {
      const cluster = findCluster(state, caller.region, optionalString(input, 'cluster'));
      const service = findService(state, cluster, requiredString(input, 'service'));
      if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
      if (service.status === 'ACTIVE') {
        if (service.desiredCount > 0 && input.force !== true) {
          throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
        }
        service.status = 'DRAINING';
        service.desiredCount = 0;
        addEvent(service, 'has begun draining.');
      }
      return { service: serviceView(state, service) };
    },
  };
}
