import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { greenServes, isBlueGreen } from './blue-green';
import type { EcsState, ServiceRecord, TaskRecord } from './model';
import { isHealthy } from './scheduler';

// The load balancer's two listeners of a blue/green service (its `loadBalancers[].advancedConfiguration`:
// productionListenerRule, testListenerRule): real HTTP servers on 127.0.0.1 that forward each request to a
// healthy task of the service revision the listener's rule points at now. Production stays on blue until
// PRODUCTION_TRAFFIC_SHIFT; test traffic goes to green from TEST_TRAFFIC_SHIFT; a rollback points both back.

export type ListenerKind = 'production' | 'test';

/** The revision a listener's rule forwards to; undefined: any task of the service (rolling deployments). */
export function routedRevision(service: ServiceRecord, listener: ListenerKind): string | undefined {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary || !isBlueGreen(primary.serviceDeployment.deploymentConfiguration)) return undefined;
  const shifting = primary.rolloutState === 'IN_PROGRESS' && !primary.rollbackOf;
  if (shifting && greenServes(primary, listener)) return primary.serviceRevisionArn;
  return (service.lastCompleted ?? primary).serviceRevisionArn;
}

/** The share of a listener's traffic the revision gets (DescribeServiceDeployments' traffic weights). */
export function trafficWeight(service: ServiceRecord, listener: ListenerKind, revisionArn: string): number {
  const routed = routedRevision(service, listener);
  return routed === undefined || routed === revisionArn ? 100 : 0;
}

export interface Listener {
  url: string;
  /** The task definitions of every task this listener forwarded a request to. */
  served: Set<string>;
  close(): Promise<void>;
}

export async function startListener(
  state: EcsState,
  service: ServiceRecord,
  kind: ListenerKind,
): Promise<Listener> {
  const served = new Set<string>();
  let turn = 0;
  const server: Server = createServer((req, res) => {
    const revision = routedRevision(service, kind);
    const tasks = state.tasks.filter(
      (t: TaskRecord) =>
        t.service === service &&
        t.desiredStatus === 'RUNNING' &&
        isHealthy(t) &&
        (revision === undefined || t.deployment?.serviceRevisionArn === revision),
    );
    const task = tasks[turn++ % Math.max(1, tasks.length)];
    const port = task?.containers.flatMap((c) => c.networkBindings)[0]?.hostPort as number | undefined;
    if (!task || !port) {
      res.writeHead(503).end('no healthy target');
      return;
    }
    served.add(task.taskDefinitionArn);
    const upstream = request(
      { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end('bad gateway'));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
