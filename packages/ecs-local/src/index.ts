export { type EcrOptions, type EcrService, ecrService } from './ecr';
export { type FaultRule, Faults } from './faults';
export {
  AwsError,
  type Caller,
  clientError,
  invalidParameter,
  type Operation,
  type Service,
} from './protocol';
export { type Endpoint, type EndpointOptions, startEndpoint } from './server';
