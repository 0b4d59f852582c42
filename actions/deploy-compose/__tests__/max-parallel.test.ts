import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeWithInfra } from '@slipway/testing';
import { writeWebCompose } from './fixtures/app';
import { baseInputs, cleanHost, deploy, REMOTE_DIR, randomTag, sh } from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

/** The most intervals that are open at one instant. */
function mostAtOnce(intervals: Array<[number, number]>): number {
  const events = intervals.flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ]);
  // At equal times an end comes before a start: touching intervals do not overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, step] of events) {
    open += step;
    most = Math.max(most, open);
  }
  return most;
}

describeWithInfra('deploy-compose: max-parallel on three real hosts', (infra) => {
  const hosts = infra.ssh.hosts;
  const project = randomTag();
  const repo = `127.0.0.1:5000/${project}/web`;
  const compose = writeWebCompose(repo);
  let image = '';

  beforeAll(() => {
    image = buildWebImage(repo, 'v1');
  });
  afterAll(async () => {
    rmSync(dirname(compose), { recursive: true, force: true });
    await Promise.all(hosts.map((h) => cleanHost(infra, h, project)));
  });

  it('never works on more hosts at once than max-parallel, and does work on that many', async () => {
    // The backup command runs on each host inside its deploy (in the project folder); the hosts share one clock.
    const backup = 'date +%s%N > window.start; sleep 5; date +%s%N > window.end; echo none';
    const result = await deploy(
      baseInputs(infra, hosts, project, compose, { images: `web=${image}`, 'max-parallel': '2', backup }),
    );
    expect(result.error).toBeUndefined();
    const intervals = await Promise.all(
      hosts.map(async (h) => {
        const text = await sh(infra, h, `cd ${REMOTE_DIR}/${project} && cat window.start window.end`);
        const [start, end] = text.trim().split('\n').map(Number);
        expect(end).toBeGreaterThan(start);
        return [start, end] as [number, number];
      }),
    );
    expect(mostAtOnce(intervals)).toBe(2);
  });
});
