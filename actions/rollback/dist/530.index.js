"use strict";
exports.id = 530;
exports.ids = [530];
exports.modules = {

/***/ 27530:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createCloudWatchProvider: () => (/* binding */ createCloudWatchProvider)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(25793);
/* harmony import */ var _aws_client_config__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(82351);
/* harmony import */ var _retry__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(55931);



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
    const client = options.client ?? new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__/* .CloudWatchClient */ .WBn((0,_aws_client_config__WEBPACK_IMPORTED_MODULE_1__/* .awsClientConfig */ .rw)({ region }));
    const clock = options.clock ?? Date.now;
    const call = async (name, fn) => {
        try {
            return await (0,_retry__WEBPACK_IMPORTED_MODULE_2__/* .retry */ .L5)(fn, {
                attempts: 4,
                baseDelayMs: options.retryBaseDelayMs ?? 1000,
                maxDelayMs: 10_000,
                retryable: (error) => THROTTLED.has(error?.name),
                onRetry: (error, n, delay) => options.log(`cloudwatch:${name} throttled (${error.name}); try ${n + 1} in ${delay}ms`),
            });
        }
        catch (error) {
            const explained = (0,_aws_client_config__WEBPACK_IMPORTED_MODULE_1__/* .explainAwsError */ .Ni)(error, `cloudwatch:${name}`);
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
                const answer = await call('ListTagsForResource', () => client.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__/* .ListTagsForResourceCommand */ .a_e({ ResourceARN: arn })));
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
            const page = await call('DescribeAlarms', () => client.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__/* .DescribeAlarmsCommand */ .zWD({
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
            const page = await call('GetMetricData', () => client.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__/* .GetMetricDataCommand */ .Soe({
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