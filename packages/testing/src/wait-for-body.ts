/**
 * Polls `url` (every 500 ms, each request bounded to 2 s) until it answers `body` (trimmed): after a first deploy,
 * a proxy that follows Docker's DNS takes a moment to find the app. Throws after 30 s.
 */
export async function waitForBody(url: string, body: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const text = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.text(),
      () => '',
    );
    if (text.trim() === body) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} never answered ${body}`);
}
