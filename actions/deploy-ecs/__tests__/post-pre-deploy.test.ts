import { DescribeTasksCommand, RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { InputReader, mapInputs } from '@slipway/shared';
import { describeWithInfra } from '@slipway/testing';
import { getInputs } from '../src/inputs';
import { defaultDeps, type PostState } from '../src/main';
import { post } from '../src/post';
import { Fixture, uniqueName } from './ecs-local-fixture';

jest.setTimeout(90_000);

describeWithInfra(
  'deploy-ecs post step: a pre-deploy task the cancelled main step left running (ecs-local)',
  () => {
    const fx = new Fixture();
    beforeAll(() => fx.start());
    afterAll(() => fx.stop());

    it('is stopped with StopTask, with a warning naming it; nothing else is touched', async () => {
      const family = uniqueName('abandoned');
      const arn = await fx.register({
        family,
        containerDefinitions: [{ name: 'app', image: 'local/busybox:1', command: ['sh', '-c', 'sleep 60'] }],
      });
      const taskArn = (await fx.client.send(new RunTaskCommand({ taskDefinition: arn }))).tasks![0].taskArn!;
      const state: Partial<PostState> = {
        following: null,
        preDeployTask: { cluster: 'default', taskArn, githubDeploymentId: 17 },
      };
      const warnings: string[] = [];
      const finished: unknown[] = [];
      fx.resetFiles();
      await post(
        {
          ...defaultDeps(),
          log: () => undefined,
          warning: (message) => warnings.push(message),
          records: () =>
            ({
              finish: async (...args: unknown[]) => void finished.push(args),
            }) as never,
          state: { save: () => undefined, get: (key) => state[key] as never },
        },
        () => getInputs(new InputReader(mapInputs({ service: 'web', endpoint: fx.ecs.url }))),
      );
      expect(warnings).toEqual([
        expect.stringContaining(`pre-deploy task ${taskArn} ran (the run was cancelled`),
      ]);
      expect(fx.ecs.calls).toEqual(['AmazonEC2ContainerServiceV20141113.StopTask']);
      // The GitHub Deployment the main step began is closed, never left in progress.
      expect(finished).toEqual([
        [17, 'failure', { description: expect.stringContaining('no service was updated') }],
      ]);
      for (let i = 0; i < 200; i++) {
        const task: Task = (await fx.client.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks![0];
        if (task.lastStatus === 'STOPPED') {
          expect(task).toMatchObject({
            stopCode: 'UserInitiated',
            stoppedReason: 'Slipway: the run was cancelled while the pre-deploy task ran',
          });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the pre-deploy task was never stopped');
    });
  },
);
