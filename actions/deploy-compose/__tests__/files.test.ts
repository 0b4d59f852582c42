import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReader, mapInputs } from '@slipway/shared';
import { composeMatrix, describeWithInfra } from '@slipway/testing';
import { getInputs } from '../src/inputs';
import { defaultDeps, run } from '../src/main';
import { baseInputs, cleanHost, deploy, hostName, REMOTE_DIR, randomTag, sh } from './fixtures/hosts';
import { buildWebImage } from './fixtures/web-image';

jest.setTimeout(240_000);

describeWithInfra('deploy-compose: files next to the Compose file, on a real host', (infra) => {
  describe.each(composeMatrix(infra))('%s', (_label, host) => {
    const project = randomTag();
    const repo = `127.0.0.1:5000/${project}/web`;
    const dir = mkdtempSync(join(tmpdir(), 'dc-files-'));
    const compose = join(dir, 'docker-compose.yml');
    const secret = `s3cr3t-${randomTag()}`;
    let image = '';
    let stdout: string[] = [];

    const writeApp = (greeting: string) => {
      writeFileSync(
        compose,
        `services:
  web:
    image: ${repo}:unpinned
    stop_grace_period: 1s
    env_file: ./app.env
    environment: ["HOST_GREETING=\${HOST_GREETING:-unset}"]
    volumes: ["./conf:/etc/app:ro"]
  fixed:
    image: ${repo}:unpinned
    container_name: ${project}-fixed
    stop_grace_period: 1s
`,
      );
      writeFileSync(join(dir, 'app.env'), `APP_MODE=${greeting}\nAPP_TOKEN=${secret}\n`);
      mkdirSync(join(dir, 'conf'), { recursive: true });
      writeFileSync(join(dir, 'conf', 'greeting.txt'), `${greeting} from conf\n`);
    };
    const inContainer = (service: string, script: string) =>
      sh(
        infra,
        host,
        `docker exec $(docker ps -q --filter label=com.docker.compose.project=${project} --filter label=com.docker.compose.service=${service} | head -n1) sh -c '${script}'`,
      ).then((s) => s.trim());

    beforeAll(() => {
      image = buildWebImage(repo, 'v1');
    });
    beforeEach(() => {
      stdout = [];
      const write = process.stdout.write.bind(process.stdout);
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
        stdout.push(String(chunk));
        return write(chunk, ...(rest as []));
      });
    });
    afterEach(() => jest.restoreAllMocks());
    afterAll(async () => {
      await cleanHost(infra, host, project);
      rmSync(dir, { recursive: true, force: true });
    });

    const inputs = (extra: Record<string, string> = {}) =>
      baseInputs(infra, [host], project, compose, {
        images: `web=${image}\nfixed=${image}`,
        files: 'app.env\nconf',
        ...extra,
      });

    it('uploads env_file and a ./ bind-mount folder; the containers see them; the env file stays private', async () => {
      writeApp('blue');
      const first = await deploy(inputs());
      expect(first.error).toBeUndefined();
      expect(await inContainer('web', 'echo "$APP_MODE"; cat /etc/app/greeting.txt')).toBe(
        'blue\nblue from conf',
      );
      const release = first.outputs['release-id'];
      const folder = `${REMOTE_DIR}/${project}/releases/${release}`;
      expect(
        (await sh(infra, host, `cd ${folder} && stat -c '%n %a' app.env conf/greeting.txt`)).trim(),
      ).toBe('app.env 600\nconf/greeting.txt 644');
      // A service that cannot run twice is recreated, and the run says why.
      expect(stdout.join('')).toMatch(
        /::notice::.*fixed is recreated, not rolled: it has a fixed container_name/,
      );
      expect(stdout.join('')).not.toContain(secret);
    });

    it('a new release brings its own files; the old release folder keeps its own', async () => {
      writeApp('green');
      const second = await deploy(inputs());
      expect(second.error).toBeUndefined();
      expect(second.hosts[hostName(host)]).toMatchObject({ status: 'deployed' });
      expect(await inContainer('web', 'echo "$APP_MODE"; cat /etc/app/greeting.txt')).toBe(
        'green\ngreen from conf',
      );
      const previous = second.outputs['previous-release-id'];
      expect(
        await sh(infra, host, `cat ${REMOTE_DIR}/${project}/releases/${previous}/conf/greeting.txt`),
      ).toBe('blue from conf\n');
    });

    it('a failing release goes back to the previous release, with the files of that release', async () => {
      writeApp('red');
      // web runs "red" by the time post-deploy fails: going back must bring the previous release's files back.
      const failing = await deploy(inputs({ 'post-deploy': 'echo smoke failed >&2; exit 3' }));
      expect(failing.error?.message).toContain('smoke failed');
      expect(failing.error?.message).toContain('failed on');
      expect(failing.hosts[hostName(host)]).toMatchObject({ status: 'failed' });
      expect(await inContainer('web', 'echo "$APP_MODE"; cat /etc/app/greeting.txt')).toBe(
        'green\ngreen from conf',
      );
    });

    it("the host's own .env in the project folder still sets Compose variables (releases have their own folder)", async () => {
      await sh(
        infra,
        host,
        `mkdir -p ${REMOTE_DIR}/${project} && printf 'HOST_GREETING=from-host\\n' >${REMOTE_DIR}/${project}/.env`,
      );
      writeApp('violet');
      const deployed = await deploy(inputs());
      expect(deployed.error).toBeUndefined();
      expect(await inContainer('web', 'echo "$HOST_GREETING $APP_MODE"')).toBe('from-host violet');
    });

    it('a reference that is not uploaded fails naming "files", before any SSH connection', async () => {
      writeFileSync(
        compose,
        `services:\n  web:\n    image: ${repo}:unpinned\n    env_file: [./app.env, ./missing.env]\n`,
      );
      const other = randomTag();
      const connects: string[] = [];
      const deps = {
        ...defaultDeps(),
        connect: async (options: { target: { host: string } }) => {
          connects.push(options.target.host);
          throw new Error('no connection expected');
        },
      };
      const values = { ...inputs({ images: `web=${image}` }), project: other };
      const error = await run(getInputs(new InputReader(mapInputs(values))), deps).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toContain('Input "files"');
      expect(error?.message).toContain('the env_file "./missing.env" is not uploaded');
      expect(connects).toEqual([]);
      expect(
        (await sh(infra, host, `test -e ${REMOTE_DIR}/${other} && echo there || echo none`)).trim(),
      ).toBe('none');
    });
  });
});
