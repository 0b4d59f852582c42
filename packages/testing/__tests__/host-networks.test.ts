// The test hosts are Docker daemons sharing this machine's kernel. Real hosts never share a route table; ours do,
// so each daemon must hand out subnets no other daemon hands out. When two daemons created a network at the same
// moment (the first run of a fleet deploy), both could take the same free subnet, and the published port of one
// host's proxy then reached the other host's containers (a CI run saw one host answer with the other's release).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describeWithInfra } from '../src';

const run = promisify(execFile);

describeWithInfra("the test hosts' Docker daemons", (infra) => {
  const hosts = infra.ssh.hosts.map((h) => ({ ...h, dockerHost: h.dockerHost ?? '' }));
  const docker = (dockerHost: string, ...args: string[]) =>
    run('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost } }).then((r) => r.stdout.trim());

  it('create networks at the same moment on every host and get subnets that do not overlap', async () => {
    const name = `slipway-probe-${process.pid}`;
    try {
      await Promise.all(hosts.map((h) => docker(h.dockerHost, 'network', 'create', name)));
      const subnets = await Promise.all(
        hosts.map((h) =>
          docker(h.dockerHost, 'network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}}{{end}}', name),
        ),
      );
      expect(subnets.every((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s))).toBe(true);
      const prefixes = subnets.map((s) => s.split('.').slice(0, 2).join('.'));
      expect(new Set(prefixes).size).toBe(hosts.length);
    } finally {
      await Promise.all(hosts.map((h) => docker(h.dockerHost, 'network', 'rm', name).catch(() => '')));
    }
  });

  it("leave the main daemon's default bridge (docker0) in place", async () => {
    // Docker 20.10 restarted with --default-address-pool over its old network store deleted docker0 (infra.sh).
    const main = await run('docker', [
      'network',
      'inspect',
      'bridge',
      '-f',
      '{{index .Options "com.docker.network.bridge.name"}}',
    ]);
    const name = main.stdout.trim() || 'docker0';
    expect({ name, exists: existsSync(`/sys/class/net/${name}`) }).toEqual({ name, exists: true });
  });

  it('each draw from an address pool of their own', async () => {
    const pools = await Promise.all(
      hosts.map((h) => docker(h.dockerHost, 'info', '--format', '{{json .DefaultAddressPools}}')),
    );
    const bases = pools.map((p) => (JSON.parse(p) as { Base: string }[] | null)?.map((x) => x.Base) ?? []);
    for (const b of bases) expect(b.length).toBeGreaterThan(0);
    expect(new Set(bases.flat()).size).toBe(bases.flat().length);
  });
});
