"use strict";
exports.id = 526;
exports.ids = [526];
exports.modules = {

/***/ 8526:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createCloudWatchProvider: () => (/* binding */ createCloudWatchProvider)
});

// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-cloudwatch/dist-cjs/index.js
var dist_cjs = __webpack_require__(25793);
// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __webpack_require__(51110);
// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var secrets = __webpack_require__(18244);
;// CONCATENATED MODULE: ../../packages/shared/src/aws/client-config.ts


/**
 * The client configuration for the default credential chain (environment, web identity from
 * configure-aws-credentials, profiles, instance roles). An explicit `endpoint` wins; otherwise the SDK itself
 * honours `AWS_ENDPOINT_URL_<SERVICE>` and `AWS_ENDPOINT_URL`. Credentials found in the environment are
 * registered as secrets first, so nothing the step prints can show them.
 */
function awsClientConfig(options) {
    (0,secrets/* registerSecret */.cl)(process.env.AWS_SECRET_ACCESS_KEY);
    (0,secrets/* registerSecret */.cl)(process.env.AWS_SESSION_TOKEN);
    return {
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        maxAttempts: 1,
    };
}
/** The region from the input, else `AWS_REGION`, else `AWS_DEFAULT_REGION` (as the AWS CLI does). */
function resolveAwsRegion(input, env = process.env) {
    return input || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}
const DENIED = new Set([
    'AccessDeniedException',
    'AccessDenied',
    'UnauthorizedOperation',
    'UnauthorizedException',
]);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const BAD = new Set([
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'MissingAuthenticationTokenException',
]);
/** Tells credential and permission failures apart from everything else, by the AWS error name. */
function awsAuthProblem(error) {
    const name = error?.name;
    if (typeof name !== 'string')
        return undefined;
    if (DENIED.has(name))
        return 'access-denied';
    if (EXPIRED.has(name))
        return 'expired-credentials';
    if (BAD.has(name))
        return 'bad-credentials';
    if (name === 'CredentialsProviderError')
        return 'no-credentials';
    return undefined;
}
/**
 * A credential or permission failure as a UserError that says so and how to fix it (never as a timeout or a
 * generic failure); any other error is returned unchanged. `call` names the API call, e.g. `ecs:UpdateService`.
 */
function explainAwsError(error, call) {
    const problem = awsAuthProblem(error);
    if (!problem)
        return error;
    const detail = `${error.name}: ${error.message}`;
    const fixes = {
        'access-denied': `The credentials are valid but may not call ${call}: add ${call} to the role's policy.`,
        'expired-credentials': 'The AWS session expired. Credentials from aws-actions/configure-aws-credentials last 1h by default: ' +
            'raise role-duration-seconds or shorten the wait.',
        'bad-credentials': 'AWS did not recognise the credentials: check the access key, the role and the region.',
        'no-credentials': 'No AWS credentials were found: run aws-actions/configure-aws-credentials before this step ' +
            '(or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).',
    };
    const what = problem === 'access-denied' ? 'Access denied' : 'AWS credentials problem';
    return new errors/* UserError */.yo(`${what} on ${call} (${detail}). ${fixes[problem]}`);
}

// EXTERNAL MODULE: ../../packages/shared/src/retry.ts
var retry = __webpack_require__(55931);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/cloudwatch-provider.ts



/** The window a GetMetricData metric judges when it sets no `range`. */
const DEFAULT_WINDOW_MS = 5 * 60_000;
const THROTTLED = new Set([
    'Throttling',
    'ThrottlingException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
]);
/**
 * CloudWatch through the real SDK client (the default credential chain, so OIDC roles work; the region from
 * the analysis, AWS_REGION or AWS_DEFAULT_REGION; AWS_ENDPOINT_URL_CLOUDWATCH honoured). Alarms give one series
 * per alarm, 1 when it counts as firing (alarms selected by tag: DescribeAlarms, then ListTagsForResource once per
 * alarm); GetMetricData gives every point of every returned query in the window.
 * Throttled calls are retried with back-off, each logged; access denied names the permission to add.
 */
