/**
 * Issue (and pull-request) comments, as GitHub's REST API answers them: list (oldest first, paged, with a Link to
 * the next page), create, get and update. Pull requests are issues here, as on GitHub.
 */

export interface StoredComment {
  id: number;
  node_id: string;
  repo: string;
  issue: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  created_at: string;
  updated_at: string;
}

export class CommentError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GitHub's limit on a comment's body. */
export const MAX_BODY = 65_536;

export class IssueComments {
  readonly all: StoredComment[] = [];
  private nextId = 5000;
  private clock = Date.parse('2026-01-01T00:00:00Z');

  /** `author`: who the token belongs to (a job's GITHUB_TOKEN writes as github-actions[bot]). */
  constructor(
    private readonly author: StoredComment['user'] = { login: 'github-actions[bot]', type: 'Bot' },
  ) {}

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  list(repo: string, issue: number): StoredComment[] {
    return this.all.filter((c) => c.repo === repo && c.issue === issue);
  }

  create(repo: string, issue: number, body: string): StoredComment {
    const time = this.now();
    const id = this.nextId++;
    const comment = {
      id,
      node_id: `IC_${id}`,
      repo,
      issue,
      body,
      user: this.author,
      created_at: time,
      updated_at: time,
    };
    this.all.push(comment);
    return comment;
  }

  find(repo: string, id: number): StoredComment | undefined {
    return this.all.find((c) => c.repo === repo && c.id === id);
  }

  update(comment: StoredComment, body: string): StoredComment {
    comment.body = body;
    comment.updated_at = this.now();
    return comment;
  }
}

function present(c: StoredComment, baseUrl: string) {
  const { repo, issue, ...rest } = c;
  return {
    ...rest,
    url: `${baseUrl}/repos/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo}/pull/${issue}#issuecomment-${c.id}`,
    issue_url: `${baseUrl}/repos/${repo}/issues/${issue}`,
    author_association: 'NONE',
  };
}

function bodyOf(body: Record<string, unknown>): string {
  if (typeof body.body !== 'string' || body.body === '') {
    throw new CommentError(422, 'Invalid request: "body" is required');
  }
  if (body.body.length > MAX_BODY) {
    throw new CommentError(422, `Validation Failed: body is too long (maximum is ${MAX_BODY} characters)`);
  }
  return body.body;
}

/** The issue-comments routes; undefined for any other path. */
export function routeIssueComments(
  comments: IssueComments,
  method: string,
  url: URL,
  body: Record<string, unknown>,
  baseUrl: string,
): [number, unknown, Record<string, string>?] | undefined {
  const onIssue = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
  if (onIssue) {
    const repo = `${onIssue[1]}/${onIssue[2]}`;
    const issue = Number(onIssue[3]);
    if (method === 'POST') return [201, present(comments.create(repo, issue, bodyOf(body)), baseUrl)];
    if (method !== 'GET') throw new CommentError(404, 'Not Found');
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = comments.list(repo, issue);
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    const link: Record<string, string> =
      page * perPage < all.length ? { link: `<${baseUrl}${next.pathname}${next.search}>; rel="next"` } : {};
    return [200, all.slice((page - 1) * perPage, page * perPage).map((c) => present(c, baseUrl)), link];
  }
  const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
  if (!one) return undefined;
  const comment = comments.find(`${one[1]}/${one[2]}`, Number(one[3]));
  if (!comment) throw new CommentError(404, 'Not Found');
  if (method === 'GET') return [200, present(comment, baseUrl)];
  if (method === 'PATCH') return [200, present(comments.update(comment, bodyOf(body)), baseUrl)];
  throw new CommentError(404, 'Not Found');
}
