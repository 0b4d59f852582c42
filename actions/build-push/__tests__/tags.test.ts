import type { GitContext } from '../src/git-context';
import { gitTags, movingGitTags, ociLabels, sanitizeTag } from '../src/tags';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const ctx = (over: Partial<GitContext>): GitContext => ({
  sha: SHA,
  ref: 'refs/heads/main',
  eventName: 'push',
  repository: 'acme/app',
  serverUrl: 'https://github.com',
  defaultBranch: 'main',
  ...over,
});

describe('gitTags (like docker/metadata-action)', () => {
  it.each<[string, Partial<GitContext>, string[]]>([
    ['default branch', {}, ['main', 'latest', 'sha-0123456']],
    ['other branch', { ref: 'refs/heads/feature/login' }, ['feature-login', 'sha-0123456']],
    ['unknown default branch', { defaultBranch: undefined }, ['main', 'sha-0123456']],
    [
      'pull request',
      { ref: 'refs/pull/42/merge', eventName: 'pull_request', prNumber: 42 },
      ['pr-42', 'sha-0123456'],
    ],
    ['semver tag', { ref: 'refs/tags/v1.2.3' }, ['1.2.3', '1.2', '1', 'sha-0123456']],
    ['semver 0.x', { ref: 'refs/tags/v0.4.1' }, ['0.4.1', '0.4', 'sha-0123456']],
    ['pre-release', { ref: 'refs/tags/v2.0.0-rc.1' }, ['2.0.0-rc.1', 'sha-0123456']],
    ['other tag', { ref: 'refs/tags/release_2024/blue' }, ['release_2024-blue', 'sha-0123456']],
    ['no context', { sha: '', ref: '' }, []],
    ['long branch', { ref: `refs/heads/${'x'.repeat(200)}` }, ['x'.repeat(128), 'sha-0123456']],
  ])('%s', (_name, over, expected) => expect(gitTags(ctx(over))).toEqual(expected));
});

describe('sanitizeTag', () => {
  it.each([
    ['feature/a b', 'feature-a-b'],
    ['.hidden', 'hidden'],
    ['--x', 'x'],
    ['ÜML', 'ML'],
    ['///', undefined],
    ['ok_1.2-3', 'ok_1.2-3'],
  ])('%s -> %s', (text, expected) => expect(sanitizeTag(text)).toBe(expected));
});

describe('ociLabels', () => {
  it('sets the OCI labels from the context', () => {
    const labels = Object.fromEntries(
      ociLabels(ctx({}), ['main', 'sha-0123456'], new Date('2026-01-02T03:04:05Z')),
    );
    expect(labels).toEqual({
      'org.opencontainers.image.title': 'app',
      'org.opencontainers.image.source': 'https://github.com/acme/app',
      'org.opencontainers.image.url': 'https://github.com/acme/app',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.version': 'main',
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
    });
  });
});

describe('movingGitTags (left out with immutable-tags)', () => {
  it.each<[string, Partial<GitContext>, string[]]>([
    ['default branch', {}, ['main', 'latest']],
    ['pull request', { ref: 'refs/pull/42/merge', eventName: 'pull_request', prNumber: 42 }, ['pr-42']],
    ['semver tag', { ref: 'refs/tags/v1.2.3' }, ['1.2', '1']],
    ['other tag', { ref: 'refs/tags/release_2024/blue' }, []],
  ])('%s', (_name, over, expected) => {
    expect(movingGitTags(ctx(over))).toEqual(expected);
  });
});
