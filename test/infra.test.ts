import { execFileSync } from 'node:child_process';
import { createCommandRunner, detectCompose } from '@slipway/shared';
import { describeWithInfra, type Infra, type SshHost } from '@slipway/testing';

const ssh = (infra: Infra, host: SshHost, command: string, knownHosts = infra.ssh.knownHosts) =>
  execFileSync(
    'ssh',
    [
      '-i',
      infra.ssh.clientKey,
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-p',
      String(host.port),
      `${host.user}@${host.host}`,
      command,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();

describeWithInfra('local infrastructure (scripts/infra.sh)', (infra) => {
  it('gives each SSH host its own user, key type and Docker daemon', () => {
    const mainDaemon = execFileSync('docker', ['info', '--format', '{{.DockerRootDir}}'], {
      encoding: 'utf8',
    }).trim();
    const seen = infra.ssh.hosts.map((host) => {
      const [user, daemon] = ssh(infra, host, 'id -un; docker info --format "{{.DockerRootDir}}"').split(
        '\n',
      );
      expect(user).toBe(host.user);
      return daemon;
    });
    expect(new Set([mainDaemon, ...seen]).size).toBe(infra.ssh.hosts.length + 1);
    expect(infra.ssh.hosts.map((h) => h.keyType)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ssh-rsa']);
  });

  it('publishes host keys whose fingerprints match what the hosts offer, also hashed', () => {
    for (const host of [...infra.ssh.hosts, infra.ssh.jump]) {
      const scanned = execFileSync(
        'ssh-keyscan',
        ['-p', String(host.port), '-t', 'ed25519,ecdsa,rsa', host.host],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], {
        input: scanned,
        encoding: 'utf8',
      }).split(' ')[1];
      expect(fingerprint).toBe(host.fingerprint);
    }
    expect(ssh(infra, infra.ssh.hosts[0], 'echo hashed-ok', infra.ssh.knownHostsHashed)).toBe('hashed-ok');
  });

  it('serves an open registry and one that demands basic auth', async () => {
    const open = await fetch(`http://${infra.registry.open}/v2/slipway/busybox/manifests/1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(open.status).toBe(200);
    expect(open.headers.get('docker-content-digest')).toMatch(/^sha256:[0-9a-f]{64}$/);
    const { host, username, password } = infra.registry.auth;
    expect((await fetch(`http://${host}/v2/`)).status).toBe(401);
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    expect((await fetch(`http://${host}/v2/`, { headers: { authorization: `Basic ${basic}` } })).status).toBe(
      200,
    );
  });

  it('lets a host pull from the registry into its own daemon', () => {
    const out = ssh(
      infra,
      infra.ssh.hosts[1],
      `docker pull -q ${infra.images.busyboxRemote} >/dev/null && docker image inspect -f ok ${infra.images.busyboxRemote}`,
    );
    expect(out).toBe('ok');
  });

  it('gives h1 Compose v1 only and h2, h3 the Compose v2 plugin in their own ~/.docker/cli-plugins; buildx to the runner', () => {
    expect(infra.ssh.hosts.map((h) => h.compose)).toEqual(['v1', 'v2', 'v2']);
    for (const host of infra.ssh.hosts) {
      const v2 = ssh(infra, host, 'docker compose version --short 2>/dev/null || echo none');
      if (host.compose === 'v2') {
        expect(v2.replace(/^v/, '')).toBe(host.composeVersion);
        expect(host.composePlugin).toBe(`${host.home}/.docker/cli-plugins/docker-compose`);
      } else {
        expect(v2).toBe('none');
        expect(ssh(infra, host, 'docker-compose version --short')).toBe(host.composeVersion);
      }
    }
    const buildx = execFileSync('docker', ['buildx', 'version'], { encoding: 'utf8' });
    expect(buildx).toContain(infra.buildx!.version);
  });

  it('finds a working Docker Compose', async () => {
    const runner = createCommandRunner();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const compose = await detectCompose(runner);
    const version = await runner.run(compose[0], [...compose.slice(1), 'version'], { quiet: true });
    write.mockRestore();
    expect([['docker', 'compose'], ['docker-compose']]).toContainEqual([...compose]);
    expect(version.stdout).toMatch(/version/i);
  });
});
