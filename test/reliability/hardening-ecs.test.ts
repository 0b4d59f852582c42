import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { FaultRule } from '@slipway/ecs-local';
import { type ActionRun, describeWithInfra, type RunOptions, repoRoot, runBundle } from '@slipway/testing';
import {
  CREDENTIALS,
  container,
  Fixture,
  uniqueName,
} from '../../actions/deploy-ecs/__tests__/ecs-local-fixture';
import {
  EcsWorld,
  FAST_INPUTS,
  CREDENTIALS as ROLLBACK_CREDENTIALS,
  TOKEN,
} from '../../actions/rollback/__tests__/ecs-fixture';

// ECS faults of issue 17 (classes 17-19), through the bundles as the runner runs them, against ecs-local speaking
// AWS JSON 1.1 to the unmodified @aws-sdk/client-ecs (its fault rules answer per service, or with raw bodies).
jest.setTimeout(120_000);

const errorsOf = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const messagesOf = (run: ActionRun, level: string) =>
  run.annotations.filter((a) => a.level === level).map((a) => a.message);

const runnerRoots: string[] = [];
afterEach(() => {
  for (const root of runnerRoots.splice(0)) rmSync(root, { recursive: true, force: true });
});

async function run(action: string, options: Omit<RunOptions, 'action'>): Promise<ActionRun> {
  const result = await runBundle({ action: `${repoRoot}/actions/${action}`, timeoutMs: 90_000, ...options });
  runnerRoots.push(result.dirs.root);
  return result;
}

const HTML_502 = {
  status: 502,
  contentType: 'text/html',
  body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body>\r\n</html>\r\n',
};
const XML_403 = {
  status: 403,
  contentType: 'text/xml',
  body:
    '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
    '<Message>Request blocked by the egress proxy</Message></Error><RequestId>r-1</RequestId></ErrorResponse>\n',
};

