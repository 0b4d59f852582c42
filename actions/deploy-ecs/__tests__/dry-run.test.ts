import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import { createDeploymentRecords, createGitHubClient } from '@slipway/shared';
import { describeWithInfra } from '@slipway/testing';
import type { EcsPlan } from '../src/plan';
import { container, Fixture, uniqueName } from './ecs-local-fixture';

jest.setTimeout(90_000);

const TOKEN = 'ghs_deploy_ecs_dry_run';
const BAD = `sha256:${'d'.repeat(64)}`;
/** Every ECS call that changes something. */
const WRITES =
  /\.(RegisterTaskDefinition|UpdateService|CreateService|DeleteService|DeregisterTaskDefinition|RunTask|StopTask|TagResource)$/;

describeWithInfra(
  'deploy-ecs dry-run: the plan, and no call that changes anything (ecs-local, github-local)',
  () => {
    const fx = new Fixture();
    let github: GitHubLocal;

    beforeAll(async () => {
      await fx.start();
      github = await startGitHubLocal({ token: TOKEN });
      Object.assign(process.env, {
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_SHA: 'abc',
      });
      const records = createDeploymentRecords(createGitHubClient(TOKEN, github.url), 'acme/app');
      const id = await records.start({
        environment: 'production',
        sha: 'old',
        payload: { slipway: 1, target: 'ecs', images: { web: `127.0.0.1:5000/dry/web@${BAD}` }, sha: 'old' },
        description: 'a bad release',
      });
      await records.markBad(id, 'it leaked memory');
    });
    afterAll(async () => {
      await github?.close();
      await fx.stop();
    });

    async function dryRun(values: Record<string, string>) {
      const deployments = github.store.deployments.length;
      const run = await fx.deploy({
        'dry-run': 'true',
        'github-token': TOKEN,
        'deployment-environment': 'production',
        ...values,
      });
      return {
        ...run,
        plan: run.outputs().plan ? (JSON.parse(run.outputs().plan) as EcsPlan) : undefined,
        writes: run.calls.filter((c) => WRITES.test(c)),
        newDeployments: github.store.deployments.length - deployments,
      };
    }

    it('a changed definition: the diff per service, a revision that would be registered, nothing called that writes', async () => {
      const { name, first } = await fx.prepare('healthy');
      const other = uniqueName('web');
      await fx.service(other, first);
      const run = await dryRun({ services: `${name}\n${other}`, environment: 'web:LOG_LEVEL=debug' });
      expect(run.error).toBeUndefined();
      expect(run.plan).toEqual({
        target: 'ecs',
        cluster: 'default',
        family: name,
        origin: expect.stringContaining(name),
        revision: { action: 'register' },
        services: [name, other].map((service) => ({
          service,
          current: first,
          action: 'update',
          changes: [{ path: 'containerDefinitions[web].environment[LOG_LEVEL].value', after: 'debug' }],
        })),
        changes: true,
      });
      expect(run.summary()).toContain('a new revision of');
      expect(run.summary()).toContain(
        '| `containerDefinitions[web].environment[LOG_LEVEL].value` |  | debug |',
      );
      // the watcher sees the calls made (reads only), and GitHub got no deployment
      expect(run.calls).toContain('AmazonEC2ContainerServiceV20141113.DescribeServices');
      expect(run.writes).toEqual([]);
      expect(run.newDeployments).toBe(0);
      expect(run.outputs()['task-definition-arn']).toBeUndefined();
      expect((await fx.describe(name)).taskDefinition).toBe(first);
    });

    it('the definition a service runs: reused, the service stays; another revision by ARN: reused, the service updated', async () => {
      const { name, first } = await fx.prepare('healthy');
      const same = await dryRun({ service: name });
      expect(same.plan).toMatchObject({
        revision: { action: 'reuse', arn: first },
        services: [{ service: name, action: 'stay', changes: [] }],
        changes: false,
      });
      const second = await fx.register({
        family: name,
        networkMode: 'bridge',
        containerDefinitions: [{ ...container('web'), environment: [{ name: 'REV', value: '2' }] }],
      });
      const other = await dryRun({ service: name, 'task-definition': second });
      expect(other.plan).toMatchObject({
        revision: { action: 'reuse', arn: second },
        services: [{ service: name, current: first, action: 'update' }],
        changes: true,
      });
      expect([...same.writes, ...other.writes]).toEqual([]);
    });

    it('the bad-digest guard still refuses, before any plan', async () => {
      const { name } = await fx.prepare('healthy');
      const run = await dryRun({ service: name, images: `web=127.0.0.1:5000/dry/web@${BAD}` });
      expect(run.error?.message).toMatch(/it leaked memory/);
      expect(run.plan).toBeUndefined();
      expect(run.writes).toEqual([]);
    });
  },
);
