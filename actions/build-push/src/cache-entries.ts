import { InputError, parseImageReference } from '@slipway/shared';

/** BuildKit's cache backends; `inline` only exports (it is read back with type=registry). */
export const CACHE_TYPES = ['registry', 'local', 'gha', 's3', 'azblob', 'inline'] as const;

const KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * `cache-from` / `cache-to` lines as buildx reads them: `type=<backend>,key=value,...`, or image references
 * (several on a line, comma-separated, are several registry caches). Returns one `type=...` entry per cache,
 * keys lower-cased as buildx does, a bare reference written out as `type=registry,ref=<reference>` (so
 * `ignore-error=true` can be appended to it). Values are never shown in errors: s3 and gha entries may hold
 * credentials.
 */
export function parseCacheEntries(input: 'cache-from' | 'cache-to', lines: string[]): string[] {
  const types = input === 'cache-to' ? CACHE_TYPES : CACHE_TYPES.filter((t) => t !== 'inline');
  const accepted = `type=<${types.join('|')}>,key=value,... (e.g. type=registry,ref=ghcr.io/acme/app:cache) or an image reference, one per line`;
  return lines.flatMap((line, i) => {
    const fail = (why: string): never => {
      throw new InputError(input, `Input "${input}" line ${i + 1} ${why}; write ${accepted}.`);
    };
    const what = `Input "${input}" line ${i + 1}`;
    if (CONTROL.test(line)) fail('has a control character (a tab, carriage return or the like)');
    if (!line.includes('=')) {
      return line.split(',').map((ref) => {
        if (ref.trim() === '') fail('has an empty entry between commas');
        return `type=registry,ref=${reference(ref.trim(), what)}`;
      });
    }
    const fields = line.split(',').map((field, n) => {
      const eq = field.indexOf('=');
      if (eq < 0) fail(`field ${n + 1} is not key=value (it has no "=")`);
      const key = field.slice(0, eq);
      if (!KEY.test(key))
        fail(`field ${n + 1} has the key ${JSON.stringify(key)}, not letters, digits, _ and -`);
      if (field.length === eq + 1) fail(`field ${n + 1} ("${key}=") has no value`);
      return [key.toLowerCase(), field.slice(eq + 1)] as const;
    });
    const type = fields.find(([key]) => key === 'type')?.[1];
    if (type === undefined) fail('has no "type=" field');
    if (!(types as readonly string[]).includes(type as string)) {
      fail(
        type === 'inline'
          ? 'reads type=inline, which only exports (read an inline cache back with type=registry,ref=<image>)'
          : `has the type ${JSON.stringify(type)}, which is not a cache backend`,
      );
    }
    const ref = fields.find(([key]) => key === 'ref')?.[1];
    if (type === 'registry') {
      if (ref === undefined) fail('has type=registry without "ref=<image>"');
      reference(ref as string, `${what} "ref"`);
    }
    return [fields.map(([key, value]) => `${key}=${value}`).join(',')];
  });
}

/** A cache image reference, checked with the one image-reference parser of the suite. */
function reference(text: string, what: string): string {
  parseImageReference(text, what);
  return text;
}
