import { buildGateConfig, InputError } from '../src';
import { parseHttpMethod } from '../src/gate/http-method';

describe('HTTP methods', () => {
  it.each([
    ['GET', 'GET'],
    ['get', 'GET'],
    ['  Post  ', 'POST'],
    ['HEAD', 'HEAD'],
    ['PROPFIND', 'PROPFIND'],
    ['M-SEARCH', 'M-SEARCH'],
    ['x.custom_1', 'X.CUSTOM_1'],
  ])('accepts the token %j as %j', (text, method) => {
    expect(parseHttpMethod(text)).toBe(method);
  });

  it.each([
    '',
    '   ',
    'GET /',
    'GET\r\nX: y',
    'GET\nHost: evil',
    'GE T',
    'GET\tPOST',
    '(GET)',
    'GET;',
    'gét',
    'straße',
    'GET\u0000',
  ])('refuses %j, saying what is accepted and showing what was given', (text) => {
    expect(() => parseHttpMethod(text)).toThrow(
      `must be an HTTP method such as GET or POST (one word of letters, digits and !#$%&'*+-.^_\`|~; no spaces or line breaks); got ${JSON.stringify(text)}`,
    );
  });
});

describe('the method of a check, in the one place every gate user goes through', () => {
  const method = (checks: unknown, defaults = {}) =>
    buildGateConfig({ checks, defaults }).checks.map((c) => c.method);

  it('normalises the case of a check method and of the default, and keeps GET/POST when none is set', () => {
    expect(method([{ url: 'http://a.test', method: 'delete' }, 'http://b.test'], { method: 'put' })).toEqual([
      'DELETE',
      'PUT',
    ]);
    expect(method([{ url: 'http://a.test' }, { url: 'http://b.test', body: 'x' }])).toEqual(['GET', 'POST']);
  });

  it('names the input and the entry of a bad per-check method', () => {
    const checks = [{ url: 'http://a.test' }, { url: 'http://b.test', method: 'GET\r\nX: y' }];
    expect(() => buildGateConfig({ checks, 'checks-source': 'health-checks' })).toThrow(
      'Input "health-checks" (entry 2): "method" must be an HTTP method such as GET or POST',
    );
    expect(() => buildGateConfig({ checks, 'checks-source': 'health-checks' })).toThrow(
      expect.objectContaining({ input: 'health-checks' }),
    );
  });

  it('names the method input when the bad method is the default for every check', () => {
    const build = () => buildGateConfig({ checks: ['http://a.test'], defaults: { method: 'GET /' } });
    expect(build).toThrow(InputError);
    expect(build).toThrow('Input "method" must be an HTTP method such as GET or POST');
    expect(build).toThrow(expect.objectContaining({ input: 'method' }));
  });
});
