import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubLocal } from '@slipway/github-local';
import { connectSsh, parseKnownHosts, RegistryClient, type SshSession } from '@slipway/shared';
import {
  type ActionRun,
  describeWithInfra,
  freePort,
  type RunOptions,
  repoRoot,
  runBundle,
  type SshHost,
} from '@slipway/testing';

// Issue 17's SSH and Compose-host classes, through the bundles where the user would meet them. The README's
// "Reliability" table lists these (readme-index.test.ts keeps that table true).
jest.setTimeout(120_000);

const tag = randomBytes(4).toString('hex');
const errorsOf = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function run(action: string, options: Omit<RunOptions, 'action'>): Promise<ActionRun> {
  const result = await runBundle({ action: `${repoRoot}/actions/${action}`, timeoutMs: 90_000, ...options });
  cleanups.push(() => rmSync(result.dirs.root, { recursive: true, force: true }));
  return result;
}

/** A TCP server on loopback that treats every connection with `behave`; closed after the test. */
async function hostileServer(behave: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    behave(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as { port: number }).port;
}

/** Each kind of misbehaving host, as a fresh connection handler per server. */
const hostile: Record<string, () => (socket: Socket) => void> = {
  'accepts TCP and closes it': () => (socket) => socket.end(),
  // Says it is an SSH server, reads the client's first bytes (its version and key exchange), then resets.
  'resets mid-handshake': () => (socket) => {
    socket.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
    socket.once('data', () => socket.resetAndDestroy());
  },
  // Never says anything: only the handshake timeout (20s) ends it, and ssh2 then fires a second error as the socket
  // closes. Only the first connection stalls, to keep the test short; the retries are closed at once.
  'stalls the handshake once': () => {
    let stalled = false;
    return (socket) => {
      if (stalled) socket.end();
      stalled = true;
    };
  },
};

interface ExtraSshd {
  port: number;
  /** The `ssh-keyscan`-style known_hosts line of each host key, by key type. */
  knownHosts: Record<string, string>;
}

/**
 * An sshd of the test's own on a free loopback port: its own host keys (one per type given), no SFTP subsystem
 * unless asked, letting `host.user` in with the suite's client key and giving it `host`'s Docker daemon. Stopped
 * (by its pid) and its folder removed after the test.
 */
