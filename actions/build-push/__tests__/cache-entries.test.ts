import { parseCacheEntries } from '../src/cache-entries';

describe('cache-from and cache-to entries', () => {
  it.each([
    ['type=gha', ['type=gha']],
    ['type=gha,scope=web,mode=max', ['type=gha,scope=web,mode=max']],
    ['type=registry,ref=ghcr.io/acme/app:cache', ['type=registry,ref=ghcr.io/acme/app:cache']],
    ['TYPE=registry,Ref=127.0.0.1:5000/app:cache', ['type=registry,ref=127.0.0.1:5000/app:cache']],
    ['type=local,src=/tmp/.buildx-cache', ['type=local,src=/tmp/.buildx-cache']],
    [
      'type=s3,region=eu-west-1,bucket=b,name=app,access_key_id=AK,secret_access_key=a/b+c==',
      ['type=s3,region=eu-west-1,bucket=b,name=app,access_key_id=AK,secret_access_key=a/b+c=='],
    ],
    [
      'type=azblob,account_url=https://a.blob.core.windows.net/,name=app',
      ['type=azblob,account_url=https://a.blob.core.windows.net/,name=app'],
    ],
    ['ghcr.io/acme/app:cache', ['type=registry,ref=ghcr.io/acme/app:cache']],
    [
      'acme/app:cache, ghcr.io/acme/app:cache',
      ['type=registry,ref=acme/app:cache', 'type=registry,ref=ghcr.io/acme/app:cache'],
    ],
  ])('cache-from takes %j', (line, entries) => {
    expect(parseCacheEntries('cache-from', [line])).toEqual(entries);
  });

  it('cache-to takes the same forms, plus inline and an explicit ignore-error', () => {
    expect(
      parseCacheEntries('cache-to', [
        'type=inline',
        'type=registry,ref=ghcr.io/acme/app:cache,mode=max,ignore-error=false',
        'ghcr.io/acme/app:cache',
      ]),
    ).toEqual([
      'type=inline',
      'type=registry,ref=ghcr.io/acme/app:cache,mode=max,ignore-error=false',
      'type=registry,ref=ghcr.io/acme/app:cache',
    ]);
  });

  it.each([
    ['cache-from', 'type=registry,ref', 'line 1 field 2 is not key=value (it has no "=")'],
    ['cache-from', 'type=registry, ref=r.io/a', 'line 1 field 2 has the key " ref", not letters'],
    ['cache-to', 'type=gha,mode=', 'line 1 field 2 ("mode=") has no value'],
    ['cache-to', 'mode=max', 'line 1 has no "type=" field'],
    ['cache-to', 'type=redis,url=x', 'line 1 has the type "redis", which is not a cache backend'],
    ['cache-to', 'type=Registry,ref=r.io/a', 'line 1 has the type "Registry"'],
    ['cache-from', 'type=inline', 'line 1 reads type=inline, which only exports'],
    ['cache-from', 'type=registry', 'line 1 has type=registry without "ref=<image>"'],
    ['cache-from', 'type=registry,ref=R.io/A B', 'line 1 "ref" "R.io/A B" is not a valid image reference'],
    ['cache-from', 'ghcr.io/Acme/app', 'line 1 "ghcr.io/Acme/app" is not a valid image reference'],
    ['cache-from', 'a/b,,c/d', 'line 1 has an empty entry between commas'],
    ['cache-to', 'type=gha,scope=a\rb', 'line 1 has a control character'],
    ['cache-from', 'type=local,src=/x\u0000', 'line 1 has a control character'],
    ['cache-from', 'r.io/app:c$(touch /tmp/x)', 'line 1 "r.io/app:c$(touch /tmp/x)" is not a valid image'],
  ] as const)('%s refuses %j, naming the input and the line', (input, line, message) => {
    expect(() => parseCacheEntries(input, [line])).toThrow(`Input "${input}" ${message}`);
  });

  it('says what is accepted, and names the line', () => {
    expect(() => parseCacheEntries('cache-to', ['type=gha', 'type=gha,oops'])).toThrow(
      'Input "cache-to" line 2 field 2 is not key=value (it has no "="); write type=<registry|local|gha|s3|azblob|inline>,key=value,... (e.g. type=registry,ref=ghcr.io/acme/app:cache) or an image reference, one per line.',
    );
    expect(() => parseCacheEntries('cache-from', ['oops=1'])).toThrow(
      'write type=<registry|local|gha|s3|azblob>,',
    );
  });

  it('never shows a value, as s3 and gha entries may hold credentials', () => {
    for (const line of ['type=s3,secret_access_key=s3cr3t-VALUE,oops', 'type=gha,token=s3cr3t-VALUE,mode=']) {
      expect(() => parseCacheEntries('cache-to', [line])).toThrow(/^(?!.*s3cr3t-VALUE)/s);
    }
  });
});
