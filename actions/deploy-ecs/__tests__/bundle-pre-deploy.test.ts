import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RdsLocal, startRdsLocal } from '@slipway/ecs-local';
import { type ActionRun, describeWithInfra, runBundle } from '@slipway/testing';
import { CREDENTIALS, container, Fixture, uniqueName } from './ecs-local-fixture';

const action = join(__dirname, '..');
const dist = join(action, 'dist');
jest.setTimeout(120_000);

/** The dist chunk that carries a client, found by what it holds (ncc numbers chunks, not names). */
const chunkWith = (text: string) =>
  readdirSync(dist).find(
    (f) => f.endsWith('.index.js') && f !== 'index.js' && readFileSync(join(dist, f), 'utf8').includes(text),
  );

describeWithInfra('deploy-ecs bundle: pre-deploy and backup as the runner runs them', () => {
  const fx = new Fixture();
  let rds: RdsLocal;
  const dir = mkdtempSync(join(tmpdir(), 'deploy-ecs-probe-'));
  const probe = join(dir, 'probe.cjs');
  const runs: ActionRun[] = [];
  beforeAll(async () => {
    writeFileSync(
      probe,
      // The main step and the post step are two processes: each writes what it loaded to a file of its own.
      "process.on('exit', () => require('fs').writeFileSync(`${process.env.PROBE_OUT}.${process.pid}`, JSON.stringify(Object.keys(require.cache))));\n",
    );
    await fx.start();
    rds = await startRdsLocal();
  });
  afterAll(async () => {
    for (const r of runs) rmSync(r.dirs.root, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    await rds?.close();
    await fx.stop();
  });

  async function bundle(inputs: Record<string, string>, out: string) {
    fx.resetFiles();
    rds.calls.length = 0;
    const run = await runBundle({
      action,
      inputs: { 'poll-interval': '200ms', ...inputs },
      env: {
        ...CREDENTIALS,
        AWS_ENDPOINT_URL_ECS: fx.ecs.url,
        AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fx.ecs.url,
        AWS_ENDPOINT_URL_RDS: rds.url,
        NODE_OPTIONS: `--require ${probe}`,
        PROBE_OUT: join(dir, out),
      },
    });
    runs.push(run);
    const loaded = readdirSync(dir)
      .filter((f) => f.startsWith(`${out}.`))
      .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as string[])
      .map((p) => p.split('/').pop());
    return { run, loaded };
  }

  it('a migration that exits 1: the step fails before UpdateService with its log lines; the RDS client is never loaded', async () => {
    const name = uniqueName('bundle-migrate');
    const def = (release: string) => ({
      family: name,
      networkMode: 'bridge' as const,
      containerDefinitions: [
        {
          ...container('web'),
          environment: [{ name: 'RELEASE', value: release }],
          logConfiguration: {
            logDriver: 'awslogs' as const,
            options: { 'awslogs-group': `/ecs/${name}`, 'awslogs-stream-prefix': 'app' },
          },
        },
      ],
    });
    const first = await fx.register(def('1'));
    await fx.service(name, first);
    const { run, loaded } = await bundle(
      {
        service: name,
        'task-definition': fx.writeJson(`${name}.json`, def('2')),
        'pre-deploy-command': 'echo "schema check failed on $RELEASE"; exit 1',
      },
      'migrate.json',
    );
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^ECS deploy failed: the pre-deploy task failed \(exit code 1; .*Last lines: schema check failed on 2$/,
      ),
    ]);
    expect(run.outputs).toMatchObject({ status: 'failed', 'pre-deploy-exit-code': '1' });
    expect(run.summary).toContain('schema check failed on 2');
    expect(fx.ecs.calls).not.toContain('AmazonEC2ContainerServiceV20141113.UpdateService');
    expect((await fx.describe(name)).taskDefinition).toBe(first);
    expect(loaded).toContain(chunkWith('GetLogEventsCommand'));
    expect(loaded).not.toContain(chunkWith('CreateDBSnapshotCommand'));
    expect(run.stdout + run.stderr + run.summary).not.toContain(CREDENTIALS.AWS_SECRET_ACCESS_KEY);
  });

  it('keep-backups: -1 is one input error naming it: no ECS or RDS call, no client loaded', async () => {
    const { run, loaded } = await bundle(
      { service: 'web', backup: 'instance:orders-db', 'keep-backups': '-1' },
      'bad.json',
    );
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(/^Input "keep-backups" must be a whole number from 1 to 100/),
    ]);
    expect(fx.ecs.calls).toEqual([]);
    expect(rds.calls).toEqual([]);
    expect(loaded).not.toContain(chunkWith('CreateDBSnapshotCommand'));
    expect(loaded).not.toContain(chunkWith('GetLogEventsCommand'));
  });
});
