import type { HostPreDeploy } from '../src';
import { PRE_DEPLOY_STARTED, preDeployOnHost, readPreDeploy } from '../src/compose-fleet/host-pre-deploy';
import { registerSecret } from '../src/secrets';
import { RemoteCommandError, type RemoteResult } from '../src/ssh/ssh-session';

// What the pre-deploy phase (pre-deploy.sh) returns, read without a host: the marker, then the container's output.
const result = (code: number, stdout: string, extra: Partial<RemoteResult> = {}): RemoteResult => ({
  code,
  stdout,
  stderr: '',
  timedOut: false,
  ...extra,
});

describe('the pre-deploy hook on one host: its exit code and last lines', () => {
  it('reads the lines after the marker, masked (registered secrets, URL passwords), and the exit code', () => {
    registerSecret('pre-deploy-s3cret');
    const out = `lock renewed\n${PRE_DEPLOY_STARTED}\nmigrating\nto postgres://app:pw@db/shop\ntoken pre-deploy-s3cret\n`;
    expect(readPreDeploy(result(3, out))).toEqual({
      status: 'failed',
      exitCode: 3,
      lines: ['migrating', 'to postgres://***@db/shop', 'token ***'],
    });
    expect(readPreDeploy(result(0, `${PRE_DEPLOY_STARTED}\r\nok\r\n`))).toEqual({
      status: 'succeeded',
      exitCode: 0,
      lines: ['ok'],
    });
  });

  it('stopped at command-timeout: timed-out, no exit code, the lines so far', () => {
    expect(readPreDeploy(result(143, `${PRE_DEPLOY_STARTED}\nstep 1\n`, { timedOut: true }))).toEqual({
      status: 'timed-out',
      lines: ['step 1'],
    });
  });

  it('a phase that failed before the container ran (no marker) is not a pre-deploy outcome', () => {
    expect(readPreDeploy(result(1, ''))).toBeUndefined();
  });

  it('a failing container: reported with its last 30 lines, logged, and the error ends with the last 5', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    const log: string[] = [];
    const reported: HostPreDeploy[] = [];
    const exec = async () => result(3, `${PRE_DEPLOY_STARTED}\n${lines.join('\n')}\n`);
    const pre = { service: 'web', command: 'bin/migrate' };
    const error = await preDeployOnHost('deploy@h1', pre, exec, {
      log: (l) => log.push(l),
      report: (r) => reported.push(r),
      now: () => 1000,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RemoteCommandError);
    expect((error as Error).message).toBe(
      'the pre-deploy hook on deploy@h1 exited with code 3:\nline 36\nline 37\nline 38\nline 39\nline 40',
    );
    expect(reported).toEqual([
      { ...pre, status: 'failed', exitCode: 3, lastLines: lines.slice(10), durationMs: 0 },
    ]);
    expect(log).toHaveLength(40);
    expect(log[0]).toBe('deploy@h1: [pre-deploy] line 1');
  });

  it('a succeeding container is reported with exit code 0 and does not throw', async () => {
    const reported: HostPreDeploy[] = [];
    const exec = async () => result(0, `${PRE_DEPLOY_STARTED}\ndone\n`);
    await preDeployOnHost('h1', { service: 'web', command: 'true' }, exec, {
      log: () => {},
      report: (r) => reported.push(r),
    });
    expect(reported).toMatchObject([{ status: 'succeeded', exitCode: 0, lastLines: ['done'] }]);
  });

  it('the phase failing before the container ran throws its own error and reports nothing', async () => {
    const reported: HostPreDeploy[] = [];
    const exec = async () => result(1, '', { stderr: 'the deploy lock is no longer ours' });
    const error = await preDeployOnHost('h1', { service: 'web', command: 'true' }, exec, {
      log: () => {},
      report: (r) => reported.push(r),
    }).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'the pre-deploy hook on h1 exited with code 1:\nthe deploy lock is no longer ours',
    );
    expect(reported).toEqual([]);
  });
});

describe('the pre-deploy hook: a container that said nothing and failed', () => {
  it("shows Compose's own error (masked) as its last lines", async () => {
    const reported: HostPreDeploy[] = [];
    const exec = async () =>
      result(1, `${PRE_DEPLOY_STARTED}\n`, { stderr: 'pull access denied for https://u:pw@reg/x\n' });
    const error = await preDeployOnHost('h1', { service: 'web', command: 'true' }, exec, {
      log: () => {},
      report: (r) => reported.push(r),
    }).catch((e: Error) => e);
    expect(reported[0].lastLines).toEqual(['pull access denied for https://***@reg/x']);
    expect((error as Error).message).toBe(
      'the pre-deploy hook on h1 exited with code 1:\npull access denied for https://***@reg/x',
    );
  });
});
