// The Compose fleet machinery (deploy-compose deploys with it, rollback restores with it): the hosts, SSH and
// fleet inputs both actions take, and "deploy a release, chosen per host from that host's own history, to many
// hosts" with locks, health waits, automatic and atomic rollback. The release history itself (history.json, bad
// marks) is in ../host-history.
export { guardHostHistories } from './bad-digest-guard';
export { deployToFleet, type FleetOptions, type HostResult } from './fleet-deploy';
export {
  connectOptions,
  type FleetInputs,
  fleetOptions,
  getFleetInputs,
} from './fleet-inputs';
export { type LockHandle, releaseLock } from './host-lock';
export { type Release, type ReleaseFile, releaseFromHistory } from './release';
