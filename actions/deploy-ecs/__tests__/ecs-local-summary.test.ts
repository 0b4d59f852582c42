import { describeWithInfra } from '@slipway/testing';
import { Fixture } from './ecs-local-fixture';

jest.setTimeout(90_000);

/** The rows of the summary's event timeline of `service`, as `<ISO time> <message>`, and the count its title gives. */
function timeline(summary: string, service: string) {
  const match = new RegExp(
    `<details><summary>Event timeline of ${service} \\((\\d+)\\)</summary>\\n\\n([\\s\\S]*?)\\n\\n</details>`,
  ).exec(summary);
  if (!match) return undefined;
  const rows = match[2]
    .split('\n')
    .slice(2) // header and separator
    .map((line) => /^\| (.*?) \| (.*) \|$/.exec(line)!)
    .map(([, time, message]) => `${time} ${message}`);
  return { count: Number(match[1]), rows };
}

describeWithInfra('deploy-ecs job summary against ecs-local: the event timeline (real Docker tasks)', () => {
  const fx = new Fixture();
  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  it("lists every ECS event of the deploy and of rollback-on-failure's second wait, each once", async () => {
    // The breaker fails the deployment but ECS does not roll back: deploy-ecs does, and waits again.
    const { name, first, file } = await fx.prepare('unhealthy', {
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    const started = Date.now();
    const r = await fx.deploy({ service: name, 'task-definition': file });
    const ended = Date.now();
    expect(r.outputs()).toMatchObject({ status: 'failed', 'rolled-back': 'true' });
    expect(r.calls.filter((c) => c.endsWith('.UpdateService'))).toHaveLength(2);

    const shown = timeline(r.summary(), name);
    expect(shown).toBeDefined();
    expect(shown!.rows).toHaveLength(shown!.count);
    expect(new Set(shown!.rows).size).toBe(shown!.rows.length);

    // What ECS itself recorded for the service while deploy-ecs ran: both deployments, in order, none twice.
    const ecs = ((await fx.describe(name)).events ?? [])
      .filter((e) => e.createdAt!.getTime() >= started && e.createdAt!.getTime() <= ended)
      .reverse()
      .map((e) => `${e.createdAt!.toISOString()} ${e.message}`);
    expect(shown!.rows).toEqual(ecs);
    expect(ecs).toContainEqual(expect.stringMatching(/deployment failed: tasks failed to start\.$/));
    expect(ecs.filter((e) => e.endsWith('deployment completed.'))).toHaveLength(1); // our rollback's
    // The log showed each of them once too.
    for (const event of ecs) expect(r.log.filter((l) => l === `${name}: ${event}`)).toHaveLength(1);
    expect((await fx.describe(name)).taskDefinition).toBe(first);
  });
});
