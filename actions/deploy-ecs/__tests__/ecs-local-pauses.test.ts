import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CreateServiceCommandInput,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import {
  type ActionRun,
  describeWithInfra,
  expectCancelledThenWarned,
  type RunOptions,
  runBundle,
  startMetricsApp,
} from '@slipway/testing';
import { CREDENTIALS, Fixture, uniqueName } from './ecs-local-fixture';

jest.setTimeout(120_000);

// The app answers {"version": $VERSION, "status": $STATUS} on / (its health check too), so a release can be
// healthy for ECS and still fail the gate's assertions on the test listener.
const SERVE =
  'echo "{\\"version\\":\\"${VERSION:-1}\\",\\"status\\":\\"${STATUS:-ok}\\"}" > /www/index.html && exec httpd -f -p 8080 -h /www';

const definition = (family: string) => ({
  family,
  networkMode: 'bridge' as const,
  containerDefinitions: [
    {
      name: 'web',
      image: 'local/busybox:1',
      command: ['sh', '-c', SERVE],
      portMappings: [{ containerPort: 8080 }],
      healthCheck: { command: ['CMD-SHELL', 'wget -qO- http://127.0.0.1:8080/ || exit 1'] },
    },
  ],
});

const pausesAt = (...stages: string[]): CreateServiceCommandInput['deploymentConfiguration'] => ({
  strategy: 'BLUE_GREEN',
  bakeTimeInMinutes: 0,
  lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: stages as never }],
});

const GATE = { 'expect-json': 'status = ok', 'version-field': 'json:version', 'ready-timeout': '3s' };

