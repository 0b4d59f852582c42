import { parse as parseSemver } from 'semver';
import type { GitContext } from './git-context';

const MAX = 128;

/** A tag made valid: anything but letters, digits, _, . and - becomes -, no leading . or -, at most 128. */
export function sanitizeTag(text: string): string | undefined {
  const clean = text
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX);
  return clean || undefined;
}

export function shaTag(sha: string): string | undefined {
  return sha ? `sha-${sha.slice(0, 7)}` : undefined;
}

/**
 * Tags from the git context, as docker/metadata-action makes them by default: `sha-<short>`; the branch
 * (and `latest` on the default branch); `pr-<n>` for pull requests; for a semver tag `1.2.3`, `1.2` and `1`
 * (only the full version for a pre-release, no `0` for 0.x); any other git tag as it is. Sanitised.
 */
export function gitTags(ctx: GitContext): string[] {
  const tags: string[] = [];
  const add = (tag: string | undefined) => {
    const clean = tag === undefined ? undefined : sanitizeTag(tag);
    if (clean && !tags.includes(clean)) tags.push(clean);
  };
  const isPr =
    ctx.prNumber !== undefined &&
    (ctx.eventName.startsWith('pull_request') || ctx.ref.startsWith('refs/pull/'));
  if (isPr) {
    add(`pr-${ctx.prNumber}`);
  } else if (ctx.ref.startsWith('refs/heads/')) {
    const branch = ctx.ref.slice('refs/heads/'.length);
    add(branch);
    if (ctx.defaultBranch && branch === ctx.defaultBranch) add('latest');
  } else if (ctx.ref.startsWith('refs/tags/')) {
    const name = ctx.ref.slice('refs/tags/'.length);
    const version = parseSemver(name.replace(/^v/i, ''));
    if (version) {
      add(version.version);
      if (version.prerelease.length === 0) {
        add(`${version.major}.${version.minor}`);
        if (version.major > 0) add(String(version.major));
      }
    } else {
      add(name);
    }
  }
  add(shaTag(ctx.sha));
  return tags;
}

/**
 * The git-context tags that move from image to image: the branch, `latest`, `pr-<n>`, and a release's `1.2` and
 * `1`. What stays is `sha-<short>` and the git tag itself (the full version), which name one build for good.
 */
export function movingGitTags(ctx: GitContext): string[] {
  const fixed = new Set<string | undefined>([shaTag(ctx.sha)]);
  if (ctx.ref.startsWith('refs/tags/')) {
    const name = ctx.ref.slice('refs/tags/'.length);
    fixed.add(sanitizeTag(parseSemver(name.replace(/^v/i, ''))?.version ?? name));
  }
  return gitTags(ctx).filter((tag) => !fixed.has(tag));
}

/** The OCI annotations metadata-action sets as labels; `version` is the first tag (the most specific). */
export function ociLabels(ctx: GitContext, tags: readonly string[], now: Date): Array<[string, string]> {
  const url = ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : '';
  const labels: Array<[string, string]> = [
    ['org.opencontainers.image.title', ctx.repository.split('/').pop() ?? ''],
    ['org.opencontainers.image.source', url],
    ['org.opencontainers.image.url', url],
    ['org.opencontainers.image.revision', ctx.sha],
    ['org.opencontainers.image.version', tags[0] ?? ''],
    ['org.opencontainers.image.created', now.toISOString()],
  ];
  return labels.filter(([, value]) => value !== '');
}
