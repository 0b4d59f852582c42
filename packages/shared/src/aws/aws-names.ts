import { InputError } from '../errors';

// Checked before any API call: a name AWS would refuse costs a call (and, for a typo'd region, a DNS lookup of
// a host that does not exist), and text such as "prod; rm -rf" must never travel anywhere as a name.
const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ARN = {
  cluster: /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255}$/,
  service: /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/(?:[A-Za-z0-9_-]{1,255}\/)?[A-Za-z0-9_-]{1,255}$/,
};
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** An ECS cluster or service, by name (letters, digits, `-`, `_`; up to 255) or ARN; `input` names the action input. */
export function checkEcsName(kind: 'cluster' | 'service', value: string, input: string): string {
  if (NAME.test(value) || ARN[kind].test(value)) return value;
  throw new InputError(
    input,
    `Input "${input}" must be an ECS ${kind} name or ARN (a name has up to 255 letters, digits, "-" and "_"); got ${JSON.stringify(value)}.`,
  );
}

/** An AWS region such as us-east-1; `input` names the action input, which falls back to AWS_REGION. */
export function checkAwsRegion(value: string, input: string): string {
  if (REGION.test(value)) return value;
  throw new InputError(
    input,
    `Input "${input}" (or AWS_REGION when it is empty) must be an AWS region such as us-east-1; got ${JSON.stringify(value)}.`,
  );
}
