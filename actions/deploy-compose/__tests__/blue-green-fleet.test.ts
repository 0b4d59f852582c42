import { rmSync } from 'node:fs';
import {
  deleteRegistryRepository,
  describeWithInfra,
  failedCount,
  freePort,
  startRateLoad,
  summarizeLoad,
} from '@slipway/testing';
import { baseInputs, cleanHost, deploy, history, REMOTE_DIR, randomTag, sh } from './fixtures/hosts';
import { copyLayout } from './fixtures/proxy-layouts';
import { buildNginxWebImage } from './fixtures/web-image';

// strategy: blue-green on a fleet with `atomic` (issue 16): a host that cannot switch makes the hosts that already
// switched switch back to the colour they kept running, under load, with 0 failed requests. Two real hosts (their
// own Docker daemons), Nginx in the project, each host's proxy port from its own .env (the project folder's).
jest.setTimeout(300_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithInfra('blue-green on a fleet (atomic): real sshd, two Docker hosts, Nginx', (infra) => {
  const [, good, bad] = infra.ssh.hosts;
  const project = randomTag();
  const repoName = `${project}/web`;
  const repo = `${infra.registry.open}/${repoName}`;
  const images = { v1: '', v2: '' };
  const ports = { good: 0, bad: 0 };
  let app = {} as ReturnType<typeof copyLayout>;
  const inputs = (image: string, extra: Record<string, string> = {}) =>
    baseInputs(infra, [good, bad], project, app.composeFile, {
      images: `web=${image}`,
      files: app.files,
      ...extra,
    });
  const hostEnv = (host: typeof good, text: string) =>
    sh(infra, host, `mkdir -p ${REMOTE_DIR}/${project} && printf '${text}' > ${REMOTE_DIR}/${project}/.env`);
  const webImages = (host: typeof good) =>
    sh(
      infra,
      host,
      `docker inspect -f '{{.Config.Image}} {{.State.Status}}' $(docker ps -aq --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=web)`,
    ).then((out) => out.trim().split('\n').sort());

  beforeAll(async () => {
    images.v1 = buildNginxWebImage(repo, 'v1');
    images.v2 = buildNginxWebImage(repo, 'v2');
    app = copyLayout('nginx-static');
    ports.good = await freePort();
    ports.bad = await freePort();
    await hostEnv(good, `PROXY_PORT=${ports.good}\\n`);
    await hostEnv(bad, `PROXY_PORT=${ports.bad}\\n`);
    const first = await deploy(inputs(images.v1));
    if (first.error) throw first.error;
  });
  afterAll(async () => {
    await Promise.all([cleanHost(infra, good, project), cleanHost(infra, bad, project)]);
    await deleteRegistryRepository(infra.registry.open, repoName);
    if (app.dir) rmSync(app.dir, { recursive: true, force: true });
  });

  it('a host whose new colour never joins makes the host that switched switch back: 0 failed requests there, v1 on both', async () => {
    // on the bad host the new release's app listens on 8081, where its proxy never sends: it cannot switch
    await hostEnv(bad, `PROXY_PORT=${ports.bad}\\nWEB_PORT=8081\\n`);
    const load = startRateLoad(`http://127.0.0.1:${ports.good}/`, { rate: 200 });
    await sleep(1000);
    // container-health-timeout: the bad host's wait on port 8080 runs it out in full; v2 is healthy ~3 s after
    // its start, and the good host switches meanwhile
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
    expect(await webImages(good)).toEqual([`${images.v1} running`]);
    expect(await webImages(bad)).toEqual([`${images.v1} running`]);
    expect((await history(infra, good, project)).at(-1)).toMatchObject({ result: 'rolled-back' });
  });
});