function createCloudWatchProvider(settings, options) {
    const region = settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
    const client = options.client ?? new dist_cjs/* CloudWatchClient */.WBn(awsClientConfig({ region }));
    const clock = options.clock ?? Date.now;
    const call = async (name, fn) => {
        try {
            return await (0,retry/* retry */.L5)(fn, {
                attempts: 4,
                baseDelayMs: options.retryBaseDelayMs ?? 1000,
                maxDelayMs: 10_000,
                retryable: (error) => THROTTLED.has(error?.name),
                onRetry: (error, n, delay) => options.log(`cloudwatch:${name} throttled (${error.name}); try ${n + 1} in ${delay}ms`),
            });
        }
        catch (error) {
            const explained = explainAwsError(error, `cloudwatch:${name}`);
            throw new Error(explained === error
                ? `cloudwatch:${name}: ${error.name}: ${error.message}`
                : explained.message);
        }
    };
    // An alarm's tags are asked once per analysis (ListTagsForResource, one call per alarm): a bake's alarms keep
    // their tags, and an alarm created during the bake is asked about when it first appears.
    const tagsByArn = new Map();
    const withTags = async (found, wanted) => {
        const kept = [];
        for (const alarm of found) {
            const arn = alarm.AlarmArn ?? '';
            let tags = tagsByArn.get(arn);
            if (!tags) {
                const answer = await call('ListTagsForResource', () => client.send(new dist_cjs/* ListTagsForResourceCommand */.a_e({ ResourceARN: arn })));
                tags = Object.fromEntries((answer.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
                tagsByArn.set(arn, tags);
            }
            if (Object.entries(wanted).every(([key, value]) => tags[key] === value))
                kept.push(alarm);
        }
        return kept;
    };
    const reported = new Set();
    const before = `before ${options.startedWhat ?? 'the analysis began'}`;
    /** Once per alarm: an alarm in ALARM since before the analysis began is said so, with what it counts as. */
    const reportPreexisting = (name, since, counted) => {
        if (reported.has(name))
            return;
        reported.add(name);
        options.log(`cloudwatch: alarm ${name} has been in ALARM since ${new Date(since).toISOString()}, ${before}: ${counted
            ? 'counted against this release (count-preexisting: true)'
            : 'reported, not counted against this release (count-preexisting: true counts it)'}`);
    };
    const alarms = async (spec) => {
        const found = [];
        let token;
        do {
            const page = await call('DescribeAlarms', () => client.send(new dist_cjs/* DescribeAlarmsCommand */.zWD({
                AlarmNames: spec.alarms,
                AlarmNamePrefix: spec.alarmPrefix,
                AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
                NextToken: token,
            })));
            found.push(...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? []));
            token = page.NextToken;
        } while (token);
        const missing = (spec.alarms ?? []).filter((name) => !found.some((a) => a.AlarmName === name));
        if (missing.length)
            throw new Error(`no CloudWatch alarm named ${missing.join(', ')} (region ${region})`);
        const selected = spec.alarmTags ? await withTags(found, spec.alarmTags) : found;
        return selected.map((alarm) => {
            const since = alarm.StateUpdatedTimestamp ? new Date(alarm.StateUpdatedTimestamp).getTime() : 0;
            const preexisting = alarm.StateValue === 'ALARM' && since < options.startedAt;
            const labels = {
                alarm: alarm.AlarmName ?? '?',
                state: alarm.StateValue ?? '?',
            };
            if (preexisting) {
                labels.preexisting = `in ALARM ${before}`;
                reportPreexisting(labels.alarm, since, spec.countPreexisting);
            }
            let value = 0;
            if (alarm.StateValue === 'ALARM')
                value = preexisting && !spec.countPreexisting ? 0 : 1;
            if (alarm.StateValue === 'INSUFFICIENT_DATA') {
                value =
                    spec.insufficientData === 'failed' ? 1 : spec.insufficientData === 'inconclusive' ? Number.NaN : 0;
            }
            return { labels, values: [value] };
        });
    };
    const metricData = async (metric, queries) => {
        const end = clock();
        const start = end - (metric.range?.windowMs ?? DEFAULT_WINDOW_MS);
        const series = [];
        let token;
        do {
            const page = await call('GetMetricData', () => client.send(new dist_cjs/* GetMetricDataCommand */.Soe({
                MetricDataQueries: queries,
                StartTime: new Date(start),
                EndTime: new Date(end),
                ScanBy: 'TimestampAscending',
                NextToken: token,
            })));
            for (const result of page.MetricDataResults ?? []) {
                const id = result.Id ?? '?';
                const existing = series.find((s) => s.labels.id === id);
                if (existing)
                    existing.values.push(...(result.Values ?? []));
                else if (result.Values?.length)
                    series.push({ labels: { id, label: result.Label ?? id }, values: [...result.Values] });
            }
            token = page.NextToken;
        } while (token);
        return series;
    };
    return {
        async measure(metric) {
            const spec = metric.cloudwatch;
            if (!spec)
                throw new Error(`${metric.name} is not a CloudWatch metric`);
            return spec.queries ? metricData(metric, spec.queries) : alarms(spec);
        },
        close: async () => client.destroy(),
    };
}


/***/ })

};
;