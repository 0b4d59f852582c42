import { getOctokit } from '@actions/github';

export type GitHubClient = ReturnType<typeof getOctokit>;

/**
 * An authenticated client for the GitHub API the job runs against: REST at GITHUB_API_URL and GraphQL beside it
 * (github.com, GitHub Enterprise, or a local stand-in), as @actions/github resolves them.
 */
export function createGitHubClient(
  token: string,
  baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com',
): GitHubClient {
  return getOctokit(token, { baseUrl });
}
