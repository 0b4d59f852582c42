// The fleet machinery, importable by other actions (rollback): deploy a release, chosen per host from that
// host's own history, to many hosts, with locks, health waits, automatic and atomic rollback.
export {
  deployToFleet,
  type FleetOptions,
  type HostResult,
  type HostStatus,
  type ReleaseChoice,
} from './fleet-deploy';
export type { Hooks, HostDeployOptions } from './host-deploy';
export { type LockHandle, releaseLock } from './host-lock';
export {
  currentRelease,
  type HistoryEntry,
  previousReleases,
  type Release,
  type ReleaseFile,
  releaseFromHistory,
  type ServicePlan,
} from './release';
export { readHistory } from './release-history';
export type { RemoteTimings } from './remote-shell';
