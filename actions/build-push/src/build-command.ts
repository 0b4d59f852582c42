import { UserError } from '@slipway/shared';
import type { Inputs } from './inputs';

export type Builder = 'buildx' | 'docker';

/** What the build command is made of: the build inputs as given, plus what the action decides. */
export type BuildSpec = Pick<
  Inputs,
  | 'context'
  | 'file'
  | 'target'
  | 'buildArgs'
  | 'secrets'
  | 'platforms'
  | 'cacheFrom'
  | 'cacheTo'
  | 'pull'
  | 'noCache'
> & {
  /** The input labels merged with the OCI labels from the git context. */
  labels: Array<[string, string]>;
  /** Full references (`repo:tag`). */
  tags: string[];
  iidFile: string;
  /** buildx only: where `--metadata-file` writes the pushed digest (multi-platform builds). */
  metadataFile: string;
  /**
   * buildx, several platforms: write the image to this OCI archive (to be scanned, then pushed by the action)
   * instead of pushing it from the builder.
   */
  ociArchive?: string;
};

export interface BuildCommand {
  /** Arguments after `docker`. */
  args: string[];
  /** Extra environment: the secrets' values (never on the command line) and the builder choice. */
  env: Record<string, string>;
  /**
   * Where the image goes: `load` into the local image store (one platform), `oci` into an OCI archive
   * (several platforms, to be scanned), `push` straight to the registry (several platforms, no scan).
   */
  output: 'load' | 'oci' | 'push';
  warnings: string[];
}

const SECRET_NAME = /(^|_)(TOKEN|PASSWORD|PASSWD|PASS|SECRET|KEY|APIKEY|CREDENTIALS?|AUTH)(_|$)/i;

/** Build-arg names that look like secrets: build args are stored in the image's history for anyone to read. */
export function secretLookingArgs(buildArgs: Array<[string, string]>): string[] {
  return buildArgs.map(([name]) => name).filter((name) => SECRET_NAME.test(name));
}

/**
 * The `docker buildx build` or `docker build` command for a spec. buildx loads a single-platform image into
 * the local store, and writes a multi-platform one to an OCI archive (both scanned before anything is
 * pushed), or pushes it itself when there is no scan; BuildKit secrets go by environment variable,
 * never as build args; cache exports carry ignore-error=true so a failed export only warns.
 */
export function buildCommand(spec: BuildSpec, builder: Builder): BuildCommand {
  const warnings = secretLookingArgs(spec.buildArgs).map(
    (name) =>
      `Build arg "${name}" looks like a secret. Build args are stored in the image history where anyone who can pull the image reads them; pass it in "secrets" and mount it with RUN --mount=type=secret,id=${name}.`,
  );
  const common: string[] = ['--iidfile', spec.iidFile];
  if (spec.file) common.push('--file', spec.file);
  if (spec.target) common.push('--target', spec.target);
  for (const [k, v] of spec.buildArgs) common.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of spec.labels) common.push('--label', `${k}=${v}`);
  if (spec.pull) common.push('--pull');
  if (spec.noCache) common.push('--no-cache');
  for (const tag of spec.tags) common.push('--tag', tag);
  const env: Record<string, string> = {};

  if (builder === 'docker') {
    if (spec.secrets.length) {
      throw new UserError(
        'Input "secrets" needs BuildKit, which comes with docker buildx, and buildx is not installed on this runner. Add docker/setup-buildx-action before this step.',
      );
    }
    if (spec.platforms.length > 1) {
      throw new UserError(
        `Input "platforms" lists ${spec.platforms.length} platforms; building several at once needs docker buildx, which is not installed. Add docker/setup-buildx-action before this step.`,
      );
    }
    if (spec.platforms.length === 1) common.push('--platform', spec.platforms[0]);
    for (const from of spec.cacheFrom) {
      const ref = classicCacheRef(from);
      if (ref) common.push('--cache-from', ref);
      else warnings.push(`cache-from "${from}" needs docker buildx; ignored.`);
    }
    if (spec.cacheTo.length)
      warnings.push('cache-to needs docker buildx, which is not installed; no cache was exported.');
    env.DOCKER_BUILDKIT = '0';
    return { args: ['build', ...common, spec.context], env, output: 'load', warnings };
  }

  const args = ['buildx', 'build', ...common];
  if (spec.platforms.length) args.push('--platform', spec.platforms.join(','));
  for (const from of spec.cacheFrom) args.push('--cache-from', from);
  for (const to of spec.cacheTo)
    args.push('--cache-to', /(^|,)ignore-error=/.test(to) ? to : `${to},ignore-error=true`);
  spec.secrets.forEach(([id, value], i) => {
    const name = `SLIPWAY_BUILD_SECRET_${i}`;
    env[name] = value;
    args.push('--secret', `id=${id},env=${name}`);
  });
  let output: BuildCommand['output'] = 'load';
  if (spec.platforms.length > 1) output = spec.ociArchive ? 'oci' : 'push';
  if (output === 'load') args.push('--load');
  if (output === 'oci') args.push('--output', `type=oci,dest=${spec.ociArchive}`);
  if (output === 'push') args.push('--push', '--metadata-file', spec.metadataFile);
  args.push(spec.context);
  return { args, env, output, warnings };
}

/** `type=registry,ref=x` or a plain image reference, as the classic builder takes only images. */
function classicCacheRef(from: string): string | undefined {
  if (!from.includes('=')) return from;
  const fields = Object.fromEntries(from.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  return fields.type === 'registry' && fields.ref ? fields.ref : undefined;
}
