import { type ContainerState, DockerApiError, type DockerEngine } from '../src/docker-engine';

interface FakeContainer {
  name: string;
  image: string;
  running: boolean;
  exitCode: number;
  started: boolean;
  inspected: number;
}

/**
 * Docker as the scheduler sees it, for the rules that need no real container: the image name says how a
 * container behaves (`healthy`, `slow` to get healthy, `unhealthy`, `exits`, `missing` cannot be pulled). It records every stop
 * with how many healthy containers were still running, to check minimumHealthyPercent and maximumPercent.
 */
export class FakeDocker implements DockerEngine {
  readonly containers = new Map<string, FakeContainer>();
  peakRunning = 0;
  inspections = 0;
  readonly healthyLeftAtStop: number[] = [];
  private next = 0;

  running(image?: string) {
    return [...this.containers.values()].filter((c) => c.running && (!image || c.image === image)).length;
  }

  async create(name: string, spec: Record<string, unknown>) {
    const image = String(spec.Image);
    if (image.includes('missing')) throw new DockerApiError(404, `No such image: ${image}`);
    const id = `fake${++this.next}`;
    this.containers.set(id, { name, image, running: false, exitCode: 0, started: false, inspected: 0 });
    return id;
  }

  async start(id: string) {
    const c = this.containers.get(id)!;
    c.started = true;
    c.running = !c.image.includes('exits');
    c.exitCode = c.running ? 0 : 3;
    this.peakRunning = Math.max(this.peakRunning, this.running());
  }

  async inspect(id: string): Promise<ContainerState | undefined> {
    this.inspections++;
    const c = this.containers.get(id);
    if (!c) return undefined;
    // `slow` images stay `starting` for their first 40 inspections.
    const starting = c.image.includes('slow') && ++c.inspected <= 40;
    const health = c.image.includes('unhealthy') ? 'unhealthy' : starting ? 'starting' : 'healthy';
    return {
      id,
      image: c.image,
      status: c.running ? 'running' : c.started ? 'exited' : 'created',
      running: c.running,
      exitCode: c.exitCode,
      error: '',
      oomKilled: false,
      health: c.running ? health : undefined,
      ports: [],
    };
  }

  async stop(id: string) {
    const c = this.containers.get(id);
    if (!c?.running) return;
    c.running = false;
    c.exitCode = 137;
    this.healthyLeftAtStop.push(
      [...this.containers.values()].filter((o) => o.running && !o.image.includes('unhealthy')).length,
    );
  }

  async remove(id: string) {
    this.containers.delete(id);
  }

  async pull(image: string) {
    throw new DockerApiError(500, `manifest for ${image} not found: manifest unknown`);
  }

  async imageDigest() {
    return 'sha256:0123456789abcdef';
  }

  async listByLabel() {
    return [...this.containers.keys()];
  }
}
