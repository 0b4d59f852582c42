import { AwsError } from './protocol';

/**
 * A fault to inject: the next `times` calls of `operation` (or of every operation, with '*') whose input has
 * every field of `when` fail with `error` (an AWS JSON error), or are answered with `response` as it is (an
 * HTML page from a proxy, an XML error body: what the SDK cannot parse as AWS JSON).
 */
export interface FaultRule {
  operation: string;
  error?:
    | 'ThrottlingException'
    | 'AccessDeniedException'
    | 'ExpiredTokenException'
    | 'ServerException'
    | string;
  message?: string;
  /** A raw answer instead of an AWS error: any status, content type and body. */
  response?: { status: number; contentType?: string; body: string };
  /** Only calls whose input has these values (e.g. `{ service: 'web-b' }`). */
  when?: Record<string, unknown>;
  /** How many calls fail; default: every call until cleared. */
  times?: number;
}

/** A raw HTTP answer a fault rule asks for, thrown like an AwsError and written by the server as it is. */
export class RawResponse extends Error {
  constructor(readonly response: NonNullable<FaultRule['response']>) {
    super(`raw HTTP ${response.status} answer injected by ecs-local`);
  }
}

const STATUS: Record<string, number> = {
  ThrottlingException: 400,
  AccessDeniedException: 400,
  ExpiredTokenException: 400,
  UnrecognizedClientException: 400,
  ServerException: 500,
  ServiceUnavailableException: 503,
};

export class Faults {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    if (!rule.error && !rule.response) throw new Error('A fault rule needs an error or a response.');
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  /** Throws the injected error (an AwsError or a RawResponse) for this call, if a rule matches. */
  check(operation: string, input: Record<string, unknown> = {}): void {
    const rule = this.rules.find(
      (r) =>
        (r.operation === operation || r.operation === '*') &&
        Object.entries(r.when ?? {}).every(([key, value]) => input[key] === value),
    );
    if (!rule) return;
    if (rule.times !== undefined) {
      rule.times--;
      if (rule.times <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    if (rule.response) throw new RawResponse(rule.response);
    const error = rule.error ?? 'ServerException';
    throw new AwsError(
      error,
      rule.message ?? `${error} injected by ecs-local for ${operation}`,
      STATUS[error] ?? 400,
    );
  }
}
