// .github/workflows/release.yml run as written through the workflow runner, against github-local answering refs,
// tags, releases (with the immutable flag) and the attestations API as GitHub does: the order of what it
// publishes, and that nothing is published when a check fails.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@slipway/testing';
import { loadWorkflow } from '@slipway/workflow-runner';
import { createReleaseWorld, fileDigest, REPOSITORY, type ReleaseWorld } from './release/release-world';

const failedSteps = (result: Awaited<ReturnType<ReleaseWorld['run']>>) =>
  Object.entries(result.jobs).flatMap(([job, j]) =>
    j.steps
      .filter((s) => s.conclusion === 'failure')
      .map((s) => `${job}/${s.name}: ${s.log.trim().split('\n').at(-1)}`),
  );

const TOKEN = 'ghs_releaseTestTOKEN0123456789abcdef';

describe('release.yml', () => {
  let world: ReleaseWorld;
  let first: string;
  afterEach(async () => {
    await world?.close();
    world = undefined as unknown as ReleaseWorld;
  });

  async function setUp(immutableReleases = true) {
    world = await createReleaseWorld({ immutableReleases });
    first = world.commit('feat: the first release');
    await world.released('v1.0.0', first, 'v1');
  }

  it('tests, attests the bundles, publishes an immutable release with the changelog since the last one, then moves v1', async () => {
    await setUp();
    world.commit('fix: a port that starts with a dash', { 'actions/smoke-test/src.txt': 'smoke-test 2\n' });
    const head = world.commit('feat: a second host\n\nthe body is not in the changelog');
    const result = await world.run(head, { version: '1.1.0' });
    expect({ result: result.result, failed: failedSteps(result) }).toEqual({ result: 'success', failed: [] });

    // the order: attestation, then the release (draft, published), and v1 only once it exists
    expect(world.github.releases.events).toEqual([
      { kind: 'attested', name: '2 subjects' },
      { kind: 'release-created', name: 'v1.1.0' },
      { kind: 'release-published', name: 'v1.1.0', sha: head },
      { kind: 'ref-updated', name: 'refs/tags/v1', sha: head },
    ]);
    const release = world.github.releases.releases.find((r) => r.tag_name === 'v1.1.0');
    expect(release).toMatchObject({ draft: false, immutable: true, target_commitish: head });
    expect(release?.body).toMatch(
      /^## v1\.1\.0\n\nChanges since v1\.0\.0:\n\n### Features\n\n- feat: a second host \([0-9a-f]+\)\n\n### Fixes\n\n- fix: a port that starts with a dash \([0-9a-f]+\)\n$/,
    );
    expect(world.github.releases.ref(REPOSITORY, 'refs/tags/v1.1.0')).toBe(head);
    // what was attested is what the release's commit holds
    const [attestation] = world.github.releases.attestations;
    expect(attestation.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(attestation.subjects.sort()).toEqual(
      [
        fileDigest(world.dir, 'actions/rollback/dist/index.js'),
        fileDigest(world.dir, 'actions/smoke-test/dist/index.js'),
      ].sort(),
    );
    // the tag of an immutable release cannot be moved afterwards, by anyone
    const moved = await fetch(`${world.github.url}/repos/${REPOSITORY}/git/refs/tags/v1.1.0`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ sha: first, force: true }),
    });
    expect(moved.status).toBe(422);
    expect(world.github.releases.ref(REPOSITORY, 'refs/tags/v1.1.0')).toBe(head);
  });

  it('a pushed vX.Y.Z tag releases the commit it names', async () => {
    await setUp();
    const head = world.commit('fix: something');
    world.github.releases.pushRef(REPOSITORY, 'refs/tags/v1.0.1', head);
    const result = await world.run(head, { tag: 'v1.0.1' });
    expect({ result: result.result, failed: failedSteps(result) }).toEqual({ result: 'success', failed: [] });
    expect(world.github.releases.ref(REPOSITORY, 'refs/tags/v1')).toBe(head);
  });

  it.each([
    ['the test command fails', { FAIL_TESTS: '' }, false, 'test/the test command'],
    [
      'a dist/ differs from a fresh build',
      { 'actions/rollback/src.txt': 'rollback 2\n' },
      true,
      'test/every dist/ equals a fresh build',
    ],
  ])('%s: nothing is attested, released or moved', async (_name, files, stale, step) => {
    await setUp();
    const head = world.commit('feat: broken', files as Record<string, string>, { stale });
    const result = await world.run(head, { version: '1.1.0' });
    expect(result.result).toBe('failure');
    expect(failedSteps(result)).toEqual([expect.stringContaining(step)]);
    expect(world.github.releases.events).toEqual([]);
    expect(world.github.releases.ref(REPOSITORY, 'refs/tags/v1')).toBe(first);
    expect(world.github.releases.releases.map((r) => r.tag_name)).toEqual(['v1.0.0']);
  });

  it.each(['1.1', 'v1.1.0-rc.1', '1.1.0\n1.2.0', '1.1.0$(touch pwned)'])(
    'the version %j is refused before anything runs',
    async (version) => {
      await setUp();
      const result = await world.run(world.commit('feat: x'), { version });
      expect(result.jobs.version.result).toBe('failure');
      expect(result.jobs.version.steps[0].log).toMatch(/Input "version" must be X\.Y\.Z/);
      expect(result.jobs.test.result).toBe('skipped');
      expect(world.github.releases.events).toEqual([]);
    },
  );

  it('with release immutability off, the release goes back to a draft, the run fails naming the setting, and v1 stays', async () => {
    await setUp(false);
    const head = world.commit('feat: y');
    const result = await world.run(head, { version: '1.1.0' });
    expect(result.result).toBe('failure');
    expect(failedSteps(result)).toEqual([
      expect.stringMatching(/release\/publish.*Enable release immutability/),
    ]);
    expect(world.github.releases.releases.find((r) => r.tag_name === 'v1.1.0')?.draft).toBe(true);
    expect(result.jobs.major.result).toBe('skipped');
    expect(world.github.releases.ref(REPOSITORY, 'refs/tags/v1')).toBe(first);
  });

  it('a fix of an older line is released but leaves v1 on the newest release', async () => {
    await setUp();
    const newer = world.commit('feat: 1.1');
    await world.released('v1.1.0', newer, 'v1');
    const fix = world.commit('fix: for 1.0 users');
    const result = await world.run(fix, { version: '1.0.1' });
    expect({ result: result.result, failed: failedSteps(result) }).toEqual({ result: 'success', failed: [] });
    expect(world.github.releases.ref(REPOSITORY, 'refs/tags/v1.0.1')).toBe(fix);
    expect(world.github.releases.ref(REPOSITORY, 'refs/tags/v1')).toBe(newer);
  });

  it('on GitHub, where jobs without needs run in parallel, each job waits for the one before it', () => {
    const { jobs } = loadWorkflow(repoRoot, '.github/workflows/release.yml');
    const needs = (id: string): string[] => {
      const direct = ([] as string[]).concat(jobs[id].needs ?? []);
      return [...new Set(direct.flatMap((n) => [n, ...needs(n)]))].sort();
    };
    expect(needs('test')).toEqual(['version']);
    expect(needs('attest')).toEqual(['test', 'version']);
    expect(needs('release')).toEqual(['attest', 'test', 'version']);
    expect(needs('major')).toEqual(['attest', 'release', 'test', 'version']);
    // and no job asks for more than it needs
    expect(
      Object.fromEntries(
        Object.entries(jobs).map(([id, j]) => [id, (j as { permissions?: unknown }).permissions]),
      ),
    ).toEqual({
      version: {},
      test: { contents: 'read' },
      attest: { contents: 'read', 'id-token': 'write', attestations: 'write' },
      release: { contents: 'write' },
      major: { contents: 'write' },
    });
  });

  it.each([
    ['does not exist', false],
    ['is not immutable', true],
  ])('move-major on its own refuses while the release %s: v1 stays', async (_name, publish) => {
    await setUp(false);
    const head = world.commit('feat: z');
    if (publish)
      await fetch(`${world.github.url}/repos/${REPOSITORY}/releases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ tag_name: 'v1.1.0', target_commitish: head }),
      });
    // async: github-local answers from this process, so a blocking child would wait on it forever
    const output = await new Promise<string>((resolve) => {
      execFile(
        'bash',
        [join(repoRoot, 'scripts/release.sh'), 'move-major'],
        {
          env: {
            PATH: process.env.PATH,
            GH_TOKEN: TOKEN,
            GITHUB_API_URL: world.github.url,
            GITHUB_REPOSITORY: REPOSITORY,
            SHA: head,
            TAG: 'v1.1.0',
            MAJOR: 'v1',
          },
        },
        (error, stdout) => resolve(`${error ? 'failed' : 'succeeded'}: ${stdout}`),
      );
    });
    expect(output).toMatch(
      publish
        ? /^failed: .*is not immutable; v1 stays/s
        : /^failed: .*releases\/tags\/v1\.1\.0 answered HTTP 404/s,
    );
    expect(world.github.releases.ref(REPOSITORY, 'refs/tags/v1')).toBe(first);
  });
});
