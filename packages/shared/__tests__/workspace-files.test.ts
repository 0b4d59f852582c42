import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkWorkspacePath, InputError, readWorkspaceText, readWorkspaceTree } from '../src';

// issue 17, classes 1 and 2: a folder holding a link to a 0600 file outside the workspace uploaded that file; a
// path pointing (directly or by a link) at /dev/zero grew the action to 16.8 GB. One reader for every path input.
describe('workspace files: the one reader of path inputs', () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-workspace-files-'));
  const workspace = join(root, 'workspace');
  const temp = join(root, 'temp');
  const outside = join(root, 'outside');
  const opts = { workspace, temp };
  beforeAll(() => {
    for (const dir of [workspace, temp, outside, join(workspace, 'conf', 'sub')])
      mkdirSync(dir, { recursive: true });
    writeFileSync(join(outside, 'id_rsa'), 'PRIVATE KEY');
    chmodSync(join(outside, 'id_rsa'), 0o600);
    writeFileSync(join(workspace, 'compose.yml'), 'services: {}\n');
    writeFileSync(join(workspace, 'conf', 'a.conf'), 'a');
    writeFileSync(join(workspace, 'conf', 'sub', 'b.conf'), 'b');
    writeFileSync(join(temp, 'generated.yml'), 'made by an earlier step');
    symlinkSync(join(workspace, 'conf', 'a.conf'), join(workspace, 'inside-link'));
    symlinkSync(join(temp, 'generated.yml'), join(workspace, 'to-temp'));
    symlinkSync(join(outside, 'id_rsa'), join(workspace, 'key-link'));
    symlinkSync('/dev/zero', join(workspace, 'zero'));
    symlinkSync(join(workspace, 'nothing-here'), join(workspace, 'dangling'));
    mkdirSync(join(workspace, 'leaky'));
    writeFileSync(join(workspace, 'leaky', 'ok.conf'), 'ok');
    symlinkSync(join(outside, 'id_rsa'), join(workspace, 'leaky', 'key.pem'));
    mkdirSync(join(workspace, 'devices'));
    symlinkSync('/dev/zero', join(workspace, 'devices', 'zero'));
    mkdirSync(join(workspace, 'loop'));
    symlinkSync(join(workspace, 'loop'), join(workspace, 'loop', 'again'));
    symlinkSync(outside, join(workspace, 'outside-folder'));
    execFileSync('mkfifo', [join(workspace, 'fifo')]);
    mkdirSync(join(workspace, 'pipes'));
    execFileSync('mkfifo', [join(workspace, 'pipes', 'fifo')]);
    writeFileSync(join(workspace, 'huge'), '');
    truncateSync(join(workspace, 'huge'), 9 * 2 ** 20);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const error = (fn: () => unknown): InputError => {
    try {
      fn();
    } catch (e) {
      return e as InputError;
    }
    throw new Error('no error');
  };

  it('reads files of the workspace and of the runner temp folder, through links that stay there', () => {
    expect(readWorkspaceText('compose-file', 'compose.yml', opts)).toBe('services: {}\n');
    expect(readWorkspaceText('ca', 'inside-link', opts)).toBe('a');
    expect(readWorkspaceText('checks', 'to-temp', opts)).toBe('made by an earlier step');
    expect(readWorkspaceText('checks', join(temp, 'generated.yml'), opts)).toBe('made by an earlier step');
  });

  it('takes an absolute path as meant, wherever it is', () => {
    expect(readWorkspaceText('ca', join(outside, 'id_rsa'), opts)).toBe('PRIVATE KEY');
    expect(readWorkspaceTree('files', outside, opts).map((f) => f.path)).toEqual(['id_rsa']);
  });

  it.each([
    [
      'key-link',
      /key-link leads outside the workspace \(to .*id_rsa\)\. Paths \(and the links in them\) must stay/,
    ],
    ['../outside/id_rsa', /leads outside the workspace/],
    ['outside-folder/id_rsa', /leads outside the workspace/],
    ['zero', /zero leads outside the workspace \(to \/dev\/zero\)/],
    ['/dev/zero', /\/dev\/zero is not a regular file or folder \(\/dev\/zero is a device, pipe or socket\)/],
    ['fifo', /fifo is not a regular file or folder/],
    ['huge', /huge is larger than 8 MiB, the most it may be/],
    ['dangling', /dangling is a link to nothing/],
    ['missing.yml', /missing\.yml does not exist in .*workspace/],
    ['conf', /conf is a folder, not a file/],
  ])('refuses %s for a file, naming the input', (path, message) => {
    const e = error(() => readWorkspaceText('ca', path, opts));
    expect(e).toBeInstanceOf(InputError);
    expect(e.input).toBe('ca');
    expect(e.message).toMatch(/^Input "ca": /);
    expect(e.message).toMatch(message);
  });

  it('reads a folder whole, in order, following links that stay inside', () => {
    writeFileSync(join(workspace, 'conf', 'sub', 'c.conf'), 'c');
    symlinkSync(join(workspace, 'conf', 'a.conf'), join(workspace, 'conf', 'sub', 'link.conf'));
    expect(readWorkspaceTree('files', 'conf', opts)).toEqual([
      { path: 'a.conf', content: Buffer.from('a') },
      { path: 'sub/b.conf', content: Buffer.from('b') },
      { path: 'sub/c.conf', content: Buffer.from('c') },
      { path: 'sub/link.conf', content: Buffer.from('a') },
    ]);
  });

  it.each([
    ['leaky', /leaky\/key\.pem is a link leading outside \(to .*id_rsa\)/],
    ['devices', /devices\/zero is a link leading outside \(to \/dev\/zero\)/],
    ['pipes', /pipes\/fifo is not a regular file or folder/],
    ['loop', /loop\/again is a link loop/],
    ['outside-folder', /outside-folder leads outside the workspace/],
  ])('refuses the folder %s for what it holds', (path, message) => {
    expect(error(() => readWorkspaceTree('files', path, opts)).message).toMatch(message);
  });

  it('caps what a folder holds together, and how many entries', () => {
    expect(error(() => readWorkspaceTree('files', 'conf', { ...opts, maxTotalBytes: 2 })).message).toMatch(
      /the files under conf hold more than 2 bytes together/,
    );
    expect(error(() => readWorkspaceTree('files', 'conf', { ...opts, maxEntries: 2 })).message).toMatch(
      /conf holds more than 2 files and folders/,
    );
  });

  it('checks a path others read (a Dockerfile, a build context) by the same rules', () => {
    expect(checkWorkspacePath('context', 'conf', 'folder', opts).kind).toBe('folder');
    expect(error(() => checkWorkspacePath('file', 'key-link', 'file', opts)).message).toMatch(
      /leads outside/,
    );
    expect(error(() => checkWorkspacePath('file', 'fifo', 'file', opts)).message).toMatch(
      /not a regular file/,
    );
  });
});
