// The bare minimum of a Compose rolling upgrade over SSH, the context of issue 15's goal row: what any design that
// drives Compose on a host from a step must do, and nothing else. A new Node process (as a step is), one SSH
// connection, one command: pull the new image, create its container beside the old one (`--scale 2
// --no-recreate`), start it off the service's DNS name, wait until Docker says healthy (polled every 0.1 s), move
// the name from the old container to the new one, drain. No lock, no release record or history, no files, no
// comparison of what changed, no HTTP or entry-point check, no proxy reload; the old container is left running
// (the stop after the verdict, not timed). Its project is its own, beside the benched app, on the same daemon.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { shellQuote } from '@slipway/shared';
import type { Infra, SshHost } from '@slipway/testing';
import { sh } from '../actions/deploy-compose/__tests__/fixtures/hosts';

/** The one command of the roll; PROJECT, COMPOSE (the host's Compose command), IMG and DRAIN are set before it. */
const ROLL = `set -e
export IMG
cd "$HOME/$PROJECT"
dc() { $COMPOSE -p "$PROJECT" -f c.yml "$@"; }
dc pull -q web
old=$(docker ps -q --no-trunc --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=web)
dc up --no-start --no-deps --no-recreate --scale web=2 web 2>/dev/null
new=$(docker ps -aq --no-trunc --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=web | grep -v -x "$old")
net="\${PROJECT}_default"
docker network disconnect -f "$net" "$new"; docker network connect "$net" "$new"
docker start "$new" >/dev/null
i=0
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$new")" = healthy ]; do
  i=$((i + 1)); if [ "$i" -gt 600 ]; then echo "the new container never got healthy" >&2; exit 1; fi
  sleep 0.1
done
docker network disconnect -f "$net" "$new"; docker network connect --alias web "$net" "$new"
docker network disconnect -f "$net" "$old"; docker network connect "$net" "$old"
sleep "$DRAIN"
`;

/**
 * The step's stand-in: ssh2 (the library the actions use) in a Node process of its own, running one command, the
 * host's key checked against its SHA256 fingerprint as the actions check it.
 */
const CLIENT = `const { Client } = require('ssh2');
const [host, port, username, key, fingerprint, command] = process.argv.slice(1);
const known = (hex) => 'SHA256:' + Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '') === fingerprint;
const c = new Client();
c.on('ready', () => c.exec(command, (err, stream) => {
  if (err) throw err;
  stream.on('close', (code) => { c.end(); process.exitCode = code ?? 1; });
  stream.resume();
  stream.stderr.on('data', (d) => process.stderr.write(d));
})).on('error', (e) => { console.error(e.message); process.exitCode = 1; }).connect({
  host, port: Number(port), username, privateKey: require('node:fs').readFileSync(key),
  hostHash: 'sha256', hostVerifier: known,
});`;

const compose = (host: SshHost) => (host.compose === 'v2' ? 'docker compose' : 'docker-compose');

/**
 * A project of its own on `host` for bare rolls from `base` (an image already on the host): `roll(image)` starts
 * it afresh from `base` (not timed), times one bare roll to `image`, then takes it down and removes `image` from
 * the host, so that the next step pulls it as the benched deploy does.
 */
export function bareProject(repoRoot: string, infra: Infra, host: SshHost, name: string, base: string) {
  const values = (image: string, drainSeconds = 0) =>
    `PROJECT=${shellQuote(name)} COMPOSE=${shellQuote(compose(host))} IMG=${shellQuote(image)} DRAIN=${drainSeconds}`;
  const inProject = (image: string, script: string) =>
    sh(infra, host, `${values(image)}; export IMG; cd "$HOME/$PROJECT" && ${script}`);
  const down = `${compose(host)} -p "$PROJECT" -f c.yml down -t 0 >/dev/null 2>&1 || true`;
  return {
    async roll(image: string, drainMs: number): Promise<number> {
      await sh(
        infra,
        host,
        `mkdir -p "$HOME/${name}" && printf 'services:\\n  web:\\n    image: \${IMG}\\n' > "$HOME/${name}/c.yml"`,
      );
      const ready = await inProject(
        base,
        `${compose(host)} -p "$PROJECT" -f c.yml up -d --no-deps web >/dev/null 2>&1 && i=0 && until [ "$(docker inspect -f '{{.State.Health.Status}}' "$(docker ps -q --filter "label=com.docker.compose.project=$PROJECT")")" = healthy ]; do i=$((i+1)); if [ $i -ge 600 ]; then exit 1; fi; sleep 0.1; done; echo ready`,
      );
      if (!ready.includes('ready'))
        throw new Error(`the bare roll's project on ${host.name} did not start from ${base}`);
      const command = `${values(image, drainMs / 1000)}\n${ROLL}`;
      const started = performance.now();
      const { code, stderr } = await runClient(repoRoot, host, infra.ssh.clientKey, command);
      const ms = performance.now() - started;
      await inProject(image, `${down}; docker rmi -f "$IMG" >/dev/null 2>&1 || true`);
      if (code !== 0)
        throw new Error(`the bare roll on ${host.name} failed (exit ${code}): ${stderr.trim()}`);
      return ms;
    },
    async remove() {
      await inProject(base, `${down}; cd && rm -rf -- "$HOME/$PROJECT"`).catch(() => undefined);
    },
  };
}

function runClient(repoRoot: string, host: SshHost, key: string, command: string) {
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const args = ['-e', CLIENT, host.host, String(host.port), host.user, key, host.fingerprint, command];
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
