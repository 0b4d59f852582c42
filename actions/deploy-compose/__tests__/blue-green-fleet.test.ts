import { sleep } from '@slipway/shared';
import { describeWithInfra, failedCount, startRateLoad, summarizeLoad } from '@slipway/testing';
import { baseInputs, deploy, history } from './fixtures/hosts';
import { proxyProject } from './fixtures/proxy-project';

// strategy: blue-green on a fleet with `atomic` (issue 16): a host that cannot switch makes the hosts that already
// switched switch back to the colour they kept running, under load, with 0 failed requests. Two real hosts (their
// own Docker daemons), Nginx in the project, each host's proxy port from its own .env (the project folder's).
jest.setTimeout(300_000);

describeWithInfra('blue-green on a fleet (atomic): real sshd, two Docker hosts, Nginx', (infra) => {
  const [, good, bad] = infra.ssh.hosts;
  const p = proxyProject(infra, { layout: 'nginx-static', hosts: [good, bad], versions: ['v1', 'v2'] });
  const { project, images } = p;
  const inputs = (image: string, extra: Record<string, string> = {}) =>
    baseInputs(infra, [good, bad], project, p.app.composeFile, {
      images: `web=${image}`,
      files: p.app.files,
      ...extra,
    });

  beforeAll(async () => {
    const first = await deploy(inputs(images.v1));
    if (first.error) throw first.error;
  });

  it('a host whose new colour never joins makes the host that switched switch back: 0 failed requests there, v1 on both', async () => {
    // on the bad host the new release's app listens on 8081, where its proxy never sends: it cannot switch
    await p.hostEnv(bad, 'WEB_PORT=8081');
    const load = startRateLoad(p.url(good), { rate: 200 });
    await sleep(1000);
    // container-health-timeout: the bad host's wait on port 8080 runs it out in full; v2 is healthy ~1 s after
    // its start (the test app boots in 0.5 s), and the good host switches meanwhile
    const done = await deploy(
      inputs(images.v2, { strategy: 'blue-green', 'container-health-timeout': '10s' }),
    );
    await sleep(2000);
    const counts = await load.stop();
    console.log(`blue-green fleet, the good host under load: ${summarizeLoad(counts)}`);
    expect(done.error?.message).toMatch(/does not answer on port 8080, where the project's proxy sends web/);
    expect(done.error?.message).toContain(`Returned to the previous release (atomic): ${good.user}@`);
    const byHost = Object.values(done.hosts) as Array<{ status: string; previous?: string }>;
    expect(byHost.map((h) => h.status).sort()).toEqual(['failed', 'rolled-back']);
    expect(failedCount(counts)).toBe(0);
    expect(counts.bodies.get('v2')).toBeGreaterThan(0);
    expect(counts.outcomes.at(-1)?.body).toBe('v1');
    expect(await p.containers(good)).toEqual([`${images.v1} running`]);
    expect(await p.containers(bad)).toEqual([`${images.v1} running`]);
    expect((await history(infra, good, project)).at(-1)).toMatchObject({ result: 'rolled-back' });
  });
});
