import { UserError } from '../errors';

/** A parsed image reference: `registry/repository[:tag][@digest]`. */
export interface ImageReference {
  /** The registry host as written (`ghcr.io`, `127.0.0.1:5000`); Docker Hub is `docker.io`. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Parses an image reference with Docker's rules: the first path component is a registry when it has a dot or
 * a colon or is `localhost`; otherwise the image is on Docker Hub (`library/` added to one-part names).
 * Throws a UserError naming `what` (an input name, usually) with the accepted form.
 */
export function parseImageReference(text: string, what = 'image'): ImageReference {
  const fail = (why: string): never => {
    throw new UserError(
      `${what} ${JSON.stringify(text)} is not a valid image reference (${why}); expected registry/repository[:tag][@sha256:<64 hex>], e.g. ghcr.io/acme/app:1.2.3.`,
    );
  };
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail('the digest must be sha256: and 64 lower-case hex digits');
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail('a tag is at most 128 letters, digits, _, . and -, not starting with . or -');
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) {
    registry = parts.shift() as string;
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) {
    fail('repository path components are lower-case letters and digits separated by ., _, __ or -');
  }
  return { registry, repository: parts.join('/'), tag, digest };
}

/** `registry/repository`, the name `docker push` and the deploy actions use. */
export function repositoryName(ref: Pick<ImageReference, 'registry' | 'repository'>): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The full reference: `registry/repository:tag@digest` with whatever parts are set. */
export function formatImageReference(ref: ImageReference): string {
  return `${repositoryName(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The host that serves the registry HTTP API (Docker Hub's API is not on docker.io). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** Registries on loopback speak plain HTTP, as Docker itself allows for 127.0.0.0/8 and localhost. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '');
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}
