import { checkAwsRegion, checkEcsName, InputError, InputReader, mapInputs, registerSecret } from '../src';

const reader = (values: Record<string, string>) => new InputReader(mapInputs(values));

describe('InputReader', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['12', 12_000],
    ['1.5s', 1500],
  ])('parses the duration %s', (text, ms) => {
    expect(reader({ t: text }).duration('t')).toBe(ms);
  });

  it.each(['abc', '5 minutes', '-1s', '1d', '5m!'])('refuses the duration %j, naming the input', (text) => {
    expect(() => reader({ timeout: text }).duration('timeout')).toThrow(
      `Input "timeout" must be a duration such as 90s, 5m or 1h, from 0ms to 24h; got ${JSON.stringify(text)}.`,
    );
  });

  it('applies duration bounds', () => {
    expect(() => reader({ t: '2h' }).duration('t', { max: 3_600_000 })).toThrow(/from 0ms to 1h;/);
    expect(() => reader({ t: '1s' }).duration('t', { min: 90_000 })).toThrow(/from 1m30s to 24h;/);
    expect(reader({}).duration('t', { default: '5s' })).toBe(5000);
  });

  // issue 17, class 9: 600h is past what a timer holds (2^31 ms), and 400 digits parse as Infinity; both fired at once.
  it.each(['600h', '25d', '24h1ms', '9'.repeat(400), `${'9'.repeat(400)}ms`, '1e400'])(
    'refuses the duration %j past the 24h every duration input is held to, by default',
    (text) => {
      expect(() => reader({ 'command-timeout': text }).duration('command-timeout', { min: 1000 })).toThrow(
        /^Input "command-timeout" must be a duration such as 90s, 5m or 1h, from 1s to 24h; got/,
      );
    },
  );

  it('holds a larger maximum a caller asks for to what a timer can hold (24.8 days)', () => {
    const read = reader({ t: '600h' });
    expect(() => read.duration('t', { max: 10 * 24 * 3_600_000 })).toThrow(/from 0ms to 240h;/);
    expect(() => reader({ t: '600h' }).duration('t', { max: Number.MAX_SAFE_INTEGER })).toThrow(
      /from 0ms to 596h31m23.647s;/,
    );
    expect(reader({ t: '24h' }).duration('t')).toBe(86_400_000);
  });

  it.each(['9'.repeat(400), '9007199254740993'])('refuses the integer %j past a safe integer', (text) => {
    expect(() => reader({ n: text }).integer('n', { min: 0 })).toThrow(/^Input "n" must be a whole number/);
  });

  it.each([
    ['10', 10],
    ['0', 0],
    ['+3', 3],
  ])('parses the integer %s', (text, n) => {
    expect(reader({ n: text }).integer('n', { min: 0 })).toBe(n);
  });

  it.each(['ten', '1.5', '10abc', '', '1e3'])('refuses the integer %j (never a silent default)', (text) => {
    expect(() => reader({ samples: text }).integer('samples', { min: 1, max: 100 })).toThrow(
      /^Input "samples" must be a whole number from 1 to 100; got/,
    );
  });

  it('uses an integer default only when the input is empty', () => {
    expect(reader({}).integer('n', { default: 3 })).toBe(3);
    expect(() => reader({ n: '0' }).integer('n', { default: 3, min: 1 })).toThrow(/at least 1/);
  });

  it('parses numbers and percentages', () => {
    expect(reader({ r: '0.95' }).number('r', { min: 0, max: 1 })).toBe(0.95);
    expect(reader({ r: '99.5%' }).number('r', { min: 0, max: 1, percent: true })).toBe(0.995);
    expect(() => reader({ r: '120%' }).number('r', { min: 0, max: 1, percent: true })).toThrow(/from 0 to 1/);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['', true],
  ])('parses the boolean %j', (text, value) => {
    expect(reader({ b: text }).boolean('b', { default: true })).toBe(value);
  });

  it('refuses a boolean it does not know', () => {
    expect(() => reader({ wait: 'maybe' }).boolean('wait', { default: true })).toThrow(
      'Input "wait" must be true or false; got "maybe".',
    );
  });

  it('splits lists on commas and newlines', () => {
    expect(reader({ l: 'a, b\nc,,\n\n d ' }).list('l')).toEqual(['a', 'b', 'c', 'd']);
    expect(reader({ l: 'a, b\nc' }).list('l', { separator: 'newline' })).toEqual(['a, b', 'c']);
  });

  it('keeps "=" inside KEY=VALUE values', () => {
    expect(reader({ kv: 'A=1\nB=x=y==\nC=' }).keyValues('kv')).toEqual([
      ['A', '1'],
      ['B', 'x=y=='],
      ['C', ''],
    ]);
    expect(() => reader({ kv: '=nokey' }).keyValues('kv')).toThrow(/Input "kv" takes KEY=VALUE lines/);
    expect(() => reader({ kv: 'novalue' }).keyValues('kv')).toThrow(/Input "kv" takes KEY=VALUE lines/);
  });

  it('checks enumerations', () => {
    expect(reader({ s: 'recreate' }).enumeration('s', ['rolling', 'recreate'] as const)).toBe('recreate');
    expect(reader({}).enumeration('s', ['rolling', 'recreate'] as const, { default: 'rolling' })).toBe(
      'rolling',
    );
    expect(() => reader({ strategy: 'blue' }).enumeration('strategy', ['rolling', 'recreate'])).toThrow(
      'Input "strategy" must be one of rolling, recreate; got "blue".',
    );
  });

  it('parses JSON and YAML with the parser reason', () => {
    expect(reader({ j: '{"a":1}' }).json('j')).toEqual({ a: 1 });
    expect(reader({ y: '- url: http://x\n  method: GET' }).yaml('y')).toEqual([
      { url: 'http://x', method: 'GET' },
    ]);
    expect(() => reader({ j: '{a:1' }).json('j')).toThrow(/Input "j" must be valid JSON/);
    expect(() => reader({ y: 'a: [1' }).yaml('y')).toThrow(/Input "y" must be valid YAML/);
  });

  it('requires what is required, with a hint where to set it', () => {
    const error = (() => {
      try {
        reader({}).required('cluster');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('cluster');
    expect((error as Error).message).toBe(
      'Input "cluster" is required: set it in the step\'s "with:" block.',
    );
  });

  it('never shows a secret value in an error', () => {
    expect(() => reader({ port: 'hunter2-secret' }).integer('port', { secret: true })).toThrow(
      'Input "port" must be a whole number; (the value is secret and not shown).',
    );
  });

  it('reads http(s) URLs and refuses anything else, naming the input', () => {
    expect(reader({ u: 'https://ecs.local:8443/x' }).url('u')).toBe('https://ecs.local:8443/x');
    expect(reader({}).url('u')).toBeUndefined();
    for (const bad of ['ftp://x', 'not a url', 'file:///etc/passwd']) {
      expect(() => reader({ endpoint: bad }).url('endpoint', { example: 'https://e.x' })).toThrow(
        `Input "endpoint" must be an http(s) URL such as https://e.x; got ${JSON.stringify(bad)}.`,
      );
    }
  });
});

// issue 14, item 4: a renamed input keeps its old name working, with a warning naming the new one (as toolkit
// actions do); both given is an error; a bad value is reported under the name it was given as.
describe('InputReader: deprecated former names', () => {
  const read = (values: Record<string, string>, warnings: string[]) =>
    new InputReader(mapInputs(values), (m) => warnings.push(m));
  const opts = { default: '2m', formerly: 'health-timeout', min: 1000 };

  it('reads the old name with a warning naming the new one', () => {
    const warnings: string[] = [];
    expect(read({ 'health-timeout': '30s' }, warnings).duration('container-health-timeout', opts)).toBe(
      30_000,
    );
    expect(warnings).toEqual([
      'Input "health-timeout" is deprecated: use "container-health-timeout" (the same setting).',
    ]);
  });

  it('reads the new name (or the default) without a warning', () => {
    const warnings: string[] = [];
    expect(
      read({ 'container-health-timeout': '5s' }, warnings).duration('container-health-timeout', opts),
    ).toBe(5_000);
    expect(read({}, warnings).duration('container-health-timeout', opts)).toBe(120_000);
    expect(warnings).toEqual([]);
  });

  it('refuses both names at once', () => {
    expect(() =>
      read({ 'health-timeout': '30s', 'container-health-timeout': '5s' }, []).duration(
        'container-health-timeout',
        opts,
      ),
    ).toThrow(
      'Inputs "health-timeout" and "container-health-timeout" are both given: "health-timeout" is the deprecated name of "container-health-timeout"; keep only "container-health-timeout".',
    );
  });

  it('names the old input in the error for a bad value given under it', () => {
    expect(() => read({ 'health-timeout': 'soon' }, []).duration('container-health-timeout', opts)).toThrow(
      'Input "health-timeout" must be a duration',
    );
  });
});

// issue 17, class 5: input errors show what was given only after masking URL passwords, header values and
// registered secrets; YAML and JSON errors quote none of the text.
describe('InputReader: secrets in what input errors show', () => {
  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('no error');
  };

  it('masks the password of an unparsable URL', () => {
    const text = message(() =>
      reader({ 'health-url': 'http://user:pw-s3cret@host:99999/' }).url('health-url'),
    );
    expect(text).toMatch(
      /^Input "health-url" must be an http\(s\) URL; got "http:\/\/\*\*\*@host:99999\/"\.$/,
    );
  });

  it('masks header values in a value it shows', () => {
    const text = message(() =>
      reader({ method: 'GET\r\nAuthorization: Bearer hdr-s3cret\nAccept: text/plain' }).enumeration(
        'method',
        ['GET'],
      ),
    );
    expect(text).not.toContain('hdr-s3cret');
    expect(text).toContain('Authorization: ***');
    expect(text).toContain('Accept: text/plain');
  });

  it('masks registered secrets in a value it shows', () => {
    registerSecret('an0ther-s3cret');
    const text = message(() => reader({ n: 'x-an0ther-s3cret' }).integer('n'));
    expect(text).toBe('Input "n" must be a whole number; got "x-***".');
  });

  it.each([
    ['yaml', '- url: http://x\n  headers: { Authorization: Bearer hdr-s3cret }\n  method: [', 'valid YAML'],
    ['json', '{"headers": {"Authorization": "Bearer hdr-s3cret"}, ', 'valid JSON'],
  ] as const)('quotes none of the %s text in its error', (kind, text, accepted) => {
    const shown = message(() => reader({ 'health-checks': text })[kind]('health-checks'));
    expect(shown).toContain(`Input "health-checks" must be ${accepted}`);
    expect(shown).not.toMatch(/hdr-s3cret|Bearer/);
  });

  it('masks what any InputError says, wherever it is made', () => {
    expect(new InputError('url', 'Input "url" got "https://me:pa55@x:1/"').message).toBe(
      'Input "url" got "https://***@x:1/"',
    );
  });
});

describe('AWS names', () => {
  it.each([
    ['cluster', 'prod_1-a'],
    ['cluster', 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'],
    ['service', 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web'],
    ['service', 'arn:aws-cn:ecs:cn-north-1:123456789012:service/web'],
  ] as const)('accepts the %s %s', (kind, value) => {
    expect(checkEcsName(kind, value, kind)).toBe(value);
  });

  it.each(['my cluster', 'prod$(touch x)', 'a'.repeat(256), 'arn:aws:ecs:eu-west-1:1:cluster/x', ''])(
    'refuses the cluster %j, naming the input',
    (value) => {
      expect(() => checkEcsName('cluster', value, 'cluster')).toThrow(
        /^Input "cluster" must be an ECS cluster name or ARN/,
      );
    },
  );

  it('accepts regions such as us-gov-west-1 and refuses others', () => {
    for (const region of ['us-east-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-3']) {
      expect(checkAwsRegion(region, 'region')).toBe(region);
    }
    for (const region of ['eu west 1', 'EU-WEST-1', 'local', 'us-east-1.evil.com']) {
      expect(() => checkAwsRegion(region, 'region')).toThrow(
        /^Input "region" .*an AWS region such as us-east-1/,
      );
    }
  });
});
