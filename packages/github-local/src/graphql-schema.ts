import { buildSchema, type GraphQLSchema } from 'graphql';
import { latest, type Store, type StoredDeployment } from './store';

// The subset of GitHub's GraphQL schema the suite queries, with GitHub's names and types.
const SDL = /* GraphQL */ `
  type Query {
    repository(owner: String!, name: String!): Repository
  }
  type Repository {
    nameWithOwner: String!
    deployments(
      environments: [String!]
      first: Int
      after: String
      orderBy: DeploymentOrder
    ): DeploymentConnection!
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
    pageInfo: PageInfo!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
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

/** An opaque cursor, as GitHub's are: it names the deployment a page ended on. */
const cursor = (d: StoredDeployment) => Buffer.from(`cursor:v2:${d.id}`).toString('base64');

/** The root value: resolvers for the fields above, reading the store. */
export function rootValue(store: Store) {
  return {
    repository: ({ owner, name }: { owner: string; name: string }) => ({
      nameWithOwner: `${owner}/${name}`,
      deployments: (args: {
        environments?: string[];
        first?: number;
        after?: string | null;
        orderBy?: { direction: string };
      }) => {
        const first = args.first ?? 100;
        // GitHub's limit on any connection: at most 100 nodes a page, cursors for the rest.
        if (first < 1 || first > 100) {
          throw new Error(
            `Requesting ${first} records on the \`deployments\` connection exceeds the \`first\` limit of 100 records.`,
          );
        }
        const all = store
          .list(`${owner}/${name}`)
          .filter((d) => !args.environments?.length || args.environments.includes(d.environment));
        const ordered = args.orderBy?.direction === 'DESC' ? all : [...all].reverse();
        const start = args.after == null ? 0 : ordered.findIndex((d) => cursor(d) === args.after) + 1;
        if (start === 0 && args.after != null)
          throw new Error(`\`${args.after}\` does not appear to be a valid cursor.`);
        const page = ordered.slice(start, start + first);
        return {
          totalCount: ordered.length,
          nodes: page.map(deploymentNode),
          pageInfo: {
            hasNextPage: start + page.length < ordered.length,
            endCursor: page.length ? cursor(page[page.length - 1]) : null,
          },
        };
      },
    }),
  };
}
