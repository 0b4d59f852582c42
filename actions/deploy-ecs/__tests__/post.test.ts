import type { Deployment } from '@aws-sdk/client-ecs';
import {
  type DeploymentRecords,
  type EcsApi,
  type FinalState,
  InputReader,
  mapInputs,
} from '@slipway/shared';
import { getInputs } from '../src/inputs';
import type { Deps, PostState } from '../src/main';
import { post } from '../src/post';

// The post step's verdicts with fakes; the cancelled run itself goes through the bundle in
// test/reliability/faults.test.ts.
const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:7';
const inputs = () =>
  getInputs(new InputReader(mapInputs({ service: 'web', cluster: 'default', region: 'eu-west-1' })));

function harness(following: PostState['following'], deployments: Deployment[] | Error) {
  const finished: Array<[number, FinalState, string | undefined]> = [];
  const log: string[] = [];
  const warnings: string[] = [];
  let described = 0;
  const ecs = {
    describeServices: async () => {
      described++;
      if (deployments instanceof Error) throw deployments;
      return [{ serviceName: 'web', taskDefinition: ARN, deployments }];
    },
  } as unknown as EcsApi;
  const records = {
    finish: async (id: number, state: FinalState, details: { description?: string }) => {
      finished.push([id, state, details.description]);
    },
  } as unknown as DeploymentRecords;
  const deps: Deps = {
    ecs: () => ecs,
    records: () => records,
    sha: '',
    log: (line) => log.push(line),
    output: () => undefined,
    warning: (message) => warnings.push(message),
    notice: () => undefined,
    summary: async () => undefined,
    state: { save: () => undefined, get: () => following as never },
  };
  return { deps, finished, log, warnings, described: () => described };
}

const ours = (extra: Partial<Deployment>): Deployment => ({
  id: 'ecs-svc/1',
  taskDefinition: ARN,
  status: 'PRIMARY',
  desiredCount: 1,
  runningCount: 1,
  ...extra,
});

