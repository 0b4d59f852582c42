import { UserError } from '../errors';
import { entryMatches, fingerprintOf, type KnownHostEntry, keyTypeOf, knownHostName } from './known-hosts';

/** How a host's key is checked before anything is sent to it. */
export interface HostKeyPolicy {
  /** Parsed known_hosts lines (see `parseKnownHosts`). */
  knownHosts?: readonly KnownHostEntry[];
  /** Accepted `SHA256:` fingerprints for this host (any one matching is enough). */
  fingerprints?: readonly string[];
  /** Accept any key. Only for throw-away hosts: it allows a man in the middle. */
  insecureSkip?: boolean;
}

export type HostKeyVerdict =
  | { ok: true; fingerprint: string; keyType: string }
  | { ok: false; fingerprint: string; keyType: string; reason: 'unknown' | 'changed' | 'revoked' };

/**
 * Decides whether `key` (the blob the host offered) is the host's key. A known_hosts line for this host with the
 * same key type but another key means the key CHANGED (possible man in the middle) and wins over nothing else:
 * like OpenSSH, a matching key of the type offered is required.
 */
export function verifyHostKey(
  policy: HostKeyPolicy,
  host: string,
  port: number,
  key: Buffer,
): HostKeyVerdict {
  const fingerprint = fingerprintOf(key);
  const keyType = keyTypeOf(key);
  const entries = (policy.knownHosts ?? []).filter((entry) => entryMatches(entry, host, port));
  if (entries.some((entry) => entry.revoked && entry.key.equals(key))) {
    return { ok: false, fingerprint, keyType, reason: 'revoked' };
  }
  if (policy.insecureSkip) return { ok: true, fingerprint, keyType };
  const normalized = (policy.fingerprints ?? []).map((f) => f.trim().replace(/=+$/, ''));
  if (normalized.includes(fingerprint)) return { ok: true, fingerprint, keyType };
  const plain = entries.filter((entry) => !entry.revoked);
  if (plain.some((entry) => entry.keyType === keyType && entry.key.equals(key))) {
    return { ok: true, fingerprint, keyType };
  }
  const changed = plain.some((entry) => entry.keyType === keyType) || normalized.length > 0;
  return { ok: false, fingerprint, keyType, reason: changed ? 'changed' : 'unknown' };
}

/** The error for a refused host key: what the host offered and the two ways to fix it. */
export function hostKeyError(target: string, host: string, port: number, verdict: HostKeyVerdict): UserError {
  if (verdict.ok) throw new Error('hostKeyError called for an accepted key');
  const name = knownHostName(host, port);
  const what = {
    unknown: 'is not in known-hosts and matches no fingerprint given for it',
    changed: 'DOES NOT MATCH the key recorded for it (it changed, or someone is in the middle)',
    revoked: 'is marked @revoked in known-hosts',
  }[verdict.reason];
  return new UserError(
    [
      `Refused to connect to ${target}: its ${verdict.keyType} host key ${verdict.fingerprint} ${what}. Nothing was run on it.`,
      'If this key is the right one, check it out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and then',
      `either add the line from "ssh-keyscan -p ${port} ${host}" (it starts with ${name}) to the known-hosts input,`,
      `or give the fingerprint: ${verdict.fingerprint}.`,
    ].join('\n'),
  );
}

/** The host-key algorithms ssh2 offers by default, in its order of preference. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** The signature algorithms a known_hosts key type can be verified with. */
function algorithmsFor(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return /^(ssh-ed25519|ssh-dss|ecdsa-sha2-nistp(256|384|521))$/.test(keyType) ? [keyType] : [];
}

/**
 * The host-key algorithms to offer this host, as OpenSSH orders them: those of the key types known_hosts holds
 * for it first, then the others. A host with ed25519 and RSA keys, known by its RSA key only, then shows its RSA
 * key instead of an ed25519 one nobody can check. Undefined (ssh2's defaults) when no key of the host is known.
 */
export function hostKeyAlgorithms(policy: HostKeyPolicy, host: string, port: number): string[] | undefined {
  if (policy.insecureSkip) return undefined;
  const known = new Set(
    (policy.knownHosts ?? [])
      .filter((entry) => !entry.revoked && entryMatches(entry, host, port))
      .flatMap((entry) => algorithmsFor(entry.keyType)),
  );
  if (known.size === 0) return undefined;
  const first = DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => known.has(a));
  const extra = [...known].filter((a) => !first.includes(a));
  return [...first, ...extra, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !known.has(a))];
}
