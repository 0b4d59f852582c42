import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import { createDeploymentRecords, createGitHubClient, type DeploymentRecords } from '@slipway/shared';
import { describeWithInfra } from '@slipway/testing';
import { container, Fixture, uniqueName } from './ecs-local-fixture';

jest.setTimeout(120_000);

const TOKEN = 'ghs_deploy_ecs_pre_deploy';
const ECS = 'AmazonEC2ContainerServiceV20141113';

describeWithInfra(
  'deploy-ecs pre-deploy: a one-off task of the new revision before UpdateService (ecs-local)',
  () => {
    const fx = new Fixture();
    let github: GitHubLocal;
    let records: DeploymentRecords;

    beforeAll(async () => {
      await fx.start();
      github = await startGitHubLocal({ token: TOKEN });
      Object.assign(process.env, {
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        // The CloudWatch Logs client finds the stand-in as it would find any endpoint on a runner.
        AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fx.ecs.url,
      });
      records = createDeploymentRecords(createGitHubClient(TOKEN, github.url), 'acme/app');
    });
    afterAll(async () => {
      await github?.close();
      await fx.stop();
    });

    /** A steady service whose web container logs through awslogs, and the file of its next revision. */
    async function prepare() {
      const name = uniqueName('migrate');
      const def = (release: string) => ({
        family: name,
        networkMode: 'bridge' as const,
        containerDefinitions: [
          {
            ...container('web'),
            environment: [{ name: 'RELEASE', value: release }],
            logConfiguration: {
              logDriver: 'awslogs' as const,
              options: {
                'awslogs-group': `/ecs/${name}`,
                'awslogs-stream-prefix': 'app',
                'awslogs-region': 'eu-west-1',
              },
            },
          },
        ],
      });
      const first = await fx.register(def('1'));
      await fx.service(name, first);
      return { name, first, file: fx.writeJson(`${name}.json`, def('2')) };
    }

    const deploy = (values: Record<string, string>) =>
      fx.deploy({ 'github-token': TOKEN, 'deployment-environment': 'staging', ...values });

    it('a migration that exits 1 fails the deploy before UpdateService, its last log lines in the summary', async () => {
      const { name, first, file } = await prepare();
      const r = await deploy({
        service: name,
        'task-definition': file,
        migration: '0042_orders',
        'pre-deploy-command':
          'echo "migrating release $RELEASE"; sleep 0.2; echo "ERROR: relation orders exists" >&2; exit 1',
      });
      expect(r.error?.message).toMatch(
        /^ECS deploy failed: the pre-deploy task failed \(exit code 1; EssentialContainerExited: Essential container in task exited\); no service was updated\. Last lines: migrating release 2 \| ERROR: relation orders exists$/,
      );
      expect(r.calls).toContain(`${ECS}.RunTask`);
      expect(r.calls).not.toContain(`${ECS}.UpdateService`);
      expect(r.calls).toContain('Logs_20140328.GetLogEvents');
      expect((await fx.describe(name)).taskDefinition).toBe(first);
      expect(r.outputs()).toMatchObject({ status: 'failed', 'pre-deploy-exit-code': '1' });
      expect(r.summary()).toContain('Pre-deploy task: failed');
      expect(r.summary()).toContain('No service was updated');
      expect(r.summary()).toContain('migrating release 2\nERROR: relation orders exists');
      expect(r.log).toContain('[pre-deploy] ERROR: relation orders exists');
      // The migration may have half-run: its deployment is recorded as failed, with its migration id.
      const [latest] = await records.history('staging');
      expect(latest.payload?.migration).toBe('0042_orders');
      expect(latest.statuses.at(-1)?.state).toBe('failure');
    });

    it('a migration that exits 0 runs on the new revision (with overrides), then the deploy proceeds; the migration id is recorded', async () => {
      const { name, first, file } = await prepare();
      const r = await deploy({
        service: name,
        'task-definition': file,
        migration: '0043_index',
        'pre-deploy-command':
          '["sh","-c","echo applied $STEP on $RELEASE to postgres://app:s3cret-pw@db/orders"]',
        'pre-deploy-overrides': JSON.stringify({
          containerOverrides: [{ name: 'web', environment: [{ name: 'STEP', value: '0043' }] }],
        }),
      });
      expect(r.error).toBeUndefined();
      expect(r.calls.indexOf(`${ECS}.RunTask`)).toBeLessThan(r.calls.indexOf(`${ECS}.UpdateService`));
      const second = first.replace(/:1$/, ':2');
      expect(r.outputs()).toMatchObject({
        status: 'succeeded',
        'task-definition-arn': second,
        'pre-deploy-exit-code': '0',
        'pre-deploy-task-arn': expect.stringMatching(/:task\//),
      });
      const task = (
        await fx.client.send(new DescribeTasksCommand({ tasks: [r.outputs()['pre-deploy-task-arn']] }))
      ).tasks![0];
      expect(task).toMatchObject({ taskDefinitionArn: second, startedBy: 'slipway-pre-deploy' });
      expect(r.summary()).toContain('applied 0043 on 2 to postgres://***@db/orders');
      // A connection URL's password, in the command or in what the task wrote, is never shown.
      expect(r.summary() + r.log.join('\n')).not.toContain('s3cret-pw');
      const [latest] = await records.history('staging');
      expect(latest.payload?.migration).toBe('0043_index');
      expect(latest.statuses.at(-1)?.state).toBe('success');
    });

    it('a migration that outlives pre-deploy-timeout is stopped with StopTask; no service is updated', async () => {
      const { name, first, file } = await prepare();
      const r = await deploy({
        service: name,
        'task-definition': file,
        'pre-deploy-command': 'echo "waiting for a lock"; sleep 60',
        'pre-deploy-timeout': '3s',
      });
      expect(r.error?.message).toMatch(
        /^ECS deploy timed-out: the pre-deploy task did not finish within pre-deploy-timeout \(3\.0s\)/,
      );
      expect(r.calls).toContain(`${ECS}.StopTask`);
      expect(r.calls).not.toContain(`${ECS}.UpdateService`);
      expect((await fx.describe(name)).taskDefinition).toBe(first);
      const task = (
        await fx.client.send(new DescribeTasksCommand({ tasks: [r.outputs()['pre-deploy-task-arn']] }))
      ).tasks![0];
      expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'UserInitiated' });
      expect(r.summary()).toContain('waiting for a lock');
      const running = await fx.client.send(
        new ListTasksCommand({ family: name.split(':')[0], startedBy: 'slipway-pre-deploy' }),
      );
      expect(running.taskArns).toEqual([]);
    });

    it("takes the service's network configuration and launch type (awsvpc, FARGATE) unless given", async () => {
      const name = uniqueName('migrate-vpc');
      const def = (release: string) => ({
        family: name,
        networkMode: 'awsvpc' as const,
        requiresCompatibilities: ['FARGATE' as const],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ ...container('web'), environment: [{ name: 'RELEASE', value: release }] }],
      });
      const network = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } };
      const first = await fx.register(def('1'));
      await fx.service(name, first, { launchType: 'FARGATE', networkConfiguration: network });
      // ecs-local refuses RunTask of an awsvpc definition without a network configuration, as ECS does.
      const r = await deploy({
        service: name,
        'task-definition': fx.writeJson(`${name}.json`, def('2')),
        'pre-deploy-command': 'echo ok',
      });
      expect(r.error).toBeUndefined();
      const task = (
        await fx.client.send(new DescribeTasksCommand({ tasks: [r.outputs()['pre-deploy-task-arn']] }))
      ).tasks![0];
      expect(task.launchType).toBe('FARGATE');
      expect(r.summary()).toContain('Its container does not log to CloudWatch Logs');
    });

    it('refuses a pre-deploy-container the definition does not have, before any change', async () => {
      const { name, first, file } = await prepare();
      const r = await deploy({
        service: name,
        'task-definition': file,
        'pre-deploy-command': 'true',
        'pre-deploy-container': 'db',
      });
      expect(r.error?.message).toMatch(
        /^Input "pre-deploy-container" names db, which is not a container of the task definition \(web\)/,
      );
      expect(r.calls.filter((c) => /RegisterTaskDefinition|RunTask|UpdateService/.test(c))).toEqual([]);
      expect((await fx.describe(name)).taskDefinition).toBe(first);
    });
  },
);
