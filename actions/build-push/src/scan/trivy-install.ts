import { createHash } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import * as tc from '@actions/tool-cache';
import { retry, UserError } from '@slipway/shared';

export interface TrivyInstallOptions {
  version: string;
  /** Where releases are downloaded from: `<baseUrl>/v<version>/<asset>` (GitHub releases or a mirror). */
  baseUrl: string;
  /** The checksum list shipped with the action (`<sha256>  <file>` lines). */
  checksums: string;
  platform?: NodeJS.Platform;
  arch?: string;
  retryDelayMs?: number;
}

const OS: Partial<Record<NodeJS.Platform, string>> = { linux: 'Linux', darwin: 'macOS' };
const ARCH: Record<string, string> = { x64: '64bit', arm64: 'ARM64' };

/** The release asset for this machine, e.g. trivy_0.69.3_Linux-64bit.tar.gz. */
export function trivyAsset(version: string, platform: NodeJS.Platform, arch: string): string {
  const os = OS[platform];
  const cpu = ARCH[arch];
  if (!os || !cpu) {
    throw new UserError(
      `Trivy is installed for Linux and macOS on x64 and arm64 runners; this runner is ${platform}/${arch}. Set "scan: false" to build without scanning.`,
    );
  }
  return `trivy_${version}_${os}-${cpu}.tar.gz`;
}

export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([a-f0-9]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (match) sums.set(match[2], match[1]);
  }
  return sums;
}

/**
 * Installs Trivy through the tool cache: found there, it is used as is; otherwise the archive is downloaded
 * (retried), its SHA-256 compared with the shipped list (refused and deleted on mismatch), extracted, cached.
 * Returns the path of the trivy executable.
 */
export async function installTrivy(options: TrivyInstallOptions): Promise<string> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const asset = trivyAsset(options.version, platform, arch);
  const cached = tc.find('trivy', options.version, arch);
  if (cached) {
    core.info(`Trivy ${options.version} found in the tool cache.`);
    return join(cached, 'trivy');
  }
  const expected = parseChecksums(options.checksums).get(asset);
  if (!expected) {
    throw new UserError(
      `No SHA-256 for ${asset} is shipped with this action, so it will not be installed. Use a Trivy version this release of the action pins.`,
    );
  }
  const url = `${options.baseUrl}/v${options.version}/${asset}`;
  core.info(`Downloading ${url}`);
  const archive = await retry(() => tc.downloadTool(url), {
    attempts: 3,
    baseDelayMs: options.retryDelayMs ?? 2000,
  });
  const actual = await sha256File(archive);
  if (actual !== expected) {
    rmSync(archive, { force: true });
    throw new UserError(
      `Refusing ${url}: its SHA-256 is ${actual}, but the checksum shipped with this action for ${asset} is ${expected}. The download was changed or corrupted; nothing was installed.`,
    );
  }
  const extracted = await tc.extractTar(archive);
  rmSync(archive, { force: true });
  const dir = await tc.cacheDir(extracted, 'trivy', options.version, arch);
  rmSync(extracted, { recursive: true, force: true });
  core.info(`Trivy ${options.version} installed (SHA-256 verified).`);
  return join(dir, 'trivy');
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
