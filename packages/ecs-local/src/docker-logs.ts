import { request } from 'node:http';
import { dockerTarget } from './docker-engine';

/** One line a container wrote, with the time Docker received it (epoch milliseconds). */
export interface LogLine {
  timestamp: number;
  message: string;
}

/** Reads a container's stdout and stderr from the Engine API; undefined when the container is gone. */
export type ContainerLogs = (id: string) => Promise<LogLine[] | undefined>;

/**
 * `GET /containers/{id}/logs?timestamps=1`: without a TTY the answer is Docker's multiplexed stream (frames of an
 * 8-byte header, stream and length, then the bytes), each line led by its RFC 3339 time. Read as a Buffer: a
 * frame's length bytes are not UTF-8.
 */
export function createContainerLogs(target = dockerTarget(), timeoutMs = 10_000): ContainerLogs {
  return (id) =>
    new Promise((resolve, reject) => {
      const req = request(
        { ...target, method: 'GET', path: `/containers/${id}/logs?stdout=1&stderr=1&timestamps=1` },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            if (res.statusCode === 404) return resolve(undefined);
            if ((res.statusCode ?? 500) >= 300)
              return reject(new Error(`docker logs: HTTP ${res.statusCode}`));
            resolve(parseLogStream(Buffer.concat(chunks)));
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error('docker logs timed out')));
      req.on('error', reject);
      req.end();
    });
}

export function parseLogStream(data: Buffer): LogLine[] {
  let text = '';
  let offset = 0;
  const framed = data.length >= 8 && data[0] <= 2 && data[1] === 0 && data[2] === 0 && data[3] === 0;
  if (!framed) text = data.toString('utf8');
  while (framed && offset + 8 <= data.length) {
    const size = data.readUInt32BE(offset + 4);
    text += data.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  // stdout and stderr are two pipes: frames of one may come before older lines of the other. Docker's
  // nanosecond times put them back in order (as CloudWatch Logs orders events by time).
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const space = line.indexOf(' ');
      const stamp = line.slice(0, space);
      const time = Date.parse(stamp);
      const nanos = Number((/\.(\d+)/.exec(stamp)?.[1] ?? '').padEnd(9, '0').slice(3, 9));
      return Number.isNaN(time)
        ? { timestamp: Date.now(), message: line, order: 0 }
        : { timestamp: time, message: line.slice(space + 1), order: nanos };
    })
    .sort((a, b) => a.timestamp - b.timestamp || a.order - b.order)
    .map(({ timestamp, message }) => ({ timestamp, message }));
}
