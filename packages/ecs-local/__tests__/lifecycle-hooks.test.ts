import {
  ContinueServiceDeploymentCommand,
  type CreateServiceCommandInput,
  DescribeServiceDeploymentsCommand,
  type ECSClient,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { describeWithInfra } from '@slipway/testing';
import { waitFor } from './ecs-client';
import {
  createService,
  describeService,
  FAST,
  registerWeb,
  uniqueName,
  useEcsLocal,
  waitForRollout,
} from './fixtures';

jest.setTimeout(90_000);

const PAUSES = {
  strategy: 'BLUE_GREEN' as const,
  bakeTimeInMinutes: 0,
  lifecycleHooks: [
    {
      targetType: 'PAUSE' as const,
      lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
    },
  ],
} satisfies CreateServiceCommandInput['deploymentConfiguration'];

describeWithInfra(
  'ecs-local lifecycle hooks: PAUSE and ContinueServiceDeployment (real Docker tasks)',
  () => {
    const local = useEcsLocal();
    let client: ECSClient;
    beforeAll(() => {
      client = local.client;
    });

    async function serviceDeployment(arn: string) {
      const out = await client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
      return out.serviceDeployments![0];
    }

    const pausedAt = (arn: string, stage: string) =>
      waitFor(
        () => serviceDeployment(arn),
        (sd) => sd.lifecycleStage === stage && sd.lifecycleHookDetails?.at(-1)?.status === 'AWAITING_ACTION',
        `paused at ${stage}`,
      );

    /** A blue/green service on blue, its listeners, and a deployment of green started. */
    async function startGreen() {
      const name = uniqueName('bg');
      const blue = await registerWeb(client, name);
      await createService(client, name, blue, { deploymentConfiguration: PAUSES });
      await waitForRollout(client, name, 'COMPLETED');
      const listeners = await local.ecs.ecs.listeners(name);
      const green = await registerWeb(client, name, 'healthy');
      const updated = await client.send(new UpdateServiceCommand({ service: name, taskDefinition: green }));
      return { name, blue, green, listeners, sdArn: updated.service!.currentServiceDeployment! };
    }

    it('refuses a PAUSE hook at TEST_TRAFFIC_SHIFT, and lifecycle hooks on a rolling service, as ECS does', async () => {
      const name = uniqueName('bad');
      const arn = await registerWeb(client, name);
      await expect(
        createService(client, name, arn, {
          deploymentConfiguration: {
            strategy: 'BLUE_GREEN',
            lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }],
          },
        }),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: expect.stringMatching(/TEST_TRAFFIC_SHIFT/),
      });
      await expect(
        createService(client, name, arn, {
          deploymentConfiguration: {
            lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
          },
        }),
      ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    });

    it('pauses at each PAUSE stage until continued; test traffic reaches green first, production only after its shift', async () => {
      const { name, blue, green, listeners, sdArn } = await startGreen();
      const first = await pausedAt(sdArn, 'POST_TEST_TRAFFIC_SHIFT');
      const hook = first.lifecycleHookDetails!.at(-1)!;
      expect(hook).toMatchObject({
        targetType: 'PAUSE',
        timeoutAction: 'ROLLBACK',
        hookId: expect.stringMatching(/^ecs-pause-/),
      });
      expect(first.status).toBe('IN_PROGRESS');
      expect((await fetch(listeners.test.url)).status).toBe(200);
      expect((await fetch(listeners.production.url)).status).toBe(200);
      expect([...listeners.test.served]).toEqual([green]);
      expect([...listeners.production.served]).toEqual([blue]);
      // It waits: a second later it is still paused there.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await serviceDeployment(sdArn)).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
      expect(first.targetServiceRevision).toMatchObject({
        requestedTestTrafficWeight: 100,
        requestedProductionTrafficWeight: 0,
      });

      await client.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: sdArn,
          hookId: hook.hookId,
          action: 'CONTINUE',
        }),
      );
      const second = await pausedAt(sdArn, 'POST_PRODUCTION_TRAFFIC_SHIFT');
      expect(second.lifecycleHookDetails!.map((h) => h.status)).toEqual(['SUCCEEDED', 'AWAITING_ACTION']);
      listeners.production.served.clear();
      expect((await fetch(listeners.production.url)).status).toBe(200);
      expect([...listeners.production.served]).toEqual([green]);
      // The same hook cannot be answered twice.
      await expect(
        client.send(
          new ContinueServiceDeploymentCommand({ serviceDeploymentArn: sdArn, hookId: hook.hookId }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidParameterException' });

      await client.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: sdArn,
          hookId: second.lifecycleHookDetails![1].hookId!,
        }),
      );
      await waitFor(
        () => serviceDeployment(sdArn),
        (sd) => sd.status === 'SUCCESSFUL',
        'SUCCESSFUL',
      );
      expect((await describeService(client, name)).taskDefinition).toBe(green);
    });

    it('ROLLBACK at POST_TEST_TRAFFIC_SHIFT: ECS rolls back to blue, and production never reached green', async () => {
      const { name, blue, green, listeners, sdArn } = await startGreen();
      const paused = await pausedAt(sdArn, 'POST_TEST_TRAFFIC_SHIFT');
      await client.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: sdArn,
          hookId: paused.lifecycleHookDetails!.at(-1)!.hookId!,
          action: 'ROLLBACK',
        }),
      );
      const rolled = await waitFor(
        () => serviceDeployment(sdArn),
        (sd) => sd.status === 'ROLLBACK_SUCCESSFUL',
        'rolled back',
      );
      expect(rolled.lifecycleHookDetails!.map((h) => h.status)).toEqual(['FAILED']);
      expect(rolled.rollback?.reason).toMatch(
        /lifecycle hook at POST_TEST_TRAFFIC_SHIFT was answered with ROLLBACK/,
      );
      expect((await describeService(client, name)).taskDefinition).toBe(blue);
      expect((await fetch(listeners.production.url)).status).toBe(200);
      expect(listeners.production.served.has(green)).toBe(false);
    });
  },
);

