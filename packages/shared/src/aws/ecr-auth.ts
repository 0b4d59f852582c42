import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { UserError } from '../errors';
import { registerSecret } from '../secrets';

/** What an ECR registry host says: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`. */
export interface EcrHost {
  accountId: string;
  region: string;
}

const ECR_HOST =
  /^(\d{12})\.dkr[.-]ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws|sc2s\.sgov\.gov|c2s\.ic\.gov)$/;

/** The account and region of an Amazon ECR registry host, or undefined for any other registry. */
export function parseEcrHost(registry: string): EcrHost | undefined {
  const match = ECR_HOST.exec(registry.toLowerCase().replace(/:\d+$/, ''));
  return match ? { accountId: match[1], region: match[2] } : undefined;
}

export interface EcrCredentials {
  /** The registry host to log in to (from the token's proxyEndpoint, without the scheme). */
  registry: string;
  /** The proxyEndpoint as ECR gives it (`https://<host>`). */
  proxyEndpoint: string;
  username: string;
  password: string;
  expiresAt?: Date;
}

export interface EcrAuthOptions {
  /** Default: the SDK's region chain (AWS_REGION, profile...). */
  region?: string;
  /** Accounts whose registries to log in to (cross-account); default: the caller's own. */
  registryIds?: string[];
  /** An ECR-compatible endpoint; AWS_ENDPOINT_URL_ECR is honoured by the SDK itself when this is unset. */
  endpoint?: string;
  /** For tests and callers that keep their own client. */
  client?: Pick<ECRClient, 'send'>;
}

/**
 * Registry credentials from ECR's GetAuthorizationToken, with the SDK's default credential chain (so
 * configure-aws-credentials with OIDC just works). The token is base64 `user:password`; both parts are used,
 * and the password and the token are registered as secrets before anything can print them.
 */
export async function getEcrCredentials(options: EcrAuthOptions = {}): Promise<EcrCredentials[]> {
  const client =
    options.client ??
    new ECRClient({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
  const registryIds = options.registryIds?.length ? options.registryIds : undefined;
  const out = await client.send(new GetAuthorizationTokenCommand({ registryIds }));
  const data = out.authorizationData ?? [];
  if (data.length === 0) throw new UserError('ECR GetAuthorizationToken returned no authorization data.');
  return data.map((item) => {
    registerSecret(item.authorizationToken);
    const decoded = Buffer.from(item.authorizationToken ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0 || !item.proxyEndpoint) {
      throw new UserError('ECR returned an authorization token that is not base64 "user:password".');
    }
    const password = decoded.slice(colon + 1);
    registerSecret(password);
    return {
      registry: item.proxyEndpoint.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, ''),
      proxyEndpoint: item.proxyEndpoint,
      username: decoded.slice(0, colon),
      password,
      expiresAt: item.expiresAt,
    };
  });
}
