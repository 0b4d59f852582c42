/** The in-memory state of the stand-in: deployments and their statuses, per repository. */

export type StatusState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface StoredStatus {
  id: number;
  state: StatusState;
  description: string;
  environment_url: string;
  log_url: string;
  created_at: string;
}

export interface StoredDeployment {
  id: number;
  repo: string;
  sha: string;
  ref: string;
  environment: string;
  task: string;
  payload: unknown;
  description: string;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  statuses: StoredStatus[];
}

export class Store {
  readonly deployments: StoredDeployment[] = [];
  private nextId = 1000;
  private clock = Date.parse('2026-01-01T00:00:00Z');

  /** `wallClock`: timestamps follow the real time (for checks against it, such as a cooldown). */
  constructor(private readonly wallClock?: () => number) {}

  /** Strictly increasing timestamps, so "newest first" never depends on the test machine's speed. */
  private now(): string {
    this.clock = Math.max(this.clock + 1000, this.wallClock?.() ?? 0);
    return new Date(this.clock).toISOString();
  }

  createDeployment(repo: string, input: Omit<StoredDeployment, 'id' | 'repo' | 'created_at' | 'statuses'>) {
    const deployment: StoredDeployment = {
      ...input,
      id: this.nextId++,
      repo,
      created_at: this.now(),
      statuses: [],
    };
    this.deployments.push(deployment);
    return deployment;
  }

  find(repo: string, id: number): StoredDeployment | undefined {
    return this.deployments.find((d) => d.repo === repo && d.id === id);
  }

  list(repo: string, filter: { environment?: string; sha?: string; ref?: string } = {}): StoredDeployment[] {
    return this.deployments
      .filter((d) => d.repo === repo)
      .filter((d) => !filter.environment || d.environment === filter.environment)
      .filter((d) => !filter.sha || d.sha === filter.sha)
      .filter((d) => !filter.ref || d.ref === filter.ref)
      .sort((a, b) => b.id - a.id);
  }

  /**
   * Adds a status. As on GitHub, a `success` status with auto_inactive (the default) gives every other
   * non-transient deployment of the same environment whose latest status is success an `inactive` status.
   */
  addStatus(
    deployment: StoredDeployment,
    input: Omit<StoredStatus, 'id' | 'created_at'>,
    autoInactive = true,
  ) {
    const status: StoredStatus = { ...input, id: this.nextId++, created_at: this.now() };
    deployment.statuses.push(status);
    if (input.state === 'success' && autoInactive && !deployment.transient_environment) {
      for (const other of this.list(deployment.repo, { environment: deployment.environment })) {
        if (other !== deployment && latest(other)?.state === 'success') {
          other.statuses.push({
            ...status,
            id: this.nextId++,
            state: 'inactive',
            description: '',
            created_at: this.now(),
          });
        }
      }
    }
    return status;
  }
}

export function latest(deployment: StoredDeployment): StoredStatus | undefined {
  return deployment.statuses[deployment.statuses.length - 1];
}
