import type * as Crypto from 'node:crypto';

/** node:crypto loads when a host key is matched or fingerprinted, not while the inputs are read (README, Decisions: lazy loading). */
const nodeCrypto = () => require('node:crypto') as typeof Crypto;

/** One usable line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  /** The host patterns (`host`, `[host]:port`, wildcards, `!negations`) or one hashed `|1|salt|hash` name. */
  patterns: string[];
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  key: Buffer;
  revoked: boolean;
}

/**
 * Parses known_hosts text as OpenSSH writes it: plain and hashed (`|1|salt|hash`) host names, `[host]:port`
 * forms, comma-separated patterns, comments, and the `@revoked` marker. `@cert-authority` lines are skipped:
 * certificate host keys are not supported, so such a line must never let a plain key through.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0].startsWith('@')) {
      const marker = fields.shift();
      if (marker === '@cert-authority') continue;
      revoked = marker === '@revoked';
      if (!revoked) continue;
    }
    const [names, keyType, keyBase64] = fields;
    if (!names || !keyType || !keyBase64) continue;
    const key = Buffer.from(keyBase64, 'base64');
    if (key.length === 0) continue;
    const hashedMatch = /^\|1\|([^|]+)\|([^|]+)$/.exec(names);
    entries.push(
      hashedMatch
        ? {
            patterns: [names],
            hashed: {
              salt: Buffer.from(hashedMatch[1], 'base64'),
              hash: Buffer.from(hashedMatch[2], 'base64'),
            },
            keyType,
            key,
            revoked,
          }
        : { patterns: names.split(','), keyType, key, revoked },
    );
  }
  return entries;
}

/** How OpenSSH names a host in known_hosts: `host` on port 22, `[host]:port` elsewhere. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Whether an entry names this host (OpenSSH rules: any positive pattern matches and no negated one does). */
export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if (entry.hashed) {
    const digest = nodeCrypto().createHmac('sha1', entry.hashed.salt).update(name).digest();
    return digest.equals(entry.hashed.hash);
  }
  let matched = false;
  for (const pattern of entry.patterns) {
    const negated = pattern.startsWith('!');
    const regex = globToRegExp(negated ? pattern.slice(1) : pattern);
    if (regex.test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString('latin1');
}

/** The fingerprint OpenSSH shows: `SHA256:` and the unpadded base64 of the key blob's SHA-256. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${nodeCrypto().createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
