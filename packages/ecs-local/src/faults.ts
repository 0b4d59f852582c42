import { AwsError } from './protocol';

/** A fault to inject: the next `times` calls of `operation` (or of every operation, with '*') fail. */
export interface FaultRule {
  operation: string;
  error:
    | 'ThrottlingException'
    | 'AccessDeniedException'
    | 'ExpiredTokenException'
    | 'ServerException'
    | string;
  message?: string;
  /** How many calls fail; default: every call until cleared. */
  times?: number;
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
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  /** Throws the injected error for this call, if a rule matches. */
  check(operation: string): void {
    const rule = this.rules.find((r) => r.operation === operation || r.operation === '*');
    if (!rule) return;
    if (rule.times !== undefined) {
      rule.times--;
      if (rule.times <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    throw new AwsError(
      rule.error,
      rule.message ?? `${rule.error} injected by ecs-local for ${operation}`,
      STATUS[rule.error] ?? 400,
    );
  }
}
