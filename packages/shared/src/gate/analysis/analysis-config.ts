import { DEFAULT_MAX_DURATION_MS, formatDuration, parseDuration } from '../../duration';
import { InputError } from '../../errors';
import { type Condition, ConditionError, parseCondition } from './condition';
import { renderTemplate, TemplateError } from './template';

/** One metric to measure during the bake (Argo Rollouts' AnalysisTemplate metric, in kebab-case). */
export interface MetricConfig {
  name: string;
  provider: string;
  /** The provider's query, with the release's values filled in. */
  query: string;
  /** Judge a range (`/api/v1/query_range`) of this window ending now, one point per step, instead of an instant. */
  range?: { windowMs: number; stepMs: number };
  success?: Condition;
  failure?: Condition;
  intervalMs: number;
  /** How many measurements; undefined: every interval until the bake ends. */
  count?: number;
  initialDelayMs: number;
  /** Failed measurements allowed; -1: any number. */
  failureLimit: number;
  inconclusiveLimit: number;
  /** Provider errors in a row allowed; one more and the metric fails. */
  consecutiveErrorLimit: number;
  cloudwatch?: CloudWatchMetric;
}

/** What a CloudWatch metric watches: alarms (by name, prefix and/or tags), or GetMetricData queries. */
export interface CloudWatchMetric {
  alarms?: string[];
  alarmPrefix?: string;
  /** Alarms carrying every one of these tags (key → value), among those of `alarmPrefix` when given. */
  alarmTags?: Record<string, string>;
  /** What an alarm in INSUFFICIENT_DATA counts as (ECS deployment alarms ignore it: `ok`, the default). */
  insufficientData: 'ok' | 'inconclusive' | 'failed';
  /** Count alarms that were already in ALARM before the analysis began (default: report them, do not count). */
  countPreexisting: boolean;
  /** GetMetricData's MetricDataQueries, as in the API (Id, Expression or MetricStat, ...). */
  queries?: Record<string, unknown>[];
}

export interface CloudWatchSettings {
  region?: string;
}

export interface PrometheusSettings {
  address: URL;
  /** Bearer token (Authorization: Bearer …); basic auth comes from the address's user information. */
  token?: string;
  ca?: string;
  insecure: boolean;
  timeoutMs: number;
}

export interface AnalysisConfig {
  metrics: MetricConfig[];
  /** How long the analysis may watch (metrics without `count` measure until then). */
  bakeMs?: number;
  prometheus?: PrometheusSettings;
  cloudwatch?: CloudWatchSettings;
  /** When the release began to deploy (wall clock, ms); undefined: when the analysis begins. */
  since?: number;
  /** Values never to show (tokens, URL passwords). */
  secrets: string[];
}

/** What the caller knows besides the analysis text: the release, the bake, connection settings. */
export interface AnalysisOptions {
  /** The input the analysis came from, for messages (default `analysis`). */
  source?: string;
  bakeMs?: number;
  /** Values for `{{ name }}` in queries: version, release, colour, and any the caller adds. */
  vars?: Record<string, string | undefined>;
  /**
   * When the release began to deploy (wall clock, ms): a CloudWatch alarm in ALARM since before then is
   * pre-existing (reported, not counted unless count-preexisting). Default: when the analysis begins.
   */
  since?: number;
  /** Overrides the analysis's own `prometheus` settings (the action's inputs). */
  prometheus?: { address?: string; token?: string; ca?: string; insecure?: boolean };
}

export const ANALYSIS_DEFAULTS = {
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  prometheusTimeoutMs: 30_000,
} as const;

const METRIC_KEYS = [
  'name',
  'provider',
  'query',
  'range',
  'step',
  'success-condition',
  'failure-condition',
  'interval',
  'count',
  'initial-delay',
  'failure-limit',
  'inconclusive-limit',
  'consecutive-error-limit',
  'alarms',
  'alarm-prefix',
  'alarm-tags',
  'insufficient-data',
  'count-preexisting',
  'metric-data-queries',
];
const TOP_KEYS = ['metrics', 'prometheus', 'cloudwatch'];
const PROVIDERS = ['prometheus', 'cloudwatch'];

