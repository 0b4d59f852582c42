import { randomBytes } from 'node:crypto';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { copyImage, getEcrCredentials, RegistryClient } from '@slipway/shared';
import { deleteRegistryRepository, describeWithInfra } from '@slipway/testing';
import { type Endpoint, ecrService, startEndpoint, startRegistryFront } from '../src';

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
    for (const what of ['immutable', 'mutable'])
      await deleteRegistryRepository(auth.host, `${name}-${what}`, auth);
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

  it('enforces immutable tags on pushes through its registry front and on PutImage', async () => {
    const service = ecrService({
      registry: { url: `http://${auth.host}`, username: auth.username, password: auth.password },
    });
    const front = await startRegistryFront({
      upstream: `http://${auth.host}`,
      isImmutable: (repo) => service.repositories.get(repo)?.imageTagMutability === 'IMMUTABLE',
    });
    const local = await startEndpoint({ services: [service] });
    const ecr = new ECRClient({ endpoint: local.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
    try {
      const open = new RegistryClient({ registry: infra.registry.open });
      const target = new RegistryClient({ registry: front.host, credentials: auth });
      const image = async (source: string) => (await open.headManifest(source, '1'))!.digest;
      const copy = async (source: string, repository: string, tag: string) =>
        copyImage({
          source: { client: open, repository: source, digest: await image(source) },
          target: { client: target, repository },
          tags: [tag],
        });
      for (const mutability of ['IMMUTABLE', 'MUTABLE'] as const) {
        const repository = `${name}-${mutability.toLowerCase()}`;
        await ecr.send(
          new CreateRepositoryCommand({ repositoryName: repository, imageTagMutability: mutability }),
        );
        await copy('slipway/busybox', repository, 'v1');
        await copy('slipway/busybox', repository, 'v1'); // the same digest again is no overwrite
        const overwrite = copy('slipway/caddy', repository, 'v1');
        if (mutability === 'IMMUTABLE') {
          await expect(overwrite).rejects.toThrow(
            /answered 400 .*TAG_INVALID.*The image tag 'v1' already exists .* cannot be overwritten because the repository is immutable/,
          );
          expect((await target.headManifest(repository, 'v1'))!.digest).toBe(await image('slipway/busybox'));
        } else {
          await overwrite;
          expect((await target.headManifest(repository, 'v1'))!.digest).toBe(await image('slipway/caddy'));
        }
      }
      const caddy = (await open.getManifest('slipway/caddy', '1'))!;
      await expect(
        ecr.send(
          new PutImageCommand({
            repositoryName: `${name}-immutable`,
            imageTag: 'v1',
            imageManifest: caddy.body.toString('utf8'),
            imageManifestMediaType: caddy.descriptor.mediaType,
          }),
        ),
      ).rejects.toMatchObject({ name: 'ImageTagAlreadyExistsException' });
      const put = await ecr.send(
        new PutImageCommand({
          repositoryName: `${name}-immutable`,
          imageTag: 'v2',
          imageManifest: caddy.body.toString('utf8'),
          imageManifestMediaType: caddy.descriptor.mediaType,
        }),
      );
      expect(put.image!.imageId!.imageDigest).toBe(caddy.descriptor.digest);
      expect((await target.headManifest(`${name}-immutable`, 'v2'))!.digest).toBe(caddy.descriptor.digest);
    } finally {
      ecr.destroy();
      await local.close();
      await front.close();
    }
  });
});
