/**
 * Git refs, releases and artifact attestations, answered as GitHub's REST API answers them, for the release
 * workflow: tags are refs (`refs/tags/<name>` → a commit), a release is created as a draft and published, and a
 * release published while the repository's release immutability is on is immutable: its tag can then be neither
 * moved nor deleted, the release cannot go back to a draft, and its tag name cannot be used by another release.
 * (docs.github.com/en/code-security/concepts/supply-chain-security/immutable-releases)
 */

export interface StoredRelease {
  id: number;
  repo: string;
  tag_name: string;
  target_commitish: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  immutable: boolean;
  created_at: string;
  published_at: string | null;
}

export interface StoredAttestation {
  id: number;
  repo: string;
  /** `sha256:<hex>` of each subject of the in-toto statement in the bundle. */
  subjects: string[];
  predicateType: string;
  bundle: unknown;
}

/** A call as the release workflow makes it, in order, for "no v1 move before the release" assertions. */
export interface ReleaseEvent {
  kind:
    | 'ref-created'
    | 'ref-updated'
    | 'release-created'
    | 'release-published'
    | 'release-edited'
    | 'attested';
  name: string;
  sha?: string;
}

type Answer = [number, unknown];

const DOCS = 'https://docs.github.com/rest';

function invalid(message: string, field?: string, resource = 'Release'): Answer {
  return [
    422,
    {
      message: 'Validation Failed',
      errors: [{ resource, code: 'custom', field, message }],
      documentation_url: DOCS,
    },
  ];
}

const notFound: Answer = [404, { message: 'Not Found', documentation_url: DOCS }];

export class ReleaseStore {
  readonly refs = new Map<string, string>();
  readonly releases: StoredRelease[] = [];
  readonly attestations: StoredAttestation[] = [];
  readonly events: ReleaseEvent[] = [];
  /** Tag names once used by an immutable release: never usable again, even after the release is deleted. */
  private readonly burned = new Set<string>();
  private nextId = 5000;

  /** `immutable`: the repository's "Enable release immutability" setting, for releases published from now on. */
  constructor(public immutable = false) {}

  private key = (repo: string, ref: string) => `${repo} ${ref}`;

  ref(repo: string, ref: string): string | undefined {
    return this.refs.get(this.key(repo, ref));
  }

  /** Sets a ref directly, as a `git push` would (the test's history: tags pushed before the workflow runs). */
  pushRef(repo: string, ref: string, sha: string): void {
    this.refs.set(this.key(repo, ref), sha);
  }

