import { InputReader, mapInputs } from '@slipway/shared';
import { getInputs } from '../src/inputs';

const read = (values: Record<string, string>) => getInputs(new InputReader(mapInputs(values)));

describe('smoke-test inputs', () => {
  it('reads a URL and a timeout', () => {
    expect(read({ url: 'https://app.example.com/health', timeout: '5s' })).toEqual({
      url: new URL('https://app.example.com/health'),
      timeoutMs: 5000,
    });
  });

  it.each([
    [{}, 'Input "url" is required'],
    [{ url: 'app.example.com' }, 'Input "url" must be an absolute http(s) URL'],
    [{ url: 'ftp://app.example.com' }, 'Input "url" must use http or https'],
    [{ url: 'http://x', timeout: 'soon' }, 'Input "timeout" must be a duration'],
  ])('refuses %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});
