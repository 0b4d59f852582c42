import { InputReader, mapInputs } from '@slipway/shared';
import { describeWithInfra } from '@slipway/testing';
import { getInputs } from '../src/inputs';
import { container, Fixture, uniqueName } from './ecs-local-fixture';

jest.setTimeout(90_000);

describeWithInfra(
  'deploy-ecs through @aws-sdk/client-ecs against ecs-local: deploys that succeed (real Docker tasks)',
  () => {
    const fx = new Fixture();
    beforeAll(() => fx.start());
    afterAll(() => fx.stop());

    it('deploys a healthy revision and waits for ECS to complete it', async () => {
      const { name, first, file } = await fx.prepare('healthy');
      const r = await fx.deploy({ service: name, 'task-definition': file, environment: 'web:RELEASE=a=b' });
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

    it('registers the first revision of a family ECS has not seen', async () => {
      const { name } = await fx.prepare('healthy');
      const family = uniqueName('newfamily');
      const file = fx.writeJson(`${family}.yaml`, {
        family,
        networkMode: 'bridge',
        containerDefinitions: [container('web')],
      });
      const r = await fx.deploy({ service: name, 'task-definition': file });
      expect(r.error).toBeUndefined();
      expect(r.outputs()).toMatchObject({
        status: 'succeeded',
        'task-definition-arn': expect.stringMatching(new RegExp(`:task-definition/${family}:1$`)),
      });
    });

    it('deploys an existing revision by ARN and by family:revision, registering nothing', async () => {
      const { name, first } = await fx.prepare('healthy');
      const second = await fx.register({
        family: name,
        networkMode: 'bridge',
        containerDefinitions: [{ ...container('web'), environment: [{ name: 'REV', value: '2' }] }],
      });
      for (const [reference, from, to] of [
        [second, first, second],
        [`${name}:1`, second, first],
      ]) {
        const r = await fx.deploy({ service: name, 'task-definition': reference });
        expect(r.error).toBeUndefined();
        expect(r.outputs()).toMatchObject({
          status: 'succeeded',
          'task-definition-arn': to,
          'previous-task-definition-arn': from,
        });
        expect(r.calls.filter((c) => c.endsWith('.RegisterTaskDefinition'))).toEqual([]);
        expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(1);
        expect(r.summary()).toContain('existing revision, nothing registered');
        const service = await fx.describe(name);
        expect(service.taskDefinition).toBe(to);
        expect(service.deployments).toEqual([
          expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: to }),
        ]);
      }
    });

    it('registers nothing and starts nothing when the definition is unchanged', async () => {
      const { name, first, file } = await fx.prepare('healthy');
      // From the service's own definition, and from a file that ECS would fill in (host ports, defaults).
      for (const source of [{}, { 'task-definition': file }] as Array<Record<string, string>>) {
        const r = await fx.deploy({ service: name, ...source });
        expect(r.error).toBeUndefined();
        expect(r.outputs()).toMatchObject({ status: 'unchanged', 'task-definition-arn': first });
        expect(r.calls.filter((c) => /RegisterTaskDefinition|UpdateService/.test(c))).toEqual([]);
      }
    });

    it('waits out the alarm bake time and succeeds when the alarm stays OK', async () => {
      const alarm = uniqueName('alarm-ok');
      const { name, file } = await fx.prepare('healthy', {
        deploymentConfiguration: { alarms: { enable: true, rollback: true, alarmNames: [alarm] } },
      });
      fx.ecs.ecs.setAlarmState(alarm, 'OK');
      const r = await fx.deploy({ service: name, 'task-definition': file, environment: 'web:V=3' });
      expect(r.error).toBeUndefined();
      expect(r.outputs().status).toBe('succeeded');
    });

    it.each(['BLUE_GREEN', 'LINEAR', 'CANARY'] as const)(
      'follows a %s deployment to what ECS says',
      async (strategy) => {
        // ecs-local runs them as green fleet, BAKE_TIME, blue drains: success only once the service deployment says so.
        const { name, file } = await fx.prepare('healthy', {
          deploymentConfiguration: { strategy, bakeTimeInMinutes: 0 },
        });
        const r = await fx.deploy({
          service: name,
          'task-definition': file,
          environment: `web:S=${strategy}`,
        });
        expect(r.error).toBeUndefined();
        expect(r.outputs()).toMatchObject({
          status: 'succeeded',
          reason: expect.stringMatching(/^ECS reports the service deployment SUCCESSFUL/),
        });
        expect(r.log).toContainEqual(expect.stringMatching(/ lifecycle stage BAKE_TIME$/));
        expect(r.summary()).toContain('deploy-ecs: succeeded');
      },
    );

    it('deploys with desired count 0: nothing runs, ECS completes at once', async () => {
      const { name, file } = await fx.prepare('unhealthy');
      const r = await fx.deploy({ service: name, 'task-definition': file, 'desired-count': '0' });
      expect(r.error).toBeUndefined();
      expect(r.outputs().status).toBe('succeeded');
      expect(r.log.some((l) => l.includes('desired count is 0'))).toBe(true);
      expect((await fx.describe(name)).desiredCount).toBe(0);
    });

    it('still succeeds when ECS throttles', async () => {
      const { name, file } = await fx.prepare('healthy');
      fx.ecs.faults.add({ operation: 'DescribeServices', error: 'ThrottlingException', times: 4 });
      const r = await fx.deploy({ service: name, 'task-definition': file, environment: 'web:X=1' });
      expect(r.error).toBeUndefined();
      expect(r.outputs().status).toBe('succeeded');
      expect(r.log.filter((l) => l.includes('ecs:DescribeServices - ThrottlingException'))).toHaveLength(4);
    });

    it('follows the deployment through DescribeServices alone when DescribeServiceDeployments is denied', async () => {
      const { name, file } = await fx.prepare('healthy');
      fx.ecs.faults.add({ operation: 'DescribeServiceDeployments', error: 'AccessDeniedException' });
      try {
        const r = await fx.deploy({ service: name, 'task-definition': file, environment: 'web:X=3' });
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
      const r = await fx.deploy({
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
      expect(() => getInputs(new InputReader(mapInputs({ endpoint: fx.ecs.url, ...values })))).toThrow(
        message,
      );
      expect(fx.ecs.calls).toEqual([]);
    });
  },
);
