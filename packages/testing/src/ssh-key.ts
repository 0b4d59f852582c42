import { utils } from 'ssh2';

/**
 * A fresh ed25519 key pair that ssh2 can read back. ssh2's own generateKeyPairSync writes about 1 key in 250
 * that its parseKey refuses ("Malformed OpenSSH private key"), which made tests using a random key fail now and
 * then: this draws again until the key parses (with `passphrase`, when given).
 */
export function generateSshKey(options?: {
  passphrase: string;
  cipher: string;
  rounds: number;
}): ReturnType<typeof utils.generateKeyPairSync> {
  for (let i = 0; i < 20; i++) {
    const pair = options
      ? utils.generateKeyPairSync('ed25519', options)
      : utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private, options?.passphrase) instanceof Error)) return pair;
  }
  throw new Error('ssh2 wrote 20 ed25519 keys it could not read back');
}
