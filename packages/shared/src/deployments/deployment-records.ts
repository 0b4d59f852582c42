import * as core from '@actions/core';
import { retry } from '../retry';
import type { GitHubClient } from './github-client';

/** What a Slipway deployment records in its GitHub Deployment's payload. */
export interface DeploymentPayload {
  slipway: 1;
  target: 'ecs' | 'compose';
  /** Image references by service or container name, pinned by digest (`repo@sha256:…`). */
  images: Record<string, string>;
  /** ECS: task-definition ARN per service. */
  taskDefinitions?: Record<string, string>;
  /** Compose: the release id on the hosts. */
  releaseId?: string;
  /** Compose: how it went live (rolling, recreate, blue-green, canary), and blue-green's keep-previous in seconds. */
  strategy?: string;
  keepPrevious?: number;
  sha: string;
  /**
   * The schema migration this deployment applied (or requires), as an id that names it, e.g.
   * `20261120-add-orders-index`. Set by whoever deploys; rollback's migrations-guard compares it.
   */
  migration?: string;
  /**
   * Backups taken before this deployment changed anything, as `<kind>:<source>/<id>` (deploy-ecs: RDS snapshots,
   * `instance:orders-db/slipway-orders-db-20261206211530-abc1234`); rollback's migrations-guard names them.
   */
  backups?: string[];
  /** Set on the deployment a rollback records for the release it restored. */
  rollback?: { fromId?: number; from: string[]; reason: string };
}

export interface RecordedDeployment {
  id: number;
  environment: string;
  sha: string;
  createdAt: string;
  payload: DeploymentPayload | undefined;
  /** Status states, oldest first (`success`, `failure`, `inactive`, …). */
  statuses: Array<{ state: string; description: string }>;
  /** Why it was marked bad, when it was. */
  badReason?: string;
}

export type FinalState = 'success' | 'failure' | 'error' | 'inactive';

/** The GitHub Deployments of one repository, as the deploy actions and rollback use them. */
export interface DeploymentRecords {
  /** Creates a deployment of commit `sha` (the exact commit, never a moving branch) for `environment`. */
  start(input: {
    environment: string;
    sha: string;
    payload: DeploymentPayload;
    description: string;
    production?: boolean;
  }): Promise<number>;
  finish(
    id: number,
    state: FinalState,
    details?: { environmentUrl?: string; description?: string },
  ): Promise<void>;
  /**
   * Deployments, newest first, of one environment or all: one GraphQL query a page of 100, up to the newest
   * 1,000 — so a bad mark or the last good release is not forgotten after a few dozen deploys. Past that bound
   * it warns (once) that older marks are not checked. Every status of each deployment is read.
   */
  history(environment?: string): Promise<RecordedDeployment[]>;
  /** Marks a deployment bad: a failure status whose description carries the marker. */
  markBad(id: number, reason: string): Promise<void>;
}

export const BAD_MARKER = 'slipway: marked bad';
/** GitHub's largest page. */
const PAGE_SIZE = 100;
/** How many pages history() reads at most: a bound on API calls (and time) for repositories deployed for years. */
const MAX_PAGES = 10;
/**
 * Statuses read with each deployment. A mark is a `failure` status whose description starts with BAD_MARKER,
 * added whenever a rollback judges the deployment bad, so any number of statuses (`inactive`, re-marks,
 * statuses other tools post) may come after it; and GitHub documents no order for this connection, so neither
 * newest-first nor any window is sure to hold it. 100 is GitHub's largest page and costs no more rate-limit
 * points than 20 (the cost counts the connections asked for, not their size): it holds every status of
 * nearly every deployment, and `totalCount` tells when one has more, whose statuses are then all read over
 * REST (one call a hundred).
 */
const STATUS_WINDOW = 100;

const HISTORY_QUERY = `
  query slipwayDeployments(
    $owner: String!
    $name: String!
    $environments: [String!]
    $first: Int!
    $after: String
  ) {
    repository(owner: $owner, name: $name) {
      deployments(
        environments: $environments
        first: $first
        after: $after
        orderBy: { field: CREATED_AT, direction: DESC }
      ) {
        pageInfo { hasNextPage endCursor }
        nodes {
          databaseId
          environment
          commitOid
          createdAt
          payload
          statuses(first: ${STATUS_WINDOW}) { totalCount nodes { state description createdAt } }
        }
      }
    }
  }`;

