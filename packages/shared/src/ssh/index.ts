// The SSH layer of the suite (deploy-compose and rollback): verified host keys, jump hosts, retries,
// remote commands under `set -eu` with a host-side timeout, atomic uploads.
export { type HostKeyPolicy, type HostKeyVerdict, hostKeyError, verifyHostKey } from './host-key-policy';
export {
  entryMatches,
  fingerprintOf,
  type KnownHostEntry,
  keyTypeOf,
  knownHostName,
  parseKnownHosts,
} from './known-hosts';
export { wrapRemoteScript } from './remote-script';
export { connectSsh, isTransientSshError, type SshConnectOptions, type SshHop } from './ssh-connect';
export {
  RemoteCommandError,
  type RemoteExecOptions,
  type RemoteResult,
  SshConnectionLostError,
  type SshSession,
} from './ssh-session';
export { formatSshTarget, parseSshTarget, type SshTarget } from './ssh-target';
export { timedConnect } from './timed-connect';
