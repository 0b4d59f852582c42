import { createTestCertificates, startHttpServer, type TestServer } from '@slipway/testing';
import { runChecks } from './gate-helpers';

// A real HTTPS server whose certificate is signed by a CA made at test time (openssl), so not trusted by Node.
describe('TLS', () => {
  const certs = createTestCertificates();
  let server: TestServer;
  beforeAll(async () => {
    server = await startHttpServer((_req, res) => res.end('ok'), {
      tls: { key: certs.keyPem, cert: certs.certPem },
    });
  });
  afterAll(() => server.close());

  it('refuses a certificate from an unknown CA at once, saying how to fix it', async () => {
    const result = await runChecks([server.url]);
    expect(result.result).toBe('failed');
    const [check] = result.checks;
    expect(check.readiness).toMatchObject({ ready: false, broken: true, attempts: 1 });
    expect(check.reason).toMatch(
      /^broken: TLS: .* \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\)/,
    );
    expect(check.reason).toContain('trust the server\'s CA with "ca"');
    expect(server.requests).toBe(0);
  });

  it('accepts it with the CA given', async () => {
    const result = await runChecks([server.url], { ca: certs.caPem });
    expect(result.result).toBe('passed');
    expect(result.checks[0].verification?.passes).toBe(5);
  });

  it('accepts it with verification turned off', async () => {
    expect((await runChecks([server.url], { insecure: true })).result).toBe('passed');
  });
});
