import {
  DescribeTasksCommand,
  ECSClient,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  awsClientConfig,
  classifiedEcsCall,
  explainAwsError,
  isTransient,
  retry,
  UserError,
} from '@slipway/shared';

/** The ECS calls of a one-off task. */
export interface OneOffTaskApi {
  /** Starts the task; a RunTask failure (no capacity, a missing resource) throws a UserError. */
  runTask(input: RunTaskCommandInput): Promise<Task>;
  describeTask(cluster: string, arn: string): Promise<Task | undefined>;
  stopTask(cluster: string, arn: string, reason: string): Promise<void>;
}

export function createOneOffTaskApi(
  options: { region: string; endpoint?: string; log: (line: string) => void; retryBaseDelayMs?: number },
  client = new ECSClient(awsClientConfig(options)),
): OneOffTaskApi {
  const call = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    retry(classifiedEcsCall(name, fn), {
      attempts: 6,
      baseDelayMs: options.retryBaseDelayMs ?? 1000,
      maxDelayMs: 20_000,
      retryable: isTransient,
      onRetry: (error, n, delay) =>
        options.log(`ecs:${name} - ${(error as Error).name}; try ${n + 1} in ${delay}ms`),
    }).catch((error) => {
      const explained = explainAwsError(error, `ecs:${name}`);
      const e = error as { name?: string; message?: string; $fault?: string };
      if (explained === error && e.$fault === 'client' && !isTransient(error)) {
        throw new UserError(
          `ECS refused ecs:${name} (${e.name}: ${e.message}). Check the pre-deploy-* inputs and the task definition.`,
        );
      }
      throw explained;
    });
  return {
    async runTask(input) {
      const out = await call('RunTask', () => client.send(new RunTaskCommand(input)));
      const task = out.tasks?.[0];
      if (!task) {
        const why = (out.failures ?? []).map((f) =>
          `${f.arn ?? ''} ${f.reason ?? ''} ${f.detail ?? ''}`.trim(),
        );
        throw new UserError(
          `ECS did not start the pre-deploy task: ${why.join('; ') || 'no task and no failure given'}.`,
        );
      }
      return task;
    },
    async describeTask(cluster, arn) {
      const out = await call('DescribeTasks', () =>
        client.send(new DescribeTasksCommand({ cluster, tasks: [arn] })),
      );
      return out.tasks?.[0];
    },
    async stopTask(cluster, arn, reason) {
      await call('StopTask', () => client.send(new StopTaskCommand({ cluster, task: arn, reason })));
    },
  };
}
