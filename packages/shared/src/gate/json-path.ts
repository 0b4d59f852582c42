/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Parses the small path language of `expect-json` and `version-field`: dotted keys with array indexes,
 * an optional leading `$.` (as in JSONPath), and bracketed quoted keys for names with dots or spaces:
 * `status`, `$.checks.db.status`, `items[0].id`, `["app.version"]`. Returns undefined when malformed.
 */
export function parseJsonPath(text: string): PathSegment[] | undefined {
  let rest = text.trim();
  if (rest === '$') return [];
  if (rest.startsWith('$.') || rest.startsWith('$[')) rest = rest.slice(1);
  if (rest.startsWith('.')) rest = rest.slice(1);
  const segments: PathSegment[] = [];
  const token = /^(?:([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['([^']*)'\])/;
  while (rest) {
    const match = token.exec(rest);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(`"${match[3]}"`) as string);
    else segments.push(match[4]);
    rest = rest.slice(match[0].length);
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      if (!rest) return undefined;
    }
  }
  return segments.length ? segments : undefined;
}

/** The value at `path`, or `{ found: false }` when any step is missing. */
export function lookupJson(
  value: unknown,
  path: readonly PathSegment[],
): { found: boolean; value?: unknown } {
  let current = value;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return { found: false };
      current = current[segment];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return { found: false };
      if (!Object.hasOwn(current, segment)) return { found: false };
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}

export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((s, i) =>
      typeof s === 'number'
        ? `[${s}]`
        : /^[A-Za-z_$][\w$-]*$/.test(s)
          ? `${i ? '.' : ''}${s}`
          : `[${JSON.stringify(s)}]`,
    )
    .join('');
}
