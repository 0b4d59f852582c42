/**
 * Deletes every manifest a test pushed to a repository of a local registry (they run with deletes enabled),
 * so test repositories do not pile up. Best effort: cleanup never fails a test.
 */
export async function deleteRegistryRepository(
  registry: string,
  repository: string,
  credentials?: { username: string; password: string },
): Promise<void> {
  const headers: Record<string, string> = {
    accept: [
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ].join(', '),
  };
  if (credentials) {
    headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }
  const base = `http://${registry}/v2/${repository}`;
  try {
    const list = await fetch(`${base}/tags/list`, { headers });
    if (!list.ok) return;
    const tags = ((await list.json()) as { tags?: string[] | null }).tags ?? [];
    const digests = new Set<string>();
    for (const tag of tags) {
      const head = await fetch(`${base}/manifests/${tag}`, { method: 'HEAD', headers });
      const digest = head.headers.get('docker-content-digest');
      if (digest) digests.add(digest);
    }
    for (const digest of digests) await fetch(`${base}/manifests/${digest}`, { method: 'DELETE', headers });
  } catch {
    // best effort
  }
}