describeWithInfra(
  'ecs-local LINEAR and CANARY: production traffic shifts step by step (real Docker tasks)',
  () => {
    // Each step's bake (stepBakeTimeInMinutes, scaled): long enough for polls every 20ms to see every step.
    const local = useEcsLocal(() => ({ timings: { ...FAST.timings, stepBakeMs: 400 } }));

    it.each([
      ['LINEAR', { linearConfiguration: { stepPercent: 25 } }, [25, 50, 75, 100]],
      ['CANARY', { canaryConfiguration: { canaryPercent: 10 } }, [10, 100]],
    ] as const)(
      '%s: PRODUCTION_TRAFFIC_SHIFT once per increment (its hooks each time), production split, then POST_PRODUCTION_TRAFFIC_SHIFT once',
      async (strategy, extra, steps) => {
        const { client } = local;
        const name = uniqueName(strategy.toLowerCase());
        const blue = await registerWeb(client, name);
        await createService(client, name, blue, {
          deploymentConfiguration: {
            strategy,
            ...extra,
            bakeTimeInMinutes: 0,
            lifecycleHooks: [
              {
                targetType: 'AWS_LAMBDA',
                hookTargetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:check',
                roleArn: 'arn:aws:iam::123456789012:role/ecs-hooks',
                lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'],
              },
              { targetType: 'PAUSE', lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'] },
            ],
          },
        });
        await waitForRollout(client, name, 'COMPLETED');
        const listeners = await local.ecs.ecs.listeners(name);
        const green = await registerWeb(client, name, 'healthy');
        const updated = await client.send(new UpdateServiceCommand({ service: name, taskDefinition: green }));
        const sdArn = updated.service!.currentServiceDeployment!;
        const describe = async () =>
          (await client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [sdArn] })))
            .serviceDeployments![0];

        // Every weight production had during PRODUCTION_TRAFFIC_SHIFT, green's and blue's, until the pause after it.
        const seen: Array<[number | undefined, number | undefined]> = [];
        let split = false;
        for (let i = 0; i < 1500; i++) {
          const sd = await describe();
          if (sd.lifecycleStage === 'POST_PRODUCTION_TRAFFIC_SHIFT') break;
          if (sd.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT') {
            const weights: [number | undefined, number | undefined] = [
              sd.targetServiceRevision?.requestedProductionTrafficWeight,
              sd.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight,
            ];
            if (seen.at(-1)?.[0] !== weights[0]) seen.push(weights);
            // Mid-shift, production's requests go to both fleets.
            if (!split && weights[0] === steps[0] && steps[0] < 100) {
              listeners.production.served.clear();
              for (let r = 0; r < 20; r++) await fetch(listeners.production.url);
              split = listeners.production.served.has(green) && listeners.production.served.has(blue);
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const paused = await describe();
        expect(paused.lifecycleStage).toBe('POST_PRODUCTION_TRAFFIC_SHIFT');
        // (At 100% it moves on at the next tick: a poll may or may not see that step there.)
        expect(seen.map(([g]) => g).filter((g) => g !== 100)).toEqual(steps.filter((s) => s < 100));
        expect(seen.every(([g, b]) => (g ?? 0) + (b ?? 0) === 100)).toBe(true);
        expect(split).toBe(true);
        expect(paused.targetServiceRevision?.requestedProductionTrafficWeight).toBe(100);
        // The Lambda hook ran at each increment; the pause came once, after the last.
        expect(paused.lifecycleHookDetails?.map((h) => `${h.targetType} ${h.status}`)).toEqual([
          ...steps.map(() => 'AWS_LAMBDA SUCCEEDED'),
          'PAUSE AWAITING_ACTION',
        ]);
        await client.send(
          new ContinueServiceDeploymentCommand({
            serviceDeploymentArn: sdArn,
            hookId: paused.lifecycleHookDetails!.at(-1)!.hookId!,
          }),
        );
        await waitFor(describe, (sd) => sd.status === 'SUCCESSFUL', 'SUCCESSFUL');
        listeners.production.served.clear();
        await fetch(listeners.production.url);
        expect([...listeners.production.served]).toEqual([green]);
      },
    );
  },
);
