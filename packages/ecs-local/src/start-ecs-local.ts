import { createEcsService, type EcsService } from './ecs/ecs-service';
import type { EcsOptions } from './ecs/options';
import type { Service } from './protocol';
import { type Endpoint, startEndpoint } from './server';

export interface EcsLocalOptions extends EcsOptions {
  port?: number;
  host?: string;
  /** More services on the same endpoint (ECR, for one). */
  services?: Service[];
}

export interface EcsLocal extends Endpoint {
  ecs: EcsService;
}

/**
 * The endpoint with the ECS service wired in: point `AWS_ENDPOINT_URL_ECS` (or a client's `endpoint`) at
 * `url`. `close()` stops the server and the scheduler and removes every container it started.
 */
export async function startEcsLocal(options: EcsLocalOptions = {}): Promise<EcsLocal> {
  const ecs = createEcsService(options);
  const endpoint = await startEndpoint({
    services: [ecs.service, ecs.logs, ...(options.services ?? [])],
    port: options.port,
    host: options.host,
  });
  return {
    ...endpoint,
    ecs,
    async close() {
      await endpoint.close();
      await ecs.close();
    },
  };
}