interface HistoryResponse {
  repository: {
    deployments: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{
        databaseId: number;
        environment: string;
        commitOid: string;
        createdAt: string;
        payload: string | null;
        statuses: { totalCount: number; nodes: StatusNode[] };
      }>;
    };
  } | null;
}

interface StatusNode {
  state: string;
  description: string | null;
  createdAt: string;
}

/** `warning`: where history() says it stopped at its bound (the job's log, by default). */
export function createDeploymentRecords(
  client: GitHubClient,
  repository: string,
  options: { warning?: (message: string) => void } = {},
): DeploymentRecords {
  const [owner, repo] = repository.split('/');
  const warning = options.warning ?? ((message: string) => core.warning(message));
  let warnedOfBound = false;
  const call = <T>(fn: () => Promise<T>) => retry(fn, { attempts: 3, baseDelayMs: 500 });
  /** Every status of a deployment whose statuses did not fit the query's window. */
  const allStatuses = async (id: number): Promise<StatusNode[]> => {
    const statuses = await call(() =>
      client.paginate(client.rest.repos.listDeploymentStatuses, {
        owner,
        repo,
        deployment_id: id,
        per_page: PAGE_SIZE,
      }),
    );
    return statuses.map((s) => ({ state: s.state, description: s.description, createdAt: s.created_at }));
  };
  return {
    async start(input) {
      const created = await call(() =>
        client.rest.repos.createDeployment({
          owner,
          repo,
          ref: input.sha,
          environment: input.environment,
          description: input.description.slice(0, 140),
          payload: JSON.stringify({ ...input.payload, sha: input.sha }),
          auto_merge: false,
          required_contexts: [],
          production_environment: input.production,
        }),
      );
      const id = (created.data as { id: number }).id;
      await call(() =>
        client.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'in_progress' }),
      );
      return id;
    },
    async finish(id, state, details = {}) {
      await call(() =>
        client.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: id,
          state,
          environment_url: details.environmentUrl,
          description: details.description?.slice(0, 140),
        }),
      );
    },
    async history(environment) {
      const nodes: DeploymentNode[] = [];
      let after: string | null = null;
      let more = false;
      for (let page = 0; page < MAX_PAGES; page++) {
        const variables: Record<string, unknown> = {
          owner,
          name: repo,
          environments: environment ? [environment] : null,
          first: PAGE_SIZE,
          after,
        };
        const data: HistoryResponse = await call(() =>
          client.graphql<HistoryResponse>(HISTORY_QUERY, variables),
        );
        const connection = data.repository?.deployments;
        nodes.push(...(connection?.nodes ?? []));
        more = Boolean(connection?.pageInfo.hasNextPage && connection.pageInfo.endCursor);
        if (!more) break;
        after = connection!.pageInfo.endCursor;
      }
      if (more && !warnedOfBound) {
        warnedOfBound = true;
        warning(
          `Read the newest ${nodes.length} GitHub Deployments${environment ? ` of ${environment}` : ''}, the most ` +
            'this reads; older ones are not checked: a digest marked bad, or a good release, before them is ' +
            'not known to this run.',
        );
      }
      for (const node of nodes) {
        if (node.statuses.totalCount > node.statuses.nodes.length) {
          node.statuses = { ...node.statuses, nodes: await allStatuses(node.databaseId) };
        }
      }
      return nodes.map((node) => {
        // Oldest first, whatever order the connection uses.
        const statuses = [...node.statuses.nodes]
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
          .map((s) => ({ state: s.state.toLowerCase(), description: s.description ?? '' }));
        const bad = statuses.find((s) => s.description.startsWith(BAD_MARKER));
        return {
          id: node.databaseId,
          environment: node.environment,
          sha: node.commitOid,
          createdAt: node.createdAt,
          payload: parsePayload(node.payload),
          statuses,
          badReason: bad ? bad.description.slice(BAD_MARKER.length).replace(/^[\s:—-]+/, '') : undefined,
        };
      });
    },
    async markBad(id, reason) {
      await call(() =>
        client.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: id,
          state: 'failure',
          auto_inactive: false,
          description: `${BAD_MARKER}: ${reason}`.slice(0, 140),
        }),
      );
    },
  };
}

type DeploymentNode = NonNullable<HistoryResponse['repository']>['deployments']['nodes'][number];

function parsePayload(text: string | null): DeploymentPayload | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as DeploymentPayload;
    return value && value.slipway === 1 ? value : undefined;
  } catch {
    return undefined;
  }
}
