// A failed analysis rolls back, through the reusable workflows as written (deploy-compose.yml, deploy-ecs.yml
// called directly, as pipeline.yml calls them; no build): on Compose the new release's own metrics, scraped by
// the real Prometheus, show errors during the bake; on ECS a CloudWatch alarm (cloudwatch-local, the real SDK)
// goes into ALARM during the bake. Either way the smoke step fails on the analysis, the workflow's rollback step
// runs, and the old version serves again.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CloudWatchLocal, startCloudWatchLocal } from '@slipway/ecs-local';
import { type GitHubLocal, startGitHubLocal } from '@slipway/github-local';
import { RegistryClient } from '@slipway/shared';
import { deleteRegistryRepository, describeWithInfra, repoRoot, startRateLoad } from '@slipway/testing';
import { type ActionStandIn, runWorkflow, type TimelineEvent } from '@slipway/workflow-runner';
import { writeCompose } from '../actions/deploy-compose/__tests__/fixtures/compose';
import { cleanHost, hostName, REMOTE_DIR } from '../actions/deploy-compose/__tests__/fixtures/hosts';
import { CREDENTIALS, EcsWorld, REPO, TOKEN } from '../actions/rollback/__tests__/ecs-fixture';
import { buildMetricsImage, scrapeTarget } from './e2e/metrics-image';
import { failures, freePort, stepsOf } from './e2e/world';

jest.setTimeout(300_000);

/** The job's workspace as actions/checkout leaves it: the files of `dir`. */
const checkoutOf =
  (dir: string): ActionStandIn =>
  (_inputs, { workspace }) => {
    cpSync(dir, workspace, { recursive: true });
    return { outcome: 'success', outputs: {}, log: `checked out ${REPO}` };
  };

/** When the step running our action `name` ended (from the runner's timeline). */
const stepEnd = (events: TimelineEvent[], name: string) =>
  events.find((e) => e.kind === 'step' && e.step?.endsWith(`actions/${name}`))?.at ?? Number.NaN;

