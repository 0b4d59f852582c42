import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher, request } from 'undici';
import { timerDelay } from '../../duration';
import { maskedExcerpt } from '../../secrets';
import type { MetricConfig, PrometheusSettings } from './analysis-config';
import type { MetricProvider, Series } from './run-analysis';

/** Prometheus's HTTP API answer (https://prometheus.io/docs/prometheus/latest/querying/api/). */
interface ApiAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

type Sample = [number, string];

/**
 * PromQL over `/api/v1/query` (an instant, now) or `/api/v1/query_range` (a window ending now). Basic auth
 * comes from the address's user information (sent as a header, never in a URL), a bearer token from settings;
 * an extra CA is added to Node's roots. Errors name the status and Prometheus's own error, masked.
 */
export function createPrometheusProvider(
  settings: PrometheusSettings,
  secrets: readonly string[],
  clock: () => number = Date.now,
): MetricProvider & { close(): Promise<void> } {
  const dispatcher: Dispatcher = new Agent({
    connect: {
      ca: settings.ca ? [...rootCertificates, settings.ca] : undefined,
      rejectUnauthorized: !settings.insecure,
    },
  });
  const base = new URL(settings.address.href);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (base.username || base.password) {
    const user = decodeURIComponent(base.username);
    const password = decodeURIComponent(base.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    base.username = '';
    base.password = '';
  }
  if (settings.token) headers.authorization = `Bearer ${settings.token}`;
  const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
  const masked = (text: string) => maskedExcerpt(text, 300, { secrets });

  return {
    async measure(metric: MetricConfig, signal: AbortSignal): Promise<Series[]> {
      const now = clock() / 1000;
      const url = new URL(metric.range ? 'api/v1/query_range' : 'api/v1/query', root);
      const form = new URLSearchParams({ query: metric.query });
      if (metric.range) {
        form.set('start', String(now - metric.range.windowMs / 1000));
        form.set('end', String(now));
        form.set('step', `${metric.range.stepMs / 1000}s`);
      } else {
        form.set('time', String(now));
      }
      const timeout = AbortSignal.timeout(timerDelay(settings.timeoutMs));
      let status: number;
      let text: string;
      try {
        // POST with a form body, as Prometheus accepts: long queries do not hit URL length limits.
        const res = await request(url, {
          dispatcher,
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          signal: AbortSignal.any([signal, timeout]),
        });
        status = res.statusCode;
        text = await res.body.text();
      } catch (error) {
        const err = error as { message?: string; code?: string; cause?: { message?: string; code?: string } };
        if (timeout.aborted)
          throw new Error(`Prometheus at ${root} did not answer within ${settings.timeoutMs}ms`);
        const why = err.cause?.message ?? err.message ?? String(error);
        const code = err.cause?.code ?? err.code;
        throw new Error(
          masked(`Prometheus at ${root}: ${why}${code && !why.includes(code) ? ` (${code})` : ''}`),
        );
      }
      let answer: ApiAnswer | undefined;
      try {
        answer = JSON.parse(text) as ApiAnswer;
      } catch {
        answer = undefined;
      }
      if (status === 401 || status === 403) {
        throw new Error(
          `Prometheus at ${root} refused the query: HTTP ${status}; check the credentials (prometheus-token, or user:password in prometheus-url)`,
        );
      }
      if (status !== 200 || answer?.status !== 'success') {
        const why = answer?.error ? `${answer.errorType ?? 'error'}: ${answer.error}` : text.split('\n')[0];
        throw new Error(masked(`Prometheus at ${root} answered HTTP ${status}: ${why}`));
      }
      return toSeries(answer.data?.resultType, answer.data?.result);
    },
    close: () => dispatcher.close(),
  };
}

/** vector, matrix and scalar results as series of numbers ("NaN", "+Inf" included). */
export function toSeries(type: string | undefined, result: unknown): Series[] {
  const value = (sample: Sample) =>
    Number(sample[1] === '+Inf' ? Infinity : sample[1] === '-Inf' ? -Infinity : sample[1]);
  if (type === 'scalar') return [{ labels: {}, values: [value(result as Sample)] }];
  if (!Array.isArray(result))
    throw new Error(`Prometheus answered a ${type ?? 'missing'} result, not a vector, matrix or scalar`);
  if (type === 'vector') {
    return (result as { metric: Record<string, string>; value: Sample }[]).map((r) => ({
      labels: r.metric ?? {},
      values: [value(r.value)],
    }));
  }
  if (type === 'matrix') {
    return (result as { metric: Record<string, string>; values: Sample[] }[]).map((r) => ({
      labels: r.metric ?? {},
      values: (r.values ?? []).map(value),
    }));
  }
  throw new Error(`Prometheus answered a ${type} result, not a vector, matrix or scalar`);
}
