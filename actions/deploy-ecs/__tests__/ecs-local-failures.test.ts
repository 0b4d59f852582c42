import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { describeWithInfra } from '@slipway/testing';
import { container, Fixture, uniqueName } from './ecs-local-fixture';

jest.setTimeout(90_000);

describeWithInfra(
  'deploy-ecs through @aws-sdk/client-ecs against ecs-local: deploys that fail (real Docker tasks)',
  () => {
    const fx = new Fixture();
    beforeAll(() => fx.start());
    afterAll(() => fx.stop());

    it('reports an ECS circuit-breaker rollback as rolled-back at the first poll that shows it', async () => {
      const { name, first, file } = await fx.prepare('unhealthy', {
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      });
      const r = await fx.deploy({ service: name, 'task-definition': file, 'wait-timeout': '10m' });
      expect(r.error?.message).toMatch(/^ECS deploy rolled-back: .* rolled-back \(.*circuit breaker/);
      expect(r.outputs()).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
      expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(1); // ECS rolled back, not us
      // Fail fast: at most one poll after the first that showed ours FAILED. The verdict is the service
      // deployment's ROLLBACK_* status, asked in the same poll as the services: when ecs-local moves between the
      // two calls, the services show FAILED a poll before the service deployment shows the rollback (and the
      // rollback grace, had it been waited out, would be many polls).
      const ours = r.outputs()['deployment-id'];
      const failed = r.snapshots.findIndex((s) => {
        const d = s[0].deployments?.find((x) => x.id === ours);
        return d && (d.rolloutState === 'FAILED' || d.status !== 'PRIMARY');
      });
      expect(failed).toBeGreaterThan(0);
      expect(r.snapshots.length - 1 - failed).toBeLessThanOrEqual(1);
      expect(r.summary()).toMatch(/### Stopped tasks of /);
      expect(await fx.settlesOn(name, first)).toBe(first);
    });

    it('reports the alarm rollback of ECS and does not pile another rollback on it', async () => {
      const alarm = uniqueName('alarm-5xx');
      const { name, first, file } = await fx.prepare('healthy', {
        deploymentConfiguration: { alarms: { enable: true, rollback: true, alarmNames: [alarm] } },
      });
      // The alarm stays in ALARM, so ecs-local fails ECS's rollback deployment on it as well, one tick later:
      // a poll sees ROLLBACK_IN_PROGRESS (rolled-back) or already ROLLBACK_FAILED (failed). Both are ECS's verdict.
      fx.ecs.ecs.setAlarmState(alarm, 'ALARM');
      const r = await fx.deploy({ service: name, 'task-definition': file, environment: 'web:V=2' });
      const status = r.outputs().status;
      expect(['rolled-back', 'failed']).toContain(status);
      expect(r.error?.message).toMatch(
        new RegExp(`${status} \\(ECS .*alarm\\(s\\) ${alarm} (went into|in) ALARM state`),
      );
      if (status === 'failed')
        expect(r.log).toContain(`${name}: ECS already tried to roll back; not rolling back again.`);
      expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(1);
      expect(await fx.settlesOn(name, first)).toBe(first);
    });

    it('waits for the alarm rollback ECS is set to make, seen through DescribeServices alone', async () => {
      const alarm = uniqueName('alarm-late');
      const { name, first, file } = await fx.prepare('healthy', {
        deploymentConfiguration: { alarms: { enable: true, rollback: true, alarmNames: [alarm] } },
      });
      fx.ecs.ecs.setAlarmState(alarm, 'ALARM');
      fx.ecs.faults.add({ operation: 'DescribeServiceDeployments', error: 'AccessDeniedException' });
      try {
        const r = await fx.deploy({ service: name, 'task-definition': file, environment: 'web:V=3' });
        const ours = r.outputs()['deployment-id'];
        // A poll saw ours FAILED before ECS's rollback deployment existed: the gap this is about.
        const gap = r.snapshots.some((s) => {
          const [primary] = s[0].deployments ?? [];
          return primary?.id === ours && primary.rolloutState === 'FAILED';
        });
        expect(gap).toBe(true);
        expect(r.outputs()).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
        expect(r.error?.message).toMatch(
          /rolled-back \(ECS deployment failed: alarm\(s\) .* ECS rolls the service back/,
        );
        expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(1); // ECS's rollback only
        expect((await fx.describe(name)).taskDefinition).toBe(first);
        expect(r.log.join('\n')).toMatch(/FAILED; ECS rolls this service back itself: waiting up to 60s/);
      } finally {
        fx.ecs.faults.clear();
        fx.ecs.ecs.setAlarmState(alarm, 'OK');
      }
    });

    it('rolls back itself when the circuit breaker fails the deployment without rolling back', async () => {
      const { name, first, file } = await fx.prepare('unhealthy', {
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
      });
      const r = await fx.deploy({ service: name, 'task-definition': file });
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

    it('rolls every service back, each to its own previous revision, when one of them fails', async () => {
      const family = uniqueName('fleet');
      const def = (env: string) => ({
        family,
        networkMode: 'bridge' as const,
        containerDefinitions: [{ ...container('web'), environment: [{ name: 'REV', value: env }] }],
      });
      const [revA, revB] = [await fx.register(def('a')), await fx.register(def('b'))];
      const [a, b] = [uniqueName('a'), uniqueName('b')];
      // Only b watches an alarm, and it is firing: b's deployment fails, a's succeeds.
      const alarm = uniqueName('alarm-b');
      await Promise.all([
        fx.service(a, revA),
        fx.service(b, revB, {
          deploymentConfiguration: { alarms: { enable: true, rollback: false, alarmNames: [alarm] } },
        }),
      ]);
      fx.ecs.ecs.setAlarmState(alarm, 'ALARM');
      const file = fx.writeJson(`${family}.json`, def('new'));
      // Once b has failed, the alarm clears, so that b's own rollback can complete.
      const r = await fx.deploy({ services: `${a},${b}`, 'task-definition': file }, (line) => {
        if (line.startsWith(`${b}: failed - `)) fx.ecs.ecs.setAlarmState(alarm, 'OK');
      });
      const arn = r.outputs()['task-definition-arn'];
      expect(arn).toMatch(/:3$/);
      expect([(await fx.describe(a)).taskDefinition, (await fx.describe(b)).taskDefinition]).toEqual([
        revA,
        revB,
      ]);
      expect(r.outputs()).toMatchObject({ status: 'failed', 'rolled-back': 'true' });
      const updates = r.calls.filter((c) => c.endsWith('.UpdateService'));
      expect(updates).toHaveLength(4); // both deploys, b's rollback, a's rollback
      expect(r.outputs().reason).toMatch(
        new RegExp(
          `^${a}: ECS reports .* SUCCESSFUL.*; rolled back to ${revA} because ${b} failed: succeeded`,
        ),
      );
      expect(r.outputs().reason).toMatch(new RegExp(`${b}: .*alarm.*; rolled back to ${revB}: succeeded`));
      expect(r.error?.message).toMatch(new RegExp(`rolled back with them: ${a} \\(succeeded\\)$`));
      expect(r.summary()).toContain('(our rollback with the others: succeeded)');
      expect(r.log).toContain(
        `${a}: rolling back to ${revA} with the other services, because ${b} failed (rollback-on-failure).`,
      );
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      [
        'an essential container that exits: stop code, reason and exit code',
        { command: ['sh', '-c', 'exit 3'] },
        /^task [0-9a-f]{32}: EssentialContainerExited - Essential container in task exited \| web: exit 3( UNHEALTHY)?$/,
      ],
      [
        'an image that cannot be pulled: stop code, reason and the container reason',
        { image: `127.0.0.1:5000/deploy-ecs-missing-${Date.now()}:1` },
        /^task [0-9a-f]{32}: TaskFailedToStart - CannotPullContainerError: .+ \| web: \(CannotPullContainerError: .+\)$/,
      ],
    ])('names why the tasks stopped, in the log and the summary: %s', async (_name, change, line) => {
      const { name, first } = await fx.prepare('healthy', {
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
      });
      const file = fx.writeJson(`${name}-bad.json`, {
        family: name,
        networkMode: 'bridge',
        containerDefinitions: [{ ...container('web'), ...change }],
      });
      const r = await fx.deploy({ service: name, 'task-definition': file });
      expect(r.outputs()).toMatchObject({ status: 'failed', 'rolled-back': 'true' });
      expect(r.log).toContain(`${name}: stopped tasks:`);
      const logged = r.log.filter((l) => l.startsWith('  task ')).map((l) => l.trim());
      expect(logged.length).toBeGreaterThanOrEqual(2); // the breaker's threshold
      for (const l of logged) expect(l).toMatch(line);
      // Only the tasks of our deployment: the first revision's tasks were stopped for the rollback, not listed.
      const summary = r.summary();
      const listed = summary
        .split(`### Stopped tasks of ${name}`)[1]
        .split('\n')
        .filter((l) => l.startsWith('- task '));
      expect(listed.map((l) => l.slice(2))).toEqual(logged);
      expect((await fx.describe(name)).taskDefinition).toBe(first);
    });

    it('times out without a circuit breaker, saying what it saw, and rolls back', async () => {
      const { name, first, file } = await fx.prepare('unhealthy');
      const r = await fx.deploy({ service: name, 'task-definition': file, 'wait-timeout': '8s' });
      expect(r.error?.message).toMatch(
        /timed-out \(ECS had not finished the deployment when wait-timeout ran out; last seen: IN_PROGRESS/,
      );
      expect(r.outputs()).toMatchObject({ status: 'timed-out', 'rolled-back': 'true' });
      expect((await fx.describe(name)).taskDefinition).toBe(first);
    });

    it('reports superseded when another deployment starts while it waits', async () => {
      const { name, first, file } = await fx.prepare('unhealthy');
      const waiting = fx.deploy({ service: name, 'task-definition': file, 'wait-timeout': '60s' });
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

    it.each([
      [
        'AccessDeniedException',
        /^ECS deploy failed: \S+ failed \(not started: Access denied on ecs:UpdateService \(AccessDeniedException: .*add ecs:UpdateService to the role's policy/,
      ],
      [
        'ExpiredTokenException',
        /^ECS deploy failed: \S+ failed \(not started: AWS credentials problem on ecs:UpdateService \(ExpiredTokenException: .*The AWS session expired/,
      ],
    ])('reports %s as such', async (error, message) => {
      const { name, first, file } = await fx.prepare('healthy');
      fx.ecs.faults.add({ operation: 'UpdateService', error });
      try {
        const r = await fx.deploy({ service: name, 'task-definition': file, environment: 'web:X=2' });
        expect(r.error?.message).toMatch(message);
        // Nothing started: the outputs say so (never "could not be followed"), and the service never moved.
        expect(r.outputs()).toMatchObject({
          status: 'failed',
          'rolled-back': 'false',
          'previous-task-definition-arn': first,
          'deployment-id': '',
          reason: expect.stringMatching(/^not started: /),
        });
        expect((await fx.describe(name)).taskDefinition).toBe(first);
      } finally {
        fx.ecs.faults.clear();
      }
    });

    it('reports credentials that expire while it waits as such, not as a timeout', async () => {
      const { name, file } = await fx.prepare('unhealthy');
      const waiting = fx.deploy({ service: name, 'task-definition': file, 'wait-timeout': '60s' });
      while (!fx.ecs.calls.some((c) => c.endsWith('.UpdateService')))
        await new Promise((r) => setTimeout(r, 20));
      fx.ecs.faults.add({ operation: 'DescribeServices', error: 'ExpiredTokenException' });
      try {
        const r = await waiting;
        expect(r.error?.message).toMatch(
          /^ECS deploy unknown: \S+ unknown \(the deployment could not be followed to its end: AWS credentials problem on ecs:DescribeServices \(ExpiredTokenException: /,
        );
        expect(r.outputs().status).toBe('unknown');
        expect(r.outputs().reason).toMatch(/could not be followed to its end: AWS credentials problem/);
      } finally {
        fx.ecs.faults.clear();
      }
    });

    it.each<[Record<string, string>, RegExp]>([
      [
        { service: 'no-such-service' },
        /^ECS service .*no-such-service in cluster default: MISSING\. Check the "service" and "cluster" inputs\./,
      ],
      [
        { service: 'web', cluster: 'no-such-cluster' },
        /^ECS refused ecs:DescribeServices \(ClusterNotFoundException: .*\)\. Check the "cluster" input\./,
      ],
      [
        { 'task-definition': 'no-such-family:3' },
        /^ECS refused ecs:DescribeTaskDefinition \(ClientException: .*\)\. Check the task definition/,
      ],
    ])('says which input names something ECS does not have: %j', async (values, message) => {
      const service = values.service ?? (await fx.prepare('healthy')).name;
      const r = await fx.deploy({ ...values, service });
      expect(r.error?.message).toMatch(message);
      expect(r.calls.filter((c) => /RegisterTaskDefinition|UpdateService/.test(c))).toEqual([]);
    });
  },
);