/** Validates an analysis (parsed YAML) and fills in defaults. Throws one InputError naming the input. */
export function buildAnalysisConfig(spec: unknown, options: AnalysisOptions = {}): AnalysisConfig {
  const source = options.source ?? 'analysis';
  const fail = (message: string): never => {
    throw new InputError(source, `Input "${source}" ${message}.`);
  };
  const top = isMap(spec) ? spec : fail('must be a YAML map with a "metrics" list');
  unknownKeys(top, TOP_KEYS, 'at its top level', fail);
  const list = top.metrics;
  if (!Array.isArray(list) || list.length === 0) fail('must have a "metrics" list with at least one metric');
  const secrets: string[] = [];
  const prometheus = prometheusSettings(top.prometheus, options.prometheus, secrets, fail);
  const names = new Set<string>();
  const metrics = (list as unknown[]).map((entry, index) => {
    const metric = buildMetric(entry, index, options, fail);
    if (names.has(metric.name))
      fail(`has two metrics named ${JSON.stringify(metric.name)}: give each its own "name"`);
    names.add(metric.name);
    if (metric.provider === 'prometheus' && !prometheus) {
      fail(
        `metric ${JSON.stringify(metric.name)} asks Prometheus, but no address is given: set "prometheus: { address: https://… }" in the analysis or the prometheus-url input`,
      );
    }
    return metric;
  });
  if (top.cloudwatch !== undefined && top.cloudwatch !== null) {
    if (!isMap(top.cloudwatch)) fail('has "cloudwatch", which must be a map (with "region")');
    unknownKeys(top.cloudwatch as Record<string, unknown>, ['region'], 'in "cloudwatch"', fail);
  }
  const region = (top.cloudwatch as { region?: unknown } | undefined)?.region;
  if (region !== undefined && (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))) {
    fail('has a "cloudwatch.region" that is not an AWS region such as eu-west-1');
  }
  const cloudwatch = metrics.some((m) => m.provider === 'cloudwatch')
    ? { region: region as string | undefined }
    : undefined;
  return { metrics, bakeMs: options.bakeMs, prometheus, cloudwatch, since: options.since, secrets };
}

