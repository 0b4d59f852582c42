import { sleep } from '@slipway/shared';
import {
  describeWithInfra,
  failedCount,
  startRateLoad,
  startRoundRobin,
  summarizeLoad,
  type TestServer,
} from '@slipway/testing';
import { baseInputs, deploy, untilLockFree } from './fixtures/hosts';
import { proxyProject } from './fixtures/proxy-project';

// strategy: canary on a fleet (issue 16): two real hosts (their own Docker daemons), Nginx in each one's project,
// a round-robin load balancer in front of both as the fleet's one entry point (public-url), under 200 req/s. The
// steps are taken in lockstep, each judged once for the fleet; a host that cannot bring its step up sends both
// hosts back at once (atomic). canary-fleet.test.ts in packages/shared pins the lockstep down without hosts.
jest.setTimeout(300_000);

describeWithInfra(
  'canary on a fleet, in lockstep: real sshd, two Docker hosts, Nginx, one entry point',
  (infra) => {
    const [, h2, h3] = infra.ssh.hosts;
    const p = proxyProject(infra, { layout: 'nginx-static', hosts: [h2, h3], versions: ['v1', 'v2', 'v3'] });
    const { project, images } = p;
    let balancer: TestServer | undefined;
    const url = () => `${balancer?.url}/`;
    const inputs = (image: string, version: string, extra: Record<string, string> = {}) =>
      baseInputs(infra, [h2, h3], project, p.app.composeFile, {
        images: `web=${image}`,
        files: p.app.files,
        strategy: 'canary',
        'canary-steps': '50%,100%',
        'canary-interval': '4s',
        'public-url': url(),
        'expect-version': version,
        ...extra,
      });

    async function underLoad(values: Record<string, string>) {
      const lines: string[] = [];
      const load = startRateLoad(url(), { rate: 200 });
      await sleep(1000);
      const done = await deploy(values, undefined, (line) => lines.push(line));
      const ended = load.now();
      await sleep(1500);
      const counts = await load.stop();
      console.log(
        `canary fleet: ${summarizeLoad(counts)}\n${lines.filter((l) => /canary/.test(l)).join('\n')}`,
      );
      return { done, counts, lines, ended };
    }

    beforeAll(async () => {
      balancer = await startRoundRobin([h2, h3].map((h) => `127.0.0.1:${p.port(h)}`));
      const first = await deploy(
        inputs(images.v1, 'v1', { strategy: 'rolling', 'canary-steps': '', 'canary-interval': '' }),
      );
      if (first.error) throw first.error;
    });
    afterAll(async () => {
      await balancer?.close();
    });

    it('every step is taken on both hosts, then judged once for the fleet: 0 failed requests, the same verdict everywhere', async () => {
      const { done, counts, lines } = await underLoad(inputs(images.v2, 'v2'));
      expect(done.error).toBeUndefined();
      expect(lines).toContain('canary on 2 hosts in lockstep: each step is judged once for the whole fleet.');
      expect(failedCount(counts)).toBe(0);
      // lockstep: both hosts' step 1 began before either host's step 2
      const at = (host: typeof h2, step: number) =>
        lines.findIndex(
          (l) => l.startsWith(`${host.user}@`) && l.includes(`: web: canary step ${step} of 2: declared`),
        );
      for (const host of [h2, h3])
        for (const other of [h2, h3]) expect(at(host, 1)).toBeLessThan(at(other, 2));
      expect(Math.min(at(h2, 1), at(h3, 1))).toBeGreaterThanOrEqual(0);
      // one judgement per step, for the fleet: both hosts report the same observation of the entry point
      const share = JSON.parse(done.outputs['traffic-share']) as Array<{
        host: string;
        step: number;
        answers: unknown;
      }>;
      expect(share.map((s) => s.step).sort()).toEqual([1, 1, 2, 2]);
      for (const step of [1, 2]) {
        const [a, b] = share.filter((s) => s.step === step);
        expect(a.host).not.toBe(b.host);
        expect(a.answers).toEqual(b.answers);
      }
      expect(done.outputs['steps-completed']).toBe('2');
      // the old containers stop after the verdict, under each host's deploy lock
      await Promise.all([h2, h3].map((h) => untilLockFree(infra, h, project)));
      expect(await p.containers(h2)).toEqual([`${images.v2} running`]);
      expect(await p.containers(h3)).toEqual([`${images.v2} running`]);
      expect(counts.outcomes.at(-1)?.body).toBe('v2');
    });

    it('atomic: a host whose step never comes up fails the step on every host at once: 0 failed requests, the old version serves on everywhere', async () => {
      // on h3 the new release's app listens on 8081, where its proxy never sends: its step 1 never joins
      await p.hostEnv(h3, 'WEB_PORT=8081');
      const { done, counts, ended } = await underLoad(
        inputs(images.v3, 'v3', { 'container-health-timeout': '10s' }),
      );
      expect(done.error?.message).toMatch(
        /does not answer on port 8080, where the project's proxy sends web/,
      );
      expect(done.error?.message).toMatch(
        new RegExp(`${h2.user}@\\S+: web: canary step 1 of 2 .*failed: ${h3.user}@\\S+ failed`),
      );
      expect(failedCount(counts)).toBe(0);
      expect(counts.outcomes.filter((o) => o.sentAt > ended).every((o) => o.body === 'v2')).toBe(true);
      // the old containers stop after the verdict, under each host's deploy lock
      await Promise.all([h2, h3].map((h) => untilLockFree(infra, h, project)));
      expect(await p.containers(h2)).toEqual([`${images.v2} running`]);
      expect(await p.containers(h3)).toEqual([`${images.v2} running`]);
    });
  },
);
