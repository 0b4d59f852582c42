import type { ECSClient } from '@aws-sdk/client-ecs';
import { createEcsApi } from '../src/ecs/ecs-api';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/** An ECS client that throws the scripted errors first, then answers DescribeServices with one service. */
function client(errors: Error[]) {
  const sent: string[] = [];
  const fake = {
    async send(command: object) {
      sent.push(command.constructor.name);
      const error = errors.shift();
      if (error) throw error;
      return { services: [{ serviceName: 'web', status: 'ACTIVE' }], failures: [] };
    },
  };
  return { sent, ecs: fake as unknown as ECSClient };
}

describe('createEcsApi retries', () => {
  it('counts the calls it retried, so the wait can slow down', async () => {
    const { sent, ecs } = client([throttled(), throttled()]);
    const log: string[] = [];
    const api = createEcsApi({ region: 'us-east-1', retryBaseDelayMs: 1, log: (l) => log.push(l) }, ecs);
    expect(api.retries?.()).toBe(0);
    const [service] = await api.describeServices('default', ['web']);
    expect(service.serviceName).toBe('web');
    expect(sent).toEqual(['DescribeServicesCommand', 'DescribeServicesCommand', 'DescribeServicesCommand']);
    expect(api.retries?.()).toBe(2);
    expect(log).toHaveLength(2);
    await api.describeServices('default', ['web']);
    expect(api.retries?.()).toBe(2); // an answer at the first try adds nothing
  });
});
