import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import {
  createDeploymentRecords,
  createGitHubClient,
  type DeploymentRecords,
  InputReader,
  mapInputs,
} from '@slipway/shared';
import { getInputs } from '../src/inputs';
import { run } from '../src/main';
import { FakeEcs } from './fake-ecs';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const dir = mkdtempSync(join(tmpdir(), 'deploy-ecs-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const definition = {
  family: 'app',
  containerDefinitions: [
    { name: 'web', image: 'repo/web:1' },
    { name: 'log', image: 'repo/log:1', essential: false },
  ],
};

interface Setup {
  ecs: FakeEcs;
  warnings: string[];
  outputs: () => Record<string, string>;
  summary: () => string;
  log: string[];
  deploy: (inputs: Record<string, string>) => Promise<void>;
}

let counter = 0;
/** The GitHub Deployments the deploys record into; undefined = no token. */
let records: DeploymentRecords | undefined;
function setup(configure: (ecs: FakeEcs) => void = () => {}): Setup {
  counter++;
  const ecs = new FakeEcs();
  const first = ecs.addDefinition(definition);
  ecs.addService('web', first.taskDefinitionArn!);
  configure(ecs);
  ecs.calls = [];
  const warnings: string[] = [];
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const log: string[] = [];
  const saved = new Map<string, unknown>();
  let clock = Date.now();
  return {
    ecs,
    log,
    warnings,
    outputs: () => outputs,
    summary: () => summaries.join(''),
    deploy: (values) =>
      run(
        getInputs(
          new InputReader(
            mapInputs({ region: 'us-east-1', service: 'web', 'poll-interval': '5s', ...values }),
          ),
        ),
        {
          ecs: () => ecs,
          records: () => records,
          sha: 'c0ffee',
          log: (line) => log.push(line),
          output: (name, value) => {
            outputs[name] = value;
          },
          warning: (message) => warnings.push(message),
          notice: () => undefined,
          summary: async (markdown) => {
            summaries.push(markdown);
          },
          state: { save: (key, value) => saved.set(key, value), get: (key) => saved.get(key) as never },
          now: () => clock,
          sleep: async (ms) => {
            clock += ms;
          },
        },
      ),
  };
}

const ARN1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:1';
const ARN2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:2';
const image = (tag: string) => `web=repo/web-${tag}@${DIGEST}`;

describe('deploy-ecs run() against a fake ECS', () => {
  it('registers the new image, updates the service and waits for COMPLETED', async () => {
    const s = setup();
    await s.deploy({ images: image('good') });
    expect(s.ecs.calls.filter((c) => c !== 'DescribeServices' && c !== 'DescribeTaskDefinition')).toEqual([
      'RegisterTaskDefinition',
      'UpdateService',
    ]);
    expect(s.outputs()).toEqual({
      'task-definition-arn': ARN2,
      'previous-task-definition-arn': ARN1,
      'deployment-id': 'ecs-svc/web-1',
      status: 'succeeded',
      'rolled-back': 'false',
      reason: expect.stringMatching(/^ECS reports the deployment COMPLETED/),
      'started-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(s.summary()).toContain(
      `| \`containerDefinitions[web].image\` | repo/web:1 | repo/web-good@${DIGEST} |`,
    );
    expect(s.summary()).toContain('has reached a steady state.');
    expect(s.log).toContain('web: ecs-svc/web-1 IN_PROGRESS: 0/2 running, 0 pending');
  });

  it('returns once the deployment started with wait: false', async () => {
    const s = setup();
    await s.deploy({ images: image('bad'), wait: 'false' });
    expect(s.outputs()).toMatchObject({
      status: 'started',
      'deployment-id': 'ecs-svc/web-1',
      'rolled-back': 'false',
    });
    expect(s.ecs.calls.filter((c) => c === 'DescribeServices')).toHaveLength(1); // the look-up, no poll
  });

  it('registers nothing and updates nothing when the definition did not change', async () => {
    const s = setup();
    await s.deploy({ environment: '' });
    expect(s.ecs.calls).not.toContain('RegisterTaskDefinition');
    expect(s.ecs.calls).not.toContain('UpdateService');
    expect(s.outputs()).toMatchObject({
      status: 'unchanged',
      'task-definition-arn': ARN1,
      'deployment-id': '',
    });
  });

  it('reuses an equal registered revision and deploys an ARN as it is', async () => {
    const s = setup((ecs) =>
      ecs.addDefinition({ ...definition, containerDefinitions: [{ name: 'web', image: 'repo/web:2' }] }),
    );
    await s.deploy({ 'task-definition': ARN2 });
    expect(s.ecs.calls).not.toContain('RegisterTaskDefinition');
    expect(s.outputs()).toMatchObject({ status: 'succeeded', 'task-definition-arn': ARN2 });
  });

  it('registers a new revision of an unchanged definition with force-new-deployment', async () => {
    const s = setup();
    await s.deploy({ 'force-new-deployment': 'true' });
    expect(s.ecs.calls).toContain('RegisterTaskDefinition');
    expect(s.outputs()).toMatchObject({ status: 'succeeded', 'task-definition-arn': ARN2 });
  });

  it('reports an ECS circuit-breaker rollback as rolled-back, a failure, without rolling back again', async () => {
    const s = setup((ecs) => {
      ecs.services.get('web')!.deploymentConfiguration = {
        deploymentCircuitBreaker: { enable: true, rollback: true },
      };
    });
    await expect(s.deploy({ images: image('bad') })).rejects.toThrow(
      /^ECS deploy rolled-back: web rolled-back \(ECS deployment circuit breaker: tasks failed to start\.; ECS rolls the service back to .*app:1\)/,
    );
    expect(s.ecs.calls.filter((c) => c === 'UpdateService')).toHaveLength(1);
    expect(s.outputs()).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
    expect(s.summary()).toContain(
      'EssentialContainerExited - Essential container in task exited | web: exit 3 (boom)',
    );
  });

  it('passes on an ECS rollback with fail-on-ecs-rollback: false', async () => {
    const s = setup((ecs) => {
      ecs.services.get('web')!.deploymentConfiguration = {
        deploymentCircuitBreaker: { enable: true, rollback: true },
      };
    });
    await s.deploy({ images: image('bad'), 'fail-on-ecs-rollback': 'false' });
    expect(s.outputs()).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
  });

  it('rolls back itself when the deployment failed and ECS did not', async () => {
    const s = setup();
    await expect(s.deploy({ images: image('bad') })).rejects.toThrow(
      /web failed .*rolled back to .*app:1: succeeded/,
    );
    const updates = s.ecs.calls.filter((c) => c === 'UpdateService');
    expect(updates).toHaveLength(2);
    expect(s.ecs.services.get('web')!.taskDefinition).toBe(ARN1);
    expect(s.outputs()).toMatchObject({ status: 'failed', 'rolled-back': 'true' });
    expect(s.summary()).toContain('our rollback: succeeded');
  });

  it('does not roll back again when ECS tried to roll back and failed', async () => {
    const s = setup();
    const update = s.ecs.updateService.bind(s.ecs);
    s.ecs.updateService = async (input) => ({ ...(await update(input)), currentServiceDeployment: 'arn:sd' });
    s.ecs.describeServiceDeployment = async (arn) => ({
      serviceDeploymentArn: arn,
      status: 'ROLLBACK_FAILED',
      statusReason: 'no capacity',
    });
    await expect(s.deploy({ images: image('good') })).rejects.toThrow(
      /web failed \(ECS tried to roll the deployment back and that failed: no capacity\)/,
    );
    expect(s.ecs.calls.filter((c) => c === 'UpdateService')).toHaveLength(1);
    expect(s.log).toContain('web: ECS already tried to roll back; not rolling back again.');
  });

  it('leaves a failed deployment alone with rollback-on-failure: false', async () => {
    const s = setup();
    await expect(s.deploy({ images: image('bad'), 'rollback-on-failure': 'false' })).rejects.toThrow(
      /web failed/,
    );
    expect(s.ecs.calls.filter((c) => c === 'UpdateService')).toHaveLength(1);
    expect(s.outputs()).toMatchObject({ status: 'failed', 'rolled-back': 'false' });
  });

  it('times out at wait-timeout with what it last saw, then rolls back', async () => {
    const s = setup();
    (s.ecs as unknown as { fate: () => string }).fate = () => 'stuck';
    await expect(s.deploy({ images: image('slow'), 'wait-timeout': '1m' })).rejects.toThrow(
      /web timed-out \(ECS had not finished the deployment when wait-timeout ran out; last seen: IN_PROGRESS: 0\/2 running/,
    );
    expect(s.outputs().status).toBe('timed-out');
    // 1m at 5s a poll: the first poll, 12 more, and the rollback's own timeout.
    expect(s.ecs.calls.filter((c) => c === 'DescribeServices').length).toBeGreaterThanOrEqual(13);
  });

  it('asks ECS less often after the first 2 minutes of a deployment where nothing moves', async () => {
    const s = setup();
    (s.ecs as unknown as { fate: () => string }).fate = () => 'stuck';
    await expect(
      s.deploy({ images: image('slow'), 'wait-timeout': '10m', 'rollback-on-failure': 'false' }),
    ).rejects.toThrow(/web timed-out/);
    expect(s.log).toContain(
      'web: waiting up to 10m00s for ECS, asking every 5.0s (less often, up to every 30.0s, while nothing moves).',
    );
    // 24 polls in the first 2 minutes (every 5s), 5 more by 3m01s (7.5s .. 25.3s apart), 13 every 30s, and the
    // last at the deadline; at a fixed 5s it was 121.
    const polls = s.ecs.calls.filter((c) => c === 'DescribeServices').length - 1; // the look-up
    expect(polls).toBe(43);
  });

  it('reports superseded when another deployment starts after ours, and does not roll it back', async () => {
    const s = setup();
    const update = s.ecs.updateService.bind(s.ecs);
    let polls = 0;
    const describe = s.ecs.describeServices.bind(s.ecs);
    s.ecs.describeServices = async (cluster, names) => {
      if (s.ecs.calls.includes('UpdateService') && ++polls === 1) {
        await update({ service: 'web', taskDefinition: ARN1 }); // someone else's deploy
      }
      return describe(cluster, names);
    };
    await expect(s.deploy({ images: image('good') })).rejects.toThrow(
      /web superseded \(deployment ecs-svc\/web-2/,
    );
    expect(s.ecs.calls.filter((c) => c === 'UpdateService')).toHaveLength(2);
    expect(s.outputs()).toMatchObject({ status: 'superseded', 'rolled-back': 'false' });
  });

  it('keeps waiting through throttling', async () => {
    const s = setup();
    const update = s.ecs.updateService.bind(s.ecs);
    s.ecs.updateService = async (input) => {
      const out = await update(input);
      const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      s.ecs.failNext.DescribeServices = [throttled(), throttled(), throttled()];
      return out;
    };
    await s.deploy({ images: image('good') });
    expect(s.outputs().status).toBe('succeeded');
    expect(s.log.filter((l) => l.includes('polling ECS failed (ThrottlingException)'))).toHaveLength(3);
  });

  it('ends the wait on a permission error, as itself', async () => {
    const s = setup();
    const update = s.ecs.updateService.bind(s.ecs);
    s.ecs.updateService = async (input) => {
      const out = await update(input);
      s.ecs.failNext.DescribeServices = [new Error('Access denied on ecs:DescribeServices')];
      return out;
    };
    await expect(s.deploy({ images: image('good') })).rejects.toThrow(
      'Access denied on ecs:DescribeServices',
    );
  });

  it('deploys one revision to two services and follows both', async () => {
    const s = setup((ecs) => ecs.addService('api', ARN1));
    await s.deploy({ service: '', services: 'web\napi', images: image('good') });
    expect(s.ecs.calls.filter((c) => c === 'RegisterTaskDefinition')).toHaveLength(1);
    expect(s.ecs.calls.filter((c) => c === 'UpdateService')).toHaveLength(2);
    expect(s.outputs()).toMatchObject({
      status: 'succeeded',
      'deployment-id': 'ecs-svc/web-1,ecs-svc/api-1',
      'previous-task-definition-arn': `${ARN1},${ARN1}`,
    });
  });

  it.each([true, false])(
    'with several services, one not succeeding takes the others back (rollback-on-failure: %s)',
    async (rollbackOnFailure) => {
      const s = setup((ecs) => ecs.addService('api', ARN1));
      const update = s.ecs.updateService.bind(s.ecs);
      const describe = s.ecs.describeServices.bind(s.ecs);
      let taken = false;
      s.ecs.describeServices = async (cluster, names) => {
        if (!taken && names[0] === 'api' && s.ecs.calls.filter((c) => c === 'UpdateService').length >= 2) {
          taken = true;
          await update({ service: 'api', taskDefinition: ARN1 }); // someone else's deploy of api
        }
        return describe(cluster, names);
      };
      const error = await s
        .deploy({
          service: '',
          services: 'web\napi',
          images: image('good'),
          'rollback-on-failure': String(rollbackOnFailure),
        })
        .catch((e: Error) => e);
      expect(s.outputs().status).toBe('superseded');
      const updates = s.ecs.calls.filter((c) => c === 'UpdateService').length;
      if (rollbackOnFailure) {
        expect((error as Error).message).toMatch(
          /api superseded .*; rolled back with them: web \(succeeded\)$/,
        );
        expect(s.ecs.services.get('web')!.taskDefinition).toBe(ARN1);
        expect(updates).toBe(4); // web, api, someone else's api, web's rollback; the superseded api is theirs
        expect(s.outputs()).toMatchObject({ 'rolled-back': 'true' });
        expect(s.outputs().reason).toMatch(
          /^web: .*; rolled back to .*app:1 because api superseded: succeeded/,
        );
      } else {
        expect((error as Error).message).not.toMatch(/rolled back with them/);
        expect(s.ecs.services.get('web')!.taskDefinition).toBe(ARN2);
        expect(updates).toBe(3);
      }
    },
  );

  it.each([true, false])(
    'UpdateService refused for one service: the others this run moved go back, each service reported (wait: %s)',
    async (wait) => {
      const s = setup((ecs) => ecs.addService('api', ARN1));
      const update = s.ecs.updateService.bind(s.ecs);
      s.ecs.updateService = async (input) => {
        if (input.service === 'api') throw new Error('Access denied on ecs:UpdateService');
        return update(input);
      };
      const error = await s
        .deploy({ service: '', services: 'web\napi', images: image('good'), wait: String(wait) })
        .catch((e: Error) => e);
      expect((error as Error).message).toBe(
        'ECS deploy failed: api failed (not started: Access denied on ecs:UpdateService); rolled back with ' +
          `them: web (${wait ? 'succeeded' : 'started'})`,
      );
      expect(s.ecs.services.get('web')!.taskDefinition).toBe(ARN1);
      expect(s.outputs()).toMatchObject({
        status: 'failed',
        'rolled-back': 'true',
        'previous-task-definition-arn': `${ARN1},${ARN1}`,
        'deployment-id': 'ecs-svc/web-1,',
      });
      expect(s.outputs().reason).toMatch(
        /^web: .*; rolled back to .*app:1 because api failed: .*; api: not started: Access denied/,
      );
      expect(s.log.join('\n')).not.toMatch(/could not be followed/);
    },
  );

  it('a deployment that cannot be followed in one service is reported unknown; the others go back', async () => {
    const s = setup((ecs) => ecs.addService('api', ARN1));
    const describe = s.ecs.describeServices.bind(s.ecs);
    s.ecs.describeServices = async (cluster, names) => {
      const updated = s.ecs.calls.filter((c) => c === 'UpdateService').length;
      if (names[0] === 'api' && updated >= 2) throw new Error('Access denied on ecs:DescribeServices');
      return describe(cluster, names);
    };
    const error = await s
      .deploy({ service: '', services: 'web\napi', images: image('good') })
      .catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^ECS deploy unknown: api unknown \(the deployment could not be followed to its end: Access denied on ecs:DescribeServices\); rolled back with them: web \(succeeded\)$/,
    );
    expect(s.outputs()).toMatchObject({
      status: 'unknown',
      'deployment-id': 'ecs-svc/web-1,ecs-svc/api-1',
    });
  });

  it('handles desired count 0', async () => {
    const s = setup();
    await s.deploy({ images: image('good'), 'desired-count': '0' });
    expect(s.outputs().status).toBe('succeeded');
    expect(s.log.some((l) => l.includes('desired count is 0'))).toBe(true);
  });

  it('warns when wait-timeout exceeds the usual 1h OIDC session', async () => {
    const s = setup();
    await s.deploy({ images: image('good'), 'wait-timeout': '90m' });
    expect(s.warnings).toEqual([
      expect.stringMatching(/^wait-timeout is 90m00s, longer than the usual 1h AWS session from OIDC/),
    ]);
  });

  it('refuses a CodeDeploy service before registering anything', async () => {
    const s = setup((ecs) => {
      ecs.services.get('web')!.deploymentController = { type: 'CODE_DEPLOY' };
    });
    await expect(s.deploy({ images: image('good') })).rejects.toThrow(
      /uses the CODE_DEPLOY deployment controller/,
    );
    expect(s.ecs.calls).toEqual(['DescribeServices']);
  });

  it.each([
    [
      'an unknown container in a file-based deploy',
      { images: 'api=repo/api:1' },
      /Input "images" names the container "api"/,
    ],
    ['a file that is not a task definition', { content: '[1, 2]' }, /is not a task definition/],
  ])('refuses %s without any API call', async (_name, extra, message) => {
    const s = setup();
    const file = join(dir, `td-${counter}.json`);
    writeFileSync(file, 'content' in extra ? extra.content : JSON.stringify(definition));
    const inputs: Record<string, string> = { 'task-definition': file };
    if ('images' in extra) inputs.images = extra.images;
    await expect(s.deploy(inputs)).rejects.toThrow(message);
    expect(s.ecs.calls).toEqual([]);
  });
});

describe('deploy-ecs and GitHub Deployments', () => {
  let github: GitHubLocal;
  beforeEach(async () => {
    github = await startGitHubLocal({ token: 'ghs_test' });
    records = createDeploymentRecords(createGitHubClient('ghs_test', github.url), 'acme/app');
  });
  afterEach(async () => {
    records = undefined;
    await github.close();
  });

  it('records the deploy with its digests and task definition, in progress then success', async () => {
    const s = setup();
    await s.deploy({
      images: image('good'),
      'deployment-environment': 'production',
      'deployment-url': 'https://app',
      migration: '0042_add_orders',
    });
    const [recorded] = await records!.history('production');
    expect(recorded.payload).toEqual({
      slipway: 1,
      target: 'ecs',
      images: { web: `repo/web-good@${DIGEST}`, log: 'repo/log:1' },
      taskDefinitions: { web: ARN2 },
      migration: '0042_add_orders',
      sha: 'c0ffee',
    });
    expect(recorded.statuses.map((st) => st.state)).toEqual(['in_progress', 'success']);
  });

  it('records a failed deploy as a failure', async () => {
    const s = setup((ecs) => {
      ecs.services.get('web')!.deploymentConfiguration = {
        deploymentCircuitBreaker: { enable: true, rollback: true },
      };
    });
    await expect(s.deploy({ images: image('bad'), 'deployment-environment': 'staging' })).rejects.toThrow(
      /rolled-back/,
    );
    const [recorded] = await records!.history('staging');
    expect(recorded.statuses.map((st) => st.state)).toEqual(['in_progress', 'failure']);
  });

  it('refuses a digest a rollback marked bad before any ECS call, and deploys it with force', async () => {
    const id = await records!.start({
      environment: 'production',
      sha: 'old',
      payload: { slipway: 1, target: 'ecs', images: { web: `repo/web@${DIGEST}` }, sha: 'old' },
      description: 'bad',
    });
    await records!.markBad(id, 'gate failed');
    const s = setup();
    await expect(s.deploy({ images: image('good'), 'deployment-environment': 'production' })).rejects.toThrow(
      `${DIGEST} was marked bad by a rollback (gate failed). Deploy a fixed image, or set force: true`,
    );
    expect(s.ecs.calls).toEqual([]);
    await s.deploy({ images: image('good'), 'deployment-environment': 'production', force: 'true' });
    expect(s.ecs.calls).toContain('UpdateService');
  });

  it('records nothing with record-deployment: false', async () => {
    const s = setup();
    await s.deploy({
      images: image('good'),
      'deployment-environment': 'production',
      'record-deployment': 'false',
    });
    expect(await records!.history('production')).toEqual([]);
  });
});
