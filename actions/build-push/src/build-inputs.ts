import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Inputs } from './inputs';

/** The image label holding the hash of the inputs an image was built from (see `buildInputsHash`). */
export const BUILD_INPUTS_LABEL = 'dev.slipway.build-inputs';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const clean = (path: string) => posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';

/**
 * A hash of the inputs that decide what image a commit builds into: the context and Dockerfile paths (relative
 * to the workspace), the target stage, the build args (names and values; each value hashed on its own first, so
 * the label never carries one) and the platforms. Order-free where order does not matter. Cache settings,
 * `pull` and `no-cache` change how the image is built, not which one, so they are left out; so are the secrets,
 * whose values must never reach an image.
 */
export function buildInputsHash(
  inputs: Pick<Inputs, 'context' | 'file' | 'target' | 'buildArgs' | 'platforms'>,
): string {
  const context = clean(inputs.context);
  const canonical = {
    context,
    file: clean(inputs.file ?? posix.join(context, 'Dockerfile')),
    target: inputs.target ?? '',
    buildArgs: [...inputs.buildArgs]
      .map(([name, value]) => [name, sha256(value)])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    platforms: [...new Set(inputs.platforms)].sort(),
  };
  return `sha256:${sha256(JSON.stringify(canonical))}`;
}
