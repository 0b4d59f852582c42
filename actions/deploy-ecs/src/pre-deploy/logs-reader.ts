import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { awsClientConfig, explainAwsError } from '@slipway/shared';

/** Where an awslogs container writes: its group and stream, in a region. */
export interface LogStream {
  group: string;
  stream: string;
  region: string;
}

/** Reads a stream on from a token; loaded only when a pre-deploy task logs to CloudWatch Logs. */
export interface LogsReader {
  /** New lines since `token` (none yet when the stream does not exist yet), and the token to go on from. */
  read(where: LogStream, token: string | undefined): Promise<{ lines: string[]; token: string | undefined }>;
  close(): void;
}

export function createLogsReader(
  make = (region: string) => new CloudWatchLogsClient(awsClientConfig({ region })),
): LogsReader {
  const clients = new Map<string, CloudWatchLogsClient>();
  return {
    async read(where, token) {
      let client = clients.get(where.region);
      if (!client) {
        client = make(where.region);
        clients.set(where.region, client);
      }
      try {
        const out = await client.send(
          new GetLogEventsCommand({
            logGroupName: where.group,
            logStreamName: where.stream,
            startFromHead: true,
            ...(token ? { nextToken: token } : {}),
          }),
        );
        return {
          lines: (out.events ?? []).map((e) => e.message ?? ''),
          token: out.nextForwardToken ?? token,
        };
      } catch (error) {
        // The stream appears when the container first writes: until then there is nothing to read.
        if ((error as Error).name === 'ResourceNotFoundException') return { lines: [], token };
        throw explainAwsError(error, 'logs:GetLogEvents');
      }
    },
    close: () => {
      for (const c of clients.values()) c.destroy();
    },
  };
}
