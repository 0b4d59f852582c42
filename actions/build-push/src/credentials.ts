import * as core from '@actions/core';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import {
  type EcrCredentials,
  getEcrCredentials,
  parseEcrHost,
  type RegistryCredentials,
} from '@slipway/shared';
import type { EcrMode } from './inputs';

export interface RegistryLogin {
  /** The host `docker login` is given (for ECR, the token's proxyEndpoint host). */
  loginHost: string;
  credentials?: RegistryCredentials;
  ecr: boolean;
}

export interface CredentialOptions {
  registry: string;
  username?: string;
  password?: string;
  ecr: EcrMode;
  endpoint?: string;
}

export interface EcrApi {
  credentials(options: {
    region?: string;
    registryIds?: string[];
    endpoint?: string;
  }): Promise<EcrCredentials[]>;
  client(options: { region?: string; endpoint?: string }): Pick<ECRClient, 'send'>;
}

export const defaultEcrApi = (): EcrApi => ({
  credentials: (options) => getEcrCredentials(options),
  client: (options) =>
    new ECRClient({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    }),
});

/**
 * Credentials for a registry: an ECR token when the host is an ECR registry (or `ecr: true`), through the
 * default AWS credential chain, for the host's own account (cross-account pushes work); the username and
 * password inputs otherwise; none (anonymous, or what `docker login` already stored) when neither applies.
 */
export async function resolveCredentials(options: CredentialOptions, ecr: EcrApi): Promise<RegistryLogin> {
  const host = parseEcrHost(options.registry);
  const useEcr =
    options.ecr === 'true' || (options.ecr === 'auto' && host !== undefined && !options.username);
  if (!useEcr) {
    const credentials =
      options.username && options.password
        ? { username: options.username, password: options.password }
        : undefined;
    return { loginHost: options.registry, credentials, ecr: false };
  }
  const all = await ecr.credentials({
    region: host?.region,
    registryIds: host ? [host.accountId] : undefined,
    endpoint: options.endpoint,
  });
  const token = all.find((c) => c.registry === options.registry) ?? all[0];
  core.info(
    `Got an Amazon ECR token for ${token.registry}${token.expiresAt ? ` (valid until ${token.expiresAt.toISOString()})` : ''}.`,
  );
  return {
    loginHost: token.registry,
    credentials: { username: token.username, password: token.password },
    ecr: true,
  };
}

/** Creates the ECR repository when it is missing: scan on push, tags mutable unless asked otherwise. */
export async function ensureEcrRepository(
  ecr: EcrApi,
  options: { registry: string; repository: string; endpoint?: string; immutableTags: boolean },
): Promise<void> {
  const host = parseEcrHost(options.registry);
  const client = ecr.client({ region: host?.region, endpoint: options.endpoint });
  const registryId = host?.accountId;
  try {
    await client.send(new DescribeRepositoriesCommand({ registryId, repositoryNames: [options.repository] }));
    return;
  } catch (error) {
    if (
      !(error instanceof RepositoryNotFoundException) &&
      (error as Error).name !== 'RepositoryNotFoundException'
    )
      throw error;
  }
  await client.send(
    new CreateRepositoryCommand({
      registryId,
      repositoryName: options.repository,
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: options.immutableTags ? 'IMMUTABLE' : 'MUTABLE',
    }),
  );
  core.info(
    `Created the ECR repository ${options.repository} (scan on push${options.immutableTags ? ', immutable tags' : ''}).`,
  );
}
