import { type ContainerLogs, createContainerLogs, type LogLine } from './docker-logs';
import { resolveTaskDefinition } from './ecs/lookup';
import type { ContainerRecord, EcsState, Json, TaskRecord } from './ecs/model';
import { AwsError, type Service } from './protocol';

/**
 * CloudWatch Logs as `@aws-sdk/client-cloudwatch-logs` speaks it (AWS JSON 1.1, `X-Amz-Target:
 * Logs_20140328.<Operation>`), on the ECS endpoint. Its log events are the real output of the containers whose
 * definition uses the `awslogs` driver: a stream per container, named as ECS names it
 * (`<awslogs-stream-prefix>/<container>/<task id>`, or the container's Docker id without a prefix), read from
 * Docker while the container exists and kept after ECS removes it. GetLogEvents and FilterLogEvents.
 */
export interface LogsService {
  service: Service;
  /** Keeps what an awslogs container wrote, before its Docker container is removed (the task runner calls it). */
  keep(task: TaskRecord, record: ContainerRecord): Promise<void>;
}

interface Stream {
  group: string;
  name: string;
  task: TaskRecord;
  container: ContainerRecord;
}

const PAGE = 10_000;

function awslogs(state: EcsState, task: TaskRecord, name: string): Json | undefined {
  const definition = resolveTaskDefinition(state, task.taskDefinitionArn);
  const containers = (definition?.body.containerDefinitions as Json[] | undefined) ?? [];
  const config = containers.find((c) => c.name === name)?.logConfiguration as Json | undefined;
  return config?.logDriver === 'awslogs' ? ((config.options as Json | undefined) ?? {}) : undefined;
}

export function createLogsService(state: EcsState, read: ContainerLogs = createContainerLogs()): LogsService {
  const kept = new Map<string, LogLine[]>();

  const streams = (group: string): Stream[] =>
    state.tasks.flatMap((task) =>
      task.containers.flatMap((container) => {
        const options = awslogs(state, task, container.name);
        if (!options || options['awslogs-group'] !== group || !container.runtimeId) return [];
        const prefix = options['awslogs-stream-prefix'];
        const name = prefix ? `${prefix}/${container.name}/${task.id}` : container.runtimeId;
        return [{ group, name, task, container }];
      }),
    );

  const groupExists = (group: string) =>
    [...state.taskDefinitions.values()].some((revisions) =>
      revisions.some((r) =>
        ((r.body.containerDefinitions as Json[] | undefined) ?? []).some((c) => {
          const config = c.logConfiguration as Json | undefined;
          return config?.logDriver === 'awslogs' && (config.options as Json)?.['awslogs-group'] === group;
        }),
      ),
    );

  const requireGroup = (input: Record<string, unknown>) => {
    const group = input.logGroupName ?? input.logGroupIdentifier;
    if (typeof group !== 'string' || !group) {
      throw new AwsError(
        'InvalidParameterException',
        '1 validation error detected: logGroupName is required',
      );
    }
    if (!groupExists(group))
      throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  };

  const eventsOf = async (stream: Stream): Promise<LogLine[]> => {
    const id = stream.container.runtimeId!;
    const live =
      stream.container.lastStatus === 'STOPPED' && kept.has(id)
        ? undefined
        : await read(id).catch(() => undefined);
    if (live) kept.set(id, live);
    return kept.get(id) ?? [];
  };

  const inWindow = (input: Record<string, unknown>) => (e: LogLine) =>
    (input.startTime === undefined || e.timestamp >= Number(input.startTime)) &&
    (input.endTime === undefined || e.timestamp < Number(input.endTime));

  return {
    async keep(task, record) {
      if (!record.runtimeId || !awslogs(state, task, record.name)) return;
      const lines = await read(record.runtimeId).catch(() => undefined);
      if (lines) kept.set(record.runtimeId, lines);
    },
    service: {
      targetPrefix: 'Logs_20140328',
      operations: {
        async GetLogEvents(input) {
          const group = requireGroup(input);
          const stream = streams(group).find((s) => s.name === input.logStreamName);
          if (!stream)
            throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
          const events = (await eventsOf(stream)).filter(inWindow(input));
          const limit = Math.min(Number(input.limit ?? PAGE), PAGE);
          // Tokens are positions: f/<next index> reads on, b/<first index> reads back. With no token, the newest
          // page (startFromHead false, ECS's and the CLI's default) or the oldest.
          const token = typeof input.nextToken === 'string' ? input.nextToken : undefined;
          let start: number;
          if (token?.startsWith('f/')) start = Number(token.slice(2));
          else if (token?.startsWith('b/')) start = Math.max(0, Number(token.slice(2)) - limit);
          else if (token)
            throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
          else start = input.startFromHead === true ? 0 : Math.max(0, events.length - limit);
          const page = events.slice(start, start + limit);
          return {
            events: page.map((e) => ({
              timestamp: e.timestamp,
              message: e.message,
              ingestionTime: e.timestamp,
            })),
            nextForwardToken: `f/${start + page.length}`,
            nextBackwardToken: `b/${start}`,
          };
        },

        async FilterLogEvents(input) {
          const group = requireGroup(input);
          const names = input.logStreamNames as string[] | undefined;
          const prefix = input.logStreamNamePrefix as string | undefined;
          if (names && prefix) {
            throw new AwsError(
              'InvalidParameterException',
              'You cannot specify both logStreamNames and logStreamNamePrefix.',
            );
          }
          const terms = termsOf(input.filterPattern);
          const chosen = streams(group).filter((s) =>
            names ? names.includes(s.name) : prefix ? s.name.startsWith(prefix) : true,
          );
          const all = (
            await Promise.all(
              chosen.map(async (s) =>
                (
                  await eventsOf(s)
                ).map((e, i) => ({ ...e, logStreamName: s.name, eventId: `${s.name}/${i}` })),
              ),
            )
          )
            .flat()
            .filter(inWindow(input))
            .filter((e) => terms.every((t) => e.message.includes(t)))
            .sort((a, b) => a.timestamp - b.timestamp);
          const start = Number(input.nextToken ?? 0);
          const limit = Math.min(Number(input.limit ?? PAGE), PAGE);
          const page = all.slice(start, start + limit);
          return {
            events: page.map((e) => ({ ...e, ingestionTime: e.timestamp })),
            searchedLogStreams: chosen.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
            ...(start + limit < all.length ? { nextToken: String(start + limit) } : {}),
          };
        },
      },
    },
  };
}

/** The plain terms of a filter pattern (`ERROR "disk full"`): every one must appear. JSON and metric patterns are not modelled. */
function termsOf(pattern: unknown): string[] {
  if (typeof pattern !== 'string' || !pattern.trim()) return [];
  return [...pattern.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}
