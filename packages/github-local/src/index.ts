export { type IssueComments, MAX_BODY, type StoredComment } from './issue-comments';
export { type ReleaseEvent, ReleaseStore, type StoredAttestation, type StoredRelease } from './releases';
export { type GitHubLocal, type GitHubLocalOptions, startGitHubLocal } from './server';
export { type StatusState, Store, type StoredDeployment, type StoredStatus } from './store';
