import { SpecError } from './expectations';

// RFC 9110 section 9.1: a method is a `token` (tchar: letters, digits and !#$%&'*+-.^_`|~).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const HTTP_METHOD_ACCEPTED =
  "an HTTP method such as GET or POST (one word of letters, digits and !#$%&'*+-.^_`|~; no spaces or line breaks)";

/**
 * The request method of a check: trimmed, checked to be an RFC 9110 token (so nothing can be smuggled into the
 * request line, e.g. "GET\r\nX: y"), then upper-cased as users write `get` and mean GET.
 * Throws a SpecError (message "must be ...; got ...") for the caller to name the input.
 */
export function parseHttpMethod(text: string): string {
  const method = text.trim();
  // Checked before upper-casing: toUpperCase turns some non-ASCII letters into ASCII ("ß" into "SS").
  if (!TOKEN.test(method))
    throw new SpecError(`must be ${HTTP_METHOD_ACCEPTED}; got ${JSON.stringify(text)}`);
  return method.toUpperCase();
}
