import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer, type TestServer } from '@slipway/testing';
import { TRIVY_CHECKSUMS, TRIVY_VERSION } from '../src/scan/trivy-checksums';
import { installTrivy, parseChecksums, trivyAsset } from '../src/scan/trivy-install';
import { writeStandinTrivy } from './helpers/standin-trivy';

const VERSION = '0.69.3';
const ASSET = `trivy_${VERSION}_Linux-64bit.tar.gz`;

describe('installTrivy against a local release server', () => {
  const root = mkdtempSync(join(tmpdir(), 'bp-trivy-'));
  let archive: Buffer;
  let served: Buffer;
  let failNext = 0;
  let server: TestServer;
  const checksums = () => `${createHash('sha256').update(archive).digest('hex')}  ${ASSET}\n`;
  const saved = { ...process.env };
  const globals = global as Record<string, unknown>;

  beforeAll(async () => {
    // a release-like archive: trivy, LICENSE and README at the top level, as the real ones are
    const content = join(root, 'content');
    writeStandinTrivy(content);
    execFileSync('sh', ['-c', `echo license > ${content}/LICENSE && echo readme > ${content}/README.md`]);
    execFileSync('tar', ['-czf', join(root, ASSET), '-C', content, 'trivy', 'LICENSE', 'README.md']);
    archive = readFileSync(join(root, ASSET));
    served = archive;
    server = await startHttpServer((req, res) => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      if (req.url !== `/v${VERSION}/${ASSET}`) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(served);
    });
    globals.TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS = 0;
    globals.TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS = 0;
  });
  beforeEach(() => {
    const cache = join(root, `cache-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(cache, 'tools'), { recursive: true });
    mkdirSync(join(cache, 'temp'), { recursive: true });
    process.env.RUNNER_TOOL_CACHE = join(cache, 'tools');
    process.env.RUNNER_TEMP = join(cache, 'temp');
    served = archive;
  });
  afterAll(async () => {
    process.env = saved;
    delete globals.TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS;
    delete globals.TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS;
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const install = (over: Partial<Parameters<typeof installTrivy>[0]> = {}) =>
    installTrivy({
      version: VERSION,
      baseUrl: server.url,
      checksums: checksums(),
      platform: 'linux',
      arch: 'x64',
      retryDelayMs: 1,
      ...over,
    });

  it('downloads, verifies, extracts and caches; the second install is from the cache', async () => {
    const path = await install();
    expect(path).toBe(join(process.env.RUNNER_TOOL_CACHE!, 'trivy', VERSION, 'x64', 'trivy'));
    expect(statSync(path).mode & 0o111).not.toBe(0);
    expect(
      execFileSync(path, [
        'convert',
        '--format',
        'sarif',
        '--output',
        join(root, 'x.sarif'),
        join(__dirname, 'fixtures/trivy/alpine-39-skip.json.golden'),
      ]).toString(),
    ).toBe('');
    const requests = server.requests;
    expect(await install()).toBe(path);
    expect(server.requests).toBe(requests);
    expect(readdirSync(process.env.RUNNER_TEMP!)).toEqual([]);
  });

  it('survives a 503 from the release server', async () => {
    failNext = 1;
    await expect(install()).resolves.toMatch(/trivy$/);
    expect(failNext).toBe(0);
  });

  it('refuses a tampered archive and installs nothing', async () => {
    served = Buffer.concat([archive, Buffer.from('tampered')]);
    await expect(install()).rejects.toThrow(
      new RegExp(
        `Refusing ${server.url}/v${VERSION}/${ASSET}: its SHA-256 is [a-f0-9]{64}, but the checksum shipped with this action`,
      ),
    );
    expect(existsSync(join(process.env.RUNNER_TOOL_CACHE!, 'trivy'))).toBe(false);
    expect(readdirSync(process.env.RUNNER_TEMP!)).toEqual([]);
  });

  it('refuses an asset the shipped list has no checksum for, without downloading', async () => {
    const requests = server.requests;
    await expect(install({ arch: 'arm64' })).rejects.toThrow(
      /No SHA-256 for trivy_0.69.3_Linux-ARM64.tar.gz is shipped/,
    );
    expect(server.requests).toBe(requests);
  });

  it('refuses runners it has no build for', () => {
    expect(() => trivyAsset(VERSION, 'win32', 'x64')).toThrow(/Set "scan: false"/);
    expect(() => trivyAsset(VERSION, 'linux', 'ia32')).toThrow(/linux\/ia32/);
  });
});

describe('the checksum list shipped with the action', () => {
  it.each([
    ['linux', 'x64'],
    ['linux', 'arm64'],
    ['darwin', 'x64'],
    ['darwin', 'arm64'],
  ] as const)('pins %s/%s of the pinned version', (platform, arch) => {
    expect(parseChecksums(TRIVY_CHECKSUMS).get(trivyAsset(TRIVY_VERSION, platform, arch))).toMatch(
      /^[a-f0-9]{64}$/,
    );
  });
});
