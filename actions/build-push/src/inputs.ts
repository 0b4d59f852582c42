import {
  type ImageReference,
  InputError,
  InputReader,
  parseImageReference,
  repositoryName,
} from '@slipway/shared';
import { parseCacheEntries } from './cache-entries';
import { SEVERITIES, type Severity } from './scan/trivy-report';

export type EcrMode = 'auto' | 'true' | 'false';

export interface Inputs {
  /** The repository pushed to (no tag), e.g. ghcr.io/acme/app. */
  image: ImageReference;
  /** Raw tags, added to the ones from the git context (or, with source-image, the only tags). */
  tags: string[];
  /** Promote: an existing `repo@sha256:...` to tag, with no build. */
  sourceImage?: ImageReference;
  context: string;
  file?: string;
  target?: string;
  buildArgs: Array<[string, string]>;
  secrets: Array<[string, string]>;
  platforms: string[];
  cacheFrom: string[];
  cacheTo: string[];
  labels: Array<[string, string]>;
  pull: boolean;
  noCache: boolean;
  skipExisting: boolean;
  /** false: build and scan only, with no registry login and nothing pushed (pull requests from forks). */
  push: boolean;
  username?: string;
  password?: string;
  ecr: EcrMode;
  endpoint?: string;
  createRepository: boolean;
  immutableTags: boolean;
  logout: boolean;
  scan: boolean;
  severity: Severity[];
  failOn: Severity | 'none';
  ignoreUnfixed: boolean;
  ignoreFile?: string;
  trivyDbRepositories: string[];
  trivyJavaDbRepositories: string[];
  trivyDownloadUrl: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
// A Dockerfile stage name (`FROM ... AS <name>`), as BuildKit accepts it.
const STAGE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

const DEFAULT_TRIVY_DOWNLOAD = 'https://github.com/aquasecurity/trivy/releases/download';

export const DEFAULT_TRIVY_DB = [
  'mirror.gcr.io/aquasec/trivy-db:2',
  'ghcr.io/aquasecurity/trivy-db:2',
  'public.ecr.aws/aquasecurity/trivy-db:2',
];

export const DEFAULT_TRIVY_JAVA_DB = [
  'mirror.gcr.io/aquasec/trivy-java-db:1',
  'ghcr.io/aquasecurity/trivy-java-db:1',
  'public.ecr.aws/aquasecurity/trivy-java-db:1',
];

export function getInputs(read = new InputReader()): Inputs {
  const imageText = read.required('image');
  const image = parseImageReference(imageText, 'Input "image"');
  if (image.tag || image.digest) {
    throw new InputError(
      'image',
      `Input "image" is the repository without a tag or digest (e.g. ghcr.io/acme/app); put tags in "tags". Got ${JSON.stringify(imageText)}.`,
    );
  }
  const tags = read.list('tags').map((tag) => tagOf(tag, image));
  const sourceText = read.string('source-image');
  const sourceImage = sourceText ? parseImageReference(sourceText, 'Input "source-image"') : undefined;
  if (sourceImage && !sourceImage.digest) {
    throw new InputError(
      'source-image',
      `Input "source-image" must name the image by digest (repo@sha256:...), so what is promoted is exactly what was tested; got ${JSON.stringify(sourceText)}.`,
    );
  }
  if (sourceImage && tags.length === 0) {
    throw new InputError(
      'tags',
      'Input "tags" is required with "source-image": name the tags to add (e.g. prod).',
    );
  }
  const push = read.boolean('push', { default: true });
  if (sourceImage && !push) {
    throw new InputError(
      'push',
      'Input "push" is false, but "source-image" promotes an image, which is a push: remove "source-image" or set "push" to true.',
    );
  }
  const severity = severities(read.list('severity'), 'severity');
  const failOnText = read.string('fail-on', { default: 'CRITICAL' }).toUpperCase();
  const failOn = failOnText === 'NONE' ? 'none' : severities([failOnText], 'fail-on')[0];
  if (failOn !== 'none' && !severity.includes(failOn)) {
    throw new InputError(
      'fail-on',
      `Input "fail-on" is ${failOn}, but "severity" (${severity.join(',')}) does not report it: add it to "severity" or lower "fail-on".`,
    );
  }
  const password = read.secret('password');
  const username = read.string('username');
  if (Boolean(password) !== Boolean(username)) {
    throw new InputError('password', 'Inputs "username" and "password" go together: set both or neither.');
  }
  return {
    image,
    tags,
    sourceImage,
    context: read.string('context', { default: '.' }),
    file: read.string('file'),
    target: stage(read.string('target')),
    buildArgs: read.keyValues('build-args', { keyPattern: BUILD_ARG }),
    secrets: read.keyValues('secrets', { secret: true, keyPattern: SECRET_ID }),
    platforms: checked(
      read.list('platforms'),
      PLATFORM,
      'platforms',
      'os/arch[/variant] such as linux/amd64',
    ),
    cacheFrom: parseCacheEntries('cache-from', read.list('cache-from', { separator: 'newline' })),
    cacheTo: parseCacheEntries('cache-to', read.list('cache-to', { separator: 'newline' })),
    labels: read.keyValues('labels', { keyPattern: LABEL }),
    pull: read.boolean('pull', { default: false }),
    noCache: read.boolean('no-cache', { default: false }),
    skipExisting: read.boolean('skip-existing', { default: true }),
    push,
    username,
    password,
    ecr: read.enumeration('ecr', ['auto', 'true', 'false'], { default: 'auto' }),
    endpoint: read.url('endpoint')?.replace(/\/+$/, ''),
    createRepository: read.boolean('create-repository', { default: false }),
    immutableTags: read.boolean('immutable-tags', { default: false }),
    logout: read.boolean('logout', { default: true }),
    scan: read.boolean('scan', { default: true }),
    severity,
    failOn,
    ignoreUnfixed: read.boolean('ignore-unfixed', { default: false }),
    ignoreFile: read.string('ignore-file'),
    trivyDbRepositories: dbRepositories(
      'trivy-db-repositories',
      read.list('trivy-db-repositories'),
      DEFAULT_TRIVY_DB,
    ),
    trivyJavaDbRepositories: dbRepositories(
      'trivy-java-db-repositories',
      read.list('trivy-java-db-repositories'),
      DEFAULT_TRIVY_JAVA_DB,
    ),
    trivyDownloadUrl: (read.url('trivy-download-url') ?? DEFAULT_TRIVY_DOWNLOAD).replace(/\/+$/, ''),
  };
}

function severities(values: string[], input: string): Severity[] {
  if (values.length === 0) return [...SEVERITIES];
  return values.map((value) => {
    const upper = value.toUpperCase() as Severity;
    if (!SEVERITIES.includes(upper)) {
      throw new InputError(
        input,
        `Input "${input}" takes ${SEVERITIES.join(', ')}; got ${JSON.stringify(value)}.`,
      );
    }
    return upper;
  });
}

/** Trivy DB mirrors, tried in order: each an OCI reference (`mirror.gcr.io/aquasec/trivy-db:2`). */
function dbRepositories(input: string, values: string[], defaults: string[]): string[] {
  for (const value of values) parseImageReference(value, `Input "${input}"`);
  return values.length ? values : defaults;
}

function checked(values: string[], pattern: RegExp, input: string, accepted: string): string[] {
  const bad = values.find((v) => !pattern.test(v));
  if (bad !== undefined)
    throw new InputError(input, `Input "${input}" takes ${accepted}; got ${JSON.stringify(bad)}.`);
  return values;
}

function stage(value: string | undefined): string | undefined {
  if (value === undefined || STAGE.test(value)) return value;
  throw new InputError(
    'target',
    `Input "target" must be a build stage name of the Dockerfile (FROM ... AS <name>: letters, digits, "_", "." and "-", starting with a letter); got ${JSON.stringify(value)}.`,
  );
}

/**
 * A tag, or the tag of a full reference naming `image`'s repository (`ghcr.io/acme/app:1.2.3`, as users of
 * docker/build-push-action and docker/metadata-action write them); any other reference is refused.
 */
function tagOf(text: string, image: ImageReference): string {
  if (TAG.test(text)) return text;
  const accepted =
    'tags only (up to 128 letters, digits, _, . and -, not starting with . or -) or full references of "image" (registry/repository:tag), one per line or comma';
  if (!/[/:]/.test(text)) {
    throw new InputError('tags', `Input "tags" takes ${accepted}; got ${JSON.stringify(text)}.`);
  }
  let ref: ImageReference;
  try {
    ref = parseImageReference(text, 'Input "tags"');
  } catch (error) {
    throw new InputError('tags', `${(error as Error).message} It takes ${accepted}.`);
  }
  const named = repositoryName(ref);
  if (ref.registry !== image.registry || ref.repository !== image.repository) {
    throw new InputError(
      'tags',
      `Input "tags": ${JSON.stringify(text)} names ${named}, not "image" (${repositoryName(image)}); a build pushes to "image" only, so give its tags (or full references of it).`,
    );
  }
  if (!ref.tag || ref.digest) {
    throw new InputError(
      'tags',
      `Input "tags": ${JSON.stringify(text)} has no tag${ref.digest ? ' (a digest is not a tag)' : ''}; write ${named}:<tag>.`,
    );
  }
  return ref.tag;
}
