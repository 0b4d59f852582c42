/**
 * `{{ version }}`, `{{ release }}`, `{{ colour }}` in a query become the release's values, so the new version
 * can be judged alone (`{version="{{ version }}"}`). Values are escaped for a double-quoted PromQL string; a
 * placeholder with no value is an error, never an empty string that would widen the query to every version.
 */
export class TemplateError extends Error {}

const PLACEHOLDER = /\{\{\s*([A-Za-z][\w-]*)\s*\}\}/g;

export function renderTemplate(
  text: string,
  vars: Record<string, string | undefined>,
  quoting: 'promql' | 'none' = 'promql',
): string {
  const values: Record<string, string | undefined> = { ...vars };
  values.color ??= vars.colour;
  values.colour ??= vars.color;
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      const known = Object.keys(values).filter((k) => values[k]);
      throw new TemplateError(
        `uses {{ ${name} }}, which has no value here${known.length ? ` (known: ${known.join(', ')})` : ''}: give it in analysis-vars`,
      );
    }
    if (quoting === 'none') return value;
    return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  });
}