function buildMetric(
  entry: unknown,
  index: number,
  options: AnalysisOptions,
  fail: (message: string) => never,
): MetricConfig {
  if (!isMap(entry)) return fail(`metric ${index + 1} must be a map with "name", "query" and a condition`);
  const rawName = entry.name;
  if (typeof rawName !== 'string' || !/^[\w.-]{1,64}$/.test(rawName)) {
    fail(`metric ${index + 1} needs a "name" of letters, digits, ".", "_" or "-" (at most 64)`);
  }
  const name = rawName as string;
  const at = `metric ${JSON.stringify(name)}`;
  unknownKeys(entry, METRIC_KEYS, `in ${at}`, fail);
  const provider = entry.provider === undefined ? 'prometheus' : String(entry.provider);
  if (!PROVIDERS.includes(provider))
    fail(`${at} has provider ${JSON.stringify(provider)}; accepted: ${PROVIDERS.join(', ')}`);
  const render = (text: string, quoting: 'promql' | 'none') => {
    try {
      return renderTemplate(text, options.vars ?? {}, quoting);
    } catch (error) {
      if (error instanceof TemplateError) return fail(`${at}: the query ${error.message}`);
      throw error;
    }
  };
  let query = '';
  let cloudwatch: CloudWatchMetric | undefined;
  if (provider === 'cloudwatch') {
    cloudwatch = cloudWatchMetric(entry, at, render, fail);
    query = describeCloudWatch(cloudwatch);
  } else {
    for (const key of [
      'alarms',
      'alarm-prefix',
      'alarm-tags',
      'insufficient-data',
      'count-preexisting',
      'metric-data-queries',
    ]) {
      if (entry[key] !== undefined)
        fail(`${at} has "${key}", which only a "provider: cloudwatch" metric takes`);
    }
    if (typeof entry.query !== 'string' || !entry.query.trim()) fail(`${at} needs a "query" (PromQL text)`);
    query = render(entry.query as string, 'promql');
  }
  const condition = (key: string): Condition | undefined => {
    const value = entry[key];
    if (value === undefined || value === null) return undefined;
    try {
      return parseCondition(String(value));
    } catch (error) {
      if (error instanceof ConditionError) return fail(`${at}: "${key}" ${error.message}`);
      throw error;
    }
  };
  // An alarm metric's value is the number of alarms (counted) in ALARM: none is the natural default.
  const success =
    condition('success-condition') ??
    (cloudwatch && !cloudwatch.queries && entry['failure-condition'] === undefined
      ? parseCondition('result == 0')
      : undefined);
  const failure = condition('failure-condition');
  if (!success && !failure)
    fail(`${at} needs a "success-condition" (such as "result < 0.01") or a "failure-condition"`);
  const duration = (key: string, min: number): number | undefined => {
    const value = entry[key];
    if (value === undefined || value === null) return undefined;
    const ms = typeof value === 'number' ? value * 1000 : parseDuration(String(value));
    if (ms === undefined || ms < min || ms > DEFAULT_MAX_DURATION_MS) {
      return fail(
        `${at}: "${key}" must be a duration such as 30s, 1m or 5m, from ${formatDuration(min)} to 24h; got ${JSON.stringify(value)}`,
      );
    }
    return ms;
  };
  const whole = (key: string, fallback: number | undefined, min: number): number | undefined => {
    const value = entry[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      return fail(`${at}: "${key}" must be a whole number of at least ${min}; got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const count = whole('count', undefined, 1);
  const interval = duration('interval', 1000);
  if (interval === undefined && (count ?? 1) > 1)
    fail(`${at} has "count: ${count}" but no "interval" between the measurements`);
  if (interval === undefined && count === undefined && options.bakeMs !== undefined) {
    fail(`${at} needs an "interval" (how often to measure during the bake) or a "count"`);
  }
  const initialDelayMs = duration('initial-delay', 0) ?? 0;
  if (
    count === undefined &&
    options.bakeMs !== undefined &&
    initialDelayMs + (interval ?? 0) > options.bakeMs
  ) {
    fail(
      `${at} would never be measured: its first measurement (initial-delay + interval, ${formatDuration(initialDelayMs + (interval ?? 0))}) comes after the bake ends (${formatDuration(options.bakeMs)}); lengthen the bake or shorten the interval`,
    );
  }
  const windowMs = duration('range', 1000);
  const stepMs = duration('step', 1000);
  if (stepMs !== undefined && windowMs === undefined)
    fail(`${at} has a "step" but no "range" (the window to query)`);
  return {
    name,
    provider,
    query,
    range:
      windowMs === undefined
        ? undefined
        : { windowMs, stepMs: stepMs ?? Math.max(1000, Math.ceil(windowMs / 60)) },
    success,
    failure,
    intervalMs: interval ?? 0,
    count: count ?? (options.bakeMs === undefined ? 1 : undefined),
    initialDelayMs,
    failureLimit: whole('failure-limit', ANALYSIS_DEFAULTS.failureLimit, -1)!,
    inconclusiveLimit: whole('inconclusive-limit', ANALYSIS_DEFAULTS.inconclusiveLimit, 0)!,
    consecutiveErrorLimit: whole('consecutive-error-limit', ANALYSIS_DEFAULTS.consecutiveErrorLimit, 0)!,
    cloudwatch,
  };
}

function cloudWatchMetric(
  entry: Record<string, unknown>,
  at: string,
  render: (text: string, quoting: 'promql' | 'none') => string,
  fail: (message: string) => never,
): CloudWatchMetric {
  if (entry.query !== undefined)
    fail(
      `${at} is a CloudWatch metric: give "alarms", "alarm-prefix" or "metric-data-queries" instead of "query"`,
    );
  const given = ['alarms', 'alarm-prefix', 'metric-data-queries'].filter((k) => entry[k] !== undefined);
  const tagged = entry['alarm-tags'] !== undefined;
  if (tagged && given.some((k) => k !== 'alarm-prefix'))
    fail(`${at}: "alarm-tags" selects alarms by tag, alone or with "alarm-prefix"; not with "${given[0]}"`);
  if (given.length !== 1 && !tagged)
    fail(
      `${at} needs exactly one of "alarms" (names), "alarm-prefix" (and/or "alarm-tags") or "metric-data-queries"`,
    );
  const policy = entry['insufficient-data'] ?? 'ok';
  if (!['ok', 'inconclusive', 'failed'].includes(String(policy))) {
    fail(`${at}: "insufficient-data" must be ok, inconclusive or failed; got ${JSON.stringify(policy)}`);
  }
  const preexisting = entry['count-preexisting'] ?? false;
  if (typeof preexisting !== 'boolean') fail(`${at}: "count-preexisting" must be true or false`);
  const base = {
    insufficientData: policy as CloudWatchMetric['insufficientData'],
    countPreexisting: preexisting as boolean,
  };
  if (entry.alarms !== undefined) {
    const names = entry.alarms;
    if (
      !Array.isArray(names) ||
      !names.length ||
      names.some((n) => typeof n !== 'string' || !n.trim() || n.length > 255)
    ) {
      fail(`${at}: "alarms" must be a list of alarm names`);
    }
    return { ...base, alarms: (names as string[]).map((n) => render(n, 'none')) };
  }
  if (tagged || entry['alarm-prefix'] !== undefined) {
    const prefix = entry['alarm-prefix'];
    if (prefix !== undefined && (typeof prefix !== 'string' || !prefix.trim() || prefix.length > 255))
      fail(`${at}: "alarm-prefix" must be the start of alarm names`);
    return {
      ...base,
      alarmPrefix: prefix === undefined ? undefined : render(prefix as string, 'none'),
      alarmTags: tagged ? alarmTags(entry['alarm-tags'], at, render, fail) : undefined,
    };
  }
  const queries = entry['metric-data-queries'];
  if (
    !Array.isArray(queries) ||
    !queries.length ||
    queries.some((q) => !isMap(q) || typeof q.Id !== 'string')
  ) {
    fail(
      `${at}: "metric-data-queries" must be a list of GetMetricData queries, each a map with "Id" (and "Expression" or "MetricStat")`,
    );
  }
  const renderAll = (value: unknown): unknown =>
    typeof value === 'string'
      ? render(value, 'none')
      : Array.isArray(value)
        ? value.map(renderAll)
        : isMap(value)
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderAll(v)]))
          : value;
  return {
    ...base,
    queries: (queries as Record<string, unknown>[]).map((q) => renderAll(q) as Record<string, unknown>),
  };
}

/** `alarm-tags`: a map of tag keys to the values an alarm must carry (AWS's limits: 128 and 256 characters). */
function alarmTags(
  value: unknown,
  at: string,
  render: (text: string, quoting: 'promql' | 'none') => string,
  fail: (message: string) => never,
): Record<string, string> {
  const entries = isMap(value) ? Object.entries(value) : [];
  if (
    !entries.length ||
    entries.some(
      ([k, v]) =>
        !k.trim() ||
        k.length > 128 ||
        !['string', 'number', 'boolean'].includes(typeof v) ||
        String(v).length > 256,
    )
  ) {
    fail(
      `${at}: "alarm-tags" must be a map of tag keys to values, such as { team: shop, environment: production } (keys up to 128 characters, values up to 256)`,
    );
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, render(String(v), 'none')]));
}

/** How a CloudWatch metric's selection reads in logs and reports. */
function describeCloudWatch(spec: CloudWatchMetric): string {
  if (spec.queries) return `GetMetricData ${JSON.stringify(spec.queries)}`;
  if (spec.alarms) return `alarms ${spec.alarms.join(', ')}`;
  const named = spec.alarmPrefix === undefined ? 'alarms' : `alarms named ${spec.alarmPrefix}*`;
  const tags = Object.entries(spec.alarmTags ?? {}).map(([k, v]) => `${k}=${v}`);
  return tags.length ? `${named} tagged ${tags.join(', ')}` : named;
}

function prometheusSettings(
  value: unknown,
  override: AnalysisOptions['prometheus'],
  secrets: string[],
  fail: (message: string) => never,
): PrometheusSettings | undefined {
  if (value !== undefined && value !== null && !isMap(value))
    fail('has "prometheus", which must be a map with "address"');
  const given = (value ?? {}) as Record<string, unknown>;
  unknownKeys(given, ['address', 'insecure', 'timeout'], 'in "prometheus"', fail);
  const text = override?.address || (given.address === undefined ? undefined : String(given.address));
  if (!text) return undefined;
  let address: URL;
  try {
    address = new URL(text);
  } catch {
    return fail('has a Prometheus address that is not a URL: give it as http(s)://host:port');
  }
  if (!['http:', 'https:'].includes(address.protocol))
    fail('has a Prometheus address that is not http(s)://');
  if (address.password) secrets.push(address.password, decodeURIComponent(address.password));
  if (override?.token) secrets.push(override.token);
  const timeout = given.timeout === undefined ? undefined : parseDuration(String(given.timeout));
  if (given.timeout !== undefined && (timeout === undefined || timeout < 100 || timeout > 600_000)) {
    fail('has a "prometheus.timeout" that is not a duration from 100ms to 10m');
  }
  if (given.insecure !== undefined && typeof given.insecure !== 'boolean')
    fail('has "prometheus.insecure", which must be true or false');
  return {
    address,
    token: override?.token || undefined,
    ca: override?.ca,
    insecure: override?.insecure ?? (given.insecure as boolean | undefined) ?? false,
    timeoutMs: timeout ?? ANALYSIS_DEFAULTS.prometheusTimeoutMs,
  };
}

function unknownKeys(
  map: Record<string, unknown>,
  known: string[],
  where: string,
  fail: (m: string) => never,
): void {
  const unknown = Object.keys(map).filter((k) => !known.includes(k));
  if (unknown.length)
    fail(`has ${unknown.map((k) => JSON.stringify(k)).join(', ')} ${where}; accepted: ${known.join(', ')}`);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
