import type { IncomingMessage, ServerResponse } from 'node:http';

/** An AWS service error, serialised the way the AWS JSON 1.1 protocol does (`__type` + `message`). */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const clientError = (message: string) => new AwsError('ClientException', message);
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);

/** Who signed the request: the access key id from the SigV4 Authorization header. */
export interface Caller {
  accessKeyId: string;
  region: string;
}

export type Operation = (input: Record<string, unknown>, caller: Caller) => unknown | Promise<unknown>;

/** A service: its X-Amz-Target prefix and its operations by name. */
export interface Service {
  targetPrefix: string;
  operations: Record<string, Operation>;
}

const AUTH = /Credential=([^/]+)\/\d{8}\/([^/]+)\//;

export function callerOf(req: IncomingMessage): Caller | undefined {
  const match = AUTH.exec(String(req.headers.authorization ?? ''));
  return match ? { accessKeyId: match[1], region: match[2] } : undefined;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `ecs-local-${Date.now().toString(36)}`,
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: AwsError) {
  sendJson(
    res,
    error.status,
    { __type: error.type, message: error.message },
    { 'x-amzn-errortype': error.type },
  );
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
