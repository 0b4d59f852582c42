import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { composeMatrix, describeWithInfra, type SshHost } from '@slipway/testing';
import { connectSsh, parseKnownHosts, type SshSession } from '../src';
import { projectScript } from '../src/compose-fleet/project-script';
import { hostScript } from '../src/remote/host-script';

jest.setTimeout(60_000);

/** The Compose a host's scripts run, on each kind of host of the matrix (v1 only; v2 plugin only). */
describeWithInfra('remote Compose detection on real hosts', (infra) => {
  describe.each(composeMatrix(infra))('%s', (_label, host: SshHost) => {
    const dir = `.slipway-test/rc-${randomBytes(4).toString('hex')}`;
    let session: SshSession;
    beforeAll(async () => {
      session = await connectSsh({
        target: { user: host.user, host: host.host, port: host.port },
        privateKey: readFileSync(infra.ssh.clientKey, 'utf8'),
        hostKeys: { knownHosts: parseKnownHosts(readFileSync(infra.ssh.knownHosts, 'utf8')) },
      });
    });
    afterAll(async () => {
      await session.exec(`rm -rf ${dir}`, { allowFailure: true });
      session.close();
    });

    const version = (out: string) => out.trim().replace(/^v/, '');

    it('`compose` runs the Compose the host has', async () => {
      const out = await session.exec(`${hostScript({ PROJECT: 'rc' }, 'lib')}\ncompose version --short`);
      expect(version(out.stdout)).toBe(host.composeVersion);
    });

    // The pull with registry credentials logs in within a throw-away DOCKER_CONFIG; the v2 plugin in the user's
    // ~/.docker/cli-plugins must still be found there (it was not: v2-only hosts had no Compose for the pull).
    it('a pull with registry credentials (throw-away Docker config) runs the same Compose', async () => {
      const { host: registry, username, password } = infra.registry.auth;
      const context = {
        place: { dir, project: 'rc' },
        timings: { healthTimeoutMs: 1000, drainMs: 0, pollMs: 100 },
      };
      const pull = projectScript(context, undefined, 'pull', {
        REGISTRY_HOST: registry,
        REGISTRY_USER: username,
      });
      // `dc pull` reports which Compose it would run instead of pulling (in the background, as pull.sh starts it)
      const script = pull.replace(/\ndc pull --quiet >&2 &\n/, '\ncompose version --short\ntrue &\n');
      expect(script).not.toBe(pull);
      const out = await session.exec(script, { stdin: password });
      expect(version(out.stdout)).toBe(host.composeVersion);
    });
  });
});
