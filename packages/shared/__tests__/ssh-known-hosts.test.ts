import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describeWithInfra } from '@slipway/testing';
import { fingerprintOf, knownHostName, parseKnownHosts, parseSshTarget, verifyHostKey } from '../src';

const blob = (type: string, body: string) => {
  const t = Buffer.from(type);
  const b = Buffer.from(body);
  const len = (n: number) => Buffer.from([0, 0, 0, n]);
  return Buffer.concat([len(t.length), t, len(b.length), b]);
};
const keyA = blob('ssh-ed25519', 'a'.repeat(32));
const keyB = blob('ssh-ed25519', 'b'.repeat(32));
const rsa = blob('ssh-rsa', 'r'.repeat(40));
const line = (names: string, key: Buffer) =>
  `${names} ${key.subarray(4, 4 + key.readUInt32BE(0))} ${key.toString('base64')}`;
const hashed = (name: string) => {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};

describe('known_hosts and host key policy', () => {
  it.each([
    ['plain [host]:port', `${line('[10.0.0.5]:2222', keyA)}`],
    ['hashed [host]:port', `${line(hashed('[10.0.0.5]:2222'), keyA)}`],
    ['a pattern list with a wildcard', `# comment\n${line('web1,[10.0.0.*]:2222', keyA)}`],
  ])('accepts a key recorded as %s', (_name, text) => {
    expect(verifyHostKey({ knownHosts: parseKnownHosts(text) }, '10.0.0.5', 2222, keyA).ok).toBe(true);
  });

  it('names port 22 hosts without brackets, like OpenSSH', () => {
    expect(knownHostName('h', 22)).toBe('h');
    const entries = parseKnownHosts(line(hashed('example.com'), keyA));
    expect(verifyHostKey({ knownHosts: entries }, 'example.com', 22, keyA).ok).toBe(true);
    expect(verifyHostKey({ knownHosts: entries }, 'example.com', 2222, keyA)).toMatchObject({
      ok: false,
      reason: 'unknown',
    });
  });

  it('refuses a changed key, an unknown host, a negated pattern and a revoked key', () => {
    const knownHosts = parseKnownHosts(
      [
        line('h,g', keyA),
        line('*,!bad', keyA),
        `@revoked ${line('r', keyA)}`,
        `@cert-authority ${line('*', keyB)}`,
      ].join('\n'),
    );
    expect(verifyHostKey({ knownHosts }, 'h', 22, keyB)).toMatchObject({ ok: false, reason: 'changed' });
    expect(verifyHostKey({ knownHosts }, 'bad', 22, keyA)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(verifyHostKey({ knownHosts }, 'r', 22, keyA)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(verifyHostKey({ knownHosts, insecureSkip: true }, 'r', 22, keyA).ok).toBe(false);
    expect(verifyHostKey({ knownHosts }, 'h', 22, rsa)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('accepts a matching SHA256 fingerprint and refuses another one as changed', () => {
    const fingerprint = fingerprintOf(keyA);
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(verifyHostKey({ fingerprints: [fingerprint] }, 'h', 22, keyA).ok).toBe(true);
    expect(verifyHostKey({ fingerprints: [fingerprint] }, 'h', 22, keyB)).toMatchObject({
      ok: false,
      reason: 'changed',
    });
  });

  it.each([
    ['deploy@10.0.0.5', { user: 'deploy', host: '10.0.0.5', port: 22 }],
    ['deploy@web-1.example.com:2222', { user: 'deploy', host: 'web-1.example.com', port: 2222 }],
    ['ops@[::1]:2200', { user: 'ops', host: '::1', port: 2200 }],
  ])('parses the target %s', (text, target) => {
    expect(parseSshTarget(text, 'hosts')).toEqual(target);
  });

  it.each(['nohost', 'a@b:99999', 'a@$(touch /tmp/pwned)', 'a;b@h', 'a@h -oProxyCommand=x', '@h'])(
    'refuses the target %j, naming the input',
    (text) => {
      expect(() => parseSshTarget(text, 'hosts')).toThrow(/^Input "hosts" has a bad host/);
    },
  );
});

describeWithInfra('known_hosts files written by OpenSSH', (infra) => {
  it('match the fingerprints of the local hosts, plain and hashed', () => {
    for (const file of [infra.ssh.knownHosts, infra.ssh.knownHostsHashed]) {
      const entries = parseKnownHosts(readFileSync(file, 'utf8'));
      for (const host of [...infra.ssh.hosts, infra.ssh.jump]) {
        const entry = entries.find(
          (e) => e.keyType === host.keyType && fingerprintOf(e.key) === host.fingerprint,
        );
        expect(entry).toBeDefined();
        expect(verifyHostKey({ knownHosts: entries }, host.host, host.port, entry?.key as Buffer).ok).toBe(
          true,
        );
      }
    }
  });
});
