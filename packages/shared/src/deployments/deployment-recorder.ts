import type {
  DeploymentPayload,
  DeploymentRecords,
  FinalState,
  RecordedDeployment,
} from './deployment-records';
import { badDigestReason, refuseBadDigest } from './release-history';

/** The deploy actions' inputs about GitHub Deployments, read by each action's own getInputs(). */
export interface RecordingSettings {
  /** `record-deployment`: create a GitHub Deployment for this deploy. */
  enabled: boolean;
  /** `environment`: the GitHub environment; nothing is recorded without one. */
  environment?: string;
  /** `environment-url`: shown on the deployment. */
  environmentUrl?: string;
  /** `force`: deploy a digest that a rollback marked bad. */
  force: boolean;
  /** The commit being deployed (GITHUB_SHA). */
  sha: string;
}

export interface RecorderDeps {
  /** Undefined when there is no token: the deploy goes on, with a notice. */
  records?: DeploymentRecords;
  notice(message: string): void;
  warning(message: string): void;
}

/** What a deploy action does with GitHub Deployments, around its own work. */
export interface DeploymentRecorder {
  /**
   * Refuses digests a rollback marked bad, unless `force`. Call before any side effect. A digest may come with
   * what runs it (e.g. `container web`), for the message. The records are read once and each digest judged
   * once, however often it is called.
   */
  guard(digests: Array<string | { digest: string; what: string }>): Promise<void>;
  begin(payload: Omit<DeploymentPayload, 'slipway' | 'sha'>, description: string): Promise<void>;
  end(state: FinalState, details?: { description?: string; environmentUrl?: string }): Promise<void>;
  /** The GitHub Deployment id, when one was created. */
  readonly deploymentId: number | undefined;
}

/**
 * GitHub Deployments for a deploy action. The API is a record, not a dependency: without a token, or when the
 * API fails, the deploy goes on with a notice or a warning — except that a digest known to be bad is refused.
 */
export function createDeploymentRecorder(
  settings: RecordingSettings,
  deps: RecorderDeps,
): DeploymentRecorder {
  let deploymentId: number | undefined;
  const apiProblem = (what: string, error: unknown) =>
    deps.warning(`${what} (GitHub API: ${(error as Error).message}). The deploy goes on without it.`);
  if (!deps.records) {
    deps.notice(
      'No GitHub token: this deploy is not recorded as a GitHub Deployment and its digests are not checked ' +
        'against earlier rollbacks. Pass github-token (the default, ${{ github.token }}, needs "deployments: write").',
    );
  }
  let history: Promise<RecordedDeployment[] | undefined> | undefined;
  const judged = new Set<string>();
  const readHistory = (records: DeploymentRecords) => {
    history ??= records.history().catch((error) => {
      apiProblem('Could not check the digests against earlier rollbacks', error);
      return undefined;
    });
    return history;
  };
  return {
    get deploymentId() {
      return deploymentId;
    },
    async guard(digests) {
      if (!deps.records || !digests.length) return;
      const known = await readHistory(deps.records);
      if (!known) return;
      for (const item of digests) {
        const { digest, what } = typeof item === 'string' ? { digest: item, what: undefined } : item;
        if (judged.has(digest)) continue;
        judged.add(digest);
        const reason = badDigestReason(known, digest);
        if (reason === undefined) continue;
        refuseBadDigest(
          what ? `${what}: ${digest}` : digest,
          'a rollback',
          reason,
          settings.force,
          deps.warning,
        );
      }
    },
    async begin(payload, description) {
      if (!deps.records || !settings.enabled || !settings.environment) return;
      if (!settings.sha) {
        deps.warning('No commit SHA (GITHUB_SHA) to record the deployment against: it is not recorded.');
        return;
      }
      try {
        deploymentId = await deps.records.start({
          environment: settings.environment,
          sha: settings.sha,
          payload: { slipway: 1, ...payload, sha: settings.sha },
          description,
        });
      } catch (error) {
        apiProblem(`Could not record the deployment to ${settings.environment}`, error);
      }
    },
    async end(state, details = {}) {
      if (!deps.records || deploymentId === undefined) return;
      try {
        await deps.records.finish(deploymentId, state, {
          description: details.description,
          environmentUrl: details.environmentUrl ?? settings.environmentUrl,
        });
      } catch (error) {
        apiProblem(`Could not set the deployment's status to ${state}`, error);
      }
    },
  };
}