  private lockedBy(repo: string, ref: string): StoredRelease | undefined {
    const tag = ref.replace(/^refs\/tags\//, '');
    return this.releases.find((r) => r.repo === repo && r.tag_name === tag && r.immutable);
  }

  route(method: string, path: string, body: Record<string, unknown>, baseUrl: string): Answer | undefined {
    const m = /^\/repos\/([^/]+)\/([^/]+)\/(git\/refs?|releases|attestations)(?:\/(.*))?$/.exec(path);
    if (!m) return undefined;
    const repo = `${m[1]}/${m[2]}`;
    const rest = m[4] ?? '';
    if (m[3] === 'git/ref' && method === 'GET') return this.getRef(repo, `refs/${rest}`);
    if (m[3] === 'git/refs') return this.refsRoute(repo, method, rest, body);
    if (m[3] === 'releases') return this.releasesRoute(repo, method, rest, body, baseUrl);
    if (m[3] === 'attestations') return this.attestationsRoute(repo, method, rest, body);
    return notFound;
  }

  private getRef(repo: string, ref: string): Answer {
    const sha = this.ref(repo, ref);
    if (!sha) return notFound;
    return [200, { ref, object: { sha, type: 'commit' } }];
  }

  private refsRoute(repo: string, method: string, rest: string, body: Record<string, unknown>): Answer {
    const sha = typeof body.sha === 'string' ? body.sha : '';
    if (method === 'POST' && rest === '') {
      const ref = String(body.ref ?? '');
      if (!/^refs\/(heads|tags)\/.+/.test(ref) || !/^[0-9a-f]{40}$/.test(sha))
        return invalid('ref must start with refs/ and sha must be a full commit SHA', 'ref', 'Reference');
      if (this.ref(repo, ref)) return [422, { message: 'Reference already exists', documentation_url: DOCS }];
      this.pushRef(repo, ref, sha);
      this.events.push({ kind: 'ref-created', name: ref, sha });
      return [201, { ref, object: { sha, type: 'commit' } }];
    }
    const ref = `refs/${rest}`;
    if (method === 'GET') return this.getRef(repo, ref);
    if (method === 'PATCH') {
      if (!this.ref(repo, ref))
        return [422, { message: 'Reference does not exist', documentation_url: DOCS }];
      if (this.lockedBy(repo, ref))
        return invalid(`${ref} belongs to an immutable release and cannot be changed`, 'ref', 'Reference');
      if (!/^[0-9a-f]{40}$/.test(sha)) return invalid('sha must be a full commit SHA', 'sha', 'Reference');
      // GitHub refuses a move that is not a fast-forward unless `force` is set; this stand-in has no commit
      // graph to tell, so it takes every move (the release workflow always sends force: true for v1).
      this.pushRef(repo, ref, sha);
      this.events.push({ kind: 'ref-updated', name: ref, sha });
      return [200, { ref, object: { sha, type: 'commit' } }];
    }
    return notFound;
  }

  private present(r: StoredRelease, baseUrl: string) {
    const { repo, ...rest } = r;
    return {
      ...rest,
      url: `${baseUrl}/repos/${repo}/releases/${r.id}`,
      html_url: `https://github.com/${repo}/releases/${r.draft ? `untagged-${r.id}` : `tag/${r.tag_name}`}`,
      upload_url: `${baseUrl}/repos/${repo}/releases/${r.id}/assets{?name,label}`,
      assets: [],
    };
  }

  private releasesRoute(
    repo: string,
    method: string,
    rest: string,
    body: Record<string, unknown>,
    baseUrl: string,
  ): Answer {
    const mine = this.releases.filter((r) => r.repo === repo);
    if (method === 'GET' && rest === 'latest') {
      const latest = mine
        .filter((r) => !r.draft && !r.prerelease)
        .sort((a, b) => String(b.published_at).localeCompare(String(a.published_at)) || b.id - a.id)[0];
      return latest ? [200, this.present(latest, baseUrl)] : notFound;
    }
    if (method === 'GET' && rest.startsWith('tags/')) {
      const found = mine.find((r) => !r.draft && r.tag_name === rest.slice('tags/'.length));
      return found ? [200, this.present(found, baseUrl)] : notFound;
    }
    if (method === 'GET' && rest === '')
      return [200, [...mine].reverse().map((r) => this.present(r, baseUrl))];
    if (method === 'POST' && rest === '') return this.create(repo, body, baseUrl);
    const release = mine.find((r) => String(r.id) === rest);
    if (!release) return notFound;
    if (method === 'GET') return [200, this.present(release, baseUrl)];
    if (method === 'PATCH') return this.edit(release, body, baseUrl);
    return notFound;
  }

  private create(repo: string, body: Record<string, unknown>, baseUrl: string): Answer {
    const tag = typeof body.tag_name === 'string' ? body.tag_name : '';
    if (!tag) return invalid('tag_name is required', 'tag_name');
    if (this.burned.has(this.key(repo, tag)))
      return invalid('tag_name was used by an immutable release', 'tag_name');
    if (this.releases.some((r) => r.repo === repo && r.tag_name === tag && !r.draft))
      return [
        422,
        {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
          documentation_url: DOCS,
        },
      ];
    const release: StoredRelease = {
      id: this.nextId++,
      repo,
      tag_name: tag,
      target_commitish: typeof body.target_commitish === 'string' ? body.target_commitish : 'main',
      name: typeof body.name === 'string' ? body.name : tag,
      body: typeof body.body === 'string' ? body.body : '',
      draft: body.draft === true,
      prerelease: body.prerelease === true,
      immutable: false,
      created_at: new Date().toISOString(),
      published_at: null,
    };
    this.releases.push(release);
    this.events.push({ kind: 'release-created', name: tag });
    if (!release.draft) {
      const failed = this.publish(release);
      if (failed) return failed;
    }
    return [201, this.present(release, baseUrl)];
  }

  /** Publishing creates the tag (at target_commitish when it does not exist yet) and, with the setting on, locks it. */
  private publish(release: StoredRelease): Answer | undefined {
    const ref = `refs/tags/${release.tag_name}`;
    if (!this.ref(release.repo, ref)) {
      if (!/^[0-9a-f]{40}$/.test(release.target_commitish))
        return invalid('target_commitish must be a commit SHA here', 'target_commitish');
      this.pushRef(release.repo, ref, release.target_commitish);
    }
    release.draft = false;
    release.published_at = new Date().toISOString();
    release.immutable = this.immutable;
    if (release.immutable) this.burned.add(this.key(release.repo, release.tag_name));
    this.events.push({ kind: 'release-published', name: release.tag_name, sha: this.ref(release.repo, ref) });
    return undefined;
  }

  private edit(release: StoredRelease, body: Record<string, unknown>, baseUrl: string): Answer {
    if (release.immutable) {
      // Only the title, the notes, prerelease and latest can change on an immutable release.
      const locked = ['tag_name', 'target_commitish', 'draft'].filter(
        (k) => k in body && body[k] !== (release as unknown as Record<string, unknown>)[k],
      );
      if (locked.length)
        return invalid(`Cannot modify ${locked.join(', ')} of an immutable release`, locked[0]);
    }
    if (typeof body.name === 'string') release.name = body.name;
    if (typeof body.body === 'string') release.body = body.body;
    if (typeof body.prerelease === 'boolean') release.prerelease = body.prerelease;
    if (typeof body.target_commitish === 'string' && release.draft)
      release.target_commitish = body.target_commitish;
    if (body.draft === true && !release.draft) {
      release.draft = true;
      release.published_at = null;
    }
    if (body.draft !== false) this.events.push({ kind: 'release-edited', name: release.tag_name });
    if (body.draft === false && release.draft) {
      const failed = this.publish(release);
      if (failed) return failed;
    }
    return [200, this.present(release, baseUrl)];
  }

  private attestationsRoute(
    repo: string,
    method: string,
    rest: string,
    body: Record<string, unknown>,
  ): Answer {
    if (method === 'POST' && rest === '') {
      const bundle = body.bundle as { dsseEnvelope?: { payload?: string } } | undefined;
      let statement: { subject?: Array<{ digest?: { sha256?: string } }>; predicateType?: string };
      try {
        statement = JSON.parse(
          Buffer.from(String(bundle?.dsseEnvelope?.payload ?? ''), 'base64').toString('utf8'),
        );
      } catch {
        return invalid('bundle must hold a DSSE envelope with an in-toto statement', 'bundle', 'Attestation');
      }
      const subjects = (statement.subject ?? []).map((s) => `sha256:${s.digest?.sha256 ?? ''}`);
      if (!subjects.length || subjects.some((s) => !/^sha256:[0-9a-f]{64}$/.test(s)))
        return invalid('the statement needs subjects with sha256 digests', 'bundle', 'Attestation');
      const attestation: StoredAttestation = {
        id: this.nextId++,
        repo,
        subjects,
        predicateType: String(statement.predicateType ?? ''),
        bundle,
      };
      this.attestations.push(attestation);
      this.events.push({ kind: 'attested', name: `${subjects.length} subjects` });
      return [201, { id: attestation.id }];
    }
    if (method === 'GET' && /^sha256:[0-9a-f]{64}$/.test(rest)) {
      const found = this.attestations.filter((a) => a.repo === repo && a.subjects.includes(rest));
      return [200, { attestations: found.map((a) => ({ bundle: a.bundle, repository_id: 1 })) }];
    }
    return notFound;
  }
}
