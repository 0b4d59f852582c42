import { randomBytes } from 'node:crypto';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { copyImage, getEcrCredentials, RegistryClient } from '@slipway/shared';
import { deleteRegistryRepository, describeWithInfra } from '@slipway/testing';
import { type Endpoint, ecrService, startEndpoint } from '../src';

describeWithInfra('ecs-local ECR through the real @aws-sdk/client-ecr', (infra) => {
  const auth = infra.registry?.auth;
  const name = `bp-${randomBytes(4).toString('hex')}/app`;
  let endpoint: Endpoint;
  let client: ECRClient;
  const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

  beforeAll(async () => {
    endpoint = await startEndpoint({
      services: [
        ecrService({
          registry: { url: `http://${auth.host}`, username: auth.username, password: auth.password },
          accountId: '123456789012',
        }),
      ],
    });
    client = new ECRClient({ endpoint: endpoint.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
    await deleteRegistryRepository(auth.host, name, auth);
  });

  it('hands out a token that logs in to the local registry', async () => {
    const out = await client.send(new GetAuthorizationTokenCommand({}));
    const data = out.authorizationData![0];
    expect(data.proxyEndpoint).toBe(`http://${auth.host}`);
    expect(data.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    const [user, password] = Buffer.from(data.authorizationToken!, 'base64').toString().split(':');
    const ping = await fetch(`http://${auth.host}/v2/`, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    });
    expect(ping.status).toBe(200);
  });

  it('is what the shared ECR login reads, found through AWS_ENDPOINT_URL_ECR', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_ECR: endpoint.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
    try {
      const [login] = await getEcrCredentials({ registryIds: ['123456789012'] });
      expect(login).toMatchObject({ registry: auth.host, username: auth.username, password: auth.password });
      expect(endpoint.calls).toContain('AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken');
    } finally {
      process.env = saved;
    }
  });

  it('creates and describes repositories in memory', async () => {
    const created = await client.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: 'IMMUTABLE',
      }),
    );
    expect(created.repository).toMatchObject({
      repositoryName: name,
      registryId: '123456789012',
      repositoryUri: `${auth.host}/${name}`,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    await expect(client.send(new CreateRepositoryCommand({ repositoryName: name }))).rejects.toMatchObject({
      name: 'RepositoryAlreadyExistsException',
    });
    await expect(
      client.send(new CreateRepositoryCommand({ repositoryName: 'Bad Name' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    const described = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    expect(described.repositories![0].createdAt).toBeInstanceOf(Date);
    await expect(
      client.send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })),
    ).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
    });
  });

  it('describes the images the registry really holds', async () => {
    const open = new RegistryClient({ registry: infra.registry.open });
    const digest = (await open.headManifest('slipway/busybox', '1'))!.digest;
    await copyImage({
      source: { client: open, repository: 'slipway/busybox', digest },
      target: { client: new RegistryClient({ registry: auth.host, credentials: auth }), repository: name },
      tags: ['v1', 'stable'],
    });
    const all = await client.send(new DescribeImagesCommand({ repositoryName: name }));
    expect(all.imageDetails).toEqual([
      expect.objectContaining({ imageDigest: digest, imageTags: ['stable', 'v1'], repositoryName: name }),
    ]);
    expect(all.imageDetails![0].imageSizeInBytes).toBeGreaterThan(0);
    const one = await client.send(
      new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(one.imageDetails![0].imageDigest).toBe(digest);
    await expect(
      client.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'missing' }] })),
    ).rejects.toMatchObject({ name: 'ImageNotFoundException' });
  });
});
