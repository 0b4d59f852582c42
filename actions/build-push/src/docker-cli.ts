import * as core from '@actions/core';
import { type CommandRunner, type RetryOptions, retry, UserError } from '@slipway/shared';

/** The Docker CLI calls the action makes, on the shared CommandRunner. */
export class DockerCli {
  constructor(private readonly runner: CommandRunner) {}

  async hasBuildx(): Promise<boolean> {
    const result = await this.runner
      .run('docker', ['buildx', 'version'], { quiet: true, allowFailure: true })
      .catch(() => ({ code: 1 }));
    return result.code === 0;
  }

  /** The current buildx builder's name and driver (`docker buildx inspect`), or undefined when it cannot say. */
  async buildxBuilder(): Promise<{ name: string; driver: string } | undefined> {
    const result = await this.runner.run('docker', ['buildx', 'inspect'], {
      quiet: true,
      allowFailure: true,
    });
    const field = (key: string) => new RegExp(`^${key}:[ \\t]*(\\S+)`, 'm').exec(result.stdout)?.[1];
    const [name, driver] = [field('Name'), field('Driver')];
    return result.code === 0 && name && driver ? { name, driver } : undefined;
  }

  /** Whether the daemon keeps its images in containerd (which holds several platforms under one tag). */
  async containerdImageStore(): Promise<boolean> {
    const result = await this.runner.run('docker', ['info', '--format', '{{json .DriverStatus}}'], {
      quiet: true,
      allowFailure: true,
    });
    return result.code === 0 && result.stdout.includes('io.containerd.snapshotter');
  }

  async run(args: string[], env?: Record<string, string>): Promise<void> {
    await this.runner.run('docker', args, { env });
  }

  /** The local image ID of a reference, or undefined when there is no such image. */
  async imageId(ref: string): Promise<string | undefined> {
    const result = await this.runner.run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], {
      quiet: true,
      allowFailure: true,
    });
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async tag(source: string, target: string): Promise<void> {
    await this.runner.run('docker', ['tag', source, target], { quiet: true });
  }

  /** Unpacks a tar archive (an OCI image archive) into a folder. */
  async extract(archive: string, into: string): Promise<void> {
    await this.runner.run('tar', ['-xf', archive, '-C', into], { quiet: true });
  }

  /** Packs a folder (an OCI image layout) into a tar archive. */
  async pack(dir: string, archive: string): Promise<void> {
    await this.runner.run('tar', ['-cf', archive, '-C', dir, '.'], { quiet: true });
  }

  /** The password goes on standard input, never on the command line. */
  async login(host: string, username: string, password: string): Promise<void> {
    const result = await this.runner.run(
      'docker',
      ['login', '--username', username, '--password-stdin', host],
      {
        input: password,
        allowFailure: true,
      },
    );
    if (result.code !== 0) {
      throw new UserError(
        `docker login to ${host} as "${username}" failed: ${result.stderr.trim().split('\n').pop()}. Check the credentials.`,
      );
    }
  }

  async logout(host: string): Promise<void> {
    await this.runner.run('docker', ['logout', host], { allowFailure: true });
  }

  /** `docker push`, retried with back-off when the registry answers 5xx or the connection times out. */
  async push(ref: string, options: RetryOptions = {}): Promise<void> {
    await retry(
      async () => {
        const result = await this.runner.run('docker', ['push', ref], { allowFailure: true });
        if (result.code !== 0) throw new PushFailed(ref, result.stderr || result.stdout);
      },
      {
        ...options,
        retryable: (error) => error instanceof PushFailed && error.transient,
        onRetry: (error, attempt, delay) =>
          core.warning(
            `docker push ${ref} failed (attempt ${attempt}); retrying in ${delay}ms: ${(error as PushFailed).reason}`,
          ),
      },
    );
  }
}

const TRANSIENT =
  /status(?: code)?:? ?5(?:0[02-9]|[1-9]\d)\b|service unavailable|bad gateway|gateway time-?out|internal server error|too many requests|timeout|timed out|connection reset|broken pipe|unexpected EOF|TLS handshake/i;

export class PushFailed extends Error {
  override name = 'PushFailed';
  readonly transient: boolean;
  readonly reason: string;
  constructor(ref: string, output: string) {
    const reason = output.trim().split('\n').filter(Boolean).pop() ?? 'no output';
    super(`docker push ${ref} failed: ${reason}`);
    this.reason = reason;
    this.transient = TRANSIENT.test(output);
  }
}