describeWithInfra('a failed analysis rolls back through the reusable workflows', (infra) => {
  describe('Compose: the new release’s error rate, scraped by Prometheus, fails the bake', () => {
    const host = infra.ssh.hosts.find((h) => h.compose === 'v2') ?? infra.ssh.hosts[0];
    const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const project = `an${suffix}`;
    const repo = `${infra.registry.open}/${project}/web`;
    const dir = mkdtempSync(join(tmpdir(), 'slipway-analysis-e2e-'));
    const versions = { good: `good-${suffix}`, bad: `bad-${suffix}` };
    const images: Record<string, string> = {};
    let port = 0;
    let github: GitHubLocal;
    let unscrape = () => {};
    const ANALYSIS = `
metrics:
  - name: error-rate
    query: sum(rate(http_requests_total{version="{{ version }}",code="500"}[5s])) / sum(rate(http_requests_total{version="{{ version }}"}[5s]))
    success-condition: result < 0.05
    initial-delay: 3s
    interval: 2s
`;

    const deploy = (version: keyof typeof versions, bake: string, onEvent?: (e: TimelineEvent) => void) =>
      runWorkflow({
        repoRoot,
        workflow: '.github/workflows/deploy-compose.yml',
        eventName: 'workflow_call',
        inputs: {
          environment: 'production',
          'image-ref': images[version],
          'expect-version': versions[version],
          'smoke-samples': 3,
          analysis: 'analysis.yml',
          bake,
        },
        github: { repository: REPO, repository_owner: 'acme', token: TOKEN },
        vars: {
          SLIPWAY_PROJECT: project,
          SLIPWAY_REMOTE_DIR: REMOTE_DIR,
          SLIPWAY_KNOWN_HOSTS: readFileSync(infra.ssh.knownHostsHashed, 'utf8'),
          SLIPWAY_PROMETHEUS_URL: infra.prometheus?.url ?? '',
        },
        secrets: { SSH_KEY: readFileSync(infra.ssh.clientKey, 'utf8') },
        environments: {
          production: { vars: { SLIPWAY_HOSTS: hostName(host), SLIPWAY_URL: `http://127.0.0.1:${port}/` } },
        },
        env: { GITHUB_API_URL: github.url },
        standIns: { 'actions/checkout': checkoutOf(dir) },
        onEvent,
      });

    beforeAll(async () => {
      if (!infra.prometheus) throw new Error('infra.json has no "prometheus": run scripts/infra.sh up');
      port = await freePort();
      github = await startGitHubLocal({ token: TOKEN, wallClock: true });
      writeCompose(dir, repo, port);
      writeFileSync(join(dir, 'analysis.yml'), ANALYSIS);
      images.good = buildMetricsImage(repo, versions.good);
      // Half of the bad release's requests fail: its /version answers fine, so only its metrics tell.
      images.bad = buildMetricsImage(repo, versions.bad, 2);
      unscrape = scrapeTarget(infra.prometheus.targets, project, port);
    });
    afterAll(async () => {
      unscrape();
      await cleanHost(infra, host, project);
      await github?.close();
      await deleteRegistryRepository(infra.registry.open, `${project}/web`);
      rmSync(dir, { recursive: true, force: true });
    });

    it('a good release passes its bake; a release whose errors climb fails it, is rolled back, and the old version serves', async () => {
      const load = startRateLoad(`http://127.0.0.1:${port}/cgi-bin/work`, {
        rate: 10,
        maxDurationMs: 240_000,
      });
      try {
        const good = await deploy('good', '6s');
        const job = good.jobs.deploy;
        expect({ result: good.result, failed: failures(job) }).toEqual({ result: 'success', failed: [] });
        expect(job.outputs['smoke-result']).toBe('passed');
        expect(job.steps.find((s) => s.id === 'smoke')?.log).toContain('Analysis passed');

        const events: TimelineEvent[] = [];
        const bad = await deploy('bad', '2m', (e) => events.push(e));
        const badJob = bad.jobs.deploy;
        expect(bad.result).toBe('failure');
        expect(stepsOf(badJob)).toEqual([
          '__step0:success',
          'deploy:success',
          'smoke:failure',
          'rollback:success',
        ]);
        const smoke = badJob.steps.find((s) => s.id === 'smoke');
        expect(smoke?.outputs).toMatchObject({ result: 'failed', 'analysis-result': 'failed' });
        expect(smoke?.log).toMatch(/error-rate failed: 1 measurement\(s\) failed result < 0.05/);
        // failed at the first measurements, not at the end of the 2m bake
        expect(stepEnd(events, 'smoke-test') - stepEnd(events, 'deploy-compose')).toBeLessThan(60_000);
        expect(badJob.steps.find((s) => s.id === 'rollback')?.outputs.result).toBe('rolled-back');
        const answer = await fetch(`http://127.0.0.1:${port}/`);
        expect((await answer.text()).trim()).toBe(versions.good);
      } finally {
        await load.stop();
      }
    });
  });

  describe('ECS: a CloudWatch alarm (selected by tag) that goes into ALARM during the bake', () => {
    const aws = new EcsWorld();
    let cw: CloudWatchLocal;
    const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const service = `shop-production-${suffix}`;
    const dir = mkdtempSync(join(tmpdir(), 'slipway-analysis-ecs-'));
    let url = '';
    let firstArn = '';

    beforeAll(async () => {
      await aws.start();
      cw = await startCloudWatchLocal();
      firstArn = (await aws.service(service, 'production', { version: 'v1' })).arn;
      url = (await aws.balancer(service)).url;
      // The release under test: the same family, answering v2 (deploy-ecs puts the image in).
      writeFileSync(
        join(dir, 'task-definition.json'),
        JSON.stringify({
          family: service,
          containerDefinitions: [
            {
              name: 'web',
              image: 'replaced-by-deploy',
              command: [
                'sh',
                '-c',
                `echo '{"version":"v2"}' > /www/index.html && exec httpd -f -p 8080 -h /www`,
              ],
              portMappings: [{ containerPort: 8080 }],
              healthCheck: { command: ['CMD-SHELL', 'wget -qO- http://127.0.0.1:8080/ || exit 1'] },
            },
          ],
        }),
      );
    });
    afterAll(async () => {
      await cw?.close();
      await aws.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the alarm fails the smoke step within an interval, the rollback restores the previous task definition, and the old version serves', async () => {
      // The service's alarms, selected by their tag (as a team tags them in its infrastructure code).
      const prefix = `${service}-`;
      const tagged = (name: string, state: 'OK' | 'ALARM', since?: Date) => {
        cw.setAlarm(name, state, since);
        cw.tagAlarm(name, { service });
      };
      tagged(`${prefix}5xx`, 'OK');
      tagged(`${prefix}p99`, 'OK');
      // Already firing before the deploy (another cause): reported, not held against this release.
      tagged(`${prefix}cpu`, 'ALARM', new Date(Date.now() - 3_600_000));
      // Another service's alarm, firing throughout: not this release's.
      cw.setAlarm(`${prefix}neighbour`, 'ALARM');
      cw.tagAlarm(`${prefix}neighbour`, { service: 'billing' });
      const registry = new RegistryClient({ registry: infra.registry.open });
      const head = await registry.headManifest('slipway/busybox', '1');
      const imageRef = `${infra.registry.open}/slipway/busybox@${head?.digest}`;

      // The alarm fires 2s after the bake's first look at the alarms.
      let firedAt = 0;
      const watch = setInterval(() => {
        if (!firedAt && cw.calls.includes('DescribeAlarms')) {
          firedAt = -1;
          setTimeout(() => {
            cw.setAlarm(`${prefix}5xx`, 'ALARM');
            firedAt = Date.now();
          }, 2_000);
        }
      }, 100);
      const events: TimelineEvent[] = [];
      const result = await runWorkflow({
        repoRoot,
        workflow: '.github/workflows/deploy-ecs.yml',
        eventName: 'workflow_call',
        inputs: {
          environment: 'production',
          'image-ref': imageRef,
          'task-definition': 'task-definition.json',
          'smoke-samples': 3,
          'expect-version': 'v2',
          'version-field': 'json:version',
          analysis: `metrics:\n  - name: alarms\n    provider: cloudwatch\n    alarm-tags: { service: ${service} }\n    interval: 1s\n`,
          bake: '2m',
        },
        github: { repository: REPO, repository_owner: 'acme', token: TOKEN },
        vars: { SLIPWAY_AWS_REGION: CREDENTIALS.AWS_REGION, SLIPWAY_ECS_POLL_INTERVAL: '1s' },
        environments: { production: { vars: { SLIPWAY_ECS_SERVICES: service, SLIPWAY_URL: url } } },
        env: {
          ...CREDENTIALS,
          GITHUB_API_URL: aws.github.url,
          AWS_ENDPOINT_URL_ECS: aws.ecs.url,
          AWS_ENDPOINT_URL_CLOUDWATCH: cw.url,
        },
        standIns: { 'actions/checkout': checkoutOf(dir) },
        onEvent: (e) => events.push(e),
      }).finally(() => clearInterval(watch));

      const job = result.jobs.deploy;
      expect(failures(job)).toEqual([expect.stringMatching(/^smoke: /)]);
      expect(stepsOf(job)).toEqual([
        '__step0:success',
        '__step1:skipped',
        'deploy:success',
        'smoke:failure',
        'rollback:success',
      ]);
      const smoke = job.steps.find((s) => s.id === 'smoke');
      // (when the HTTP checks failed first, no analysis ran: the step's own words say why)
      const why = smoke?.outputs['analysis-result']
        ? []
        : (smoke?.log ?? '').split('\n').filter((l) => /::error|failed|answered/.test(l));
      expect({ ...smoke?.outputs, why }).toMatchObject({
        result: 'failed',
        'analysis-result': 'failed',
        why: [],
      });
      expect(smoke?.log).toContain(`alarm="${prefix}5xx", state="ALARM"`);
      expect(smoke?.log).toMatch(
        new RegExp(
          `alarm ${prefix}cpu has been in ALARM since \\S+, before the deploy began: reported, not counted`,
        ),
      );
      expect(smoke?.log).not.toMatch(new RegExp(`failed: .*${prefix}cpu`));
      expect(smoke?.log).not.toContain('neighbour');
      // "before the deploy": deploy-ecs's started-at reached the smoke test as deployed-at
      expect(job.steps.find((s) => s.id === 'deploy')?.outputs['started-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(firedAt).toBeGreaterThan(0);
      // the interval is 1s: the step fails within a few seconds of the alarm, not at the end of the bake
      expect(stepEnd(events, 'smoke-test') - firedAt).toBeLessThan(15_000);
      expect(job.steps.find((s) => s.id === 'rollback')?.outputs.result).toBe('rolled-back');
      expect((await aws.describe(service)).taskDefinition).toBe(firstArn);
      expect(await (await fetch(url)).json()).toEqual({ version: 'v1' });
    });
  });
});
