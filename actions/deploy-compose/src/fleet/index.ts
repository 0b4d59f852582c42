// The fleet machinery, importable by other actions (rollback): deploy a release, chosen per host from that
// host's own history, to many hosts, with locks, health waits, automatic and atomic rollback. The release history
// itself (history.json, bad marks) is in @slipway/shared.
export { guardHostHistories } from './bad-digest-guard';
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
  type Release,
  type ReleaseFile,
  releaseFromHistory,
} from './release';
export type { RemoteTimings } from './remote-shell';
