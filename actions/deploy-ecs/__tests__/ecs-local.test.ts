import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { InputReader, mapInputs } from '@slipway/shared';
import { describeWithInfra } from '@slipway/testing';
import type { EcsApi } from '../src/ecs-api';
import { getInputs } from '../src/inputs';
import { defaultDeps, run } from '../src/main';
import { type Behaviour, container, Fixture, uniqueName } from './ecs-local-fixture';

jest.setTimeout(90_000);

describeWithInfra('deploy-ecs through @aws-sdk/client-ecs against ecs-local (real Docker tasks)', () => {
  const fx = new Fixture();
  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  /** A steady service on a first revision, and the file of a second one. */
  async function prepare(behaviour: Behaviour, extra: Parameters<Fixture['service']>[2] = {}) {
    const name = uniqueName('web');
    const first = await fx.register({
      family: name,
      networkMode: 'bridge',
      containerDefinitions: [container('web')],
    });
    await fx.service(name, first, extra);
    const file = fx.writeJson(`${name}.json`, {
      family: name,
      networkMode: 'bridge',
      containerDefinitions: [container('web', behaviour)],
    });
    return { name, first, file };
  }

  /** run() with the real client factory, a log, and every DescribeServices answer kept. */
  async function deploy(values: Record<string, string>) {
    const files = fx.resetFiles();
    const log: string[] = [];
    const snapshots: Array<Awaited<ReturnType<EcsApi['describeServices']>>> = [];
    const deps = defaultDeps();
    const result = await run(
      getInputs(new InputReader(mapInputs({ endpoint: fx.ecs.url, 'poll-interval': '200ms', ...values }))),
      {
        ...deps,
        ecs: (inputs, log) => {
          const api = deps.ecs(inputs, log);
          return {
            ...api,
            describeServices: async (cluster, names) => {
              const out = await api.describeServices(cluster, names);
              snapshots.push(out);
              return out;
            },
          };
        },
        log: (line) => log.push(line),
      },
    ).then(
      () => undefined,
      (error: Error) => error,
    );
    return { error: result, log, snapshots, ...files, calls: [...fx.ecs.calls] };
  }

  it('deploys a healthy revision and waits for ECS to complete it', async () => {
    const { name, first, file } = await prepare('healthy');
    const r = await deploy({ service: name, 'task-definition': file, environment: 'web:RELEASE=a=b' });
    expect(r.error).toBeUndefined();
    expect(r.outputs()).toMatchObject({
      status: 'succeeded',
      'previous-task-definition-arn': first,
      'task-definition-arn': first.replace(/:1$/, ':2'),
      'rolled-back': 'false',
      'deployment-id': expect.stringMatching(/^ecs-svc\/\d{19}$/),
    });
    expect(r.calls).toContain('AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition');
    expect(r.summary()).toContain('| `containerDefinitions[web].environment[RELEASE].value` |  | a=b |');
    expect(r.log.join('\n')).toContain(`(service ${name}) has reached a steady state.`);
    expect((await fx.describe(name)).taskDefinition).toBe(first.replace(/:1$/, ':2'));
  });

  it('registers nothing and starts nothing when the definition is unchanged', async () => {
    const { name, first, file } = await prepare('healthy');
    // From the service's own definition, and from a file that ECS would fill in (host ports, defaults).
    for (const source of [{}, { 'task-definition': file }] as Array<Record<string, string>>) {
      const r = await deploy({ service: name, ...source });
      expect(r.error).toBeUndefined();
      expect(r.outputs()).toMatchObject({ status: 'unchanged', 'task-definition-arn': first });
      expect(r.calls.filter((c) => /RegisterTaskDefinition|UpdateService/.test(c))).toEqual([]);
    }
  });

  it('reports an ECS circuit-breaker rollback as rolled-back at the first poll that shows it', async () => {
    const { name, first, file } = await prepare('unhealthy', {
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    const r = await deploy({ service: name, 'task-definition': file, 'wait-timeout': '10m' });
    expect(r.error?.message).toMatch(/^ECS deploy rolled-back: .* rolled-back \(.*circuit breaker/);
    expect(r.outputs()).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
    expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(1); // ECS rolled back, not us
    // Fail fast: no poll after the one that showed ECS's verdict.
    const ours = r.outputs()['deployment-id'];
    const decided = r.snapshots.findIndex((s) => {
      const d = s[0].deployments?.find((x) => x.id === ours);
      return d && (d.rolloutState === 'FAILED' || d.status !== 'PRIMARY');
    });
    expect(decided).toBeGreaterThan(0);
    expect(r.snapshots.length - 1).toBe(decided);
    expect(r.summary()).toMatch(/### Stopped tasks of /);
    expect((await fx.describe(name)).taskDefinition).toBe(first);
  });

  it('reports the alarm rollback of ECS and does not pile another rollback on it', async () => {
    const alarm = uniqueName('alarm-5xx');
    const { name, first, file } = await prepare('healthy', {
      deploymentConfiguration: { alarms: { enable: true, rollback: true, alarmNames: [alarm] } },
    });
    // The alarm stays in ALARM, so ecs-local fails ECS's rollback deployment on it as well, one tick later:
    // a poll sees ROLLBACK_IN_PROGRESS (rolled-back) or already ROLLBACK_FAILED (failed). Both are ECS's verdict.
    fx.ecs.ecs.setAlarmState(alarm, 'ALARM');
    const r = await deploy({ service: name, 'task-definition': file, environment: 'web:V=2' });
    const status = r.outputs().status;
    expect(['rolled-back', 'failed']).toContain(status);
    expect(r.error?.message).toMatch(
      new RegExp(`${status} \\(ECS .*alarm\\(s\\) ${alarm} (went into|in) ALARM state`),
    );
    if (status === 'failed')
      expect(r.log).toContain(`${name}: ECS already tried to roll back; not rolling back again.`);
    expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(1);
    expect((await fx.describe(name)).taskDefinition).toBe(first);
  });

  it('waits out the alarm bake time and succeeds when the alarm stays OK', async () => {
    const alarm = uniqueName('alarm-ok');
    const { name, file } = await prepare('healthy', {
      deploymentConfiguration: { alarms: { enable: true, rollback: true, alarmNames: [alarm] } },
    });
    fx.ecs.ecs.setAlarmState(alarm, 'OK');
    const r = await deploy({ service: name, 'task-definition': file, environment: 'web:V=3' });
    expect(r.error).toBeUndefined();
    expect(r.outputs().status).toBe('succeeded');
  });

  it('deploys with desired count 0: nothing runs, ECS completes at once', async () => {
    const { name, file } = await prepare('unhealthy');
    const r = await deploy({ service: name, 'task-definition': file, 'desired-count': '0' });
    expect(r.error).toBeUndefined();
    expect(r.outputs().status).toBe('succeeded');
    expect(r.log.some((l) => l.includes('desired count is 0'))).toBe(true);
    expect((await fx.describe(name)).desiredCount).toBe(0);
  });

  it('rolls back itself when the circuit breaker fails the deployment without rolling back', async () => {
    const { name, first, file } = await prepare('unhealthy', {
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    const r = await deploy({ service: name, 'task-definition': file });
    expect(r.error?.message).toMatch(/ failed \(.*rolled back to .*: succeeded/);
    expect(r.outputs()).toMatchObject({ status: 'failed', 'rolled-back': 'true' });
    expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(2);
    const service = await fx.describe(name);
    expect(service.taskDefinition).toBe(first);
    expect(service.deployments?.[0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      taskDefinition: first,
    });
  });

  it('times out without a circuit breaker, saying what it saw, and rolls back', async () => {
    const { name, first, file } = await prepare('unhealthy');
    const r = await deploy({ service: name, 'task-definition': file, 'wait-timeout': '8s' });
    expect(r.error?.message).toMatch(
      /timed-out \(ECS had not finished the deployment when wait-timeout ran out; last seen: IN_PROGRESS/,
    );
    expect(r.outputs()).toMatchObject({ status: 'timed-out', 'rolled-back': 'true' });
    expect((await fx.describe(name)).taskDefinition).toBe(first);
  });

  it('reports superseded when another deployment starts while it waits', async () => {
    const { name, first, file } = await prepare('unhealthy');
    const waiting = deploy({ service: name, 'task-definition': file, 'wait-timeout': '60s' });
    while (!fx.ecs.calls.some((c) => c.endsWith('.UpdateService')))
      await new Promise((r) => setTimeout(r, 20));
    await fx.client.send(
      new UpdateServiceCommand({ service: name, taskDefinition: first, forceNewDeployment: true }),
    );
    const r = await waiting;
    expect(r.error?.message).toMatch(/ superseded \(/);
    expect(r.outputs()).toMatchObject({ status: 'superseded', 'rolled-back': 'false' });
    // Ours and the test's; no rollback of the newer deployment.
    expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(2);
  });

  it('still succeeds when ECS throttles', async () => {
    const { name, file } = await prepare('healthy');
    fx.ecs.faults.add({ operation: 'DescribeServices', error: 'ThrottlingException', times: 4 });
    const r = await deploy({ service: name, 'task-definition': file, environment: 'web:X=1' });
    expect(r.error).toBeUndefined();
    expect(r.outputs().status).toBe('succeeded');
    expect(r.log.filter((l) => l.includes('ecs:DescribeServices - ThrottlingException'))).toHaveLength(4);
  });

  it.each([
    [
      'AccessDeniedException',
      /^Access denied on ecs:UpdateService \(AccessDeniedException: .*add ecs:UpdateService to the role's policy/,
    ],
    [
      'ExpiredTokenException',
      /^AWS credentials problem on ecs:UpdateService \(ExpiredTokenException: .*The AWS session expired/,
    ],
  ])('reports %s as such', async (error, message) => {
    const { name, file } = await prepare('healthy');
    fx.ecs.faults.add({ operation: 'UpdateService', error });
    try {
      const r = await deploy({ service: name, 'task-definition': file, environment: 'web:X=2' });
      expect(r.error?.message).toMatch(message);
    } finally {
      fx.ecs.faults.clear();
    }
  });

  it('reports credentials that expire while it waits as such, not as a timeout', async () => {
    const { name, file } = await prepare('unhealthy');
    const waiting = deploy({ service: name, 'task-definition': file, 'wait-timeout': '60s' });
    while (!fx.ecs.calls.some((c) => c.endsWith('.UpdateService')))
      await new Promise((r) => setTimeout(r, 20));
    fx.ecs.faults.add({ operation: 'DescribeServices', error: 'ExpiredTokenException' });
    try {
      const r = await waiting;
      expect(r.error?.message).toMatch(
        /^AWS credentials problem on ecs:DescribeServices \(ExpiredTokenException: /,
      );
      expect(r.outputs().status).toBeUndefined();
    } finally {
      fx.ecs.faults.clear();
    }
  });

  it('follows the deployment through DescribeServices alone when DescribeServiceDeployments is denied', async () => {
    const { name, file } = await prepare('healthy');
    fx.ecs.faults.add({ operation: 'DescribeServiceDeployments', error: 'AccessDeniedException' });
    try {
      const r = await deploy({ service: name, 'task-definition': file, environment: 'web:X=3' });
      expect(r.error).toBeUndefined();
      expect(r.outputs()).toMatchObject({
        status: 'succeeded',
        reason: expect.stringMatching(/deployment COMPLETED/),
      });
      expect(r.calls.filter((c) => c.endsWith('.DescribeServiceDeployments'))).toHaveLength(1);
    } finally {
      fx.ecs.faults.clear();
    }
  });

  it('deploys two containers to two services, one revision, followed in parallel', async () => {
    const family = uniqueName('pair');
    const def = {
      family,
      networkMode: 'bridge' as const,
      containerDefinitions: [container('web'), { ...container('api'), essential: false }],
    };
    const first = await fx.register(def);
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    await Promise.all([fx.service(a, first), fx.service(b, first)]);
    const r = await deploy({
      services: `${a}\n${b}`,
      environment: 'web:ROLE=web\napi:ROLE=api',
      'docker-labels': 'api:rule=Host(`x`) && Query(`a=b`)',
    });
    expect(r.error).toBeUndefined();
    const arn = r.outputs()['task-definition-arn'];
    expect(r.outputs()).toMatchObject({
      status: 'succeeded',
      'previous-task-definition-arn': `${first},${first}`,
    });
    expect(r.calls.filter((c) => c.endsWith('.RegisterTaskDefinition'))).toHaveLength(1);
    expect([(await fx.describe(a)).taskDefinition, (await fx.describe(b)).taskDefinition]).toEqual([
      arn,
      arn,
    ]);
  });

  it.each([
    [{ service: 'x', images: 'web' }, /Input "images"/],
    [{ service: 'x', 'wait-timeout': 'forever' }, /Input "wait-timeout"/],
    [{ service: 'x', 'task-definition': 'nope.json' }, /Input "task-definition"/],
  ])('refuses %j before any API call', async (values, message) => {
    fx.resetFiles();
    expect(() => getInputs(new InputReader(mapInputs({ endpoint: fx.ecs.url, ...values })))).toThrow(message);
    expect(fx.ecs.calls).toEqual([]);
  });
});
