// What the golden files run web's phases with: project shop's context and web's phase values (deploy-phases and
// both canary files), and the release both canary files use (canary-phases: behind Nginx, spread by replicas;
// canary-weights-phases: behind HAProxy or Nginx, by weights), the proxy's kind the only difference.
import { type ProjectContext, type ProjectVerb, projectScript } from '../../src/compose-fleet/project-script';
import type { Release } from '../../src/compose-fleet/release';
import { wrapRemoteScript } from '../../src/ssh/remote-script';
import type { FakeHost } from './fake-host';

/** Release R1 of project shop: `web` (public) behind one proxy service of `proxyKind`. */
export const canaryRelease = (proxyKind: 'nginx' | 'haproxy'): Release => ({
  id: 'R1',
  composeFiles: ['compose-0.yml'],
  projectDirectory: 'releases/R1',
  files: [],
  images: { web: 'registry.test/web@sha256:1' },
  services: [
    { name: 'web', public: true },
    { name: 'proxy', proxy: proxyKind },
  ],
  gitSha: 'abc',
  actor: 'me',
  runUrl: 'https://example.test/run',
});

export const shopContext: ProjectContext = {
  place: { dir: 'app', project: 'shop' },
  timings: { healthTimeoutMs: 5_000, drainMs: 0, pollMs: 50 },
};

/** The values of web's phases (rolling, canary), with a phase's own (`extra`). */
export const webValues = (extra: Record<string, string | number | boolean> = {}) => ({
  SERVICE: 'web',
  HTTP_CHECK: '',
  HEALTH_SECONDS: 5,
  UPSTREAM_PORTS: '',
  FILES_DIGEST: 'sha256:f1',
  ENTRY_CHECK: false,
  ENTRY_SECONDS: 1,
  ...extra,
});

/** Compose v2 on release R1, as recorded (the temp home written as `~`). */
export const canaryCompose =
  'docker compose -p shop --project-directory ~/app/releases/R1 -f ~/app/releases/R1/compose-0.yml';

/**
 * One of web's phases of `release` on the fake host (`host()`: each test's own), as an SSH exec channel runs it
 * under `shell`, with web's values and the phase's own.
 */
export const webPhase =
  (host: () => FakeHost, shell: 'dash' | 'bash', release: Release) =>
  (verb: ProjectVerb, extra: Record<string, string | number | boolean> = {}) =>
    host().run(shell, wrapRemoteScript(projectScript(shopContext, release, verb, webValues(extra)), 60_000));
