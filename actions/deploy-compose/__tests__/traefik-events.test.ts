import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeMatrix, describeWithInfra } from '@slipway/testing';
import { baseInputs, cleanHost, deploy, randomTag, sh } from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

// Traefik is not packaged in Debian, so it cannot run here. Its docker provider follows Docker's events: a
// container joins its load balancer once it runs and (with a HEALTHCHECK) reports healthy, and leaves when it is
// killed or dies. What can be tested without Traefik is the order of the events it would see during a rolling
// deploy: every new container healthy before any old one is signalled, and the old ones stopped with SIGTERM
// (requests in flight end) rather than killed.
jest.setTimeout(240_000);

describeWithInfra('what Traefik would see: Docker events of a rolling deploy (real host)', (infra) => {
  const [label, host] = composeMatrix(infra).at(-1) ?? composeMatrix(infra)[0];
  const project = randomTag();
  const repo = `127.0.0.1:5000/${project}/web`;
  const dir = mkdtempSync(join(tmpdir(), 'dc-traefik-'));
  const compose = join(dir, 'docker-compose.yml');
  writeFileSync(
    compose,
    `services:\n  web:\n    image: ${repo}:unpinned\n    stop_grace_period: 2s\n    labels:\n      traefik.enable: "true"\n      traefik.http.services.web.loadbalancer.server.port: "8080"\n`,
  );
  const images = { v1: '', v2: '' };
  beforeAll(() => {
    images.v1 = buildWebImage(repo, 'v1');
    images.v2 = buildWebImage(repo, 'v2');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await cleanHost(infra, host, project);
  });

  it(`every new container is healthy before any old one is signalled, and the old ones get SIGTERM (${label})`, async () => {
    const first = await deploy(baseInputs(infra, [host], project, compose, { images: `web=${images.v1}` }));
    expect(first.error).toBeUndefined();
    const old = (
      await sh(infra, host, `docker ps -q --no-trunc --filter label=com.docker.compose.project=${project}`)
    )
      .trim()
      .split('\n');
    const since = (await sh(infra, host, 'date +%s')).trim();
    const second = await deploy(baseInputs(infra, [host], project, compose, { images: `web=${images.v2}` }));
    expect(second.error).toBeUndefined();
    const until = Number((await sh(infra, host, 'date +%s')).trim()) + 1;
    const events = (
      await sh(
        infra,
        host,
        `docker events --since ${since} --until ${until} --filter type=container --filter label=com.docker.compose.project=${project} --format '{{.Status}}|{{.ID}}|{{index .Actor.Attributes "signal"}}'`,
      )
    )
      .trim()
      .split('\n')
      .map((line) => {
        const [status, id, signal] = line.split('|');
        return { status, id, signal };
      });
    const fresh = [...new Set(events.filter((e) => e.status === 'start').map((e) => e.id))];
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.some((id) => old.includes(id))).toBe(false);
    const healthyAt = fresh.map((id) =>
      events.findIndex((e) => e.id === id && e.status === 'health_status: healthy'),
    );
    const firstSignal = events.findIndex(
      (e) => old.includes(e.id) && (e.status === 'kill' || e.status === 'die'),
    );
    expect(healthyAt.every((i) => i >= 0)).toBe(true);
    expect(firstSignal).toBeGreaterThan(Math.max(...healthyAt));
    // the first signal an old container gets is TERM (15), so it ends the requests it has
    const signals = events.filter((e) => old.includes(e.id) && e.status === 'kill').map((e) => e.signal);
    expect(signals[0]).toBe('15');
  });
});

// Traefik's Docker provider routes to every running, healthy container with the labels, DNS names aside: the
// previous colour that blue-green keeps running out of rotation would go on answering through it.
describeWithInfra('blue-green behind Traefik (real host)', (infra) => {
  const host = (composeMatrix(infra).at(-1) ?? composeMatrix(infra)[0])[1];
  const project = randomTag();
  const dir = mkdtempSync(join(tmpdir(), 'dc-traefik-bg-'));
  const compose = join(dir, 'docker-compose.yml');
  writeFileSync(
    compose,
    `services:\n  web:\n    image: 127.0.0.1:5000/${project}/web:unpinned\n    labels:\n      traefik.enable: "true"\n  edge:\n    image: traefik:v3.1\n    ports: ["8000:80"]\n`,
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused before any host is contacted, naming the input and what to use instead', async () => {
    const web = `127.0.0.1:5000/${project}/web@sha256:${'a'.repeat(64)}`;
    const result = await deploy(
      baseInputs(infra, [host], project, compose, { images: `web=${web}`, strategy: 'blue-green' }),
    );
    expect(result.error?.message).toBe(
      'Input "strategy": blue-green keeps the previous colour running out of rotation, but edge is Traefik, whose Docker provider sends requests to every running, healthy container with the service\'s labels, so the previous colour would go on answering. Behind Traefik use "rolling" or "canary" (a container leaves Traefik\'s rotation when it stops).',
    );
    expect(
      (await sh(infra, host, `test -e .slipway-test/${project} && echo there || echo absent`)).trim(),
    ).toBe('absent');
  });
});
