import { UserError } from '../errors';
import { registerSecret } from '../secrets';

/** What the AWS SDK v3 clients of the suite are built with: `new ECSClient(awsClientConfig(...))`. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  /** One try per SDK call: the suite's own `retry` backs off, so tries are not multiplied by two layers. */
  maxAttempts: number;
}

/**
 * The client configuration for the default credential chain (environment, web identity from
 * configure-aws-credentials, profiles, instance roles). An explicit `endpoint` wins; otherwise the SDK itself
 * honours `AWS_ENDPOINT_URL_<SERVICE>` and `AWS_ENDPOINT_URL`. Credentials found in the environment are
 * registered as secrets first, so nothing the step prints can show them.
 */
export function awsClientConfig(options: { region: string; endpoint?: string }): AwsClientConfig {
  registerSecret(process.env.AWS_SECRET_ACCESS_KEY);
  registerSecret(process.env.AWS_SESSION_TOKEN);
  return {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: 1,
  };
}

/** The region from the input, else `AWS_REGION`, else `AWS_DEFAULT_REGION` (as the AWS CLI does). */
export function resolveAwsRegion(input: string | undefined, env = process.env): string | undefined {
  return input || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

export type AwsAuthProblem = 'access-denied' | 'expired-credentials' | 'no-credentials' | 'bad-credentials';

const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
]);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const BAD = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'MissingAuthenticationTokenException',
]);

/** Tells credential and permission failures apart from everything else, by the AWS error name. */
export function awsAuthProblem(error: unknown): AwsAuthProblem | undefined {
  const name = (error as { name?: unknown })?.name;
  if (typeof name !== 'string') return undefined;
  if (DENIED.has(name)) return 'access-denied';
  if (EXPIRED.has(name)) return 'expired-credentials';
  if (BAD.has(name)) return 'bad-credentials';
  if (name === 'CredentialsProviderError') return 'no-credentials';
  return undefined;
}

/**
 * A credential or permission failure as a UserError that says so and how to fix it (never as a timeout or a
 * generic failure); any other error is returned unchanged. `call` names the API call, e.g. `ecs:UpdateService`.
 */
export function explainAwsError(error: unknown, call: string): unknown {
  const problem = awsAuthProblem(error);
  if (!problem) return error;
  const detail = `${(error as Error).name}: ${(error as Error).message}`;
  const fixes: Record<AwsAuthProblem, string> = {
    'access-denied': `The credentials are valid but may not call ${call}: add ${call} to the role's policy.`,
    'expired-credentials':
      'The AWS session expired. Credentials from aws-actions/configure-aws-credentials last 1h by default: ' +
      'raise role-duration-seconds or shorten the wait.',
    'bad-credentials':
      'AWS did not recognise the credentials: check the access key, the role and the region.',
    'no-credentials':
      'No AWS credentials were found: run aws-actions/configure-aws-credentials before this step ' +
      '(or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).',
  };
  const what = problem === 'access-denied' ? 'Access denied' : 'AWS credentials problem';
  return new UserError(`${what} on ${call} (${detail}). ${fixes[problem]}`);
}
