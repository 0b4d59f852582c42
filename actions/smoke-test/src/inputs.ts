import { InputError, InputReader } from '@slipway/shared';

export interface Inputs {
  url: URL;
  timeoutMs: number;
}

export function getInputs(read = new InputReader()): Inputs {
  const raw = read.required('url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(
      'url',
      `Input "url" must be an absolute http(s) URL such as https://app.example.com/health; got ${JSON.stringify(raw)}.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError('url', `Input "url" must use http or https; got ${JSON.stringify(url.protocol)}.`);
  }
  return { url, timeoutMs: read.duration('timeout', { default: '10s', min: 100, max: 600_000 }) };
}
