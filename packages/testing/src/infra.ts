import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface SshHost {
  name: string;
  host: string;
  port: number;
  user: string;
  home?: string;
  dockerHost?: string;
  keyType: string;
  fingerprint: string;
}

/** What `scripts/infra.sh up` started, read from its infra.json. */
export interface Infra {
  stateDir: string;
  registry: { open: string; auth: { host: string; username: string; password: string } };
  images: { busybox: string; caddy: string; busyboxRemote: string; caddyRemote: string };
  ssh: {
    clientKey: string;
    /** A second authorized client key, protected by `passphrase`. */
    passphraseKey: { path: string; passphrase: string };
    knownHosts: string;
    knownHostsHashed: string;
    jump: SshHost;
    hosts: SshHost[];
  };
}

export const repoRoot = resolve(__dirname, '../../..');

export function infraFile(): string {
  return join(process.env.SLIPWAY_INFRA_DIR ?? join(repoRoot, '.infra'), 'infra.json');
}

export function loadInfra(): Infra | undefined {
  const file = infraFile();
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Infra) : undefined;
}

/**
 * `describe` for tests that need the local infrastructure. Without it they are skipped on a developer's
 * machine, but under CI=true they fail, so a CI run can never pass by skipping them.
 */
export function describeWithInfra(name: string, body: (infra: Infra) => void): void {
  const infra = loadInfra();
  if (infra) {
    describe(name, () => body(infra));
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has the local infrastructure', () => {
        throw new Error(`${infraFile()} is missing: run "scripts/infra.sh up" first.`);
      });
    });
  } else {
    describe.skip(`${name} (no local infrastructure: scripts/infra.sh up)`, () => body({} as Infra));
  }
}
