import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { greenShare, isBlueGreen } from './blue-green';
import type { EcsState, ServiceRecord, TaskRecord } from './model';
import { isHealthy } from './scheduler';

// The load balancer's two listeners of a blue/green service (its `loadBalancers[].advancedConfiguration`:
// productionListenerRule, testListenerRule): real HTTP servers on 127.0.0.1 that forward each request to a
// healthy task of the service revision the listener's rule points at now. Production stays on blue until
// PRODUCTION_TRAFFIC_SHIFT (all at once, or LINEAR/CANARY's share of the requests per increment); test traffic goes
// to green from TEST_TRAFFIC_SHIFT; a rollback points both back.

export type ListenerKind = 'production' | 'test';

/**
 * The revisions a listener's rules forward to and green's share of it (0-100); undefined: any task of the
 * service (rolling deployments).
 */
function routes(service: ServiceRecord, listener: ListenerKind) {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary || !isBlueGreen(primary.serviceDeployment.deploymentConfiguration)) return undefined;
  const blue = (service.lastCompleted ?? primary).serviceRevisionArn;
  const shifting = primary.rolloutState === 'IN_PROGRESS' && !primary.rollbackOf;
  const share = shifting && primary.serviceRevisionArn !== blue ? greenShare(primary, listener) : 0;
  return { green: primary.serviceRevisionArn, blue, share };
}

/** The share of a listener's traffic the revision gets (DescribeServiceDeployments' traffic weights). */
export function trafficWeight(service: ServiceRecord, listener: ListenerKind, revisionArn: string): number {
  const route = routes(service, listener);
  if (!route) return 100;
  if (revisionArn === route.green && route.green !== route.blue) return route.share;
  return revisionArn === route.blue ? 100 - route.share : 0;
}

/** The revision the listener's `turn`-th request goes to: green for `share` of every 100 requests, spread out. */
export function routedRevision(service: ServiceRecord, listener: ListenerKind, turn = 0): string | undefined {
  const route = routes(service, listener);
  if (!route) return undefined;
  const toGreen = Math.floor(((turn + 1) * route.share) / 100) > Math.floor((turn * route.share) / 100);
  return toGreen ? route.green : route.blue;
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
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const revision = routedRevision(service, kind, requests++);
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