async function startSshd(
  host: SshHost,
  authorizedKeys: string,
  options: { keyTypes: string[]; sftp: boolean },
) {
  const dir = mkdtempSync(join(tmpdir(), 'hs-sshd-'));
  const port = await freePort();
  const keys = options.keyTypes.map((type) => {
    const file = join(dir, `host_${type}`);
    spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file], { stdio: 'ignore' });
    chmodSync(file, 0o600);
    return { type, file };
  });
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    ...keys.map((k) => `HostKey ${k.file}`),
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorizedKeys}`,
    `AllowUsers ${host.user}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'AllowTcpForwarding no',
    `SetEnv DOCKER_HOST=${host.dockerHost}`,
    ...(options.sftp ? ['Subsystem sftp internal-sftp'] : []),
  ];
  writeFileSync(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
  cleanups.push(() => {
    if (sshd.exitCode === null) sshd.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 80; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const probe = createConnection(port, '127.0.0.1', () => resolve(true));
      probe.on('error', () => resolve(false));
      probe.on('close', () => undefined);
      setTimeout(() => probe.destroy(), 200);
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const knownHosts: Record<string, string> = {};
  for (const { file } of keys) {
    const [type, key] = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
    knownHosts[type] = `[127.0.0.1]:${port} ${type} ${key}`;
  }
  return { port, knownHosts } satisfies ExtraSshd;
}

describeWithInfra('issue 17: SSH hosts that misbehave', (infra) => {
  const sshKey = readFileSync(infra.ssh.clientKey, 'utf8');
  const fingerprint = `SHA256:${'A'.repeat(43)}`;

  it.each(Object.entries(hostile).slice(0, 2))(
    'a host that %s: connectSsh rejects naming the host, after its retries (no crash)',
    async (_, behave) => {
      const port = await hostileServer(behave());
      const retries: string[] = [];
      const error = await connectSsh({
        target: { user: 'x', host: '127.0.0.1', port },
        privateKey: sshKey,
        hostKeys: { fingerprints: [fingerprint] },
        retry: { attempts: 3, baseDelayMs: 10 },
        log: (m) => retries.push(m),
      }).catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toContain(`x@127.0.0.1:${port}`);
      expect(retries).toHaveLength(2);
    },
  );

  it('a host that accepts TCP and never answers: connectSsh gives up within its handshake timeout', async () => {
    const port = await hostileServer(() => undefined);
    const started = Date.now();
    const error = await connectSsh({
      target: { user: 'x', host: '127.0.0.1', port },
      privateKey: sshKey,
      hostKeys: { fingerprints: [fingerprint] },
      readyTimeoutMs: 1000,
      retry: { attempts: 2, baseDelayMs: 10 },
    }).catch((e) => e);
    expect(error.message).toMatch(new RegExp(`x@127\\.0\\.0\\.1:${port}.*(timed out|Timed out)`));
    expect(Date.now() - started).toBeLessThan(5000);
  });

  describe.each(['deploy-compose', 'rollback'])('%s', (action) => {
    // Both actions open their hosts through the same fleet sessions (shared's openFleet): the stall, which can only
    // wait out the 20 s handshake timeout, runs once, through deploy-compose; the quick faults run through both.
    const behaviours = Object.keys(hostile).filter(
      (b) => action === 'deploy-compose' || b !== 'stalls the handshake once',
    );
    it.each(behaviours)(
      'a host that %s: the step fails with one error naming the host',
      async (behaviour) => {
        const port = await hostileServer(hostile[behaviour]());
        const workspace = mkdtempSync(join(tmpdir(), 'rel-hardening-'));
        cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
        writeFileSync(
          join(workspace, 'docker-compose.yml'),
          'services:\n  web:\n    image: local/busybox:1\n',
        );
        const common = {
          hosts: `slipway@127.0.0.1:${port} ${fingerprint}`,
          'ssh-key': sshKey,
          project: `hs${tag}`,
          'lock-wait': '0s',
        };
        const inputs =
          action === 'deploy-compose'
            ? { ...common, images: `web=127.0.0.1:5000/app@sha256:${'a'.repeat(64)}` }
            : {
                ...common,
                target: 'compose',
                environment: 'production',
                'health-url': 'http://127.0.0.1:9/',
              };
        const result = await run(action, { inputs, dirs: { workspace } });
        expect(result.exitCode).toBe(1);
        const errors = errorsOf(result);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toContain(`127.0.0.1:${port}`);
        expect(result.stderr).not.toMatch(/Unhandled|node:events|at .*\.js:\d+/);
      },
    );
  });

  /** A TCP server that counts connections (and closes them): proof that nothing reached a host. */
  async function countingServer(): Promise<{ port: number; count: () => number }> {
    let connections = 0;
    const port = await hostileServer((socket) => {
      connections++;
      socket.end();
    });
    return { port, count: () => connections };
  }

  it.each([
    [
      'a garbled ssh-key',
      { 'ssh-key': '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----' },
      /^Input "ssh-key" is not a private key/,
    ],
    [
      'a wrong passphrase',
      { passphrase: 'not-the-passphrase' },
      /^Input "passphrase" does not decrypt "ssh-key"/,
    ],
    [
      'a garbled known-hosts line',
      { 'known-hosts': '[127.0.0.1]:22 ssh-ed25519' },
      /^Input "known-hosts", line 1:/,
    ],
  ])(
    'deploy-compose with %s: one input error before any GitHub Deployment or connection',
    async (_, bad, message) => {
      const token = `ghs_hs${tag}`;
      const github = await startGitHubLocal({ token });
      cleanups.push(() => github.close());
      const server = await countingServer();
      const workspace = mkdtempSync(join(tmpdir(), 'rel-hardening-'));
      cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
      writeFileSync(join(workspace, 'docker-compose.yml'), 'services:\n  web:\n    image: local/busybox:1\n');
      const result = await run('deploy-compose', {
        env: { GITHUB_API_URL: github.url },
        githubToken: token,
        dirs: { workspace },
        inputs: {
          hosts: `slipway@127.0.0.1:${server.port} ${fingerprint}`,
          'ssh-key': readFileSync(infra.ssh.passphraseKey.path, 'utf8'),
          passphrase: infra.ssh.passphraseKey.passphrase,
          project: `hs${tag}`,
          images: `web=127.0.0.1:5000/app@sha256:${'a'.repeat(64)}`,
          'deployment-environment': 'production',
          ...bad,
        },
      });
      expect(result.exitCode).toBe(1);
      expect(errorsOf(result)).toEqual([expect.stringMatching(message)]);
      expect(github.store.list('acme/app', { environment: 'production' })).toEqual([]);
      expect(server.count()).toBe(0);
    },
  );

  it.each(['deploy-compose', 'rollback'])(
    '%s with the same host twice in hosts: one input error naming it, nothing connected',
    async (action) => {
      const server = await countingServer();
      const result = await run(action, {
        inputs: {
          hosts: `slipway@127.0.0.1:${server.port} ${fingerprint}\nslipway@127.1:${server.port}`,
          'ssh-key': sshKey,
          project: `hs${tag}`,
          'lock-wait': '0s',
          ...(action === 'rollback'
            ? { target: 'compose', environment: 'production', 'health-url': 'http://127.0.0.1:9/' }
            : { images: `web=127.0.0.1:5000/app@sha256:${'a'.repeat(64)}` }),
        },
      });
      expect(result.exitCode).toBe(1);
      expect(errorsOf(result)).toEqual([
        `Input "hosts" lists the same host twice: slipway@127.0.0.1:${server.port} and slipway@127.1:${server.port}. List each host once.`,
      ]);
      expect(server.count()).toBe(0);
    },
  );

  const authorizedKeys = join(infra.stateDir, 'ssh', 'authorized_keys');
  const host = infra.ssh.hosts[0];
  const sessions: SshSession[] = [];
  afterEach(() => {
    for (const session of sessions.splice(0)) session.close();
  });
  const openExtra = async (sshd: ExtraSshd, knownHosts: string) => {
    const session = await connectSsh({
      target: { user: host.user, host: '127.0.0.1', port: sshd.port },
      privateKey: sshKey,
      hostKeys: { knownHosts: parseKnownHosts(knownHosts) },
      retry: { attempts: 1 },
    });
    sessions.push(session);
    return session;
  };

  it('a host with ed25519 and RSA keys, known by one of them only, is reached with the key that is known (as OpenSSH does)', async () => {
    const sshd = await startSshd(host, authorizedKeys, { keyTypes: ['ed25519', 'rsa'], sftp: true });
    for (const type of ['ssh-rsa', 'ssh-ed25519']) {
      const session = await openExtra(sshd, sshd.knownHosts[type]);
      expect((await session.exec('echo reached')).stdout).toBe('reached\n');
    }
    // A key of the known type that differs is still refused.
    const other = await startSshd(host, authorizedKeys, { keyTypes: ['rsa'], sftp: true });
    const error = await openExtra(
      sshd,
      other.knownHosts['ssh-rsa'].replace(`:${other.port}`, `:${sshd.port}`),
    ).catch((e) => e);
    expect(error.message).toMatch(/ssh-rsa host key SHA256:\S+ DOES NOT MATCH/);
  });

  it('a host without an SFTP subsystem: files are uploaded over an exec channel, atomically, with their mode', async () => {
    const sshd = await startSshd(host, authorizedKeys, { keyTypes: ['ed25519'], sftp: false });
    const session = await openExtra(sshd, sshd.knownHosts['ssh-ed25519']);
    const dir = `hs-${tag}-nosftp`;
    const content = Buffer.from([0, 1, 2, 255, 10, 13, 39, 34, 36, 96]);
    await session.exec(`mkdir -p -- ${dir}/'-odd dir'`);
    try {
      await session.upload(`${dir}/-odd dir/it's.env`, 'old', 0o644);
      await session.upload(`${dir}/-odd dir/it's.env`, content, 0o600);
      const { stdout } = await session.exec(
        `cd -- ${dir}/'-odd dir' && stat -c '%a' -- "it's.env" && od -An -tx1 -- "it's.env" && ls -A`,
      );
      expect(stdout.split('\n')[0]).toBe('600');
      expect(stdout).toContain(' 00 01 02 ff 0a 0d 27 22 24 60');
      expect(stdout.trim().split('\n').at(-1)).toBe("it's.env");
    } finally {
      await session.exec(`rm -rf -- ${dir}`);
    }
  });

  // Every value as a user may write it in `env` (one line each): what Compose v1 and v2 must not expand or strip.
  const ENV: Array<[string, string]> = [
    ['V0', 'b${HOME}x'],
    ['V1', '$HOME and $$ and ${X:-d} and ${'],
    ['V2', '`id` $(id) ;|&<>'],
    ['V3', `it's "quoted" and 'single'`],
    ['V4', 'a # not a comment #'],
    ['V5', 'tab\there'],
    ['V6', 'é ü 日本 🚀'],
    ['V7', 'C:\\path\\n \\" \\$ \\t'],
    ['V8', 'a=b=c'],
  ];

  it('a fleet of a v1 host without SFTP, known by its RSA key only, and a v2 host: env reaches the containers byte for byte; Compose secrets land 0600', async () => {
    const sshd = await startSshd(host, authorizedKeys, { keyTypes: ['ed25519', 'rsa'], sftp: false });
    const v2 = infra.ssh.hosts[1];
    const project = `hs${tag}e2e`;
    const remoteDir = '.slipway-hardening';
    const { digest } = (await new RegistryClient({ registry: infra.registry.open }).headManifest(
      'slipway/busybox',
      '1',
    )) as { digest: string };
    const workspace = mkdtempSync(join(tmpdir(), 'rel-hardening-'));
    cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
    const environment = ENV.map(([k]) => `      ${k}: \${${k}}\n`).join('');
    writeFileSync(
      join(workspace, 'docker-compose.yml'),
      `services:\n  web:\n    image: ${infra.images.busyboxRemote}\n    command: [sleep, "3600"]\n    stop_grace_period: 1s\n    environment:\n${environment}    secrets: [tok]\nsecrets:\n  tok:\n    file: ./tok.txt\n`,
    );
    writeFileSync(join(workspace, 'tok.txt'), 'compose-secret\n');
    const hosts = [
      {
        name: `${host.user}@127.0.0.1:${sshd.port}`,
        session: () => openExtra(sshd, sshd.knownHosts['ssh-rsa']),
      },
      {
        name: `${v2.user}@${v2.host}:${v2.port}`,
        session: async () => {
          const s = await connectSsh({
            target: v2,
            privateKey: sshKey,
            hostKeys: { knownHosts: parseKnownHosts(readFileSync(infra.ssh.knownHosts, 'utf8')) },
          });
          sessions.push(s);
          return s;
        },
      },
    ];
    cleanups.push(async () => {
      for (const h of hosts) {
        const session = await h.session();
        await session.exec(
          `ids=$(docker ps -aq --filter label=com.docker.compose.project=${project}); [ -z "$ids" ] || docker rm -f $ids >/dev/null
docker network ls -q --filter label=com.docker.compose.project=${project} | xargs -r docker network rm >/dev/null 2>&1 || true
rm -rf -- ${remoteDir}/${project}`,
          { allowFailure: true },
        );
        session.close();
      }
    });
    const result = await run('deploy-compose', {
      dirs: { workspace },
      inputs: {
        hosts: hosts.map((h) => h.name).join('\n'),
        'ssh-key': sshKey,
        'known-hosts': `${readFileSync(infra.ssh.knownHosts, 'utf8')}\n${sshd.knownHosts['ssh-rsa']}\n`,
        project,
        'remote-dir': remoteDir,
        files: 'tok.txt',
        env: ENV.map(([k, v]) => `${k}=${v}`).join('\n'),
        images: `web=127.0.0.1:5000/slipway/busybox@${digest}`,
        'container-health-timeout': '30s',
        'drain-period': '0s',
        'lock-wait': '0s',
      },
    });
    expect(errorsOf(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    const releaseId = result.outputs['release-id'];
    for (const h of hosts) {
      const session = await h.session();
      const { stdout } = await session.exec(
        `docker inspect -f '{{json .Config.Env}}' $(docker ps -q --filter label=com.docker.compose.project=${project})
stat -c '%a' -- ${remoteDir}/${project}/releases/${releaseId}/tok.txt
docker compose version 2>/dev/null | head -c 22 || docker-compose version --short`,
      );
      const [json, mode] = stdout.split('\n');
      const env = Object.fromEntries(
        (JSON.parse(json) as string[]).map((line) => [
          line.slice(0, line.indexOf('=')),
          line.slice(line.indexOf('=') + 1),
        ]),
      );
      expect({ host: h.name, env: ENV.map(([k]) => [k, env[k]]) }).toEqual({ host: h.name, env: ENV });
      expect(mode).toBe('600');
    }
  });
});