describe('deploy-ecs post step', () => {
  it('does nothing when the main step recorded its outcome', async () => {
    const h = harness(null, []);
    await post(h.deps, inputs);
    expect({ described: h.described(), finished: h.finished }).toEqual({ described: 0, finished: [] });
  });

  it.each([
    ['COMPLETED', [ours({ rolloutState: 'COMPLETED' })], 'success', /^ECS completed the deployment of app:7/],
    ['FAILED', [ours({ rolloutState: 'FAILED' })], 'failure', /^ECS failed the deployment of app:7/],
    [
      'IN_PROGRESS',
      [ours({ rolloutState: 'IN_PROGRESS' })],
      'error',
      /^The run stopped while ECS was deploying/,
    ],
    ['gone', [], 'error', /its outcome was not followed/],
  ] as const)(
    'closes the GitHub Deployment from what ECS says (%s)',
    async (_name, deployments, state, text) => {
      const h = harness({ taskDefinitionArn: ARN, githubDeploymentId: 42 }, [...deployments]);
      await post(h.deps, inputs);
      expect(h.finished).toEqual([[42, state, expect.stringMatching(text)]]);
      expect(h.log[0]).toMatch(/^web: /);
    },
  );

  it('still closes the record, as error, when ECS cannot be asked', async () => {
    const h = harness({ taskDefinitionArn: ARN, githubDeploymentId: 42 }, new Error('ExpiredToken'));
    await post(h.deps, inputs);
    expect(h.finished).toEqual([[42, 'error', expect.stringMatching(/outcome was not followed/)]]);
    expect(h.warnings).toEqual([
      expect.stringMatching(/^The main step stopped while following the deployment of app:7 to web /),
      'Could not ask ECS how the deployment stands (ExpiredToken).',
    ]);
  });

  it('answers an open pause with ROLLBACK, stops a deployment heading for a pause it answers, only warns about others', async () => {
    const hooks = {
      strategy: 'BLUE_GREEN' as const,
      lifecycleHooks: [
        { targetType: 'PAUSE' as const, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const] },
      ],
    };
    const answered: string[][] = [];
    const stopped: string[][] = [];
    const run = async (sd: Record<string, unknown>, read = inputs) => {
      const h = harness({ taskDefinitionArn: ARN, githubDeploymentId: 5 }, []);
      const api = {
        describeServices: async () => [
          {
            serviceName: 'web',
            taskDefinition: ARN,
            currentServiceDeployment: 'sd-1',
            deploymentConfiguration: hooks,
            deployments: [ours({ rolloutState: 'IN_PROGRESS' })],
          },
        ],
        describeServiceDeployment: async () => ({
          serviceDeploymentArn: 'sd-1',
          status: 'IN_PROGRESS',
          ...sd,
        }),
        continueServiceDeployment: async (...args: string[]) => {
          answered.push(args);
        },
        stopServiceDeployment: async (...args: string[]) => {
          stopped.push(args);
        },
      } as unknown as EcsApi;
      await post({ ...h.deps, ecs: () => api }, read);
      return h;
    };
    const paused = await run({
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [{ hookId: 'ecs-pause-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
    });
    expect(answered).toEqual([['sd-1', 'ecs-pause-1', 'ROLLBACK']]);
    expect(paused.warnings).toContainEqual(
      expect.stringMatching(
        /^web: its deployment was paused at POST_TEST_TRAFFIC_SHIFT waiting for this run; answered ROLLBACK/,
      ),
    );
    expect(paused.finished).toEqual([
      [
        5,
        'failure',
        expect.stringMatching(
          /^The run stopped at or before a pause it answers \(web at POST_TEST_TRAFFIC_SHIFT\); rolled back through ECS/,
        ),
      ],
    ]);

    // A pause ahead that someone else answers (this run had no gate for it): only a warning.
    const ahead = await run({ lifecycleStage: 'SCALE_UP', lifecycleHookDetails: [] });
    expect(answered).toHaveLength(1);
    expect(stopped).toEqual([]);
    expect(ahead.warnings).toContainEqual(
      expect.stringMatching(
        /^web: its deployment \(now at SCALE_UP\) will pause at POST_TEST_TRAFFIC_SHIFT, which this run did not answer/,
      ),
    );
    expect(ahead.finished).toEqual([[5, 'error', expect.stringMatching(/outcome was not followed/)]]);

    // A pause ahead this run was to answer (test-url): nobody will, so the deployment is stopped, rolled back.
    const gated = () =>
      getInputs(
        new InputReader(
          mapInputs({ service: 'web', cluster: 'default', region: 'eu-west-1', 'test-url': 'http://t' }),
        ),
      );
    const answering = await run({ lifecycleStage: 'SCALE_UP', lifecycleHookDetails: [] }, gated);
    expect(answered).toHaveLength(1);
    expect(stopped).toEqual([['sd-1']]);
    expect(answering.warnings).toContainEqual(
      expect.stringMatching(
        /^web: its deployment \(now at SCALE_UP\) was to pause at POST_TEST_TRAFFIC_SHIFT for this run's test-url; stopped it \(StopServiceDeployment, ROLLBACK\)/,
      ),
    );
    expect(answering.finished).toEqual([
      [
        5,
        'failure',
        expect.stringMatching(
          /^The run stopped .*\(web before POST_TEST_TRAFFIC_SHIFT\); rolled back through ECS/,
        ),
      ],
    ]);

    // Past its last pause (continued at POST_TEST_TRAFFIC_SHIFT): ECS finishes it, nothing is stopped.
    const past = await run(
      {
        lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
        lifecycleHookDetails: [{ hookId: 'ecs-pause-1', targetType: 'PAUSE', status: 'SUCCEEDED' }],
      },
      gated,
    );
    expect(stopped).toHaveLength(1);
    expect(past.warnings.filter((w) => w.startsWith('web:'))).toEqual([]);
  });

  it("sees this run's own rollback (rollback-on-failure) through its pauses with CONTINUE, never rolls it back", async () => {
    const PREVIOUS = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:6';
    const hooks = {
      strategy: 'BLUE_GREEN' as const,
      lifecycleHooks: [
        { targetType: 'PAUSE' as const, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const] },
      ],
    };
    const run = async (stages: Array<Record<string, unknown>>) => {
      const answered: string[][] = [];
      const stopped: string[][] = [];
      let clock = 0;
      const slept: number[] = [];
      const h = harness(
        { taskDefinitionArn: ARN, githubDeploymentId: 9, rollingBack: { web: PREVIOUS } },
        [],
      );
      const api = {
        describeServices: async () => [
          {
            serviceName: 'web',
            taskDefinition: PREVIOUS,
            currentServiceDeployment: 'sd-2',
            deploymentConfiguration: hooks,
            deployments: [
              ours({ id: 'ecs-svc/2', taskDefinition: PREVIOUS, rolloutState: 'IN_PROGRESS' }),
              ours({ status: 'ACTIVE', rolloutState: 'IN_PROGRESS' }),
            ],
          },
        ],
        describeServiceDeployment: async () => ({
          serviceDeploymentArn: 'sd-2',
          status: 'IN_PROGRESS',
          ...stages[Math.min(slept.length, stages.length - 1)],
        }),
        continueServiceDeployment: async (...args: string[]) => {
          answered.push(args);
        },
        stopServiceDeployment: async (...args: string[]) => {
          stopped.push(args);
        },
      } as unknown as EcsApi;
      const sleep = async (ms: number) => {
        slept.push(ms);
        clock += ms;
      };
      const gated = () =>
        getInputs(
          new InputReader(
            mapInputs({ service: 'web', cluster: 'default', region: 'eu-west-1', 'test-url': 'http://t' }),
          ),
        );
      await post({ ...h.deps, ecs: () => api, now: () => clock, sleep }, gated);
      return { ...h, answered, stopped, clock: () => clock };
    };
    const pause = { hookId: 'ecs-pause-2', targetType: 'PAUSE', status: 'AWAITING_ACTION' };
    const seen = await run([
      { lifecycleStage: 'SCALE_UP', lifecycleHookDetails: [] },
      { lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHookDetails: [pause] },
      {
        lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
        lifecycleHookDetails: [{ ...pause, status: 'SUCCEEDED' }],
      },
    ]);
    expect(seen.answered).toEqual([['sd-2', 'ecs-pause-2', 'CONTINUE']]);
    expect(seen.stopped).toEqual([]);
    expect(seen.warnings).toContainEqual(
      expect.stringMatching(
        /^web: this run's own rollback deployment was paused at POST_TEST_TRAFFIC_SHIFT; answered CONTINUE/,
      ),
    );
    expect(seen.finished).toEqual([
      [
        9,
        'failure',
        expect.stringMatching(/^app:7 failed; the run was rolling web back \(rollback-on-failure\)/),
      ],
    ]);

    // Never reaching its pause within the post step's minutes: only a warning, nothing stopped.
    const stuck = await run([{ lifecycleStage: 'SCALE_UP', lifecycleHookDetails: [] }]);
    expect(stuck.answered).toEqual([]);
    expect(stuck.stopped).toEqual([]);
    expect(stuck.clock()).toBe(4 * 60_000);
    expect(stuck.warnings).toContainEqual(
      expect.stringMatching(
        /^web: this run's own rollback deployment \(now at SCALE_UP\) will still pause at POST_TEST_TRAFFIC_SHIFT, and nobody is left to answer it/,
      ),
    );
  });
});