describeWithInfra('ECS faults of issue 17, through the bundles', () => {
  const fx = new Fixture();
  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  const deploy = (inputs: Record<string, string>) =>
    run('deploy-ecs', {
      env: { ...CREDENTIALS, AWS_ENDPOINT_URL_ECS: fx.ecs.url },
      inputs: { 'poll-interval': '200ms', ...inputs },
    });

  it('UpdateService refused for a later service: the services this run moved go back; each service reported', async () => {
    const family = uniqueName('split');
    const def = (rev: string) => ({
      family,
      networkMode: 'bridge' as const,
      containerDefinitions: [{ ...container('web'), environment: [{ name: 'REV', value: rev }] }],
    });
    const [revA, revB] = [await fx.register(def('a')), await fx.register(def('b'))];
    const [a, b] = [uniqueName('web-a'), uniqueName('web-b')];
    await Promise.all([fx.service(a, revA), fx.service(b, revB)]);
    const file = fx.writeJson(`${family}.json`, def('new'));
    fx.ecs.calls.length = 0;
    fx.ecs.faults.add({ operation: 'UpdateService', error: 'AccessDeniedException', when: { service: b } });
    try {
      const result = await deploy({ services: `${a}\n${b}`, 'task-definition': file });
      expect(result.exitCode).toBe(1);
      expect(errorsOf(result)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^ECS deploy failed: ${b} failed \\(not started: Access denied on ecs:UpdateService .*\\); ` +
              `rolled back with them: ${a} \\(succeeded\\)$`,
          ),
        ),
      ]);
      // Not split: a is back on its own revision, b never left its own.
      expect([(await fx.describe(a)).taskDefinition, (await fx.describe(b)).taskDefinition]).toEqual([
        revA,
        revB,
      ]);
      expect(result.outputs).toMatchObject({
        status: 'failed',
        'rolled-back': 'true',
        'previous-task-definition-arn': `${revA},${revB}`,
        'deployment-id': expect.stringMatching(/^ecs-svc\/\d+,$/),
      });
      expect(result.outputs.reason).toMatch(
        new RegExp(
          `^${a}: .*; rolled back to ${revA} because ${b} failed: succeeded .*; ${b}: not started: `,
        ),
      );
      expect(result.stdout + result.outputs.reason).not.toMatch(/could not be followed/);
      expect(fx.ecs.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(3); // a, b refused, a back
    } finally {
      fx.ecs.faults.clear();
    }
  });

  it('an HTML 502 page from a proxy, passing: the call is retried, naming the status, and the deploy succeeds', async () => {
    const { name, file } = await fx.prepare('healthy');
    fx.ecs.faults.add({ operation: 'DescribeServices', response: HTML_502, times: 2 });
    try {
      const result = await deploy({ service: name, 'task-definition': file, environment: 'X=1' });
      expect(errorsOf(result)).toEqual([]);
      expect(result.outputs.status).toBe('succeeded');
      const retried = result.stdout.match(
        /^ecs:DescribeServices - HTTP 502 \(not AWS JSON\); try \d in \d+ms$/gm,
      );
      expect(retried).toHaveLength(2);
    } finally {
      fx.ecs.faults.clear();
    }
  });

  it.each<[string, FaultRule['response'], RegExp]>([
    [
      'an HTML 502 page that lasts: transient, retried, then named with its status and first line',
      HTML_502,
      /^ecs:DescribeServices: AWS answered HTTP 502 with text\/html, not AWS JSON: "502 Bad Gateway"\. /,
    ],
    [
      'an XML error body: a named AWS error with the status',
      XML_403,
      /^Access denied on ecs:DescribeServices \(AccessDenied: HTTP 403 .*Request blocked by the egress proxy.*add ecs:DescribeServices/,
    ],
  ])(
    'a non-JSON answer from AWS is classified, never "a bug in Slipway": %s',
    async (_name, response, message) => {
      const { name, file } = await fx.prepare('healthy');
      fx.ecs.calls.length = 0;
      fx.ecs.faults.add({ operation: 'DescribeServices', response });
      try {
        const result = await deploy({ service: name, 'task-definition': file, environment: 'X=2' });
        expect(result.exitCode).toBe(1);
        expect(errorsOf(result)).toEqual([expect.stringMatching(message)]);
        expect(result.stdout + result.stderr).not.toMatch(/bug in Slipway/);
        expect(fx.ecs.calls.filter((c) => /RegisterTaskDefinition|UpdateService/.test(c))).toEqual([]);
      } finally {
        fx.ecs.faults.clear();
      }
    },
  );
});

describeWithInfra(
  'rollback with an explicit "to" where the service-deployments API is missing or denied',
  () => {
    const world = new EcsWorld();
    beforeAll(() => world.start(), 60_000);
    afterAll(() => world.stop(), 60_000);

    it.each<[string, FaultRule]>([
      [
        'ListServiceDeployments not emulated (501 InternalFailure, as LocalStack answers)',
        {
          operation: 'ListServiceDeployments',
          response: {
            status: 501,
            contentType: 'application/x-amz-json-1.1',
            body: '{"__type":"InternalFailure","message":"API action \'ListServiceDeployments\' for service \'ecs\' not yet implemented"}',
          },
        },
      ],
      [
        'ListServiceDeployments answered with an HTML 500 page (an emulator without it)',
        {
          operation: 'ListServiceDeployments',
          response: { status: 500, body: '<h1>Internal Server Error</h1>' },
        },
      ],
      [
        'DescribeServiceRevisions denied to the role',
        { operation: 'DescribeServiceRevisions', error: 'AccessDeniedException' },
      ],
    ])('falls back to DescribeServices and rolls back: %s', async (_name, fault) => {
      const tag = randomBytes(3).toString('hex');
      const [service, environment] = [`rb-to-${tag}`, `prod-${tag}`];
      const v1 = await world.service(service, environment, { version: 'v1' });
      const v2 = await world.deploy(
        service,
        environment,
        { version: 'v2' },
        { until: 'completed', state: 'success' },
      );
      const lb = await world.balancer(service);
      world.ecs.faults.add(fault);
      try {
        const result = await run('rollback', {
          inputs: {
            target: 'ecs',
            'github-token': TOKEN,
            ...FAST_INPUTS,
            service,
            environment,
            to: v1.arn,
            'health-url': lb.url,
            'expect-version': 'v1',
          },
          env: { ...world.env(), ...ROLLBACK_CREDENTIALS, AWS_ENDPOINT_URL_ECS: world.ecs.url },
        });
        expect(errorsOf(result)).toEqual([]);
        expect(result.outputs).toEqual({
          'rolled-back-to': v1.arn,
          'rolled-back-from': v2.arn,
          result: 'rolled-back',
        });
        expect(messagesOf(result, 'notice')).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^ecs:\w+ is not available .*DescribeServices still shows/),
          ]),
        );
        expect((await world.describe(service)).taskDefinition).toBe(v1.arn);
      } finally {
        world.ecs.faults.clear();
      }
    });
  },
);
