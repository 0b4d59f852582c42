import type { Service } from '@aws-sdk/client-ecs';
import { answerPause } from '../src/ecs/answer-pause';
import type { EcsApi } from '../src/ecs/ecs-api';
import { rollBackPausesLeftBehind, seeRollbacksThroughPauses } from '../src/ecs/pauses-left-behind';

// A post step or a pause answer that fails only warns (the run is ending, or ECS may have decided meanwhile): each
// warning must say what the person reading it does next, with the exact ECS call.
const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7';
const SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/c/web/abc';
const service: Service = {
  serviceName: 'web',
  currentServiceDeployment: SD,
  deployments: [{ status: 'PRIMARY', taskDefinition: TD, rolloutState: 'IN_PROGRESS' }],
};
const refusing = {
  describeServiceDeployment: async () => {
    throw new Error('AccessDeniedException: not authorized to perform ecs:DescribeServiceDeployments');
  },
  continueServiceDeployment: async () => {
    throw new Error('AccessDeniedException: not authorized to perform ecs:ContinueServiceDeployment');
  },
} as unknown as EcsApi;

function say() {
  const warnings: string[] = [];
  return { warnings, log: () => {}, warning: (m: string) => warnings.push(m) };
}

describe('warnings of pause answers that failed say how to answer by hand', () => {
  it('a pause answer ECS refused names the continue-service-deployment call to make', async () => {
    const s = say();
    await answerPause(
      refusing,
      'web',
      { serviceDeploymentArn: SD, hookId: 'ecs-pause-1', stage: 'POST_TEST_TRAFFIC_SHIFT' },
      { action: 'ROLLBACK', reason: 'test-url failed' },
      s,
    );
    expect(s.warnings).toEqual([
      expect.stringContaining(
        `answer it: aws ecs continue-service-deployment --service-deployment-arn ${SD} --hook-id ecs-pause-1 --action ROLLBACK.`,
      ),
    ]);
    expect(s.warnings[0]).toContain('AccessDeniedException');
  });

  it('a post step that could not roll back a paused deployment says which calls do it and what ECS does if nobody does', async () => {
    const s = say();
    expect(await rollBackPausesLeftBehind(refusing, [service], TD, () => 'this run', s)).toEqual([]);
    expect(s.warnings).toEqual([
      expect.stringMatching(/^web: could not roll back its paused deployment \(AccessDenied/),
    ]);
    expect(s.warnings[0]).toMatch(
      /continue-service-deployment --action ROLLBACK.*stop-service-deployment --stop-type ROLLBACK.*hook timeout action/,
    );
  });

  it('a post step that could not follow its own rollback says to answer CONTINUE, never ROLLBACK', async () => {
    const s = say();
    const done = await seeRollbacksThroughPauses(refusing, [service], TD, s, {
      timeoutMs: 0,
      pollIntervalMs: 1,
    });
    expect(done).toEqual([]);
    expect(s.warnings).toEqual([
      expect.stringContaining('could not see its rollback deployment through its pauses'),
    ]);
    expect(s.warnings[0]).toMatch(/--action CONTINUE \(never ROLLBACK/);
  });
});
