// What the release workflow runs against in a test: a small git repository shaped as this one (npm workspaces
// under actions/, each with a build that writes its dist/, committed; this repository's own check-dist.sh and
// release.sh), github-local answering refs, releases and attestations, and stand-ins for the third-party
// actions: checkout (a clone of that repository at the run's commit, history and tags included), setup-node
// (the machine's node) and attest-build-provenance (the statement it signs, posted to the attestations API as
// the real action does; no Sigstore signature here, and the bundle says so).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import { repoRoot } from '@slipway/testing';
import {
  type ActionStandIn,
  runWorkflow,
  type StepOutcome,
  type WorkflowResult,
} from '@slipway/workflow-runner';

export const REPOSITORY = 'acme/slipway';
const TOKEN = 'ghs_releaseTestTOKEN0123456789abcdef';

const BUILD = `const fs = require('node:fs');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/index.js', '// built\\n' + fs.readFileSync('src.txt', 'utf8'));
`;

export interface ReleaseWorld {
  github: GitHubLocal;
  /** The test repository's folder (its history is what checkout clones). */
  dir: string;
  /** Commits `files` (path → content; `dist` rebuilt unless `stale`) with `message`; returns the commit. */
  commit(message: string, files?: Record<string, string>, options?: { stale?: boolean }): string;
  /** Publishes `tag` at `sha` as the last release (immutable) and points `major` at it, as a past run did. */
  released(tag: string, sha: string, major: string): Promise<void>;
  run(sha: string, trigger: { version: string } | { tag: string }): Promise<WorkflowResult>;
  close(): Promise<void>;
}

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@local', ...args], { cwd: dir })
    .toString()
    .trim();

export async function createReleaseWorld(options: { immutableReleases: boolean }): Promise<ReleaseWorld> {
  const github = await startGitHubLocal({ token: TOKEN, immutableReleases: options.immutableReleases });
  const dir = mkdtempSync(join(tmpdir(), 'slipway-release-'));
  mkdirSync(join(dir, 'scripts'));
  for (const script of ['check-dist.sh', 'release.sh'])
    copyFileSync(join(repoRoot, 'scripts', script), join(dir, 'scripts', script));
  // `npm test` of this repository: fails while a file named FAIL_TESTS exists.
  const test = `node -e "process.exit(require('fs').existsSync('FAIL_TESTS') ? 1 : 0)"`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'fixture', private: true, workspaces: ['actions/*'], scripts: { test } }),
  );
  for (const action of ['smoke-test', 'rollback']) {
    const folder = join(dir, 'actions', action);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'package.json'),
      JSON.stringify({ name: action, scripts: { build: 'node build.js' } }),
    );
    writeFileSync(join(folder, 'build.js'), BUILD);
    writeFileSync(join(folder, 'src.txt'), `${action} 1\n`);
  }
  git(dir, 'init', '-q', '-b', 'main');
  const build = () => {
    for (const action of readdirSync(join(dir, 'actions')))
      execFileSync('node', ['build.js'], { cwd: join(dir, 'actions', action) });
  };

  const checkout: ActionStandIn = (_inputs, { workspace, github: context }) => {
    git(workspace, 'clone', '-q', dir, '.');
    git(workspace, 'checkout', '-q', String(context.sha));
    return { outcome: 'success', outputs: {}, log: `checked out ${REPOSITORY}@${String(context.sha)}` };
  };
  const attest: ActionStandIn = async (inputs, { workspace }): Promise<StepOutcome> => {
    const patterns = inputs['subject-path']
      .split(/\n|,/)
      .map((p) => p.trim())
      .filter(Boolean);
    const subject = files(workspace)
      .filter((file) => patterns.some((p) => globToRegExp(p).test(file)))
      .map((name) => ({ name, digest: { sha256: sha256(readFileSync(join(workspace, name))) } }));
    if (!subject.length) return { outcome: 'failure', outputs: {}, log: 'no files matched subject-path' };
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject,
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' } },
    };
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      // The stand-in signs nothing: the real action gets a Sigstore certificate for the job's OIDC token.
      verificationMaterial: { standIn: 'unsigned: no Sigstore here' },
      dsseEnvelope: {
        payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
        payloadType: 'application/vnd.in-toto+json',
        signatures: [],
      },
    };
    const res = await fetch(`${github.url}/repos/${REPOSITORY}/attestations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ bundle }),
    });
    const answer = (await res.json()) as { id?: number; message?: string };
    if (res.status !== 201)
      return { outcome: 'failure', outputs: {}, log: `HTTP ${res.status} ${answer.message}` };
    return {
      outcome: 'success',
      outputs: { 'attestation-id': String(answer.id) },
      log: `attested ${subject.length} subjects`,
    };
  };

  return {
    github,
    dir,
    commit(message, changes = {}, { stale = false } = {}) {
      for (const [path, content] of Object.entries(changes)) writeFileSync(join(dir, path), content);
      if (!stale) build();
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '--allow-empty', '-m', message);
      return git(dir, 'rev-parse', 'HEAD');
    },
    async released(tag, sha, major) {
      const store = github.releases;
      const setting = store.immutable;
      store.immutable = true;
      git(dir, 'tag', tag, sha);
      store.pushRef(REPOSITORY, `refs/tags/${major}`, sha);
      // through the API, as the run that released it did
      await fetch(`${github.url}/repos/${REPOSITORY}/releases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tag_name: tag, target_commitish: sha }),
      });
      store.immutable = setting;
      store.events.length = 0;
    },
    run(sha, trigger) {
      const push = 'tag' in trigger;
      return runWorkflow({
        repoRoot,
        workflow: '.github/workflows/release.yml',
        eventName: push ? 'push' : 'workflow_dispatch',
        inputs: push ? {} : { version: trigger.version },
        github: {
          sha,
          ref: push ? `refs/tags/${trigger.tag}` : 'refs/heads/main',
          ref_name: push ? trigger.tag : 'main',
          repository: REPOSITORY,
          repository_owner: 'acme',
          token: TOKEN,
        },
        env: { GITHUB_API_URL: github.url },
        standIns: {
          'actions/checkout': checkout,
          'actions/setup-node': () => ({ outcome: 'success', outputs: {}, log: 'node from the machine' }),
          'actions/attest-build-provenance': attest,
        },
      });
    },
    async close() {
      await github.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export const fileDigest = (dir: string, path: string) => `sha256:${sha256(readFileSync(join(dir, path)))}`;

/** Every file under `root` but .git, as paths relative to it. */
function files(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.name === '.git') return [];
    return entry.isDirectory() ? files(root, path) : [relative(root, path)];
  });
}

/** The glob forms subject-path uses here: `*` within one folder, `**` across folders. */
function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`);
}
