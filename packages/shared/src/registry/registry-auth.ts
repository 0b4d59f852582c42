import { UserError } from '../errors';
import { registerSecret } from '../secrets';

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** A parsed `WWW-Authenticate` challenge (RFC 7235), as registries send it. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const PARAM = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy;

/** Parses `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="..."` or `Basic realm=...`. */
export function parseChallenge(header: string | null | undefined): Challenge | undefined {
  const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header ?? '');
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const rest = match[2];
  PARAM.lastIndex = 0;
  for (let m = PARAM.exec(rest); m && m[0] !== ''; m = PARAM.exec(rest)) {
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  }
  return { scheme: match[1].toLowerCase(), params };
}

export function basicAuthorization(credentials: RegistryCredentials): string {
  const value = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  registerSecret(value);
  return `Basic ${value}`;
}

export interface TokenRequest {
  challenge: Challenge;
  /** Scopes such as `repository:acme/app:pull,push`. */
  scopes: readonly string[];
  credentials?: RegistryCredentials;
  fetch: typeof fetch;
  timeoutMs: number;
}

/**
 * The Bearer handshake of the distribution spec: GET the realm with service and scopes, with Basic
 * credentials when there are some (anonymous otherwise), and read `token` or `access_token`.
 */
export async function fetchBearerToken(request: TokenRequest): Promise<string> {
  const { realm, service } = request.challenge.params;
  if (!realm) throw new Error('The registry asked for a Bearer token but named no realm to get it from.');
  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  for (const scope of request.scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = {};
  if (request.credentials) headers.authorization = basicAuthorization(request.credentials);
  const response = await request.fetch(url, { headers, signal: AbortSignal.timeout(request.timeoutMs) });
  if (response.status === 401 || response.status === 403) {
    throw new UserError(
      `The registry's token service (${url.origin}) refused ${request.credentials ? `the credentials of "${request.credentials.username}"` : 'anonymous access'} (${response.status}): check the username and password, and that they may ${request.scopes.join(' ')}.`,
    );
  }
  if (!response.ok) {
    throw Object.assign(new Error(`The registry's token service answered ${response.status}.`), {
      status: response.status,
    });
  }
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error("The registry's token service answered without a token.");
  registerSecret(token);
  return token;
}
