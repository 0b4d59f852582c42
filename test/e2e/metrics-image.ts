// The app of the analysis end-to-end tests: busybox httpd whose /cgi-bin/work counts each request (every
// `errorEvery`-th answered 500: the release's bug) and whose /cgi-bin/metrics exposes those counts to Prometheus
// as `http_requests_total{version,code}`, as an instrumented app would. So the errors a test's analysis sees are
// errors the deployed containers really answered, scraped from them through the project's proxy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DOCKERFILE = `FROM local/busybox:1
ARG VERSION
ARG ERROR_EVERY=0
COPY cgi /www/cgi-bin
RUN chmod 755 /www/cgi-bin/* && echo "$VERSION" >/www/index.html && echo "$VERSION" >/version && echo "$ERROR_EVERY" >/error-every && echo ok >/www/health
HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD wget -q -O /dev/null http://127.0.0.1:8080/health || exit 1
EXPOSE 8080
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
`;

const WORK = `#!/bin/sh
printf x >>/tmp/requests
n=$(wc -c </tmp/requests)
every=$(cat /error-every)
if [ "$every" -gt 0 ] && [ $((n % every)) -eq 0 ]; then
  printf x >>/tmp/errors
  printf 'Status: 500 Internal Server Error\\r\\nContent-Type: text/plain\\r\\n\\r\\nerror\\n'
else
  printf 'Content-Type: text/plain\\r\\n\\r\\nok\\n'
fi
`;

const METRICS = `#!/bin/sh
version=$(cat /version)
total=$(cat /tmp/requests 2>/dev/null | wc -c)
errors=$(cat /tmp/errors 2>/dev/null | wc -c)
printf 'Content-Type: text/plain; version=0.0.4\\r\\n\\r\\n'
printf '# TYPE http_requests_total counter\\n'
printf 'http_requests_total{version="%s",code="200"} %d\\n' "$version" $((total - errors))
printf 'http_requests_total{version="%s",code="500"} %d\\n' "$version" "$errors"
`;

/** Builds the app as `repo:version`, pushes it to the open local registry, and returns it by digest. */
export function buildMetricsImage(repo: string, version: string, errorEvery = 0): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-metrics-image-'));
  const tag = `${repo}:${version}`;
  const docker = (args: string[]) =>
    execFileSync('docker', args, { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: 'pipe' })
      .toString()
      .trim();
  try {
    mkdirSync(join(dir, 'cgi'));
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(dir, 'cgi/work'), WORK);
    writeFileSync(join(dir, 'cgi/metrics'), METRICS);
    docker([
      'build',
      '-q',
      '-t',
      tag,
      '--build-arg',
      `VERSION=${version}`,
      '--build-arg',
      `ERROR_EVERY=${errorEvery}`,
      dir,
    ]);
    docker(['push', '-q', tag]);
    const digest = docker(['image', 'inspect', '-f', '{{range .RepoDigests}}{{println .}}{{end}}', tag])
      .split('\n')
      .find((d) => d.startsWith(`${repo}@`));
    if (!digest) throw new Error(`no digest of ${tag} after its push`);
    return digest;
  } finally {
    try {
      docker(['rmi', tag]);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lists `127.0.0.1:port` (its /cgi-bin/metrics) as a target of the local Prometheus; returns the file's remover. */
export function scrapeTarget(targetsDir: string, name: string, port: number): () => void {
  const file = join(targetsDir, `slipway-e2e-${name}.json`);
  writeFileSync(
    file,
    JSON.stringify([
      {
        targets: [`127.0.0.1:${port}`],
        labels: { __metrics_path__: '/cgi-bin/metrics', app: `slipway-e2e-${name}` },
      },
    ]),
  );
  return () => rmSync(file, { force: true });
}
