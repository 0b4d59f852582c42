import type { Deployment, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import {
  type EcsOutcome,
  type EcsSnapshot,
  type EcsWatchTarget,
  initialEcsWatchState,
  observeEcsDeployment,
} from '../src/ecs/ecs-deployment-state';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:1';
const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:2';
const SD = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/c/web/ours';

const target: EcsWatchTarget = {
  deploymentId: 'ecs-svc/ours',
  taskDefinitionArn: NEW,
  startedAt: T0,
  deadline: T0 + 60_000,
};

const dep = (over: Partial<Deployment>): Deployment => ({
  id: 'ecs-svc/ours',
  status: 'PRIMARY',
  taskDefinition: NEW,
  desiredCount: 2,
  runningCount: 0,
  pendingCount: 0,
  createdAt: new Date(T0 + 100),
  rolloutState: 'IN_PROGRESS',
  ...over,
});
const old = (over: Partial<Deployment> = {}) =>
  dep({
    id: 'ecs-svc/old',
    status: 'ACTIVE',
    taskDefinition: OLD,
    createdAt: new Date(T0 - 3600_000),
    rolloutState: 'COMPLETED',
    runningCount: 2,
    ...over,
  });
const later = (over: Partial<Deployment> = {}) =>
  dep({ id: 'ecs-svc/later', taskDefinition: OLD, createdAt: new Date(T0 + 5000), ...over });

const svc = (deployments: Deployment[], over: Partial<Service> = {}): Service => ({
  serviceName: 'web',
  status: 'ACTIVE',
  deployments,
  events: [],
  ...over,
});
const snap = (s: number, service: Service, serviceDeployment?: ServiceDeployment): EcsSnapshot => ({
  at: T0 + s * 1000,
  service,
  serviceDeployment,
});

/** Feeds snapshots until a decision; returns the outcome and after how many polls. */
function run(
  snapshots: EcsSnapshot[],
  t: EcsWatchTarget = target,
): { outcome?: EcsOutcome; reason?: string; polls: number } {
  let state = initialEcsWatchState(t);
  for (const [i, s] of snapshots.entries()) {
    const step = observeEcsDeployment(state, s);
    state = step.state;
    if (step.decision) return { ...step.decision, polls: i + 1 };
  }
  return { polls: snapshots.length };
}

const CB = { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } };
const CB_NO_ROLLBACK = {
  deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
};

const ALARMS = {
  deploymentConfiguration: { alarms: { enable: true, rollback: true, alarmNames: ['5xx'] } },
};
const failedOurs = (over: Partial<Deployment> = {}) =>
  dep({
    rolloutState: 'FAILED',
    rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    ...over,
  });
