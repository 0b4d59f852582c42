// A release's files in one command (make-dirs.sh, write-files.sh, ustar.ts), unpacked by GNU tar and by busybox
// tar, under dash and bash on a fake host.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hostScript } from '../../src/remote/host-script';
import { ustarArchive } from '../../src/remote/ustar';
import { wrapRemoteScript } from '../../src/ssh/remote-script';
import { type FakeHost, fakeHost, leftIn } from './fake-host';

const long = `${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(90)}.conf`;
const files = [
  { name: 'compose-0.yml', content: 'services: {}\n', mode: 0o644 },
  { name: 'release.env', content: 'SECRET=s3cr3t\n', mode: 0o600 },
  { name: 'proxy/conf.d/site with space.conf', content: Buffer.alloc(1300, 'x'), mode: 0o640 },
  { name: long, content: '', mode: 0o644 },
];
const folder = 'app/releases/R1';
const script = hostScript(
  {
    DIRS: [...new Set(files.map((f) => join(folder, f.name, '..')))].join('\n'),
    FOLDER: folder,
    MODES: files.map((f) => `${f.mode.toString(8)} ${f.name}`).join('\n'),
  },
  'make-dirs',
  'write-files',
);

describe.each([
  ['dash', 'GNU tar', {}],
  ['bash', 'busybox tar', { links: { tar: '/bin/busybox' } }],
] as const)('write-files under %s with %s', (shell, _tar, options) => {
  let host: FakeHost;
  beforeEach(() => {
    host = fakeHost({ compose: 'v2', ...options });
  });
  afterEach(() => host.remove());

  it('writes every file with its content and mode; folders keep the usual modes; nothing else is left', async () => {
    const archive = ustarArchive(files);
    expect(archive).toBeDefined();
    const run = await host.run(shell, wrapRemoteScript(script, 60_000), archive?.toString('latin1'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const file of files) {
      const path = join(host.home, folder, file.name);
      expect(readFileSync(path)).toEqual(Buffer.from(file.content));
      expect(statSync(path).mode & 0o777).toBe(file.mode);
    }
    expect(statSync(join(host.home, folder, 'proxy/conf.d')).mode & 0o777).toBe(0o755 & ~process.umask());
    expect(
      leftIn(join(host.home, folder)).filter((f) => !f.startsWith('proxy') && !f.startsWith('a')),
    ).toEqual(['compose-0.yml', 'release.env']);
    expect(leftIn(host.tmp)).toEqual([]);
  });

  it('a file written again is replaced whole (renamed into place); nothing of the unpacking is left', async () => {
    const write = (content: string) =>
      host.run(
        shell,
        wrapRemoteScript(
          hostScript({ DIRS: 'app', FOLDER: 'app', MODES: '644 history.json' }, 'make-dirs', 'write-files'),
          60_000,
        ),
        ustarArchive([{ name: 'history.json', content, mode: 0o644 }])?.toString('latin1'),
      );
    expect((await write('[1]\n')).code).toBe(0);
    const before = statSync(join(host.home, 'app/history.json')).ino;
    expect((await write('[1,2]\n')).code).toBe(0);
    expect(readFileSync(join(host.home, 'app/history.json'), 'utf8')).toBe('[1,2]\n');
    expect(statSync(join(host.home, 'app/history.json')).ino).not.toBe(before);
    expect(leftIn(join(host.home, 'app'))).toEqual(['history.json']);
  });

  it('an archive that does not unpack fails the command and leaves nothing behind', async () => {
    const run = await host.run(shell, wrapRemoteScript(script, 60_000), 'not a tar archive');
    expect(run.code).not.toBe(0);
    expect(leftIn(join(host.home, folder)).filter((f) => f.includes('.slipway-files'))).toEqual([]);
  });
});

it('a path ustar cannot name gives no archive (the caller uploads file by file)', () => {
  expect(ustarArchive([{ name: `${'d'.repeat(101)}`, content: '', mode: 0o644 }])).toBeUndefined();
  expect(ustarArchive([{ name: `${'p'.repeat(156)}/f`, content: '', mode: 0o644 }])).toBeUndefined();
});
