import { InputError } from '../errors';

/** Where to log in: `user@host:port`. */
export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
const HOST = /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/;

/**
 * Parses `user@host`, `user@host:port` and `user@[ipv6]:port`. `input` names the action input for the error.
 * Only letters, digits and `.-_` are accepted, so a target can never carry shell or ssh option syntax.
 */
export function parseSshTarget(text: string, input: string, defaultUser?: string): SshTarget {
  const value = text.trim();
  const at = value.lastIndexOf('@');
  const user = at >= 0 ? value.slice(0, at) : (defaultUser ?? '');
  const rest = at >= 0 ? value.slice(at + 1) : value;
  const portMatch = /^(.*?)(?::(\d+))?$/.exec(rest);
  const hostPart = portMatch?.[1] ?? '';
  const port = portMatch?.[2] ? Number(portMatch[2]) : 22;
  const fail = (why: string): never => {
    throw new InputError(
      input,
      `Input "${input}" has a bad host ${JSON.stringify(value)}: ${why}. Write it as user@host or user@host:port (e.g. deploy@10.0.0.5:2222).`,
    );
  };
  if (!user) fail('no user');
  if (!USER.test(user)) fail('the user may contain only letters, digits, ".", "_" and "-"');
  if (!hostPart || !HOST.test(hostPart)) fail('the host name may contain only letters, digits, "." and "-"');
  if (!(port >= 1 && port <= 65535)) fail('the port must be from 1 to 65535');
  return { user, host: hostPart.replace(/^\[|\]$/g, ''), port };
}

export function formatSshTarget(target: SshTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.user}@${host}:${target.port}`;
}
