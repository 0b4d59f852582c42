import type { EcrApi } from '../src/credentials';
import { resolveCredentials } from '../src/credentials';

function fakeEcr() {
  const calls: unknown[] = [];
  const api: EcrApi = {
    credentials: async (options) => {
      calls.push(options);
      const registry = options.registryIds
        ? `${options.registryIds[0]}.dkr.ecr.${options.region}.amazonaws.com`
        : 'local:5001';
      return [
        { registry, proxyEndpoint: `https://${registry}`, username: 'AWS', password: 'ecr-token-password' },
      ];
    },
    client: () => ({ send: async () => ({}) }) as unknown as ReturnType<EcrApi['client']>,
  };
  return { api, calls };
}

describe('resolveCredentials', () => {
  it.each([
    [
      'an ECR host, auto',
      { registry: '210987654321.dkr.ecr.us-east-2.amazonaws.com', ecr: 'auto' as const },
      [{ region: 'us-east-2', registryIds: ['210987654321'], endpoint: undefined }],
    ],
    [
      'an ECR host in China',
      { registry: '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn', ecr: 'auto' as const },
      [{ region: 'cn-north-1', registryIds: ['210987654321'], endpoint: undefined }],
    ],
    [
      'any host with ecr: true and an endpoint',
      { registry: '127.0.0.1:5001', ecr: 'true' as const, endpoint: 'http://127.0.0.1:4566' },
      [{ region: undefined, registryIds: undefined, endpoint: 'http://127.0.0.1:4566' }],
    ],
    [
      'an ECR host with ecr: false',
      { registry: '210987654321.dkr.ecr.us-east-2.amazonaws.com', ecr: 'false' as const },
      [],
    ],
    ['another registry', { registry: 'ghcr.io', ecr: 'auto' as const, username: 'u', password: 'p' }, []],
  ])('%s', async (_name, options, expectedCalls) => {
    const { api, calls } = fakeEcr();
    const login = await resolveCredentials(options, api);
    expect(calls).toEqual(expectedCalls);
    expect(login.ecr).toBe(expectedCalls.length > 0);
    if (login.ecr) expect(login.credentials).toEqual({ username: 'AWS', password: 'ecr-token-password' });
    else if ('username' in options) expect(login.credentials).toEqual({ username: 'u', password: 'p' });
    else expect(login.credentials).toBeUndefined();
  });
});
