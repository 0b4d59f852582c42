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
  /** Which Compose the host's user has: `docker-compose` (v1) or the `docker compose` plugin (v2). */
  compose?: 'v1' | 'v2';
  /** The version `compose version --short` reports there. */
  composeVersion?: string;
  /** v2: the plugin in the user's ~/.docker/cli-plugins. */
  composePlugin?: string;
}

/** What `scripts/infra.sh up` started, read from its infra.json. */
export interface Infra {
  stateDir: string;
  registry: { open: string; auth: { host: string; username: string; password: string } };
  images: {
    busybox: string;
    caddy: string;
    busyboxRemote: string;
    caddyRemote: string;
    /** Debian's nginx and HAProxy as images (absent from an infra.json written before they were added). */
    nginx?: string;
    haproxy?: string;
    nginxRemote?: string;
    haproxyRemote?: string;
  };
  ssh: {
    clientKey: string;
    /** A second authorized client key, protected by `passphrase`. */
    passphraseKey: { path: string; passphrase: string };
    knownHosts: string;
    knownHostsHashed: string;
    jump: SshHost;
    hosts: SshHost[];
  };
  /** docker buildx of the runner side (the system-wide CLI plugin, or the one the runner already had). */
  buildx?: { version: string; plugin: string };
  /** A real Prometheus scraping every second the targets listed in `targets` (file_sd JSON files). */
  prometheus?: { url: string; targets: string };
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

/** `Compose v2 2.26.1 on h2`: which Compose a real-host test runs on, for its name and log. */
export function composeLabel(host: SshHost): string {
  return `Compose ${host.compose ?? 'v1'} ${host.composeVersion ?? ''} on ${host.name}`.replace('  ', ' ');
}

/**
 * The host matrix for tests whose behaviour can differ between Compose v1 and v2: one host of each kind, as
 * `[label, host]` rows for `describe.each`. An infra.json from before the matrix (no `compose` field) gives
 * its first host as v1 only.
 */
export function composeMatrix(infra: Infra): Array<[string, SshHost]> {
  const hosts = infra.ssh?.hosts ?? [];
  const v1 = hosts.find((h) => (h.compose ?? 'v1') === 'v1');
  const v2 = hosts.find((h) => h.compose === 'v2');
  const rows = [v1, v2].filter((h): h is SshHost => !!h).map((h): [string, SshHost] => [composeLabel(h), h]);
  if (!v2 && process.env.CI === 'true') {
    throw new Error(`${infraFile()} has no Compose v2 host: run "scripts/infra.sh up" again.`);
  }
  return rows.length ? rows : [['no hosts', {} as SshHost]];
}