const rollbackOfOurs = () =>
  later({ rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/old.' });

describe('observeEcsDeployment (the wait as a state machine)', () => {
  it.each<[string, EcsSnapshot[], EcsOutcome | undefined, number, RegExp | null]>([
    [
      'rolling deploy completes',
      [
        snap(1, svc([dep({}), old()])),
        snap(2, svc([dep({ runningCount: 1, pendingCount: 1 }), old()])),
        snap(3, svc([dep({ runningCount: 2, rolloutState: 'COMPLETED' })])),
      ],
      'succeeded',
      3,
      /COMPLETED/,
    ],
    [
      'circuit breaker with rollback: FAILED before the rollback deployment appears waits for it',
      [
        snap(1, svc([dep({}), old()], CB)),
        snap(2, svc([failedOurs(), old()], CB)),
        snap(3, svc([rollbackOfOurs(), failedOurs({ status: 'ACTIVE' }), old()], CB)),
      ],
      'rolled-back',
      3,
      /circuit breaker: tasks failed to start\.; ECS rolls the service back to .*app:1$/,
    ],
    [
      'circuit breaker with rollback: FAILED together with the rollback deployment is decided at once',
      [snap(1, svc([rollbackOfOurs(), failedOurs({ status: 'ACTIVE' }), old()], CB))],
      'rolled-back',
      1,
      /ECS rolls the service back/,
    ],
    [
      'alarms with rollback (breaker off): FAILED before the rollback deployment appears waits for it',
      [
        snap(1, svc([failedOurs({ rolloutStateReason: 'alarm 5xx in ALARM' }), old()], ALARMS)),
        snap(2, svc([failedOurs({ rolloutStateReason: 'alarm 5xx in ALARM' }), old()], ALARMS)),
        snap(
          3,
          svc(
            [
              rollbackOfOurs(),
              failedOurs({ status: 'ACTIVE', rolloutStateReason: 'alarm 5xx in ALARM' }),
              old(),
            ],
            ALARMS,
          ),
        ),
      ],
      'rolled-back',
      3,
      /alarm 5xx in ALARM; ECS rolls the service back/,
    ],
    [
      'ECS set to roll back but no rollback deployment within the grace: failed, saying so',
      [
        snap(1, svc([failedOurs(), old()], ALARMS)),
        snap(30, svc([failedOurs(), old()], ALARMS)),
        snap(40, svc([failedOurs(), old()], { ...ALARMS, ...CB })),
      ],
      'failed',
      3,
      /tasks failed to start\.; ECS is set to roll back but started no rollback deployment within 30s/,
    ],
    [
      'ECS set to roll back, the deadline comes first: failed, not timed-out',
      [snap(50, svc([failedOurs(), old()], ALARMS)), snap(60, svc([failedOurs(), old()], ALARMS))],
      'failed',
      2,
      /started no rollback deployment before wait-timeout ran out/,
    ],
    [
      'alarms on without rollback: failed at once',
      [
        snap(
          1,
          svc([failedOurs(), old()], {
            deploymentConfiguration: { alarms: { enable: true, rollback: false, alarmNames: ['5xx'] } },
          }),
        ),
      ],
      'failed',
      1,
      /tasks failed to start\.$/,
    ],
    [
      'ECS rollback seen only as a new PRIMARY deployment that says it rolls back',
      [
        snap(1, svc([dep({}), old()])),
        snap(
          2,
          svc([
            later({
              rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/old',
            }),
            dep({ status: 'ACTIVE' }),
          ]),
        ),
      ],
      'rolled-back',
      2,
      /rolling back/,
    ],
    [
      'circuit breaker without rollback: failed',
      [
        snap(1, svc([dep({}), old()], CB_NO_ROLLBACK)),
        snap(
          2,
          svc([dep({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed' }), old()], CB_NO_ROLLBACK),
        ),
      ],
      'failed',
      2,
      /tasks failed/,
    ],
    [
      'another deployment started after ours',
      [
        snap(1, svc([dep({}), old()])),
        snap(2, svc([later({ id: 'ecs-svc/theirs' }), dep({ status: 'ACTIVE' })])),
      ],
      'superseded',
      2,
      /ecs-svc\/theirs/,
    ],
    [
      'ours vanished, replaced by a newer one',
      [snap(1, svc([later({ id: 'ecs-svc/theirs', rolloutState: 'COMPLETED' })]))],
      'superseded',
      1,
      null,
    ],
    [
      'still in progress at the deadline',
      [
        snap(30, svc([dep({ runningCount: 1, failedTasks: 3 }), old()])),
        snap(60, svc([dep({ runningCount: 1, failedTasks: 5 }), old()])),
      ],
      'timed-out',
      2,
      /last seen: IN_PROGRESS: 1\/2 running, 0 pending, 5 failed/,
    ],
    [
      'not decided before the deadline',
      [snap(30, svc([dep({}), old()])), snap(59, svc([dep({}), old()]))],
      undefined,
      2,
      null,
    ],
    [
      'desired count 0 without a rolloutState: stable at once',
      [snap(1, svc([dep({ desiredCount: 0, rolloutState: undefined })]))],
      'succeeded',
      1,
      /0\/0 running/,
    ],
    [
      'desired count 0 with a rolloutState: waits for ECS to say COMPLETED',
      [
        snap(1, svc([dep({ desiredCount: 0 })])),
        snap(2, svc([dep({ desiredCount: 0, rolloutState: 'COMPLETED' })])),
      ],
      'succeeded',
      2,
      null,
    ],
    [
      'alarm bake time: running == desired is not done until ECS says COMPLETED',
      [
        snap(
          1,
          svc([dep({ runningCount: 2, rolloutState: undefined })], {
            deploymentConfiguration: { alarms: { enable: true, rollback: true, alarmNames: ['5xx'] } },
          }),
        ),
        snap(2, svc([dep({ runningCount: 2, rolloutState: 'COMPLETED' })])),
      ],
      'succeeded',
      2,
      null,
    ],
    [
      'blue/green without rolloutState: the old deployment during bake is not success',
      [
        snap(
          1,
          svc([dep({ runningCount: 2, rolloutState: undefined })], {
            deploymentConfiguration: { strategy: 'BLUE_GREEN' },
          }),
        ),
        snap(
          2,
          svc([dep({ runningCount: 2, rolloutState: undefined })], {
            deploymentConfiguration: { strategy: 'BLUE_GREEN' },
          }),
        ),
      ],
      undefined,
      2,
      null,
    ],
    [
      'a COMPLETED deployment that is no longer PRIMARY is not our success',
      [snap(1, svc([later({ id: 'ecs-svc/theirs' }), dep({ status: 'ACTIVE', rolloutState: 'COMPLETED' })]))],
      'superseded',
      1,
      null,
    ],
  ])('%s', (_name, snapshots, outcome, polls, reason) => {
    const result = run(snapshots, { ...target, ecsRollbackGraceMs: 30_000 });
    expect(result.outcome).toBe(outcome);
    expect(result.polls).toBe(polls);
    if (reason) expect(result.reason).toMatch(reason);
  });

  describe('with a service deployment (DescribeServiceDeployments)', () => {
    const t = { ...target, serviceDeploymentArn: SD };
    const sd = (over: Partial<ServiceDeployment>): ServiceDeployment => ({
      serviceDeploymentArn: SD,
      status: 'IN_PROGRESS',
      ...over,
    });
    it.each<[string, EcsSnapshot[], EcsOutcome | undefined, number, RegExp | null]>([
      [
        'rolloutState COMPLETED is not enough while the service deployment is in BAKE_TIME',
        [
          snap(
            1,
            svc([dep({ rolloutState: 'COMPLETED', runningCount: 2 }), old()]),
            sd({ lifecycleStage: 'BAKE_TIME' }),
          ),
          snap(
            2,
            svc([dep({ rolloutState: 'COMPLETED', runningCount: 2 })]),
            sd({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }),
          ),
        ],
        'succeeded',
        2,
        /SUCCESSFUL/,
      ],
      [
        'alarm rollback',
        [
          snap(1, svc([dep({}), old()]), sd({})),
          snap(
            2,
            svc([dep({}), old()]),
            sd({
              status: 'ROLLBACK_IN_PROGRESS',
              rollback: { reason: 'alarm 5xx' },
              alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['5xx'] },
            }),
          ),
        ],
        'rolled-back',
        2,
        /alarm 5xx.*alarms: 5xx/,
      ],
      [
        'rollback failed',
        [snap(1, svc([dep({})]), sd({ status: 'ROLLBACK_FAILED', statusReason: 'no capacity' }))],
        'failed',
        1,
        /no capacity/,
      ],
      [
        'stopped with nothing newer',
        [snap(1, svc([dep({})]), sd({ status: 'STOPPED', statusReason: 'stopped by user' }))],
        'failed',
        1,
        /stopped by user/,
      ],
      [
        'stopped because a newer deployment took over',
        [
          snap(
            1,
            svc([later({ id: 'ecs-svc/theirs' }), dep({ status: 'ACTIVE' })]),
            sd({ status: 'STOPPED' }),
          ),
        ],
        'superseded',
        1,
        null,
      ],
      [
        'a different service deployment is ignored',
        [snap(1, svc([dep({})]), { serviceDeploymentArn: 'other', status: 'SUCCESSFUL' })],
        undefined,
        1,
        null,
      ],
    ])('%s', (_name, snapshots, outcome, polls, reason) => {
      const result = run(snapshots, t);
      expect(result.outcome).toBe(outcome);
      expect(result.polls).toBe(polls);
      if (reason) expect(result.reason).toMatch(reason);
    });
  });

  it('passes on each new event once, oldest first (same time: as ECS made them), and none from before the deploy', () => {
    const ev = (id: string, s: number) => ({
      id,
      createdAt: new Date(T0 + s * 1000),
      message: `event ${id}`,
    });
    let state = initialEcsWatchState(target, ['answered']);
    const seen: string[] = [];
    for (const events of [
      [ev('b', 2), ev('a', 1), ev('history', -600), ev('answered', 0)],
      // ECS lists the newest first: of two events of the same time, 'c' was made before 'd'.
      [ev('d', 3), ev('c', 3), ev('b', 2), ev('a', 1)],
      [ev('d', 3), ev('c', 3), ev('b', 2)],
    ]) {
      const step = observeEcsDeployment(state, snap(3, svc([dep({}), old()], { events })));
      state = step.state;
      seen.push(...step.events.map((e) => e.id!));
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
  });

  describe('changed (what paces the polls)', () => {
    const before = svc([dep({ runningCount: 1 }), old()]);
    const withSd = (status: ServiceDeployment['status']) => ({ serviceDeploymentArn: SD, status });
    it.each<[string, EcsSnapshot, boolean]>([
      ['nothing moved', snap(9, svc([dep({ runningCount: 1 }), old()])), false],
      ['our running count', snap(9, svc([dep({ runningCount: 2 }), old()])), true],
      [
        'the old deployment draining',
        snap(9, svc([dep({ runningCount: 1 }), old({ runningCount: 1 })])),
        true,
      ],
      ['a deployment gone', snap(9, svc([dep({ runningCount: 1 })])), true],
      [
        'a new service event',
        snap(
          9,
          svc([dep({ runningCount: 1 }), old()], { events: [{ id: 'e1', message: 'started 1 task' }] }),
        ),
        true,
      ],
      ['the service deployment status', snap(9, before, withSd('IN_PROGRESS')), true],
    ])('%s: %s', (_name, second, changed) => {
      const t = { ...target, serviceDeploymentArn: SD };
      const first = observeEcsDeployment(initialEcsWatchState(t), snap(8, before, withSd('PENDING')));
      expect(first.changed).toBe(true);
      const sd = second.serviceDeployment ?? withSd('PENDING');
      expect(observeEcsDeployment(first.state, { ...second, serviceDeployment: sd }).changed).toBe(changed);
    });
  });

  it('says once that it waits for the rollback ECS is set to make', () => {
    let state = initialEcsWatchState(target);
    const notes: string[] = [];
    for (const s of [1, 2, 3]) {
      const step = observeEcsDeployment(state, snap(s, svc([failedOurs(), old()], ALARMS)));
      expect(step.decision).toBeUndefined();
      state = step.state;
      notes.push(...step.notes.filter((n) => n.startsWith('FAILED;')));
    }
    expect(notes).toEqual([
      'FAILED; ECS rolls this service back itself: waiting up to 60s for its rollback deployment',
    ]);
  });

  it('notes progress only when it changes', () => {
    let state = initialEcsWatchState(target);
    const notes: string[] = [];
    for (const running of [0, 0, 1, 1, 2]) {
      const step = observeEcsDeployment(state, snap(1, svc([dep({ runningCount: running }), old()])));
      state = step.state;
      notes.push(...step.notes);
    }
    expect(notes).toEqual([
      'IN_PROGRESS: 0/2 running, 0 pending',
      'IN_PROGRESS: 1/2 running, 0 pending',
      'IN_PROGRESS: 2/2 running, 0 pending',
    ]);
  });

  it('tells a pause (a PAUSE hook AWAITING_ACTION) once, hands it on until answered, and names it at the deadline', () => {
    const paused = (stage: string, hookId: string): ServiceDeployment => ({
      serviceDeploymentArn: SD,
      status: 'IN_PROGRESS',
      lifecycleStage: stage as never,
      lifecycleHookDetails: [
        {
          hookId,
          targetType: 'PAUSE',
          status: 'AWAITING_ACTION',
          timeoutAction: 'ROLLBACK',
          expiresAt: new Date(T0 + 86_400_000),
        },
      ],
    });
    const t = { ...target, serviceDeploymentArn: SD };
    const service = svc([dep({ runningCount: 2 }), old()]);
    let state = initialEcsWatchState(t);
    const first = observeEcsDeployment(state, snap(1, service, paused('POST_TEST_TRAFFIC_SHIFT', 'h1')));
    expect(first.paused).toEqual({
      serviceDeploymentArn: SD,
      hookId: 'h1',
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      expiresAt: T0 + 86_400_000,
      timeoutAction: 'ROLLBACK',
    });
    expect(first.notes).toContainEqual(
      'paused at POST_TEST_TRAFFIC_SHIFT, waiting for ContinueServiceDeployment (hook h1; ECS takes ROLLBACK at 2026-01-02T00:00:00.000Z)',
    );
    state = first.state;
    const again = observeEcsDeployment(state, snap(2, service, paused('POST_TEST_TRAFFIC_SHIFT', 'h1')));
    expect(again.paused?.hookId).toBe('h1');
    expect(again.notes.filter((n) => n.startsWith('paused'))).toEqual([]);
    // Answered with CONTINUE: the hook SUCCEEDED, no pause any more.
    const answered = paused('POST_TEST_TRAFFIC_SHIFT', 'h1');
    answered.lifecycleHookDetails![0].status = 'SUCCEEDED';
    expect(observeEcsDeployment(again.state, snap(3, service, answered)).paused).toBeUndefined();
    // Nobody answers until the deadline: the timeout says where it is held.
    const late = observeEcsDeployment(
      again.state,
      snap(61, service, paused('POST_TEST_TRAFFIC_SHIFT', 'h1')),
    );
    expect(late.decision).toMatchObject({
      outcome: 'timed-out',
      reason: expect.stringContaining('paused at POST_TEST_TRAFFIC_SHIFT'),
    });
  });
});
