import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphql } from 'graphql';
import { rootValue, schema } from './graphql-schema';
import { CommentError, IssueComments, routeIssueComments } from './issue-comments';
import { ReleaseStore } from './releases';
import { type StatusState, Store } from './store';

export interface GitHubLocal {
  /** Use as GITHUB_API_URL: REST at this root, GraphQL at `${url}/graphql`, as on GitHub Enterprise. */
  url: string;
  store: Store;
  /** Issue and pull-request comments (REST). */
  comments: IssueComments;
  /** Refs, releases and attestations (the release workflow's calls). */
  releases: ReleaseStore;
  /** Every request, as `METHOD path` (GraphQL as `POST /graphql`), for "one query" assertions. */
  requests: string[];
  close(): Promise<void>;
}

export interface GitHubLocalOptions {
  /** The token every request must carry; other tokens get GitHub's 401 "Bad credentials". */
  token: string;
  /** Timestamps from the wall clock (still strictly increasing) instead of a fixed start in 2026-01-01. */
  wallClock?: boolean;
  /** The repository's "Enable release immutability" setting (default off, as on a new repository). */
  immutableReleases?: boolean;
}

const STATES: StatusState[] = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local stand-in for the GitHub API calls the suite makes: deployments and deployment statuses (REST), and
 * the deployments query (GraphQL, executed by graphql-js against a subset of GitHub's schema). The real
 * @actions/github client runs against it unmodified.
 */
export async function startGitHubLocal(options: GitHubLocalOptions): Promise<GitHubLocal> {
  const store = new Store(options.wallClock ? Date.now : undefined);
  const comments = new IssueComments();
  const releases = new ReleaseStore(options.immutableReleases ?? false);
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      requests.push(`${req.method} ${url.pathname}`);
      const auth = String(req.headers.authorization ?? '').replace(/^(token|bearer) /i, '');
      if (auth !== options.token) throw new HttpError(401, 'Bad credentials');
      const body = await readJson(req);
      const method = req.method ?? 'GET';
      const baseUrl = `http://${req.headers.host}`;
      const answered =
        releases.route(method, url.pathname, body, baseUrl) ??
        routeIssueComments(comments, method, url, body, baseUrl);
      if (answered) return send(res, ...answered);
      send(res, ...(await route(store, method, url, body, baseUrl)));
    } catch (error) {
      const status = error instanceof HttpError || error instanceof CommentError ? error.status : 500;
      send(res, status, {
        message: (error as Error).message,
        documentation_url: 'https://docs.github.com/rest',
      });
    }
  });
  // Real endpoints keep idle connections longer than clients do. Node's default (5s) closes them first, and a
  // client reusing a socket at that moment gets ECONNRESET: a race no real service shows, and a flaky test.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    comments,
    releases,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(
  store: Store,
  method: string,
  url: URL,
  body: Record<string, unknown>,
  baseUrl: string,
): Promise<[number, unknown, Record<string, string>?]> {
  if (method === 'POST' && url.pathname === '/graphql') {
    const result = await graphql({
      schema,
      source: String(body.query ?? ''),
      variableValues: (body.variables as Record<string, unknown>) ?? {},
      rootValue: rootValue(store),
    });
    return [200, result];
  }
  const match = /^\/repos\/([^/]+)\/([^/]+)\/deployments(?:\/(\d+)(\/statuses)?)?$/.exec(url.pathname);
  if (!match) throw new HttpError(404, 'Not Found');
  const repo = `${match[1]}/${match[2]}`;
  const id = match[3] ? Number(match[3]) : undefined;
  if (id === undefined && method === 'POST') {
    if (typeof body.ref !== 'string' || !body.ref)
      throw new HttpError(422, 'Invalid request: "ref" is required');
    const deployment = store.createDeployment(repo, {
      sha: typeof body.sha === 'string' ? body.sha : body.ref,
      ref: body.ref,
      environment: typeof body.environment === 'string' ? body.environment : 'production',
      task: typeof body.task === 'string' ? body.task : 'deploy',
      payload: typeof body.payload === 'string' ? JSON.parse(body.payload) : (body.payload ?? {}),
      description: typeof body.description === 'string' ? body.description : '',
      transient_environment: body.transient_environment === true,
      production_environment: body.production_environment === true,
    });
    return [201, present(deployment)];
  }
  if (id === undefined && method === 'GET') {
    const q = url.searchParams;
    const filter = {
      environment: q.get('environment') ?? undefined,
      sha: q.get('sha') ?? undefined,
      ref: q.get('ref') ?? undefined,
    };
    const perPage = Number(q.get('per_page') ?? 30);
    const page = Number(q.get('page') ?? 1);
    return [
      200,
      store
        .list(repo, filter)
        .slice((page - 1) * perPage, page * perPage)
        .map(present),
    ];
  }
  const deployment = id === undefined ? undefined : store.find(repo, id);
  if (!deployment) throw new HttpError(404, 'Not Found');
  if (!match[4]) return [200, present(deployment)];
  if (method === 'GET') {
    // Newest first, in pages as GitHub serves them (per_page up to 100), with a Link to the next page.
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = [...deployment.statuses].reverse();
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    const link: Record<string, string> =
      page * perPage < all.length ? { link: `<${baseUrl}${next.pathname}${next.search}>; rel="next"` } : {};
    return [200, all.slice((page - 1) * perPage, page * perPage), link];
  }
  const state = body.state as StatusState;
  if (!STATES.includes(state))
    throw new HttpError(422, `Invalid request: state "${String(state)}" is not valid`);
  const description = typeof body.description === 'string' ? body.description : '';
  if (description.length > 140)
    throw new HttpError(422, 'Invalid request: description is too long (maximum is 140 characters)');
  const status = store.addStatus(
    deployment,
    {
      state,
      description,
      environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
      log_url: typeof body.log_url === 'string' ? body.log_url : '',
    },
    body.auto_inactive !== false,
  );
  return [201, status];
}

function present(d: ReturnType<Store['find']> & object) {
  const { statuses: _statuses, repo, ...rest } = d;
  return {
    ...rest,
    url: `/repos/${repo}/deployments/${d.id}`,
    statuses_url: `/repos/${repo}/deployments/${d.id}/statuses`,
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'Problems parsing JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