describeWithInfra(
  'deploy-ecs answers ECS pauses with the gate (ecs-local, real Docker tasks and listeners)',
  (infra) => {
    const fx = new Fixture();
    const runs: ActionRun[] = [];
    const watchers: Array<() => Promise<unknown>> = [];
    beforeAll(() => fx.start());
    // A failed test leaves its production watcher running: stopped here whatever happened.
    afterEach(async () => {
      await Promise.all(watchers.splice(0).map((stop) => stop()));
    });
    afterAll(async () => {
      for (const r of runs) rmSync(r.dirs.root, { recursive: true, force: true });
      await fx.stop();
    });
    /** The bundle, run as the runner runs it against ecs-local, cancelled once `cancelWhen` holds (its folders kept until the end). */
    async function cancelledRun(options: Pick<RunOptions, 'inputs' | 'cancelWhen'>) {
      const run = await runBundle({
        action: join(__dirname, '..'),
        ...options,
        env: { ...CREDENTIALS, AWS_ENDPOINT_URL_ECS: fx.ecs.url },
      });
      runs.push(run);
      return run;
    }

    /** A blue/green service on release 1 with its listeners, a file for the next release, and production watched. */
    async function prepare(
      config: CreateServiceCommandInput['deploymentConfiguration'],
      firstDefinition = definition,
    ) {
      const name = uniqueName('bg');
      const first = await fx.register(firstDefinition(name));
      await fx.service(name, first, { deploymentConfiguration: config });
      const listeners = await fx.ecs.ecs.listeners(name);
      // Production as users see it, every 50ms through the deploy.
      const seen = new Set<string>();
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const answer = await fetch(listeners.production.url).catch(() => undefined);
          if (answer?.ok) seen.add(((await answer.json()) as { version: string }).version);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const stopWatching = async () => {
        watching = false;
        await watcher;
        return seen;
      };
      watchers.push(stopWatching);
      return { name, first, listeners, file: fx.writeJson(`${name}.json`, definition(name)), stopWatching };
    }

    async function newestServiceDeployment(service: string) {
      const list = await fx.client.send(new ListServiceDeploymentsCommand({ service }));
      const arn = list.serviceDeployments![0].serviceDeploymentArn!;
      const out = await fx.client.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
      );
      return out.serviceDeployments![0];
    }

    it('the test-listener gate fails at POST_TEST_TRAFFIC_SHIFT: ECS rolls back, production never saw green', async () => {
      const { name, first, listeners, file, stopWatching } = await prepare(
        pausesAt('POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'),
      );
      const r = await fx.deploy({
        service: name,
        'task-definition': file,
        environment: 'web:VERSION=2\nweb:STATUS=degraded',
        'test-url': listeners.test.url,
        'production-url': listeners.production.url,
        'expect-version': '2',
        ...GATE,
      });
      const green = r.outputs()['task-definition-arn'];

      expect(r.outputs()).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
      expect(r.error?.message).toMatch(
        new RegExp(
          `^ECS deploy rolled-back: ${name} rolled-back \\(test-url failed at POST_TEST_TRAFFIC_SHIFT: .*status`,
        ),
      );
      expect(r.log).toContainEqual(
        expect.stringMatching(
          /ecs-svc\/\d+ paused at POST_TEST_TRAFFIC_SHIFT, waiting for ContinueServiceDeployment/,
        ),
      );
      expect(r.calls.filter((c) => c.endsWith('.ContinueServiceDeployment'))).toHaveLength(1);
      // ECS rolled back (one UpdateService: ours), and the gate's evidence is in the summary.
      expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(1);
      expect(r.summary()).toMatch(/### Pauses[\s\S]*POST_TEST_TRAFFIC_SHIFT \| ↩️ ROLLBACK \| test-url/);
      expect(r.summary()).toContain('degraded');
      expect(await fx.settlesOn(name, first)).toBe(first);
      const sd = await newestServiceDeployment(name);
      expect(sd.status).toMatch(/^ROLLBACK_/);
      expect(sd.lifecycleHookDetails?.map((h) => h.status)).toEqual(['FAILED']);
      // Green answered test traffic only; production never reached it.
      expect(listeners.test.served.has(green)).toBe(true);
      expect(listeners.production.served.has(green)).toBe(false);
      expect([...(await stopWatching())]).toEqual(['1']);
    });

    it('both gates pass: continued at POST_TEST_TRAFFIC_SHIFT and POST_PRODUCTION_TRAFFIC_SHIFT, succeeded', async () => {
      const { name, listeners, file, stopWatching } = await prepare(
        pausesAt('POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'),
      );
      const r = await fx.deploy({
        service: name,
        'task-definition': file,
        environment: 'web:VERSION=2',
        'test-url': listeners.test.url,
        'production-url': listeners.production.url,
        'continue-at': 'POST_SCALE_UP',
        'expect-version': '2',
        ...GATE,
      });
      const green = r.outputs()['task-definition-arn'];

      expect(r.error).toBeUndefined();
      expect(r.outputs()).toMatchObject({ status: 'succeeded', 'rolled-back': 'false' });
      expect(r.calls.filter((c) => c.endsWith('.ContinueServiceDeployment'))).toHaveLength(3);
      expect(r.summary()).toMatch(/POST_SCALE_UP \| ▶️ CONTINUE \| continue-at/);
      expect(r.summary()).toMatch(/POST_TEST_TRAFFIC_SHIFT \| ▶️ CONTINUE \| test-url/);
      expect(r.summary()).toMatch(/POST_PRODUCTION_TRAFFIC_SHIFT \| ▶️ CONTINUE \| production-url/);
      expect((await fx.describe(name)).taskDefinition).toBe(green);
      expect((await newestServiceDeployment(name)).status).toBe('SUCCESSFUL');
      // Production moved from 1 to 2, and only after the test listener's gate passed.
      expect([...(await stopWatching())]).toEqual(['1', '2']);
    });

    it('the analysis fails at POST_PRODUCTION_TRAFFIC_SHIFT (real Prometheus): ROLLBACK puts production back on blue', async () => {
      if (!infra.prometheus) throw new Error('infra.json has no "prometheus": run scripts/infra.sh up');
      // Green's metrics, as Prometheus scrapes them: its error rate climbs once production is on it.
      const metrics = await startMetricsApp(uniqueName('green'), infra.prometheus.targets);
      try {
        metrics.drive(20);
        await metrics.scraped(infra.prometheus.url, 3);
        const { name, first, listeners, file, stopWatching } = await prepare(
          pausesAt('POST_PRODUCTION_TRAFFIC_SHIFT'),
        );
        const r = await fx.deploy(
          {
            service: name,
            'task-definition': file,
            environment: 'web:VERSION=2',
            'production-url': listeners.production.url,
            'expect-version': '2',
            ...GATE,
            analysis: [
              'metrics:',
              '  - name: error-rate',
              '    query: (sum(rate(http_requests_total{version="{{ release }}",code=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{version="{{ release }}"}[5s]))',
              '    success-condition: result < 0.05',
              '    interval: 1s',
            ].join('\n'),
            'analysis-vars': `release=${metrics.version}`,
            bake: '20s',
            'prometheus-url': infra.prometheus.url,
          },
          (line) => {
            if (line.includes('analysis of 1 metric(s)')) metrics.errorRate = 0.6;
          },
        );
        const green = r.outputs()['task-definition-arn'];
        expect(r.outputs()).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
        expect(r.error?.message).toMatch(
          /rolled-back \(production-url passed at POST_PRODUCTION_TRAFFIC_SHIFT; analysis failed at POST_PRODUCTION_TRAFFIC_SHIFT: .*error-rate/,
        );
        expect(r.summary()).toMatch(
          /POST_PRODUCTION_TRAFFIC_SHIFT \| ↩️ ROLLBACK \| production-url \+ analysis/,
        );
        expect(r.summary()).toContain('### Analysis: ❌ failed');
        // Production was on green at the pause, and is back on blue.
        expect(listeners.production.served.has(green)).toBe(true);
        expect(await fx.settlesOn(name, first)).toBe(first);
        listeners.production.served.clear();
        await fetch(listeners.production.url);
        expect([...listeners.production.served]).toEqual([first]);
        expect([...(await stopWatching())].sort()).toEqual(['1', '2']);
      } finally {
        await metrics.close();
      }
    });

    it('a PAUSE hook nobody answers, or a gate without its pause, stops the deploy before any change', async () => {
      const { name, file, listeners, stopWatching } = await prepare(
        pausesAt('POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'),
      );
      const r = await fx.deploy({ service: name, 'task-definition': file, 'test-url': listeners.test.url });
      expect(r.error?.message).toMatch(
        new RegExp(
          `^ECS service ${name} pauses its deployments at POST_SCALE_UP \\(PAUSE lifecycle hooks\\).*Set continue-at`,
        ),
      );
      const other = await prepare(pausesAt('POST_TEST_TRAFFIC_SHIFT'));
      const r2 = await fx.deploy({
        service: other.name,
        'task-definition': other.file,
        'test-url': other.listeners.test.url,
        'production-url': other.listeners.production.url,
      });
      expect(r2.error?.message).toMatch(
        /^Input "production-url" is checked at the POST_PRODUCTION_TRAFFIC_SHIFT pause, but ECS service .* has no PAUSE lifecycle hook there/,
      );
      for (const run of [r, r2]) {
        expect(run.calls.filter((c) => /\.(RegisterTaskDefinition|UpdateService)$/.test(c))).toEqual([]);
      }
      // Production as it was: release 1 throughout.
      expect([...(await stopWatching())]).toEqual(['1']);
      expect([...(await other.stopWatching())]).toEqual(['1']);
    });

    it('bundle: a run cancelled while its gate runs at a pause is rolled back by the post step', async () => {
      const { name, first, listeners, file, stopWatching } = await prepare(
        pausesAt('POST_TEST_TRAFFIC_SHIFT'),
      );
      fx.resetFiles();
      const run = await cancelledRun({
        // expect-version 3 never answers: the gate waits (ready-timeout) while the run is cancelled.
        inputs: {
          service: name,
          'task-definition': file,
          environment: 'web:VERSION=2',
          'test-url': listeners.test.url,
          'expect-version': '3',
          'version-field': 'json:version',
          'ready-timeout': '1m',
          'poll-interval': '200ms',
        },
        cancelWhen: (stdout) => /paused at POST_TEST_TRAFFIC_SHIFT: checking test-url/.test(stdout),
      });
      expectCancelledThenWarned(
        run,
        new RegExp(
          `^${name}: its deployment was paused at POST_TEST_TRAFFIC_SHIFT waiting for this run; answered ROLLBACK`,
        ),
      );
      expect(fx.ecs.calls.filter((c) => c.endsWith('.ContinueServiceDeployment'))).toHaveLength(1);
      expect(await fx.settlesOn(name, first)).toBe(first);
      expect((await newestServiceDeployment(name)).status).toMatch(/^ROLLBACK_/);
      expect([...(await stopWatching())]).toEqual(['1']);
    });

    it('bundle: a run cancelled before its deployment reaches the pause it gates: the post step stops it (StopServiceDeployment)', async () => {
      const { name, first, listeners, stopWatching } = await prepare(pausesAt('POST_TEST_TRAFFIC_SHIFT'));
      // Green takes a few seconds to answer its health check: the run is cancelled while ECS scales it up.
      const slow = definition(name);
      slow.containerDefinitions[0].command = ['sh', '-c', `sleep 6 && ${SERVE}`];
      Object.assign(slow.containerDefinitions[0].healthCheck, { startPeriod: 60 });
      fx.resetFiles();
      const run = await cancelledRun({
        inputs: {
          service: name,
          'task-definition': fx.writeJson(`${name}-slow.json`, slow),
          environment: 'web:VERSION=2',
          'test-url': listeners.test.url,
          'expect-version': '2',
          'version-field': 'json:version',
          'poll-interval': '200ms',
        },
        cancelWhen: (stdout) => /deployment ecs-svc\/\d+ started/.test(stdout),
      });
      expectCancelledThenWarned(
        run,
        new RegExp(
          `^${name}: its deployment \\(now at \\w+\\) was to pause at POST_TEST_TRAFFIC_SHIFT for this run's test-url; stopped it \\(StopServiceDeployment, ROLLBACK\\)`,
        ),
      );
      expect(
        fx.ecs.calls.filter((c) => /\.(StopServiceDeployment|ContinueServiceDeployment)$/.test(c)),
      ).toEqual(['AmazonEC2ContainerServiceV20141113.StopServiceDeployment']);
      expect(await fx.settlesOn(name, first)).toBe(first);
      const sd = await newestServiceDeployment(name);
      expect(sd.status).toMatch(/^ROLLBACK_/);
      expect(sd.rollback?.reason).toMatch(/StopServiceDeployment/);
      // Production never left blue.
      expect([...listeners.production.served]).toEqual([first]);
      expect([...(await stopWatching())]).toEqual(['1']);
    });

    it('bundle: a run cancelled while its own rollback (rollback-on-failure) heads for a pause: the post step sees it through with CONTINUE', async () => {
      // Release 1 takes a few seconds to answer its health check: the rollback's deployment is still scaling it
      // up when the run is cancelled, before the POST_TEST_TRAFFIC_SHIFT pause it will reach.
      const slow = (family: string) => {
        const d = definition(family);
        d.containerDefinitions[0].command = ['sh', '-c', `sleep 4 && ${SERVE}`];
        Object.assign(d.containerDefinitions[0].healthCheck, { startPeriod: 60 });
        return d;
      };
      const { name, first, listeners, stopWatching } = await prepare(
        pausesAt('POST_TEST_TRAFFIC_SHIFT'),
        slow,
      );
      // Green never passes its health check: it times out (wait-timeout) and the run rolls back to release 1.
      // wait-timeout also bounds how long the post step follows that rollback to its pause (release 1's 4 s boot,
      // then its health check): 6 s was too short once on a loaded machine (three jest workers).
      const sick = definition(name);
      sick.containerDefinitions[0].healthCheck.command = ['CMD-SHELL', 'exit 1'];
      fx.resetFiles();
      const run = await cancelledRun({
        inputs: {
          service: name,
          'task-definition': fx.writeJson(`${name}-sick.json`, sick),
          environment: 'web:VERSION=2',
          'test-url': listeners.test.url,
          'expect-version': '2',
          'version-field': 'json:version',
          'poll-interval': '200ms',
          'wait-timeout': '12s',
        },
        // The rollback's deployment has started (UpdateService back to release 1).
        cancelWhen: (stdout) => stdout.includes(`started (${first})`),
      });
      expectCancelledThenWarned(
        run,
        new RegExp(
          `^${name}: this run's own rollback deployment was paused at POST_TEST_TRAFFIC_SHIFT; answered CONTINUE`,
        ),
      );
      // Never rolled back or stopped: the rollback's deployment is the way back, continued to its end.
      expect(
        fx.ecs.calls.filter((c) => /\.(StopServiceDeployment|ContinueServiceDeployment)$/.test(c)),
      ).toEqual(['AmazonEC2ContainerServiceV20141113.ContinueServiceDeployment']);
      expect(await fx.settlesOn(name, first)).toBe(first);
      let sd = await newestServiceDeployment(name);
      for (let i = 0; i < 200 && sd.status === 'IN_PROGRESS'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        sd = await newestServiceDeployment(name);
      }
      expect(sd.status).toBe('SUCCESSFUL');
      expect(sd.lifecycleHookDetails?.filter((h) => h.status === 'AWAITING_ACTION')).toEqual([]);
      expect([...(await stopWatching())]).toEqual(['1']);
    });
  },
);
