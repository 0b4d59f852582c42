import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeWithInfra, repoRoot, runBundle } from '@slipway/testing';
import {
  type ActionTable,
  type BadInput,
  buildPush,
  deployCompose,
  deployEcs,
  rollback,
  smokeTest,
} from './bad-input-tables';
import { type Sentinels, type Snapshot, startSentinels } from './sentinels';

// Every action's committed bundle, run as the runner runs it, with a bad value in one input at a time: the step
// must fail with one error that names the input and says what it accepts, and nothing may happen anywhere
// before that (no AWS, GitHub or SSH connection, no docker command, nothing pushed, no injected command run).
// One test runs a whole table (up to ~80 bundle runs): generous, as the shared machine may be busy.
jest.setTimeout(600_000);

describeWithInfra('bad inputs: a clear error and no side effect', (infra) => {
  let s: Sentinels;
  const workspaces: string[] = [];
  beforeAll(async () => {
    s = await startSentinels();
  });
  afterAll(async () => {
    await s.close();
    for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
  });

  function workspaceFor(table: ActionTable): string {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-bad-inputs-'));
    workspaces.push(dir);
    for (const [path, text] of Object.entries(table.workspace ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    for (const [path, target] of Object.entries(table.links ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      symlinkSync(target, join(dir, path));
    }
    for (const [path, bytes] of Object.entries(table.bigFiles ?? {})) {
      writeFileSync(join(dir, path), '');
      truncateSync(join(dir, path), bytes);
    }
    return dir;
  }

  async function runCase(table: ActionTable, workspace: string, row?: BadInput) {
    const inputs = { ...table.base, ...row?.with, ...(row ? { [row.input]: row.value } : {}) };
    if (!row && table.action.endsWith('build-push')) inputs.ecr = 'true';
    const run = await runBundle({
      action: join(repoRoot, table.action),
      inputs,
      env: { ...s.env, ...table.env, ...row?.env },
      githubToken: 'ghs_reliabilitySuiteToken0000000000000',
      dirs: { workspace },
      timeoutMs: 45_000,
    });
    rmSync(run.dirs.root, { recursive: true, force: true });
    return run;
  }

  /** What changed in the world between two snapshots, by watcher. */
  function changes(before: Snapshot, after: Snapshot) {
    return {
      aws: after.awsRequests - before.awsRequests,
      github: after.githubRequests - before.githubRequests,
      http: after.httpRequests - before.httpRequests,
      ssh: after.sshConnections - before.sshConnections,
      docker: after.dockerCalls.slice(before.dockerCalls.length),
      registry: after.registryRepositories,
      injectedFile: after.injectedFileExists,
      canaryDeleted: !after.canaryExists,
    };
  }
  const NOTHING = {
    aws: 0,
    github: 0,
    http: 0,
    ssh: 0,
    docker: [],
    registry: [],
    injectedFile: false,
    canaryDeleted: false,
  };

  describe.each([
    ['build-push', () => buildPush(s)],
    ['deploy-ecs', () => deployEcs(s)],
    ['deploy-compose', () => deployCompose(s, infra)],
    ['smoke-test', () => smokeTest(s)],
    ['rollback', () => rollback(s, infra)],
  ])('%s', (_name, table) => {
    it('the control run with valid inputs reaches the watchers (so the watchers can see)', async () => {
      const t = table();
      const before = await s.snapshot();
      await runCase(t, workspaceFor(t));
      const seen = changes(before, await s.snapshot());
      for (const watcher of t.control) expect({ [watcher]: seen[watcher] > 0 }).toEqual({ [watcher]: true });
    });

    it('refuses every bad value, naming the input and what it accepts, with no side effect', async () => {
      const t = table();
      const workspace = workspaceFor(t);
      const failures: string[] = [];
      for (const row of t.rows) {
        const before = await s.snapshot();
        const run = await runCase(t, workspace, row);
        const seen = changes(before, await s.snapshot());
        const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
        const label = `${row.input} (${row.kind}) = ${JSON.stringify(row.value)}`;
        const problems = [
          run.exitCode !== 1 && `exit code ${run.exitCode}`,
          errors.length !== 1 && `${errors.length} errors`,
          errors[0] && !errors[0].includes(`"${row.input}"`) && 'the error does not name the input',
          errors[0] && !row.accepts.test(errors[0]) && `the error does not say ${row.accepts}`,
          JSON.stringify(seen) !== JSON.stringify(NOTHING) && `side effects ${JSON.stringify(seen)}`,
          run.post && run.post.exitCode !== 0 && `post step exit ${run.post.exitCode}`,
        ].filter(Boolean);
        if (problems.length)
          failures.push(`${label}: ${problems.join('; ')}\n    error: ${errors.join(' | ')}`);
      }
      expect(failures).toEqual([]);
    });
  });
});
