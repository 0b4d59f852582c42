/**
 * A reason set in parentheses inside a sentence: "(ECS refused … in it)". The reasons come from elsewhere
 * (deploy-ecs, ECS, the GitHub API) as whole sentences ending in a full stop; the sentence they are put in
 * goes on after the parenthesis, so that stop is dropped instead of doubled ("…in it.).").
 */
export function parenthetical(reason: string, fallback = 'no reason given'): string {
  const text = reason.trim().replace(/\.+$/, '').trimEnd();
  return `(${text || fallback})`;
}
