import { type ECSClient, ListClustersCommand, ListServicesCommand } from '@aws-sdk/client-ecs';
import { type Endpoint, startEndpoint } from '../src';
import { localEcsClient } from './ecs-client';

describe('ecs-local endpoint (AWS JSON 1.1 through the real SDK client)', () => {
  let endpoint: Endpoint;
  let client: ECSClient;

  beforeAll(async () => {
    endpoint = await startEndpoint({
      services: [
        {
          targetPrefix: 'AmazonEC2ContainerServiceV20141113',
          operations: {
            ListClusters: (_input, caller) => ({ clusterArns: [`arn:aws:ecs:${caller.region}:1:cluster/x`] }),
          },
        },
      ],
    });
    client = localEcsClient(endpoint.url);
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('routes an operation and records the call', async () => {
    const out = await client.send(new ListClustersCommand({}));
    expect(out.clusterArns).toEqual(['arn:aws:ecs:eu-west-1:1:cluster/x']);
    expect(endpoint.calls).toContain('AmazonEC2ContainerServiceV20141113.ListClusters');
  });

  it('answers an unknown operation with an error the SDK understands', async () => {
    await expect(client.send(new ListServicesCommand({ cluster: 'x' }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  });

  it('injects faults the SDK sees as the real ones', async () => {
    endpoint.faults.add({ operation: 'ListClusters', error: 'AccessDeniedException', times: 1 });
    await expect(client.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new ListClustersCommand({}))).resolves.toBeDefined();
  });
});
