import { createDeploymentRecords, createGitHubClient, type DeploymentRecords } from '@slipway/shared';
import type { Inputs } from '../inputs';

/** This repository's deployment records (main and post step), or undefined without a token or a repository. */
export function recordsFor(inputs: Pick<Inputs, 'githubToken'>): DeploymentRecords | undefined {
  const repository = process.env.GITHUB_REPOSITORY;
  if (!inputs.githubToken || !repository) return undefined;
  return createDeploymentRecords(createGitHubClient(inputs.githubToken), repository);
}
