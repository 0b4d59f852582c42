import type { Deployment, Service, ServiceEvent, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { deployService, type EcsApi, rollBackFleet } from '../src';

type DeployOptions = Parameters<typeof deployService>[2];

/**
 * A fake ECS on a virtual clock: UpdateService starts a PRIMARY deployment, the first poll after it finds the
 * rollout decided as `plan` says for its task definition, with an event saying so. `beforeUpdate` lets a test
 * record an event the way ECS does between two of our calls.
 */
function fakeEcs(plan: Record<string, 'COMPLETED' | 'FAILED'>) {
  let clock = 1_000_000;
  let n = 0;
  const services = new Map<string, Service>();
  const add = (name: string, taskDefinition: string) =>
    services.set(name, {
      serviceName: name,
      taskDefinition,
      desiredCount: 1,
      deployments: [{ id: `${name}/old`, status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition }],
      events: [
        // Shortly before the deploy: in UpdateService's answer, so history, never shown.
        { id: `${name}-e0`, createdAt: new Date(clock - 20_000), message: `(service ${name}) old news` },
      ],
    });
  const record = (name: string, message: string) => {
    const s = services.get(name)!;
    s.events = [{ id: `${name}-e${++n}`, createdAt: new Date(clock), message }, ...(s.events ?? [])];
  };
  const hooks = { beforeUpdate: (_input: UpdateServiceCommandInput) => {} };
  const api: EcsApi = {
    async describeServices(_cluster, names) {
      clock += 10;
      return names.map((name) => {
        const s = services.get(name)!;
        const primary = s.deployments![0];
        if (primary.rolloutState === 'IN_PROGRESS') {
          primary.rolloutState = plan[primary.taskDefinition!];
          record(name, `(service ${name}) deployment ${primary.id} ${primary.rolloutState}`);
        }
        return structuredClone(s);
      });
    },
    async describeTaskDefinition() {
      throw new Error('not used');
    },
    async findTaskDefinition() {
      return undefined;
    },
    async registerTaskDefinition() {
      throw new Error('not used');
    },
    async updateService(input) {
      hooks.beforeUpdate(input);
      clock += 10;
      const s = services.get(input.service!)!;
      const deployment: Deployment = {
        id: `${input.service}/d${++n}`,
        status: 'PRIMARY',
        rolloutState: 'IN_PROGRESS',
        taskDefinition: input.taskDefinition,
        desiredCount: 1,
      };
      s.deployments = [deployment, ...s.deployments!.map((d) => ({ ...d, status: 'ACTIVE' }))];
      s.taskDefinition = input.taskDefinition;
      return structuredClone(s);
    },
    async describeServiceDeployment() {
      return undefined;
    },
    async stoppedTasks() {
      return [];
    },
  };
  return {
    api,
    add,
    record,
    hooks,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
  };
}

const settings = (ecs: ReturnType<typeof fakeEcs>, log: string[]): DeployOptions => ({
  cluster: 'default',
  taskDefinitionArn: 'td:2',
  forceNewDeployment: false,
  wait: true,
  waitTimeoutMs: 60_000,
  pollIntervalMs: 1000,
  rollbackOnFailure: true,
  log: (line) => log.push(line),
  now: ecs.now,
  sleep: ecs.sleep,
});

const messages = (events: ServiceEvent[]) => events.map((e) => e.message);

describe('events around a rollback (rollback-on-failure)', () => {
  it("shows an event ECS recorded after the first wait's last poll and before the rollback started", async () => {
    const ecs = fakeEcs({ 'td:2': 'FAILED', 'td:1': 'COMPLETED' });
    ecs.add('web', 'td:1');
    ecs.hooks.beforeUpdate = (input) => {
      if (input.taskDefinition === 'td:1') ecs.record('web', '(service web) late: task stopped, exit code 1');
    };
    const log: string[] = [];
    const [web] = await ecs.api.describeServices('default', ['web']);
    const result = await deployService(ecs.api, web, settings(ecs, log));

    expect(result.rollback?.status).toBe('succeeded');
    const late = log.filter((l) => l.includes('late: task stopped'));
    expect(late).toHaveLength(1);
    expect(messages(result.events)).toContain('(service web) late: task stopped, exit code 1');
    // Nothing the first wait showed, and nothing older than the deploy, is shown again.
    expect(log.filter((l) => l.includes('old news'))).toEqual([]);
    const shown = messages(result.events);
    expect(new Set(shown).size).toBe(shown.length);
  });

  it('rolls the fleet back showing what ECS recorded between the waits, and nothing twice', async () => {
    const ecs = fakeEcs({ 'td:2': 'COMPLETED', 'td:1': 'COMPLETED' });
    ecs.add('web', 'td:1');
    ecs.add('api', 'td:1');
    const log: string[] = [];
    const options = settings(ecs, log);
    const [web, api] = await ecs.api.describeServices('default', ['web', 'api']);
    const webResult = await deployService(ecs.api, web, options);
    const apiResult = await deployService(ecs.api, api, options);
    expect(webResult.status).toBe('succeeded');
    // api's outcome as if it had failed (rollBackFleet rolls back the others, not it).
    apiResult.status = 'failed';
    ecs.record('web', '(service web) late: draining connections');

    await rollBackFleet(ecs.api, [webResult, apiResult], options);

    expect(webResult.rollback?.status).toBe('succeeded');
    expect(log.filter((l) => l.includes('late: draining connections'))).toHaveLength(1);
    expect(messages(webResult.events)).toContain('(service web) late: draining connections');
    expect(log.filter((l) => l.includes('old news'))).toEqual([]);
    const shown = messages(webResult.events);
    expect(new Set(shown).size).toBe(shown.length);
  });
});
