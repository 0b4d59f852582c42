import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { RecordedDeployment } from '@slipway/shared';
import type { PastDeployment } from '../src/ecs/service-deployments';
import { chooseFromEcsHistory, describeOnce, MAX_CANDIDATES } from '../src/ecs/skip-marked';
import { badMarks } from '../src/records/bad-marks';

const D = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const arn = (n: number) => `arn:aws:ecs:eu-west-1:1:task-definition/web:${n}`;

/** A fake DescribeTaskDefinition over revisions whose image is pinned to digest D(revision), counting calls. */
function fakeApi() {
  const calls: string[] = [];
  return {
    calls,
    api: {
      describeTaskDefinition: async (ref: string): Promise<TaskDefinition> => {
        calls.push(ref);
        const n = Number(ref.split(':').at(-1));
        return { taskDefinitionArn: ref, containerDefinitions: [{ name: 'web', image: `r/web@${D(n)}` }] };
      },
    },
  };
}

const service: Service = { serviceName: 'web', taskDefinition: arn(30) };
// Newest first: web:30 now, then successful deployments of web:29 .. web:1.
const past: PastDeployment[] = Array.from({ length: 30 }, (_, i) => ({
  arn: `d${30 - i}`,
  status: 'SUCCESSFUL',
  taskDefinition: arn(30 - i),
}));
const record = (id: number, digest: string, bad?: string): RecordedDeployment => ({
  id,
  environment: 'prod',
  sha: 'a'.repeat(40),
  createdAt: '2024-01-01T00:00:00Z',
  payload: { slipway: 1, target: 'ecs', sha: '', images: { web: `r/web@${digest}` } },
  statuses: [{ state: 'success', description: '' }],
  ...(bad ? { badReason: bad } : {}),
});

describe('chooseFromEcsHistory', () => {
  it('skips candidates whose image digest the records mark bad, describing each task definition once', async () => {
    const { api, calls } = fakeApi();
    const avoid = badMarks([record(2, D(29), 'slow'), record(1, D(28), 'leaks')], record(3, D(27)));
    const { choice, skipped } = await chooseFromEcsHistory(service, past, avoid, describeOnce(api));
    expect(choice).toEqual({ from: arn(30), to: arn(26) });
    expect(skipped).toEqual([
      `${arn(29)}: its image r/web@${D(29)} ran in deployment #2, marked bad (slow)`,
      `${arn(28)}: its image r/web@${D(28)} ran in deployment #1, marked bad (leaks)`,
      `${arn(27)}: its image r/web@${D(27)} ran in deployment #3, rolled away from`,
    ]);
    expect(calls).toEqual([arn(29), arn(28), arn(27), arn(26)]);
  });

  it(`looks at no more than ${MAX_CANDIDATES} candidates, and describes none when no digest is marked`, async () => {
    const { api, calls } = fakeApi();
    const everything = badMarks(
      past.map((d, i) => record(i + 1, D(Number(d.taskDefinition!.split(':').at(-1))), 'bad')),
    );
    const { choice, skipped } = await chooseFromEcsHistory(service, past, everything, describeOnce(api));
    expect(choice).toBeUndefined();
    expect(skipped).toHaveLength(MAX_CANDIDATES);
    expect(calls).toHaveLength(MAX_CANDIDATES);

    const none = await chooseFromEcsHistory(service, past, badMarks([]), describeOnce(api));
    expect(none.choice).toEqual({ from: arn(30), to: arn(29) });
    expect(calls).toHaveLength(MAX_CANDIDATES);
  });
});
