import { readFileSync } from 'node:fs';
import type { Infra } from '@slipway/testing';
import { OPEN_REGISTRY, type Sentinels } from './sentinels';

/** Why a value is bad: the kinds issue 10 asks for, plus inputs that are each fine but not together. */
export type Kind = 'empty' | 'type' | 'range' | 'enum' | 'injection' | 'combination';

/** One bad value: the input it is given to, and what the error must say is accepted (besides naming it). */
export interface BadInput {
  input: string;
  kind: Kind;
  value: string;
  accepts: RegExp;
  /** Other inputs changed for this case (e.g. a partner input, or another input emptied). */
  with?: Record<string, string>;
  env?: Record<string, string>;
}

export interface ActionTable {
  action: string;
  /** Inputs that pass validation: the control run with them reaches a watcher, so the watchers can see. */
  base: Record<string, string>;
  env?: Record<string, string>;
  /** Files the workspace holds (a Compose file...), by path. */
  workspace?: Record<string, string>;
  /** Symbolic links the workspace holds, by path: where each points (issue 17: links out of the workspace). */
  links?: Record<string, string>;
  /** Files of this many bytes (sparse), by path: past the size cap of a path input. */
  bigFiles?: Record<string, number>;
  /** What the control run must have touched: proof that the bad-input runs could have been seen doing it. */
  control: Array<'aws' | 'github' | 'http' | 'ssh'>;
  rows: BadInput[];
}

type Row = [input: string, kind: Kind, value: string, accepts: RegExp, extra?: Partial<BadInput>];
const rows = (list: Row[]): BadInput[] =>
  list.map(([input, kind, value, accepts, extra]) => ({ input, kind, value, accepts, ...extra }));

/** The four shapes of shell injection, each after a plausible `prefix`. */
function injections(s: Sentinels, input: string, prefix: string, accepts: RegExp): BadInput[] {
  return [
    `${prefix}$(touch ${s.injected})`,
    `${prefix}\`touch ${s.injected}\``,
    `${prefix}; rm -rf ${s.canary}`,
    `${prefix}\ntouch ${s.injected}`,
  ].map((value) => ({ input, kind: 'injection', value, accepts }));
}

const notBoolean = (names: string[]): BadInput[] =>
  names.map((input) => ({ input, kind: 'type', value: 'maybe', accepts: /true or false/ }));

const DIGEST = `sha256:${'a'.repeat(64)}`;
/** Issue 17: links out of the workspace, devices, files past the cap (each table's workspace holds these). */
const OUTSIDE_LINKS = { 'outside-link': '/etc/passwd', 'outside-dir': '/etc', 'zero-link': '/dev/zero' };
const BIG_FILES = { 'big.file': 9 * 2 ** 20 };
const LEADS_OUTSIDE =
  /leads outside the workspace \(to .*\)\. Paths \(and the links in them\) must stay inside/;
