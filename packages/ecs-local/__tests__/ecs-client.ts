import { ECSClient } from '@aws-sdk/client-ecs';

/** The real SDK client against a local endpoint: any static key signs, one attempt so faults surface. */
export function localEcsClient(url: string, maxAttempts = 1): ECSClient {
  return new ECSClient({
    endpoint: url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts,
  });
}

/** Polls `read` until `done` holds (a deadline, not a timing assertion: it only bounds a hung test). */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  limitMs = 45_000,
) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}; last: ${JSON.stringify(value, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
