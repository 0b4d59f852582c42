import { InputReader, mapInputs } from '@slipway/shared';
import { getInputs } from '../src/inputs';

const base = {
  hosts: 'deploy@10.0.0.5\ndeploy@10.0.0.6:2222 SHA256:Q83TfAgBEzctYi5JxDIVzOk7Xt2ubjZINIxjimCjKj4',
  'ssh-key': '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----',
  'known-hosts': '10.0.0.5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAhOc5xYk8ZivGA1yvOvgY2CLOXPPnKy6lFLdD9/FTqp',
  project: 'shop',
};
const read = (values: Record<string, string>) =>
  getInputs(new InputReader(mapInputs({ ...base, ...values })));

describe('deploy-compose inputs', () => {
  it('reads hosts with fingerprints and applies the defaults', () => {
    const inputs = read({});
    expect(inputs.hosts).toEqual([
      { target: { user: 'deploy', host: '10.0.0.5', port: 22 }, fingerprints: [] },
      {
        target: { user: 'deploy', host: '10.0.0.6', port: 2222 },
        fingerprints: ['SHA256:Q83TfAgBEzctYi5JxDIVzOk7Xt2ubjZINIxjimCjKj4'],
      },
    ]);
    expect(inputs).toMatchObject({
      composeFiles: ['docker-compose.yml'],
      strategy: 'rolling',
      healthTimeoutMs: 120_000,
      drainMs: 5000,
      lockTtlMs: 1_800_000,
      lockWaitMs: 300_000,
      keepReleases: 5,
      maxParallel: 5,
      atomic: true,
      remoteDir: '.slipway',
      insecureSkipHostKeyCheck: false,
    });
    expect(inputs.knownHosts).toHaveLength(1);
  });

  it.each([
    [{ hosts: '' }, 'Input "hosts" is required'],
    [{ 'ssh-key': '' }, 'Input "ssh-key" is required'],
    [{ 'known-hosts': '' }, 'Host keys are verified: give "known-hosts"'],
    [{ hosts: 'deploy@h SHA1:abc' }, 'only SHA256: fingerprints may follow'],
    [{ project: 'Shop' }, 'Input "project" must be a Compose project name'],
    [{ strategy: 'canary' }, 'Input "strategy" must be one of rolling, recreate'],
    [{ 'health-timeout': 'soon' }, 'Input "health-timeout" must be a duration'],
    [{ 'max-parallel': '0' }, 'Input "max-parallel" must be a whole number from 1 to 100'],
    [{ 'remote-dir': '../etc' }, 'Input "remote-dir" must be a path'],
    [{ 'remote-dir': '~/apps' }, 'Input "remote-dir" must be a path'],
    [{ registry: 'ghcr.io', 'registry-username': 'u' }, 'give all three or none'],
    [{ env: 'not a pair' }, 'Input "env" takes KEY=VALUE lines'],
    [{ 'pre-deploy-service': 'web' }, 'Input "pre-deploy-service" needs "pre-deploy"'],
  ])('refuses %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });

  it('allows no known-hosts when every host has a fingerprint, or when checking is switched off', () => {
    const one = 'deploy@10.0.0.6 SHA256:Q83TfAgBEzctYi5JxDIVzOk7Xt2ubjZINIxjimCjKj4';
    expect(read({ hosts: one, 'known-hosts': '' }).hosts).toHaveLength(1);
    expect(read({ 'known-hosts': '', 'insecure-skip-host-key-check': 'true' }).insecureSkipHostKeyCheck).toBe(
      true,
    );
  });

  it('does not show a secret env value in its error', () => {
    expect(() => read({ env: 'A=ok\nnot-a-pair-secret' })).toThrow(
      /^Input "env" takes KEY=VALUE lines with keys matching [^(]*\.$/,
    );
  });
});
