import { setSecret } from './runner-commands';

const registered = new Set<string>();

/**
 * Registers a secret with the runner (`::add-mask::`) before anything can print it, and remembers it so that
 * our own logs, summaries and reports are masked even where no runner masks them. Multi-line values are
 * registered line by line as well, as the runner masks line by line. Values under 3 characters are not
 * registered: masking `1` would hide every 1 in the log.
 */
export function registerSecret(value: string | undefined): void {
  if (!value) return;
  const parts = [value, ...value.split(/\r?\n/)].map((v) => v.trim()).filter((v) => v.length >= 3);
  for (const part of new Set(parts)) {
    if (registered.has(part)) continue;
    registered.add(part);
    setSecret(part);
  }
}

/** Replaces every registered secret in `text` with `***`. */
export function maskSecrets(text: string): string {
  if (registered.size === 0 || !text) return text;
  let out = text;
  for (const secret of [...registered].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out;
}

/** The secrets registered so far (for tests of the suite itself). */
export function registeredSecrets(): readonly string[] {
  return [...registered];
}

// `scheme://` then everything up to the last `@` of the same word: a password may hold `@`, `/` or `:`.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s"'`<>]*@/gi;

/**
 * What any error or log line may show: registered secrets masked, and the user information of every URL
 * (`http://user:password@host` → `http://***@host`), which is a credential even where the URL could not be
 * parsed and so was never registered.
 */
export function redactText(text: string): string {
  return maskSecrets(text).replace(USERINFO, '$1***@');
}

/** Headers whose values are plainly not credentials; every other request header value is treated as secret. */
const PLAIN_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-type',
  'host',
  'pragma',
  'user-agent',
]);

export function isSecretHeader(name: string): boolean {
  return !PLAIN_HEADERS.has(name.toLowerCase());
}

const HEADER_LINE = /^(\s*-?\s*["']?([A-Za-z0-9!#$%&'*+.^_`|~-]+)["']?\s*:[ \t]+)(\S.*)$/;

/**
 * An input's value as an error may show it: `redactText`, and the value of every line shaped like a request
 * header whose name is not plainly harmless (`Authorization: Bearer x` → `Authorization: ***`).
 */
export function redactValue(value: string): string {
  return redactText(value)
    .split(/(\r?\n|\r)/)
    .map((line) => {
      const header = HEADER_LINE.exec(line);
      return header && isSecretHeader(header[2]) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(header[3].trim())
        ? `${header[1]}***`
        : line;
    })
    .join('');
}

/**
 * A short excerpt of `text` that is safe to show: every secret (the registered ones and `secrets`, as they are
 * and as they appear inside a JSON string) masked first, then cut to `max` characters with `…`. Where the text
 * was cut (here, or before: `truncated`), it never ends on the start of a secret.
 */
export function maskedExcerpt(
  text: string,
  max: number,
  options: { secrets?: readonly string[]; truncated?: boolean } = {},
): string {
  const forms = [...new Set([...registered, ...(options.secrets ?? [])])]
    .filter((s) => s.length >= 3)
    .flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  const sorted = [...new Set(forms)].sort((a, b) => b.length - a.length);
  let masked = text;
  for (const form of sorted) masked = masked.split(form).join('***');
  const cut = masked.length > max;
  if (!cut && !options.truncated) return masked;
  let out = masked.slice(0, max);
  for (const form of sorted) {
    for (let n = Math.min(form.length - 1, out.length); n > 0; n--) {
      if (out.endsWith(form.slice(0, n))) {
        out = out.slice(0, out.length - n);
        break;
      }
    }
  }
  return `${out}…`;
}
