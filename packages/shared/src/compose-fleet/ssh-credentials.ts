import type * as Ssh2 from 'ssh2';
import { InputError } from '../errors';
import { lazyParser } from '../lazy-parser';
import { keyTypeOf } from '../ssh/known-hosts';
import { formatSshTarget, type SshTarget } from '../ssh/ssh-target';

// Checks of the SSH inputs made while reading them, so that a bad key, a wrong passphrase, a garbled known-hosts
// line or a host listed twice stops the step before anything happens (no GitHub Deployment, no connection).

/**
 * ssh2's key parser (`utils.parseKey` is this module's `parseKey`), in a chunk of its own loaded when a key is
 * checked: not before the first input error, and without the rest of ssh2 (its client, SFTP) (README, Decisions:
 * lazy loading).
 */
export const keyParser = lazyParser("ssh2's key parser", () => import('ssh2/lib/protocol/keyParser.js'));

function parseKey(...args: Parameters<typeof Ssh2.utils.parseKey>): ReturnType<typeof Ssh2.utils.parseKey> {
  return keyParser().parseKey(...args);
}

/** The private key must parse, with its passphrase when it is encrypted (and the passphrase must be the right one). */
export function checkSshKey(key: string, passphrase: string | undefined): void {
  const parsed = parseKey(key, passphrase);
  if (parsed instanceof Error) {
    const why = parsed.message;
    if (/no passphrase given/i.test(why)) {
      throw new InputError(
        'passphrase',
        'Input "ssh-key" is an encrypted private key: give its passphrase in "passphrase".',
      );
    }
    if (/bad passphrase|decrypt|integrity/i.test(why) && passphrase) {
      throw new InputError(
        'passphrase',
        'Input "passphrase" does not decrypt "ssh-key": check that it is the passphrase of that key.',
      );
    }
    throw new InputError(
      'ssh-key',
      `Input "ssh-key" is not a private key SSH can use (${why}). Give the whole key file (OpenSSH or PEM, from its -----BEGIN line to its -----END line).`,
    );
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!first?.isPrivateKey()) {
    throw new InputError(
      'ssh-key',
      'Input "ssh-key" is a public key: give the private key (the file without .pub).',
    );
  }
}

/**
 * Every known-hosts line must be one OpenSSH can read: `[marker] names key-type base64-key [comment]`, with a key
 * that parses and is of the type the line names. A line that is silently skipped would only show up later as an
 * "unknown host key" far from its cause.
 */
export function checkKnownHosts(text: string): void {
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const fail = (why: string): never => {
      throw new InputError(
        'known-hosts',
        `Input "known-hosts", line ${index + 1}: ${why}. Each line is "host key-type key" as ssh-keyscan prints it (e.g. [10.0.0.5]:2222 ssh-ed25519 AAAA...).`,
      );
    };
    if (fields[0].startsWith('@')) {
      const marker = fields.shift();
      if (marker !== '@revoked' && marker !== '@cert-authority')
        fail(`unknown marker ${JSON.stringify(marker)} (OpenSSH knows @revoked and @cert-authority)`);
    }
    const [names, keyType, key] = fields;
    if (!names || !keyType || !key) fail('it has fewer than three fields');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) fail(`the key of ${names} is not base64`);
    const inside = keyTypeOf(Buffer.from(key, 'base64'));
    if (inside !== keyType) fail(`the key of ${names} is of type ${inside}, but the line says ${keyType}`);
    // Types ssh2 cannot negotiate (security keys, certificates) are left alone: such a line never lets a key in.
    if (/^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521))$/.test(keyType)) {
      const parsed = parseKey(`${keyType} ${key}`);
      if (parsed instanceof Error) fail(`the ${keyType} key of ${names} does not parse (${parsed.message})`);
    }
  });
}

/** A host as SSH reaches it, whatever the spelling: host names are case-insensitive and may end in a dot. */
function hostKey(target: SshTarget): string {
  let host = target.host.toLowerCase().replace(/\.$/, '');
  try {
    // The URL parser writes IPv4 (127.1, 0x7f.0.0.1) and IPv6 (0:0::1) addresses in their one canonical form.
    host = new URL(`http://${host.includes(':') ? `[${host}]` : host}/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    // Not an address the URL parser reads: keep the lower-cased name.
  }
  return `${target.user}@${host}:${target.port}`;
}

/** The same user@host:port twice would take its own lock and wait for itself: refused, naming both spellings. */
export function refuseDuplicateHosts(targets: readonly SshTarget[]): void {
  const seen = new Map<string, SshTarget>();
  for (const target of targets) {
    const key = hostKey(target);
    const first = seen.get(key);
    if (first) {
      throw new InputError(
        'hosts',
        `Input "hosts" lists the same host twice: ${formatSshTarget(first)} and ${formatSshTarget(target)}. List each host once.`,
      );
    }
    seen.set(key, target);
  }
}
