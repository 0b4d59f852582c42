import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describeWithInfra, type SshHost } from '@slipway/testing';
import { connectSsh, parseKnownHosts, RemoteCommandError, type SshSession } from '../src';

describeWithInfra('SSH against the local sshds', (infra) => {
  const privateKey = readFileSync(infra.ssh.clientKey, 'utf8');
  const knownHosts = parseKnownHosts(readFileSync(infra.ssh.knownHostsHashed, 'utf8'));
  const target = (h: SshHost) => ({ user: h.user, host: h.host, port: h.port });
  const open = (h: SshHost, extra = {}) =>
    connectSsh({ target: target(h), privateKey, hostKeys: { knownHosts }, ...extra });
  const tag = `dc${randomBytes(4).toString('hex')}`;
  const sessions: SshSession[] = [];
  afterAll(() => {
    for (const s of sessions) s.close();
  });

  it.each([0, 1, 2])(
    'connects to host %i (each host key type) with a hashed known_hosts and runs under set -eu',
    async (i) => {
      const host = infra.ssh.hosts[i];
      const session = await open(host);
      sessions.push(session);
      const ok = await session.exec('read -r line; echo "got $line"; echo "to stderr" >&2', {
        stdin: 'hello\n',
      });
      expect(ok).toEqual({ code: 0, stdout: 'got hello\n', stderr: 'to stderr\n', timedOut: false });
      const unset = await session.exec('echo "$NOT_SET_ANYWHERE"; echo after', { allowFailure: true });
      expect(unset.code).not.toBe(0);
      expect(unset.stdout).toBe('');
      const stopped = await session.exec('false\necho after', { allowFailure: true });
      expect(stopped).toMatchObject({ code: 1, stdout: '' });
      await expect(session.exec('echo oops >&2; exit 3', { label: 'the step' })).rejects.toThrow(
        `the step on ${host.user}@${host.host}:${host.port} exited with code 3:\noops`,
      );
    },
  );

  it('uploads a file atomically with its mode, replacing an older one', async () => {
    const session = await open(infra.ssh.hosts[0]);
    sessions.push(session);
    const path = `${tag}-secret.env`;
    await session.upload(path, 'old\n', 0o644);
    await session.upload(path, 'A=1\n', 0o600);
    const { stdout } = await session.exec(`stat -c '%a' ${path}; cat ${path}; rm ${path}`);
    expect(stdout).toBe('600\nA=1\n');
  });

  it('stops the remote process group on a timeout, children included', async () => {
    const session = await open(infra.ssh.hosts[1]);
    sessions.push(session);
    const error = await session
      .exec(`sh -c 'sleep 3001' & sleep 3002\nwait`, { timeoutMs: 1000, label: 'slow' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(RemoteCommandError);
    expect(error.timedOut).toBe(true);
    expect(error.message).toMatch(/timed out; its processes were stopped/);
    // The watchdog runs on the host; give it a moment past its TERM.
    let left = '';
    for (let i = 0; i < 20; i++) {
      left = (await session.exec(`ps -o args= -u "$(id -u)" | grep "^sleep 300[12]" || true`)).stdout.trim();
      if (!left) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(left).toBe('');
  });

  it('leaves nothing running after a command ends: not its watchdog, not its background jobs', async () => {
    const session = await open(infra.ssh.hosts[2]);
    sessions.push(session);
    const seconds = 3000 + Math.floor(Math.random() * 900);
    await session.exec(`sleep ${seconds + 1} >/dev/null 2>&1 &\necho started`, { timeoutMs: seconds * 1000 });
    const left = await session.exec(
      `ps -o args= -u "$(id -u)" | grep -E "^sleep (${seconds}|${seconds + 1})$" || true`,
    );
    expect(left.stdout).toBe('');
  });

  it('refuses a changed host key before anything runs, showing the offered fingerprint', async () => {
    const [h1, h2] = infra.ssh.hosts;
    const canary = `${tag}-canary`;
    const wrong = { knownHosts: [], fingerprints: [h2.fingerprint] };
    const error = await connectSsh({ target: target(h1), privateKey, hostKeys: wrong })
      .then((s) => s.exec(`touch ${canary}`))
      .catch((e) => e);
    expect(error.message).toContain(`host key ${h1.fingerprint} DOES NOT MATCH`);
    expect(error.message).toContain('known-hosts');
    const unknown = await connectSsh({ target: target(h1), privateKey, hostKeys: {} }).catch((e) => e);
    expect(unknown.message).toMatch(/is not in known-hosts/);
    const check = await open(h1);
    sessions.push(check);
    expect((await check.exec(`test -e ${canary} && echo present || echo absent`)).stdout).toBe('absent\n');
  });

  it('goes through the jump host, verifying both keys', async () => {
    const session = await open(infra.ssh.hosts[2], {
      jump: { target: target(infra.ssh.jump), hostKeys: { knownHosts } },
    });
    sessions.push(session);
    expect((await session.exec('id -un')).stdout.trim()).toBe(infra.ssh.hosts[2].user);
    const badJump = await open(infra.ssh.hosts[2], {
      jump: { target: target(infra.ssh.jump), hostKeys: { fingerprints: [infra.ssh.hosts[0].fingerprint] } },
    }).catch((e) => e);
    expect(badJump.message).toMatch(/Refused to connect to slipway-jump@/);
  });

  it('fails clearly after its retries when the sshd is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const retries: string[] = [];
    const error = await connectSsh({
      target: { user: 'x', host: '127.0.0.1', port },
      privateKey,
      hostKeys: { knownHosts },
      retry: { attempts: 3, baseDelayMs: 10 },
      log: (m) => retries.push(m),
    }).catch((e) => e);
    expect(error.message).toBe(
      `Could not connect to x@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(retries).toHaveLength(2);
  });

  it('reports a dropped connection as a failure, never a success', async () => {
    const session = await open(infra.ssh.hosts[0]);
    const running = session.exec('sleep 5; echo done', { timeoutMs: 10_000 });
    setTimeout(() => session.close(), 300);
    await expect(running).rejects.toThrow(/connection to .* was lost|closed without an exit status/);
  });
});
