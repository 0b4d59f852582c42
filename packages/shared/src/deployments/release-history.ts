import { UserError } from '../errors';
import type { RecordedDeployment } from './deployment-records';

const DIGEST = /@(sha256:[0-9a-f]{64})$/;

/** The digest an image reference pins (`repo@sha256:…`), if it pins one. */
export const imageDigest = (ref: string): string | undefined => DIGEST.exec(ref)?.[1];

/** The digests a recorded deployment ran. */
export function digestsOf(deployment: RecordedDeployment): string[] {
  return Object.values(deployment.payload?.images ?? {})
    .map(imageDigest)
    .filter((d): d is string => d !== undefined);
}

/**
 * The one verdict on deploying a digest a rollback marked bad (`where`: by whom, e.g. "a rollback on host h1"):
 * refused, or with `force` a warning.
 */
export function refuseBadDigest(
  digest: string,
  where: string,
  reason: string,
  force: boolean,
  warning: (message: string) => void,
): void {
  const message = `${digest} was marked bad by ${where} (${reason || 'no reason given'}).`;
  if (!force) throw new UserError(`${message} Deploy a fixed image, or set force: true to deploy it anyway.`);
  warning(`${message} Deploying it anyway because force is true.`);
}

/** Why a digest must not be deployed again (some deployment that ran it was marked bad), if it must not. */
export function badDigestReason(history: RecordedDeployment[], digest: string): string | undefined {
  return history.find((d) => d.badReason !== undefined && digestsOf(d).includes(digest))?.badReason;
}

/**
 * The last good deployment of an environment: newest first, the first one that reached `success`, was not
 * marked bad, runs no digest marked bad elsewhere, and is not `excludeId` (the release being rolled away from).
 * Never "the previous one" blindly.
 */
export function lastGoodDeployment(
  history: RecordedDeployment[],
  options: { excludeId?: number; excludeDigests?: string[] } = {},
): RecordedDeployment | undefined {
  const bad = new Set([
    ...(options.excludeDigests ?? []),
    ...history.filter((d) => d.badReason).flatMap(digestsOf),
  ]);
  return history.find(
    (d) =>
      d.id !== options.excludeId &&
      d.payload !== undefined &&
      d.badReason === undefined &&
      d.statuses.some((s) => s.state === 'success') &&
      !digestsOf(d).some((digest) => bad.has(digest)),
  );
}
