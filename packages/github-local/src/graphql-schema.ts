import { buildSchema, type GraphQLSchema } from 'graphql';
import { latest, type Store, type StoredDeployment } from './store';

// The subset of GitHub's GraphQL schema the suite queries, with GitHub's names and types.
const SDL = /* GraphQL */ `
  type Query {
    repository(owner: String!, name: String!): Repository
  }
  type Repository {
    nameWithOwner: String!
    deployments(environments: [String!], first: Int, orderBy: DeploymentOrder): DeploymentConnection!
  }
  input DeploymentOrder {
    field: DeploymentOrderField!
    direction: OrderDirection!
  }
  enum DeploymentOrderField {
    CREATED_AT
  }
  enum OrderDirection {
    ASC
    DESC
  }
  type DeploymentConnection {
    totalCount: Int!
    nodes: [Deployment]
  }
  type Deployment {
    id: ID!
    databaseId: Int
    commitOid: String!
    environment: String
    task: String
    payload: String
    description: String
    createdAt: String!
    state: DeploymentState
    latestStatus: DeploymentStatus
    statuses(first: Int): DeploymentStatusConnection
  }
  type DeploymentStatusConnection {
    totalCount: Int!
    nodes: [DeploymentStatus]
  }
  type DeploymentStatus {
    state: DeploymentStatusState!
    description: String
    environmentUrl: String
    createdAt: String!
  }
  enum DeploymentState {
    ABANDONED
    ACTIVE
    DESTROYED
    ERROR
    FAILURE
    INACTIVE
    PENDING
    QUEUED
    IN_PROGRESS
    WAITING
  }
  enum DeploymentStatusState {
    PENDING
    SUCCESS
    FAILURE
    INACTIVE
    ERROR
    QUEUED
    IN_PROGRESS
    WAITING
  }
`;

export const schema: GraphQLSchema = buildSchema(SDL);

const STATE: Record<string, string> = { success: 'ACTIVE', in_progress: 'IN_PROGRESS' };

const status = (s: NonNullable<ReturnType<typeof latest>>) => ({
  state: s.state.toUpperCase(),
  description: s.description,
  environmentUrl: s.environment_url,
  createdAt: s.created_at,
});

function deploymentNode(d: StoredDeployment) {
  const last = latest(d);
  return {
    id: Buffer.from(`Deployment:${d.id}`).toString('base64'),
    databaseId: d.id,
    commitOid: d.sha,
    environment: d.environment,
    task: d.task,
    payload: JSON.stringify(d.payload ?? {}),
    description: d.description,
    createdAt: d.created_at,
    state: last ? (STATE[last.state] ?? last.state.toUpperCase()) : 'PENDING',
    latestStatus: last ? status(last) : null,
    statuses: ({ first = 100 }: { first?: number }) => ({
      totalCount: d.statuses.length,
      nodes: [...d.statuses].reverse().slice(0, first).map(status),
    }),
  };
}

/** The root value: resolvers for the fields above, reading the store. */
export function rootValue(store: Store) {
  return {
    repository: ({ owner, name }: { owner: string; name: string }) => ({
      nameWithOwner: `${owner}/${name}`,
      deployments: (args: { environments?: string[]; first?: number; orderBy?: { direction: string } }) => {
        const all = store
          .list(`${owner}/${name}`)
          .filter((d) => !args.environments?.length || args.environments.includes(d.environment));
        const ordered = args.orderBy?.direction === 'DESC' ? all : [...all].reverse();
        return { totalCount: ordered.length, nodes: ordered.slice(0, args.first ?? 100).map(deploymentNode) };
      },
    }),
  };
}
