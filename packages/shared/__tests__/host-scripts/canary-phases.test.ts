// The canary's host phases (canary-up, then roll-switch, roll-finish or roll-undo) under dash and bash against a
// fake `docker` that records its calls: golden call sequences, no host needed. actions/deploy-compose's
// canary.test.ts proves the same scripts on real Docker behind real proxies.

import { join } from 'node:path';
import { all, ids, networksWithAliases, proxyIds, state } from './docker-calls';
import { type FakeHost, fakeHost, leftIn, nginxWorkers, queuedIn, type Rule } from './fake-host';
import { canaryCompose, canaryRelease, webPhase } from './phase-fixture';

const release = canaryRelease('nginx');

const compose = canaryCompose;

/** Two old containers; step 1 adds new1, step 2 new2 (healthy unless `health2` says otherwise). */
const twoOld = (step: 1 | 2, health2 = 'running healthy'): Rule[] => [
  { args: ids, stdout: 'old1\nold2\n' },
  { args: all, stdout: step === 1 ? 'old1\nold2\nnew1\n' : 'old1\nold2\nnew1\nnew2\n' },
  ...['old1', 'old2', 'new1', 'new2'].map((id) => ({
    args: `${networksWithAliases} ${id}`,
    stdout: `shop_default web ${id}s\n`,
  })),
  { args: `${state} new1`, stdout: 'running healthy\n' },
  { args: `${state} new2`, stdout: `${health2}\n` },
  { args: 'inspect -f {{.Name}} new2', stdout: '/shop-web-4\n' },
  { args: proxyIds, stdout: 'p1\n' },
];

describe.each(['dash', 'bash'] as const)('canary phases under %s', (shell) => {
  let host: FakeHost;
  beforeEach(() => {
    host = fakeHost({ compose: 'v2' });
  });
  afterEach(() => host.remove());
  const phase = webPhase(() => host, shell, release);
  const replicas = (n: number) => ({ CANARY_NEW: n, CANARY_MODE: 'replicas', CANARY_WEIGHTS: '' });
  /** canary-open, then step 1 (1 new container) of the replica ratio. */
  const firstStep = async () => {
    host.answer(twoOld(1));
    await phase('canary-open');
    return phase('canary-up', replicas(1));
  };

  it('steps of 1 then 2 new containers beside 2 old, each joining the rotation once healthy; 100% switches, then the old stop', async () => {
    host.answer(twoOld(1));
    const opened = await phase('canary-open');
    expect(opened.stderr).toBe('');
    // Nginx follows the service's DNS name: the replica ratio is what it offers.
    expect(opened.stdout).toBe('old 2\nreplicas proxy nginx\n');
    expect(opened.calls).toEqual([
      `docker ${ids}`,
      `docker ${networksWithAliases} old1`,
      `docker ${networksWithAliases} old2`,
      // no slipway-web.conf among the files Nginx loads: no opt-in to weights
      `docker ${proxyIds}`,
      'docker inspect -f {{join .Args " "}} p1',
      'docker exec p1 nginx -T -c /etc/nginx/nginx.conf',
    ]);
    host.answer(twoOld(1));
    const first = await phase('canary-up', replicas(1));
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('canary 1 2\n');
    expect(first.calls).toEqual([
      'docker compose version',
      `${compose} up --no-start --no-deps --no-recreate --scale web=3 web`,
      `docker ${all}`,
      `docker ${networksWithAliases} new1`,
      'docker network disconnect -f shop_default new1',
      'docker network connect shop_default new1',
      'docker start new1',
      `docker ${state} new1`,
      'docker network disconnect -f shop_default new1',
      'docker network connect --alias web --alias new1s shop_default new1',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
    ]);
    host.answer(twoOld(2));
    const second = await phase('canary-up', replicas(2));
    expect(second.stdout).toBe('canary 2 2\n');
    expect(second.calls).toEqual([
      'docker compose version',
      `${compose} up --no-start --no-deps --no-recreate --scale web=4 web`,
      `docker ${all}`,
      `docker ${networksWithAliases} new2`,
      'docker network disconnect -f shop_default new2',
      'docker network connect shop_default new2',
      'docker start new2',
      `docker ${state} new2`,
      'docker network disconnect -f shop_default new2',
      'docker network connect --alias web --alias new2s shop_default new2',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
    ]);
    // The same count again (a step whose nearest share needs no more containers): nothing changes.
    host.answer(twoOld(2));
    const same = await phase('canary-up', replicas(2));
    expect([same.stdout, same.calls]).toEqual(['canary 2 2\n', []]);
    host.answer(twoOld(2));
    const switched = await phase('roll-switch');
    expect(switched.calls).toEqual([
      'docker network disconnect -f shop_default old1',
      'docker network connect shop_default old1',
      'docker network disconnect -f shop_default old2',
      'docker network connect shop_default old2',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
    ]);
    host.answer([{ args: all, stdout: 'new1\nnew2\n' }]);
    const finished = await phase('roll-finish', { DRAIN: 0 });
    // the old containers are queued for the stop after the verdict (stop-after-verdict.test.ts)
    expect(finished.calls).toEqual([`docker ${all}`]);
    expect(queuedIn(join(host.home, 'app'))).toEqual(['old1', 'old2']);
    expect(leftIn(join(host.home, 'app')).filter((f) => !f.startsWith('.slipway-retire'))).toEqual([
      '.slipway-state',
      '.slipway-state/web.files',
    ]);
  });

  it('aborted at step 2: every new container leaves the rotation and goes; the old ones are never touched', async () => {
    await firstStep();
    host.answer(twoOld(2));
    await phase('canary-up', replicas(2));
    host.answer(twoOld(2));
    const undone = await phase('roll-undo');
    expect(undone.code).toBe(0);
    expect(undone.calls).toEqual([
      'docker network disconnect -f shop_default new1',
      'docker network connect shop_default new1',
      'docker network disconnect -f shop_default new2',
      'docker network connect shop_default new2',
      `docker ${proxyIds}`,
      nginxWorkers('p1'),
      'docker kill -s HUP p1',
      'docker rm -f new1 new2',
    ]);
    expect(leftIn(join(host.home, 'app'))).toEqual([]);
  });

  it('a container added at step 2 that turns unhealthy fails the step and is left, with step 1, for roll-undo', async () => {
    await firstStep();
    host.answer([...twoOld(2, 'running unhealthy'), { args: /^logs --tail 5 new2$/, stdout: 'boom\n' }]);
    const second = await phase('canary-up', replicas(2));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('container shop-web-4 is running unhealthy');
    expect(second.calls.filter((c) => c.includes('--alias'))).toEqual([]);
    host.answer(twoOld(2));
    const undone = await phase('roll-undo');
    expect(undone.calls.at(-1)).toBe('docker rm -f new1 new2');
    expect(undone.calls.filter((c) => c.includes('old'))).toEqual([]);
  });

  it('a later step with no canary open on the host fails rather than guessing the old containers', async () => {
    host.answer(twoOld(2));
    const result = await phase('canary-up', replicas(2));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no canary of web is open on this host');
  });
});
