import { DescribeServiceDeploymentsCommand, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { describeWithInfra } from '@slipway/testing';
import { Fixture, uniqueName } from './ecs-local-fixture';

jest.setTimeout(90_000);

const STRATEGIES = ['BLUE_GREEN', 'LINEAR', 'CANARY'] as const;

describeWithInfra(
  'deploy-ecs against ecs-local: blue/green, linear and canary deployments that fail (real Docker tasks)',
  () => {
    const fx = new Fixture();
    beforeAll(() => fx.start());
    afterAll(() => fx.stop());

    /** ECS's own record of the service's newest service deployment. */
    async function newestServiceDeployment(service: string) {
      const list = await fx.client.send(new ListServiceDeploymentsCommand({ service }));
      const arn = list.serviceDeployments![0].serviceDeploymentArn!;
      const out = await fx.client.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
      );
      return out.serviceDeployments![0];
    }

    it.each(STRATEGIES)(
      '%s: an alarm firing during bake time ends in ECS rolling back, with the alarm as the reason',
      async (strategy) => {
        const alarm = uniqueName('alarm-bake');
        const { name, first, file } = await fx.prepare('healthy', {
          deploymentConfiguration: {
            strategy,
            bakeTimeInMinutes: 0,
            alarms: { enable: true, rollback: true, alarmNames: [alarm] },
          },
        });
        fx.ecs.ecs.setAlarmState(alarm, 'OK');
        const order: string[] = [];
        // The alarm goes off once the green fleet is up and baking, and clears when ECS has failed the
        // deployment, so that ECS's rollback deployment (which watches the same alarm) can complete.
        const r = await fx.deploy(
          { service: name, 'task-definition': file, environment: `web:BAD=${strategy}` },
          (line) => {
            if (line.endsWith(' lifecycle stage BAKE_TIME') && !order.length) {
              order.push('baking');
              fx.ecs.ecs.setAlarmState(alarm, 'ALARM');
            }
            if (line.includes('deployment failed: alarm detected.')) {
              order.push('failed');
              fx.ecs.ecs.setAlarmState(alarm, 'OK');
            }
          },
        );

        expect(order).toEqual(['baking', 'failed']);
        expect(r.outputs()).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
        expect(r.error?.message).toMatch(
          new RegExp(
            `^ECS deploy rolled-back: ${name} rolled-back \\(ECS .*alarm\\(s\\) ${alarm} (went into|in) ALARM state`,
          ),
        );
        expect(r.outputs().reason).toContain(alarm);
        // ECS rolled back, not deploy-ecs.
        expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(1);
        expect(await fx.settlesOn(name, first)).toBe(first);
        const sd = await newestServiceDeployment(name);
        expect(sd.alarms?.triggeredAlarmNames).toEqual([alarm]);
        expect(sd.rollback?.reason).toContain(alarm);
        expect(r.summary()).toContain('deploy-ecs: rolled-back');
      },
    );

    it('BLUE_GREEN: green tasks that never get healthy trip the circuit breaker; ECS rolls back before any bake', async () => {
      const { name, first, file } = await fx.prepare('unhealthy', {
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 0,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      });
      const r = await fx.deploy({ service: name, 'task-definition': file });

      expect(r.outputs()).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
      expect(r.error?.message).toMatch(/^ECS deploy rolled-back: .* rolled-back \(.*circuit breaker/);
      // The green fleet never got ready: the deployment never reached its bake time.
      expect(r.log).toContainEqual(expect.stringMatching(/ lifecycle stage SCALE_UP$/));
      expect(r.log).not.toContainEqual(expect.stringMatching(/ lifecycle stage BAKE_TIME$/));
      expect(r.summary()).toMatch(/### Stopped tasks of /);
      expect(r.summary()).toContain('Task failed container health checks');
      expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(1);
      expect(await fx.settlesOn(name, first)).toBe(first);
    });
  },
);
