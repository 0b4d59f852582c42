// The Compose fleet machinery (deploy-compose deploys with it, rollback restores with it): the hosts, SSH and
// fleet inputs both actions take, and "deploy a release, chosen per host from that host's own history, to many
// hosts" with locks, health waits, automatic and atomic rollback, over sessions the Fleet opens once and closes.
// The release history itself (history.json, bad marks) is in ../host-history.
export { type CanaryOptions, type CanaryStepReport, type ShareMechanism, shareMechanism } from './canary';
export {
  type CanaryStepPlan,
  canaryPlan,
  canaryWeightPlan,
  describeStep,
  nearestWeights,
  parseCanarySteps,
  type StepWeights,
} from './canary-steps';
export { type Fleet, openFleet, withFleet } from './fleet';
export type { FleetOptions, HostResult } from './fleet-deploy';
export { type FleetInputs, fleetOptions, getFleetInputs } from './fleet-inputs';
export { type EntryChecks, LIVE } from './host-deploy';
export { refuseHostBadDigests } from './host-digest-guard';
export { type LockHandle, releaseLock } from './host-lock';
export { type HostPlan, type HostPlanOptions, type PlannedChange, planHost } from './host-plan';
export type { HostPreDeploy } from './host-pre-deploy';
export { type Release, type ReleaseFile, releaseFromHistory } from './release';