const NOT_REGULAR = /is not a regular file or folder/;
const TOO_LARGE = /is larger than 8 MiB/;
/** Issue 17, class 9: past 24h, and 400 digits (Infinity). */
const HUGE_DURATIONS = ['600h', '9'.repeat(400)];
const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;
const DURATION = /a duration such as 90s, 5m or 1h/;
const METHOD = /an HTTP method such as GET or POST \(one word of letters, digits and/;
const REFERENCE = /not a valid image reference .*expected registry\/repository\[:tag\]/;
const CACHE_FROM = /write type=<registry\|local\|gha\|s3\|azblob>,key=value,\.\.\. .* or an image reference/;
const CACHE_TO =
  /write type=<registry\|local\|gha\|s3\|azblob\|inline>,key=value,\.\.\. .* or an image reference/;

/** A `checks` YAML list whose one check (or second check, with `second`) has this `method:` line. */
const checkWithMethod = (url: string, method: string, second = false) =>
  `${second ? `- ${url}\n` : ''}- url: ${url}/m\n  method: ${method}`;

export function buildPush(s: Sentinels): ActionTable {
  const image = `${OPEN_REGISTRY}/${s.registryPrefix}/app`;
  return {
    action: 'actions/build-push',
    // ecr: true sends the control run to the counting AWS endpoint before any build: cheap proof it can be seen.
    base: { image, scan: 'false', 'trivy-download-url': s.http.url },
    control: ['aws'],
    links: OUTSIDE_LINKS,
    bigFiles: BIG_FILES,
    rows: [
      // issue 17: classes 1 and 2, and full references in tags
      ...rows([
        ['file', 'type', 'outside-link', LEADS_OUTSIDE],
        ['file', 'type', 'zero-link', LEADS_OUTSIDE],
        ['file', 'type', '/dev/zero', NOT_REGULAR],
        ['file', 'range', 'big.file', TOO_LARGE],
        ['context', 'type', 'outside-dir', LEADS_OUTSIDE],
        ['ignore-file', 'type', 'outside-link', LEADS_OUTSIDE],
        ['tags', 'type', 'ghcr.io/other/app:1.0', /names ghcr\.io\/other\/app, not "image"/],
        ['tags', 'type', `${image}`, /has no tag/],
      ]),
      ...rows([
        ['image', 'empty', '', /is required/],
        ['image', 'type', 'IMAGE', /not a valid image reference/],
        ['image', 'type', `${image}:v1`, /repository without a tag or digest/],
        ['tags', 'range', 'x'.repeat(129), /up to 128 letters/],
        ['tags', 'type', '-leading-dash', /tags only/],
        ['source-image', 'type', `${image}:v1`, /by digest \(repo@sha256/, { with: { tags: 'prod' } }],
        [
          'tags',
          'combination',
          '',
          /required with "source-image"/,
          { with: { 'source-image': `${image}@${DIGEST}` } },
        ],
        ['build-args', 'type', 'not a pair', /KEY=VALUE lines/],
        ['labels', 'type', '=no-key', /KEY=VALUE lines/],
        ['secrets', 'type', 'bad id=value', /KEY=VALUE lines/],
        ['platforms', 'type', 'windows', /os\/arch\[\/variant\]/],
        ['ecr', 'enum', 'sometimes', /one of auto, true, false/],
        ['endpoint', 'type', 'ftp://ecr.local', /http\(s\) URL/, { with: { ecr: 'true' } }],
        ['trivy-download-url', 'type', 'file:///etc/passwd', /http\(s\) URL/],
        ['severity', 'enum', 'SEVERE', /UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL/],
        ['fail-on', 'enum', 'BAD', /UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL/],
        ['fail-on', 'combination', 'HIGH', /add it to "severity"/, { with: { severity: 'CRITICAL' } }],
        ['password', 'combination', '', /set both or neither/, { with: { username: 'someone' } }],
        ['context', 'type', 'no-such-dir', /does not exist in the workspace/],
        ['file', 'type', 'no/Dockerfile', /does not exist in the workspace/],
        ['target', 'type', 'no stage', /build stage name/],
        ['cache-from', 'type', 'type=registry,ref', CACHE_FROM],
        ['cache-from', 'type', 'mode=max', CACHE_FROM],
        ['cache-from', 'enum', 'type=redis,url=x', CACHE_FROM],
        ['cache-from', 'enum', 'type=inline', CACHE_FROM],
        ['cache-from', 'type', 'type=registry,ref=Not A Ref', REFERENCE],
        ['cache-from', 'type', 'ghcr.io/Acme/App:cache', REFERENCE],
        ['cache-from', 'injection', 'type=gha,scope=a\rb', CACHE_FROM],
        ['cache-to', 'empty', 'type=', CACHE_TO],
        ['cache-to', 'empty', 'type=gha,mode=', CACHE_TO],
        ['cache-to', 'type', 'type=gha,oops', CACHE_TO],
        ['cache-to', 'type', 'a/b:cache,,c/d:cache', CACHE_TO],
        ['cache-to', 'injection', 'type=gha,scope=web\u001b[31m', CACHE_TO],
        ['trivy-db-repositories', 'type', 'not a ref', REFERENCE],
        ['trivy-db-repositories', 'type', 'https://ghcr.io/aquasecurity/trivy-db:2', REFERENCE],
        ['trivy-db-repositories', 'type', 'ghcr.io/aquasecurity/trivy-db:2,Trivy-DB', REFERENCE],
      ]),
      ...notBoolean(['pull', 'no-cache', 'skip-existing', 'create-repository', 'logout', 'scan', 'push']),
      ...rows([
        [
          'push',
          'combination',
          'false',
          /remove "source-image" or set "push" to true/,
          { with: { 'source-image': `${image}@${DIGEST}`, tags: 'prod' } },
        ],
      ]),
      ...injections(s, 'image', `${image}`, /not a valid image reference/),
      ...injections(s, 'tags', 'v1', /tags only/),
      ...injections(s, 'platforms', 'linux/amd64', /os\/arch/),
      ...injections(s, 'target', 'prod', /build stage name/),
      ...injections(s, 'build-args', 'A=1\nB', /KEY=VALUE lines/),
      ...injections(s, 'cache-from', `type=registry,ref=${image}:cache`, REFERENCE),
      ...injections(s, 'cache-to', `type=registry,ref=${image}:cache`, REFERENCE),
      ...injections(s, 'trivy-db-repositories', 'ghcr.io/aquasecurity/trivy-db:2', REFERENCE),
    ],
  };
}

export function deployEcs(s: Sentinels): ActionTable {
  return {
    action: 'actions/deploy-ecs',
    base: {
      service: 'web',
      images: `web=${OPEN_REGISTRY}/app@${DIGEST}`,
      'deployment-environment': 'production',
      'poll-interval': '200ms',
    },
    control: ['github', 'aws'],
    links: OUTSIDE_LINKS,
    bigFiles: BIG_FILES,
    rows: [
      // issue 17: classes 1 and 2
      ...rows([
        // a bare name is a family (see deploy-ecs's README): a file is named with a path or an extension
        ['task-definition', 'type', './outside-link', LEADS_OUTSIDE],
        ['task-definition', 'type', '/dev/zero', /is not a regular file/],
        ['task-definition', 'range', './big.file', TOO_LARGE],
      ]),
      ...rows([
        ['service', 'empty', '', /"service" \(or "services", one per line\) is required/],
        ['services', 'combination', 'a,b', /either "service" or "services"/],
        ['services', 'type', 'a,a', /names "a" twice/, { with: { service: '' } }],
        ['service', 'type', 'web app', /service name or ARN/],
        ['cluster', 'type', 'my cluster', /cluster name or ARN/],
        [
          'task-definition',
          'type',
          'no/such/file.json',
          /a task definition file \(JSON or YAML\), an ARN or family/,
        ],
        ['images', 'type', 'web=repo@sha256:123', /container=image lines/],
        ['images', 'type', 'web', /KEY=VALUE lines/],
        ['environment', 'type', 'NO_EQUALS', /KEY=VALUE lines/],
        ['secrets', 'type', 'web:1BAD=arn', /KEY=VALUE lines/],
        ['docker-labels', 'type', 'bad label=x', /KEY=VALUE lines/],
        ['cpu', 'type', 'lots', /a whole number for the task/],
        ['cpu', 'range', '0', /a whole number for the task/],
        ['memory', 'type', 'web=1.5', /a whole number for the task/],
        ['desired-count', 'range', '-1', /a whole number of at least 0/],
        ['desired-count', 'type', 'two', /a whole number/],
        ['wait-timeout', 'range', '500ms', DURATION],
        ['wait-timeout', 'range', '7h', DURATION],
        ['wait-timeout', 'type', 'forever', DURATION],
        ['poll-interval', 'range', '10ms', DURATION],
        [
          'region',
          'empty',
          '',
          /"region" is required when AWS_REGION is not set/,
          { env: { AWS_REGION: '' } },
        ],
        ['region', 'type', 'eu west 1', /AWS region such as/],
        ['endpoint', 'type', 'ftp://ecs.local', /http\(s\) URL/],
        ['deployment-url', 'type', 'not a url', /http\(s\) URL/],
        // issue 19: the pauses of blue/green deployments
        ['test-url', 'type', 'not a url', /test-url/],
        ['continue-at', 'enum', 'SOMETIME', /takes lifecycle stages a PAUSE hook can hold/],
        [
          'continue-at',
          'combination',
          'POST_TEST_TRAFFIC_SHIFT',
          /where test-url is checked/,
          { with: { 'test-url': 'http://127.0.0.1:9/' } },
        ],
        ['expect-version', 'combination', 'abc', /is an assertion on "test-url" and "production-url"/],
        ['ready-timeout', 'range', '2h', DURATION],
        ['bake', 'combination', '10m', /"bake" needs an "analysis"/],
      ]),
      ...notBoolean([
        'force-new-deployment',
        'wait',
        'rollback-on-failure',
        'fail-on-ecs-rollback',
        'force',
        'dry-run',
      ]),
      ...notBoolean(['record-deployment']),
      ...injections(s, 'cluster', 'prod', /cluster name or ARN/),
      ...injections(s, 'service', 'web', /service name or ARN/),
      ...injections(s, 'images', `web=${OPEN_REGISTRY}/app`, /container=image lines|KEY=VALUE lines/),
      // issue 19: pre-deploy and backup
      ...rows([
        ['backup', 'type', 'orders-db', /instance:<DB instance id> or cluster:<Aurora cluster id> lines/],
        ['backup', 'type', 'instance:orders--db', /no hyphen last nor two in a row/],
        ['keep-backups', 'range', '-1', /a whole number from 1 to 100/],
        ['keep-backups', 'type', 'all', /a whole number from 1 to 100/],
        ['backup-timeout', 'range', '7h', DURATION],
        ['pre-deploy-timeout', 'range', '500ms', DURATION],
        ['pre-deploy-launch-type', 'enum', 'LAMBDA', /one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES/],
        ['pre-deploy-command', 'type', '["bin/migrate", 1]', /JSON list of strings/],
        [
          'pre-deploy-overrides',
          'type',
          '[1]',
          /must be a JSON object/,
          { with: { 'pre-deploy-command': 'true' } },
        ],
        ['pre-deploy-network-configuration', 'type', 'subnet-1', /must be a JSON object/],
        ['pre-deploy-container', 'combination', 'web', /needs "pre-deploy-command"/],
      ]),
      ...injections(
        s,
        'backup',
        'instance:orders-db',
        /instance:<DB instance id> or cluster:<Aurora cluster id> lines/,
      ),
      ...injections(s, 'pre-deploy-container', 'web', /container name of the task definition/),
    ],
  };
}

/** SSH inputs as deploy-compose takes them, aimed at the counting listener. */
function sshInputs(s: Sentinels, infra: Infra) {
  return {
    hosts: `slipway@127.0.0.1:${s.sshPort} ${FINGERPRINT}`,
    'ssh-key': readFileSync(infra.ssh.clientKey, 'utf8'),
    project: 'relapp',
  };
}

export function deployCompose(s: Sentinels, infra: Infra): ActionTable {
  const HOST = /Write it as user@host or user@host:port/;
  // A canary judged through the HTTP watcher: a request sent before an input error would show.
  const canary = { with: { strategy: 'canary', 'public-url': s.http.url, 'expect-version': 'v2' } };
  return {
    action: 'actions/deploy-compose',
    base: {
      ...sshInputs(s, infra),
      images: `web=${OPEN_REGISTRY}/app@${DIGEST}`,
      'deployment-environment': 'staging',
      'lock-wait': '0s',
    },
    workspace: {
      'docker-compose.yml': 'services:\n  web:\n    image: local/busybox:1\n',
      'leaky/ok.conf': 'ok',
    },
    links: { ...OUTSIDE_LINKS, 'leaky/passwd': '/etc/passwd' },
    bigFiles: BIG_FILES,
    control: ['github', 'ssh'],
    rows: [
      // issue 17: classes 1, 2 and 9
      ...rows([
        ['compose-file', 'type', 'outside-link', LEADS_OUTSIDE],
        ['compose-file', 'type', '/dev/zero', NOT_REGULAR],
        ['compose-file', 'range', 'big.file', TOO_LARGE],
        ['files', 'type', 'leaky', /leaky\/passwd is a link leading outside \(to \/etc\/passwd\)/],
        ['files', 'type', 'zero-link', LEADS_OUTSIDE],
        ['files', 'type', 'outside-dir', LEADS_OUTSIDE],
      ]),
      ...HUGE_DURATIONS.flatMap((value) =>
        ['command-timeout', 'lock-ttl', 'lock-wait'].map(
          (input): BadInput => ({ input, kind: 'range', value, accepts: DURATION }),
        ),
      ),
      ...rows([
        ['hosts', 'empty', '', /"hosts" is required/],
        ['hosts', 'type', 'no-user-here', HOST],
        ['hosts', 'range', 'u@127.0.0.1:70000', /port must be from 1 to 65535/],
        ['hosts', 'type', `u@127.0.0.1 SHA256:short`, /only SHA256: fingerprints may follow/],
        ['known-hosts', 'combination', '', /give "known-hosts"/, { with: { hosts: 'u@127.0.0.1' } }],
        ['ssh-key', 'empty', '', /"ssh-key" is required/],
        ['jump-host', 'type', 'jump host', HOST],
        ['project', 'empty', '', /"project" is required/],
        ['project', 'type', 'My App', /Compose project name/],
        ['project', 'range', 'a'.repeat(64), /Compose project name/],
        ['compose-file', 'type', 'missing.yml', /missing\.yml does not exist in/],
        ['files', 'type', 'missing.env', /missing\.env does not exist/],
        ['files', 'range', '../outside.env', /is outside .*relative to the folder of the first Compose file/],
        ['env', 'type', 'NO_EQUALS', /KEY=VALUE lines/],
        ['env', 'type', 'SLIPWAY_DOLLAR=x', /SLIPWAY_DOLLAR is a name Slipway uses/],
        ['images', 'type', `web=${OPEN_REGISTRY}/app:latest`, /repo@sha256/],
        ['images', 'type', 'web app=x', /KEY=VALUE lines/],
        ['registry', 'type', 'https://ghcr.io', /registry host such as ghcr.io/],
        ['registry', 'combination', '', /give all three or none/, { with: { 'registry-username': 'me' } }],
        ['strategy', 'enum', 'big-bang', /one of rolling, recreate, blue-green, canary; got/],
        ['container-health-timeout', 'range', '10ms', DURATION],
        ['health-timeout', 'type', 'soon', DURATION],
        ['health-checks', 'type', 'web', /KEY=VALUE lines/],
        ['health-checks', 'type', 'web=8080', /:port\/path/],
        ['drain-period', 'range', '11m', DURATION],
        ['keep-previous', 'type', 'soon', DURATION],
        ['keep-previous', 'range', '8d', DURATION],
        ['pre-deploy-service', 'combination', 'web', /needs "pre-deploy-command"/],
        ['lock-ttl', 'range', '1s', DURATION],
        ['lock-wait', 'type', 'a while', DURATION],
        ['keep-releases', 'range', '0', /a whole number from 1 to 100/],
        ['keep-releases', 'range', '101', /a whole number from 1 to 100/],
        ['keep-releases', 'type', 'five', /a whole number from 1 to 100/],
        ['max-parallel', 'type', '1.5', /a whole number from 1 to 100/],
        ['remote-dir', 'type', '../elsewhere', /without "\.\."/],
        ['remote-dir', 'type', '-m777', /starting with "-"/],
        ['remote-dir', 'type', 'apps/--help', /starting with "-"/],
        ['registry', 'type', '-oops.example', /registry host such as ghcr.io/],
        ['command-timeout', 'range', '1ms', DURATION],
        ['deployment-url', 'type', 'not a url', /http\(s\) URL/],
        // issue 16: strategy canary
        ['canary-steps', 'range', '5%,2%', /"canary-steps".*2% after 5% does not rise/, canary],
        [
          'canary-steps',
          'range',
          '150%',
          /"canary-steps".*"150%" is not a share above 0% and at most 100%/,
          canary,
        ],
        ['canary-steps', 'combination', '5%,100%', /applies to strategy: canary only/],
        ['canary-interval', 'range', '10ms', DURATION, canary],
        ['strategy', 'combination', 'canary', /set "public-url" and "expect-version"/],
        ['min-success-rate', 'range', '150%', /"min-success-rate"/, canary],
        ['max-p95', 'type', 'fast', DURATION, canary],
      ]),
      ...notBoolean([
        'insecure-skip-host-key-check',
        'atomic',
        'record-deployment',
        'force',
        'fail-on-inconclusive',
        'dry-run',
      ]),
      ...injections(s, 'hosts', 'u@127.0.0.1', HOST),
      ...injections(s, 'project', 'app', /Compose project name/),
      ...injections(s, 'remote-dir', '.slipway', /a path of letters, digits/),
      ...injections(s, 'registry', 'ghcr.io', /registry host such as ghcr.io/),
      ...injections(s, 'images', `web=${OPEN_REGISTRY}/app@${DIGEST}`, /repo@sha256|KEY=VALUE lines/),
      ...injections(s, 'health-checks', 'web=:8080/health', /:port\/path|KEY=VALUE lines/),
      ...injections(s, 'pre-deploy-service', 'web', /a service of the Compose files/).map((r) => ({
        ...r,
        with: { 'pre-deploy-command': 'true' },
      })),
    ],
  };
}

export function smokeTest(s: Sentinels): ActionTable {
  const url = s.http.url;
  const noUrl = { with: { url: '' } };
  // A valid analysis whose Prometheus is the HTTP watcher: a query sent before an input error would show.
  const analysis = `prometheus: { address: "${url}" }\nmetrics:\n  - { name: errors, query: "up", success-condition: "result == 1", interval: 1s }\n`;
  const withAnalysis = { with: { analysis } };
  return {
    action: 'actions/smoke-test',
    base: { url: s.http.url, samples: '1', 'ready-timeout': '0' },
    control: ['http'],
    links: OUTSIDE_LINKS,
    bigFiles: BIG_FILES,
    rows: [
      // issue 17: classes 1, 2, 5, 9 and 12
      ...rows([
        ['checks', 'type', 'outside-link', LEADS_OUTSIDE, noUrl],
        ['checks', 'type', 'zero-link', LEADS_OUTSIDE, noUrl],
        ['checks', 'range', 'big.file', TOO_LARGE, noUrl],
        ['ca', 'type', 'outside-link', LEADS_OUTSIDE],
        ['ca', 'type', '/dev/zero', NOT_REGULAR],
        ['url', 'type', 'http://user:pw@127.0.0.1:99999/', /absolute http\(s\) URL/],
        ['headers', 'injection', 'X-Api-Key: k3y\rX-Injected: yes', /CR, LF or NUL/],
        // (an environment variable cannot hold a NUL: only YAML's "\0" can bring one)
        ['checks', 'injection', `- url: ${url}\n  headers: { X-Api-Key: "k3y\\0" }`, /CR, LF or NUL/, noUrl],
        [
          'checks',
          'injection',
          `- url: ${url}\n  headers: { X-Api-Key: "k\\r\\nX-Injected: yes" }`,
          /CR, LF or NUL/,
          noUrl,
        ],
      ]),
      ...HUGE_DURATIONS.flatMap((value) =>
        ['deadline', 'ready-timeout', 'duration', 'max-p95'].map(
          (input): BadInput => ({ input, kind: 'range', value, accepts: DURATION }),
        ),
      ),
      ...HUGE_DURATIONS.map(
        (value): BadInput => ({ input: 'bake', kind: 'range', value, accepts: DURATION, ...withAnalysis }),
      ),
      // issue 18: the metric analysis and its bake
      ...rows([
        ['analysis', 'type', 'missing.yml', /neither YAML nor an existing file/],
        ['analysis', 'type', 'metrics: [', /valid YAML/],
        ['analysis', 'type', 'outside-link', LEADS_OUTSIDE],
        ['analysis', 'range', 'big.file', TOO_LARGE],
        ['analysis', 'empty', 'metrics: []', /a "metrics" list with at least one metric/],
        [
          'analysis',
          'enum',
          analysis.replace('query:', 'provider: datadog, query:'),
          /provider "datadog"; accepted: prometheus/,
        ],
        [
          'analysis',
          'type',
          analysis.replace('result == 1', 'len(result) > 0'),
          /not a comparison of "result" with a number/,
        ],
        [
          'analysis',
          'range',
          analysis.replace('interval: 1s', 'interval: 1s, failure-limit: -2'),
          /"failure-limit" must be a whole number of at least -1/,
        ],
        [
          'analysis',
          'type',
          analysis.replace('"up"', '"up{version=\'{{ version }}\'}"'),
          /uses \{\{ version \}\}, which has no value/,
        ],
        ['bake', 'combination', '5m', /needs an "analysis"/],
        ['bake', 'range', '500ms', DURATION, withAnalysis],
        ['analysis-vars', 'type', 'colour green', /"name=value" lines/, withAnalysis],
        ['deployed-at', 'type', 'yesterday', /an ISO 8601 time with its zone/, withAnalysis],
        ['deployed-at', 'type', '2026-12-06 21:00', /an ISO 8601 time with its zone/, withAnalysis],
        ['deployed-at', 'range', '2099-01-01T00:00:00Z', /within the last 24h/, withAnalysis],
        ['prometheus-url', 'type', 'prom:9090', /an http\(s\) URL/],
        ['prometheus-url', 'type', 'ftp://ops:pw@prom/', /an http\(s\) URL/],
      ]),
      ...rows([
        ['url', 'empty', '', /"url" is required \(or "checks"/],
        ['url', 'type', 'not a url', /http\(s\) URL/],
        ['url', 'type', 'ftp://host/file', /must use http or https/],
        ['checks', 'combination', '- http://x', /not both/],
        ['checks', 'type', 'missing.yml', /neither a YAML list nor an existing file/, { with: { url: '' } }],
        ['checks', 'type', 'checks: [', /valid YAML/, { with: { url: '' } }],
        ['checks', 'type', 'name: not-a-list', /a YAML list of checks/, { with: { url: '' } }],
        ['method', 'type', 'GET /', METHOD],
        ['method', 'type', 'GE T', METHOD],
        ['method', 'injection', 'GET\r\nX-Injected: yes', METHOD],
        ['checks', 'injection', checkWithMethod(url, '"GET\\r\\nX-Injected: yes"'), METHOD, noUrl],
        ['checks', 'empty', checkWithMethod(url, '"  "'), METHOD, noUrl],
        [
          'checks',
          'type',
          checkWithMethod(url, 'GET /m', true),
          /\(entry 2\): "method" must be an HTTP method/,
          noUrl,
        ],
        ['headers', 'type', 'X-Api-Key k3y', /"Name: value" lines/],
        ['expect-status', 'type', '2xx', /HTTP statuses and ranges/],
        ['expect-status', 'range', '600', /HTTP statuses and ranges/],
        ['expect-json', 'type', 'no equals sign', /"path = value"/],
        ['expect-header', 'type', ': value', /"Name: value"/],
        ['max-latency', 'type', 'slow', /a duration such as 500ms or 2s/],
        ['version-field', 'enum', 'xpath://v', /body, header:<name> or json:<path>/],
        ['timeout', 'range', '50ms', DURATION],
        ['timeout', 'range', '11m', DURATION],
        ['ready-timeout', 'type', 'x', DURATION],
        ['ready-status', 'type', '5xx', /HTTP statuses/],
        ['samples', 'range', '0', /a whole number from 1 to 100000/],
        ['samples', 'range', '100001', /a whole number from 1 to 100000/],
        ['samples', 'type', 'ten', /a whole number from 1 to 100000/],
        ['duration', 'type', 'long', DURATION],
        ['interval', 'type', '-1s', DURATION],
        ['concurrency', 'range', '0', /a whole number from 1 to 256/],
        ['concurrency', 'range', '257', /a whole number from 1 to 256/],
        ['consecutive-successes', 'range', '-1', /a whole number of at least 0/],
        ['failure-limit', 'type', 'x', /a whole number of at least 0/],
        ['error-limit', 'range', '-1', /a whole number of at least 0/],
        ['min-success-rate', 'range', '1.5', /a number from 0 to 1/],
        ['min-success-rate', 'range', '150%', /a number from 0 to 1/],
        ['min-success-rate', 'type', 'most', /a number from 0 to 1/],
        ['max-p95', 'range', '0', DURATION],
        ['deadline', 'range', '0', DURATION],
        ['ca', 'type', 'missing.pem', /PEM text or the path of a PEM file/],
        ['ca', 'type', '-----BEGIN CERTIFICATE-----\ngarbage', /must hold a PEM certificate/],
        ['follow-redirects', 'type', 'maybe', /true or false/],
        ['insecure', 'type', 'maybe', /true or false/],
        ['fail-on-inconclusive', 'type', 'maybe', /true or false/],
      ]),
      ...injections(s, 'method', 'GET', METHOD),
    ],
  };
}

export function rollback(s: Sentinels, infra: Infra): ActionTable {
  const compose = { target: 'compose', ...sshInputs(s, infra) };
  const TO_ECS = /a task-definition ARN \(or family:revision\) or an image digest/;
  const TO_COMPOSE = /a release id from the hosts' history or an image digest/;
  // A valid analysis whose Prometheus is the HTTP watcher: a query sent before an input error would show.
  const analysis = `prometheus: { address: "${s.http.url}" }\nmetrics:\n  - { name: errors, query: "up{release='{{ release }}'}", success-condition: "result == 1", interval: 1s }\n`;
  return {
    action: 'actions/rollback',
    base: { target: 'ecs', environment: 'production', service: 'web', 'health-url': s.http.url },
    control: ['github', 'aws'],
    rows: [
      // issue 17: classes 5, 9 and 12
      ...rows([
        ['health-url', 'type', 'http://user:pw@127.0.0.1:99999/', /absolute http\(s\) URL/],
        [
          'health-checks',
          'injection',
          `- url: ${s.http.url}\n  headers: { X-Api-Key: "k\\r\\nX-Injected: yes" }`,
          /CR, LF or NUL/,
          { with: { 'health-url': '' } },
        ],
      ]),
      ...HUGE_DURATIONS.flatMap((value) =>
        ['health-deadline', 'ready-timeout'].map(
          (input): BadInput => ({ input, kind: 'range', value, accepts: DURATION }),
        ),
      ),
      ...HUGE_DURATIONS.map(
        (value): BadInput => ({
          input: 'command-timeout',
          kind: 'range',
          value,
          accepts: DURATION,
          with: { target: 'compose', ...sshInputs(s, infra) },
        }),
      ),
      ...rows([
        ['target', 'empty', '', /"target" is required/],
        ['target', 'enum', 'kubernetes', /one of ecs, compose/],
        ['environment', 'empty', '', /"environment" is required/],
        ['environment', 'type', "prod'uction", /GitHub environment name/],
        ['to', 'type', 'latest', TO_ECS],
        ['cooldown', 'range', '8d', DURATION],
        ['cooldown', 'type', 'a while', DURATION],
        ['migrations-guard', 'enum', 'strict', /one of off, warn, refuse/],
        ['health-url', 'empty', '', /"health-url" is required/],
        ['health-url', 'type', 'not a url', /http\(s\) URL/],
        ['health-checks', 'combination', '- http://x', /use one of them/],
        ['health-checks', 'type', 'checks: [', /valid YAML/, { with: { 'health-url': '' } }],
        [
          'health-checks',
          'injection',
          checkWithMethod(s.http.url, '"GET\\r\\nX-Injected: yes"'),
          METHOD,
          { with: { 'health-url': '' } },
        ],
        ['health-samples', 'range', '0', /a whole number from 1 to 10000/],
        ['health-request-timeout', 'range', '1ms', DURATION],
        ['health-interval', 'range', '11m', DURATION],
        ['ready-timeout', 'type', 'x', DURATION],
        ['health-deadline', 'range', '0', DURATION],
        ['service', 'empty', '', /"service" \(or "services", one per line\) is required/],
        ['services', 'type', 'a,a', /names a service twice/, { with: { service: '' } }],
        ['service', 'type', 'web app', /service name or ARN/],
        ['cluster', 'type', 'my cluster', /cluster name or ARN/],
        [
          'region',
          'empty',
          '',
          /"region" is required when AWS_REGION is not set/,
          { env: { AWS_REGION: '' } },
        ],
        ['endpoint', 'type', 'ftp://ecs.local', /http\(s\) URL/],
        ['wait-timeout', 'range', '500ms', DURATION],
        ['poll-interval', 'range', '10ms', DURATION],
      ]),
      // issue 18: the restored release judged by the analysis (smoke-test's reader, one meaning per name)
      ...rows([
        ['analysis', 'type', 'missing.yml', /neither YAML nor an existing file/],
        ['analysis', 'type', 'metrics: [', /valid YAML/],
        ['analysis', 'empty', 'metrics: []', /a "metrics" list with at least one metric/],
        [
          'analysis',
          'type',
          analysis.replace('{{ release }}', '{{ colour }}'),
          /uses \{\{ colour \}\}, which has no value/,
        ],
        ['bake', 'combination', '5m', /needs an "analysis"/],
        ['bake', 'range', '500ms', DURATION, { with: { analysis } }],
        ['analysis-vars', 'type', 'colour green', /"name=value" lines/, { with: { analysis } }],
        ['prometheus-url', 'type', 'prom:9090', /an http\(s\) URL/],
      ]),
      ...injections(s, 'cluster', 'prod', /cluster name or ARN/),
      ...injections(s, 'to', 'family:1', TO_ECS),
      // target: compose, with deploy-compose's parser behind it
      ...rows([
        ['hosts', 'empty', '', /"hosts" is required/, { with: { ...compose, hosts: '' } }],
        ['ssh-key', 'empty', '', /"ssh-key" is required/, { with: { ...compose, 'ssh-key': '' } }],
        ['project', 'empty', '', /"project" is required/, { with: { ...compose, project: '' } }],
        ['strategy', 'enum', 'big-bang', /one of rolling, recreate; got/, { with: compose }],
        ['keep-releases', 'range', '0', /a whole number from 1 to 100/, { with: compose }],
        ['container-health-timeout', 'range', '1ms', DURATION, { with: compose }],
        ['lock-ttl', 'range', '1s', DURATION, { with: compose }],
        ['registry', 'type', 'https://ghcr.io', /registry host such as ghcr.io/, { with: compose }],
        ['remote-dir', 'type', '-m777', /starting with "-"/, { with: compose }],
        ['insecure-skip-host-key-check', 'type', 'maybe', /true or false/, { with: compose }],
      ]),
      ...[
        ...injections(s, 'to', 'r1', TO_COMPOSE),
        ...injections(s, 'project', 'app', /Compose project name/),
        ...injections(s, 'remote-dir', '.slipway', /a path of letters, digits/),
        ...injections(s, 'hosts', 'u@127.0.0.1', /Write it as user@host/),
      ].map((r) => ({ ...r, with: compose })),
    ],
  };
}
