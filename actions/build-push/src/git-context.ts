import { existsSync, readFileSync } from 'node:fs';

/** What the tags and labels are made from: the runner's GITHUB_* variables and the event payload. */
export interface GitContext {
  sha: string;
  ref: string;
  eventName: string;
  repository: string;
  serverUrl: string;
  defaultBranch?: string;
  prNumber?: number;
}

export function readGitContext(env: NodeJS.ProcessEnv = process.env): GitContext {
  let event: {
    repository?: { default_branch?: string };
    pull_request?: { number?: number };
    number?: number;
  } = {};
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath && existsSync(eventPath)) {
    try {
      event = JSON.parse(readFileSync(eventPath, 'utf8'));
    } catch {
      // an unreadable payload only costs the default-branch and PR details
    }
  }
  const prFromRef = /^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? '');
  const prNumber = event.pull_request?.number ?? (prFromRef ? Number(prFromRef[1]) : undefined);
  return {
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    defaultBranch: event.repository?.default_branch,
    prNumber,
  };
}
