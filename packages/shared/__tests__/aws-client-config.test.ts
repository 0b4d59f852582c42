import {
  awsAuthProblem,
  awsClientConfig,
  explainAwsError,
  maskSecrets,
  registeredSecrets,
  resolveAwsRegion,
  UserError,
} from '../src';

const awsError = (name: string, message = 'from AWS') => Object.assign(new Error(message), { name });

describe('aws client config', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('builds a one-try client config, with the endpoint only when given', () => {
    expect(awsClientConfig({ region: 'eu-west-1' })).toEqual({ region: 'eu-west-1', maxAttempts: 1 });
    expect(awsClientConfig({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1' })).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:1',
      maxAttempts: 1,
    });
  });

  it('registers the secret key and session token from the environment', () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'aws-client-test-secret-key';
    process.env.AWS_SESSION_TOKEN = 'aws-client-test-session-token';
    awsClientConfig({ region: 'eu-west-1' });
    expect(registeredSecrets()).toEqual(
      expect.arrayContaining(['aws-client-test-secret-key', 'aws-client-test-session-token']),
    );
    expect(maskSecrets('key aws-client-test-secret-key')).toBe('key ***');
  });

  it('takes the region from the input, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(resolveAwsRegion('a', { AWS_REGION: 'b', AWS_DEFAULT_REGION: 'c' })).toBe('a');
    expect(resolveAwsRegion(undefined, { AWS_REGION: 'b', AWS_DEFAULT_REGION: 'c' })).toBe('b');
    expect(resolveAwsRegion('', { AWS_DEFAULT_REGION: 'c' })).toBe('c');
    expect(resolveAwsRegion(undefined, {})).toBeUndefined();
  });

  it.each([
    ['AccessDeniedException', 'access-denied'],
    ['ExpiredTokenException', 'expired-credentials'],
    ['UnrecognizedClientException', 'bad-credentials'],
    ['CredentialsProviderError', 'no-credentials'],
    ['ThrottlingException', undefined],
    ['ClientException', undefined],
  ])('classifies %s as %s', (name, problem) => {
    expect(awsAuthProblem(awsError(name))).toBe(problem);
  });

  it.each([
    [
      'AccessDeniedException',
      /^Access denied on ecs:UpdateService \(AccessDeniedException: from AWS\)\. .*ecs:UpdateService to the role's policy/,
    ],
    ['ExpiredTokenException', /^AWS credentials problem on ecs:UpdateService .*role-duration-seconds/],
    ['CredentialsProviderError', /configure-aws-credentials before this step/],
  ])('explains %s as a UserError that says how to fix it', (name, message) => {
    const explained = explainAwsError(awsError(name), 'ecs:UpdateService');
    expect(explained).toBeInstanceOf(UserError);
    expect((explained as Error).message).toMatch(message);
  });

  it('leaves other errors as they are', () => {
    const error = awsError('ThrottlingException');
    expect(explainAwsError(error, 'ecs:DescribeServices')).toBe(error);
  });
});
