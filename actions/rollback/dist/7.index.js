"use strict";
exports.id = 7;
exports.ids = [7];
exports.modules = {

/***/ 16007:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: defaultDeps

// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7184);
// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(78474);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ../../packages/shared/src/duration.ts
var duration = __webpack_require__(70833);
// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var src_secrets = __webpack_require__(18244);
// EXTERNAL MODULE: ../../packages/shared/src/gate/expectations.ts
var expectations = __webpack_require__(24482);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
// EXTERNAL MODULE: ../../packages/shared/node_modules/undici/index.js
var undici = __webpack_require__(30248);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/http-client.ts



class ProbeError extends Error {
    kind;
    code;
    name = 'ProbeError';
    constructor(kind, message, code) {
        super(message);
        this.kind = kind;
        this.code = code;
    }
}
/** Assertions look at the first MiB; the rest is not read (a health endpoint that big is a finding in itself). */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
const TLS_CODES = /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_)/;
/** Request headers that carry credentials: never sent on to another origin by a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
/**
 * Node's own HTTP stack (undici, bundled, so Node 20 and 24 behave the same). An extra CA is added to Node's
 * roots rather than replacing them; `insecure` turns verification off. Proxies come from HTTP(S)_PROXY and
 * NO_PROXY, as the runner sets them.
 */
function createHttpClient(tls, secretHeaders, dial) {
    if (dial)
        return dialled(dial, secretHeaders);
    const connect = {
        ca: tls.ca ? [...external_node_tls_.rootCertificates, tls.ca] : undefined,
        rejectUnauthorized: !tls.insecure,
    };
    // The proxy-aware agent looks the proxy up per request; without proxy variables a plain agent is faster.
    const proxied = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'].some((v) => process.env[v]);
    const dispatcher = proxied
        ? new undici/* EnvHttpProxyAgent */.J2({ connect, requestTls: connect })
        : new undici/* Agent */.g6({ connect });
    return {
        send: (probe) => send(dispatcher, probe, secretHeaders),
        close: () => dispatcher.close(),
    };
}
/**
 * Every connection made by `dial` (a stream through an SSH host: blue-green's pre-switch checks reach a new
 * container on the host's own network), whatever the URL's host; plain HTTP, so the URL's host is only the Host
 * header the app sees, as behind the proxy.
 */
function dialled(dial, secretHeaders) {
    const dispatcher = new undici/* Agent */.g6({
        connect: (_options, callback) => {
            dial().then((stream) => callback(null, stream), (error) => callback(error, null));
        },
    });
    return {
        send: (probe) => {
            const url = new URL(probe.url);
            url.protocol = 'http:';
            return send(dispatcher, { ...probe, url }, secretHeaders);
        },
        close: () => dispatcher.close(),
    };
}
async function send(dispatcher, probe, secretHeaders) {
    // One controller for the request's timeout and the gate's deadline, released when the request ends
    // (AbortSignal.timeout + AbortSignal.any per request cost a third of the throughput on Node 20).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
    }, (0,duration/* timerDelay */.nR)(probe.timeoutMs));
    const onGateAbort = () => controller.abort();
    probe.signal?.addEventListener('abort', onGateAbort, { once: true });
    if (probe.signal?.aborted)
        controller.abort();
    try {
        return await follow(dispatcher, probe, secretHeaders, controller.signal);
    }
    catch (error) {
        throw describeError(error, timedOut ? probe.timeoutMs : undefined, probe.signal);
    }
    finally {
        clearTimeout(timer);
        probe.signal?.removeEventListener('abort', onGateAbort);
    }
}
/** The request, and the redirects it leads to when they are followed. */
async function follow(dispatcher, probe, secretHeaders, signal) {
    let url = probe.url;
    let { method, body, headers } = probe;
    for (let redirects = 0;; redirects++) {
        const res = await (0,undici/* request */.Em)(url, {
            dispatcher,
            method: method,
            headers,
            body,
            signal,
        });
        const location = res.headers.location;
        if (probe.followRedirects &&
            [301, 302, 303, 307, 308].includes(res.statusCode) &&
            typeof location === 'string') {
            res.body.resume();
            if (redirects >= MAX_REDIRECTS) {
                throw new ProbeError('redirect', `more than ${MAX_REDIRECTS} redirects (the last to ${location})`);
            }
            const next = new URL(location, url);
            if (next.origin !== url.origin) {
                headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name) && !secretHeaders(name)));
            }
            // As browsers and fetch do: 303, and 301/302 after a POST, become a GET without a body.
            if (res.statusCode === 303 || (method === 'POST' && res.statusCode <= 302)) {
                method = method === 'HEAD' ? 'HEAD' : 'GET';
                body = undefined;
            }
            url = next;
            continue;
        }
        const read = await readBody(res.body, res.headers);
        return {
            status: res.statusCode,
            headers: flattenHeaders(res.headers),
            body: read.text,
            truncated: read.truncated,
            finalUrl: url.href,
            redirects,
        };
    }
}
async function readBody(body, headers) {
    // A declared length within the cap is read in one go (undici's fast path); anything else is streamed.
    const length = Number(headers['content-length']);
    if (Number.isFinite(length) && length < MAX_BODY_BYTES)
        return { text: await body.text(), truncated: false };
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        const buffer = chunk;
        chunks.push(buffer);
        size += buffer.length;
        if (size >= MAX_BODY_BYTES) {
            body.destroy();
            return { text: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'), truncated: true };
        }
    }
    return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
function flattenHeaders(headers) {
    const flat = {};
    for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined)
            flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return flat;
}
/** One readable line per failure: what happened, with the system's code when there is one. */
function describeError(error, timedOutAfter, gate) {
    if (error instanceof ProbeError)
        return error;
    if (timedOutAfter !== undefined)
        return new ProbeError('timeout', `no answer within ${timedOutAfter}ms`, 'TIMEOUT');
    if (gate?.aborted)
        return new ProbeError('aborted', 'stopped at the deadline', 'ABORTED');
    const err = error;
    const code = err.code && !err.code.startsWith('UND_ERR') ? err.code : (err.cause?.code ?? err.code);
    const message = err.cause?.message ?? err.message ?? String(error);
    if (code && TLS_CODES.test(code)) {
        return new ProbeError('tls', `TLS: ${message} (${code}); trust the server's CA with "ca", or (for tests only) set "insecure"`, code);
    }
    if (code === 'UND_ERR_CONNECT_TIMEOUT' ||
        code === 'UND_ERR_HEADERS_TIMEOUT' ||
        code === 'UND_ERR_BODY_TIMEOUT') {
        return new ProbeError('timeout', `${message} (${code})`, code);
    }
    return new ProbeError('network', code && !message.includes(code) ? `${message} (${code})` : message, code);
}

// EXTERNAL MODULE: ../../packages/shared/src/gate/json-path.ts
var json_path = __webpack_require__(50815);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/assess.ts



const EXCERPT_CHARS = 500;
function assessResponse(check, response, latencyMs, readyStatus, secrets = []) {
    // Masked, then cut: a secret a server echoes back never shows, not even in part across the cut.
    const clip = (text, max = 120) => (0,src_secrets/* maskedExcerpt */.hQ)(text, max, { secrets });
    const reasons = [];
    const statusOk = (0,expectations/* statusMatches */.W_)(check.expectStatus, response.status);
    if (!statusOk)
        reasons.push(`status ${response.status} (expected ${(0,expectations/* formatStatusRanges */.cO)(check.expectStatus)})`);
    for (const expectation of check.expectHeaders) {
        const value = response.headers[expectation.name];
        if (value === undefined)
            reasons.push(`no header ${expectation.name} (expected ${(0,expectations/* formatHeaderExpectation */.bK)(expectation)})`);
        else if (expectation.matcher && !(0,expectations/* textMatches */.tV)(expectation.matcher, value)) {
            reasons.push(`header ${expectation.name} is ${JSON.stringify(clip(value))} (expected ${(0,expectations/* formatHeaderExpectation */.bK)(expectation)})`);
        }
    }
    if (check.expectBody && !(0,expectations/* textMatches */.tV)(check.expectBody, response.body)) {
        reasons.push(`body does not ${check.expectBody.kind === 'regex' ? 'match' : 'contain'} ${(0,expectations/* formatTextMatcher */.JA)(check.expectBody)}`);
    }
    const json = check.expectJson.length || check.versionSource.kind === 'json' ? parseJson(response.body) : undefined;
    for (const expectation of check.expectJson) {
        if (!json) {
            reasons.push(`body is not JSON (expected ${(0,expectations/* formatJsonExpectation */.iN)(expectation)})`);
            break;
        }
        const found = (0,json_path/* lookupJson */.PR)(json.value, expectation.path);
        if (!found.found)
            reasons.push(`no JSON field ${(0,json_path/* formatPath */.jV)(expectation.path)} (expected ${(0,expectations/* formatJsonExpectation */.iN)(expectation)})`);
        else if (!(0,expectations/* jsonValueMatches */.dg)(expectation, found.value)) {
            reasons.push(`JSON ${(0,json_path/* formatPath */.jV)(expectation.path)} is ${clip(JSON.stringify(found.value) ?? 'undefined')} (expected ${(0,expectations/* formatJsonExpectation */.iN)(expectation)})`);
        }
    }
    const versionReason = check.expectVersion ? versionMismatch(clip, check, response, json) : undefined;
    if (versionReason)
        reasons.push(versionReason);
    const slow = check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs;
    if (slow)
        reasons.push(`took ${Math.round(latencyMs)}ms (max-latency ${check.maxLatencyMs}ms)`);
    // "Not up yet" rather than "broken": an old version still answering, a status that a starting or
    // draining service gives, or only slowness (a cold start). A wrong body from the right version is broken.
    const notReady = reasons.length > 0 &&
        (versionReason !== undefined ||
            (!statusOk && (0,expectations/* statusMatches */.W_)(readyStatus, response.status)) ||
            (slow && reasons.length === 1));
    return {
        outcome: reasons.length ? 'fail' : 'pass',
        latencyMs,
        status: response.status,
        reasons,
        notReady,
        ...(check.expectVersion ? { versionMatched: versionReason === undefined } : {}),
        // Only a failure needs the full evidence; a passing sample keeps where it came from.
        evidence: reasons.length === 0
            ? { url: response.finalUrl, status: response.status }
            : {
                url: response.finalUrl,
                status: response.status,
                headers: response.headers,
                excerpt: (0,src_secrets/* maskedExcerpt */.hQ)(response.body, EXCERPT_CHARS, { secrets, truncated: response.truncated }),
            },
    };
}
/**
 * No response at all. Everything but an untrusted certificate or a redirect loop (configuration, which waiting
 * will not fix) may be a service that is not up yet.
 */
function assessError(check, error, latencyMs) {
    return {
        outcome: 'error',
        latencyMs,
        code: error.code ?? error.kind.toUpperCase(),
        reasons: [error.message],
        notReady: error.kind !== 'tls' && error.kind !== 'redirect',
        evidence: { url: check.url.href, error: error.message },
    };
}
function versionMismatch(clip, check, response, json) {
    const want = check.expectVersion;
    const where = (0,expectations/* formatVersionSource */.v2)(check.versionSource);
    const source = check.versionSource;
    if (source.kind === 'body') {
        return response.body.includes(want) ? undefined : `version ${want} not found in ${where}`;
    }
    if (source.kind === 'header') {
        const value = response.headers[source.name];
        if (value?.includes(want))
            return undefined;
        return `version ${want} not in ${where} (${value === undefined ? 'missing' : `got ${JSON.stringify(clip(value))}`})`;
    }
    const found = json ? (0,json_path/* lookupJson */.PR)(json.value, source.path) : { found: false };
    const value = found.found ? found.value : undefined;
    const text = typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
    if (text?.includes(want))
        return undefined;
    const got = !json ? 'the body is not JSON' : text === undefined ? 'missing' : `got ${clip(text)}`;
    return `version ${want} not in ${where} (${got})`;
}
function parseJson(body) {
    try {
        return { value: JSON.parse(body) };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/probe.ts



/** One request for one check, timed on the monotonic clock, assessed. */
async function probe(check, config, deps, signal) {
    const started = deps.now();
    try {
        const response = await deps.client.send({
            url: check.url,
            method: check.method,
            headers: check.headers,
            body: check.body,
            followRedirects: check.followRedirects,
            timeoutMs: config.timeoutMs,
            signal,
        });
        return assessResponse(check, response, deps.now() - started, config.readyStatus, config.secrets);
    }
    catch (error) {
        const failure = error instanceof ProbeError
            ? error
            : new ProbeError('network', String(error?.message ?? error));
        return assessError(check, failure, deps.now() - started);
    }
}
/** The key a sample is counted under: its status, or the error's code. */
function sampleKey(sample) {
    return sample.status !== undefined ? String(sample.status) : (sample.code ?? 'ERROR');
}
function abortableSleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal.aborted || ms <= 0)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, (0,duration/* timerDelay */.nR)(ms));
        signal.addEventListener('abort', done, { once: true });
    });
}

// EXTERNAL MODULE: ../../packages/shared/src/retry.ts
var retry = __webpack_require__(55931);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/stats.ts
/** Nearest-rank percentile over all values (no interpolation: every figure is a latency that happened). */
function percentile(sorted, p) {
    if (!sorted.length)
        return Number.NaN;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
function summarizeLatencies(values) {
    if (!values.length)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    const round = (n) => Math.round(n * 10) / 10;
    return {
        min: round(sorted[0]),
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1]),
    };
}
/** Counts by status (`200`, `503`) or by error code for requests without a response (`ECONNREFUSED`). */
class StatusCounter {
    counts = {};
    add(key) {
        this.counts[key] = (this.counts[key] ?? 0) + 1;
    }
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/readiness.ts




/** Thrown inside `retry` so that its back-off decides whether to try again. */
class NotPassing extends Error {
    sample;
    constructor(sample) {
        super(sample.reasons.join('; '));
        this.sample = sample;
    }
}
/**
 * Phase 1: retries what means "not up yet" (no connection, 404/502/503/504, an old version) with exponential
 * back-off and full jitter until the first fully passing answer or `ready-timeout`. A wrong answer from the
 * right version ends the phase at once as broken.
 */
async function awaitReady(check, config, deps, signal) {
    const counter = new StatusCounter();
    const started = deps.now();
    let attempts = 0;
    let last;
    try {
        await (0,retry/* retry */.L5)(async () => {
            attempts++;
            // ready-timeout decides when no new try starts; a try that started gets its full `timeout`.
            const sample = await probe(check, config, deps, signal);
            // A try cut off by the deadline says nothing about the service: the answer before it is the evidence.
            if (sample.code === 'ABORTED' && last)
                throw new NotPassing(sample);
            last = sample;
            counter.add(sampleKey(sample));
            if (sample.outcome !== 'pass')
                throw new NotPassing(sample);
        }, {
            attempts: Number.POSITIVE_INFINITY,
            baseDelayMs: config.readyBackoffMs,
            maxDelayMs: config.readyBackoffMaxMs,
            deadlineMs: config.readyTimeoutMs,
            retryable: (error) => error instanceof NotPassing && error.sample.notReady && !signal.aborted,
            onRetry: (error, attempt, delayMs) => deps.log(`${check.name}: not up yet (attempt ${attempt}: ${error.message}); next try in ${(0,duration/* formatDuration */.a3)(delayMs)}`),
            sleep: (ms) => deps.sleep(ms, signal),
            random: deps.random,
            now: deps.now,
        });
        return {
            ready: true,
            broken: false,
            attempts,
            statusCounts: counter.counts,
            timeToReadyMs: deps.now() - started,
            last,
        };
    }
    catch (error) {
        if (!(error instanceof NotPassing))
            throw error;
        return { ready: false, broken: !error.sample.notReady, attempts, statusCounts: counter.counts, last };
    }
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/verification.ts


/** A flapping service with thousands of samples should not flood the log; the report has the counts. */
const LOGGED_FAILURES = 10;
/**
 * Phase 2: `concurrency` workers take samples until `samples` valid ones are in (network errors do not count
 * as samples but against `error-limit`), each worker starting a request every `interval`. It stops early when
 * a limit is exceeded, when `min-success-rate` can no longer be reached, or after `consecutive-successes`.
 */
async function verify(check, config, deps, signal) {
    const counter = new StatusCounter();
    const latencies = [];
    const state = { requests: 0, inFlight: 0, passes: 0, failures: 0, errors: 0, streak: 0 };
    let firstFailure;
    let stop;
    const valid = () => state.passes + state.failures;
    const enough = () => valid() + state.inFlight >= config.samples;
    const judgeEarly = () => {
        if (config.failureLimit !== undefined && state.failures > config.failureLimit) {
            return `${state.failures} samples failed their assertions (failure-limit ${config.failureLimit})`;
        }
        if (state.errors > config.errorLimit)
            return `${state.errors} requests got no response (error-limit ${config.errorLimit})`;
        const best = (state.passes + (config.samples - valid())) / config.samples;
        if (best < config.minSuccessRate) {
            return `${state.failures} of ${valid()} samples failed: the success rate can no longer reach ${pct(config.minSuccessRate)}`;
        }
        if (config.consecutiveSuccesses > 0 && state.streak >= config.consecutiveSuccesses)
            return 'enough';
        return undefined;
    };
    const worker = async () => {
        let nextStart = deps.now();
        while (!stop && !signal.aborted && !enough()) {
            await deps.sleep(nextStart - deps.now(), signal);
            if (stop || signal.aborted || enough())
                return;
            nextStart = deps.now() + config.intervalMs;
            state.inFlight++;
            state.requests++;
            const sample = await probe(check, config, deps, signal);
            state.inFlight--;
            if (stop || (signal.aborted && sample.outcome === 'error'))
                return;
            counter.add(sampleKey(sample));
            if (sample.outcome === 'error')
                state.errors++;
            else
                latencies.push(sample.latencyMs);
            if (sample.outcome === 'pass') {
                state.passes++;
                state.streak++;
            }
            else {
                if (sample.outcome === 'fail')
                    state.failures++;
                state.streak = 0;
                firstFailure ??= { reasons: sample.reasons, evidence: sample.evidence };
                const bad = state.failures + state.errors;
                if (bad <= LOGGED_FAILURES) {
                    const what = sample.outcome === 'fail' ? 'failed' : 'got no response';
                    deps.log(`${check.name}: sample ${state.requests} ${what}: ${sample.reasons.join('; ')}`);
                    if (bad === LOGGED_FAILURES)
                        deps.log(`${check.name}: further failing samples are counted, not logged`);
                }
            }
            const early = judgeEarly();
            if (early === 'enough')
                stop = { verdict: 'passed', reason: `${state.streak} consecutive successes` };
            else if (early)
                stop = { verdict: 'failed', reason: early };
        }
    };
    await Promise.all(Array.from({ length: Math.min(config.concurrency, config.samples) }, worker));
    const successRate = valid() ? state.passes / valid() : undefined;
    const sorted = [...latencies].sort((a, b) => a - b);
    let verdict = stop?.verdict === 'failed' ? stop : judge(config, state.passes, valid(), sorted, stop?.reason);
    if (!stop && verdict.verdict === 'passed' && valid() < config.samples) {
        verdict = {
            verdict: 'inconclusive',
            reason: `only ${valid()} of ${config.samples} samples before the deadline`,
        };
    }
    return {
        ...verdict,
        ...state,
        valid: valid(),
        successRate,
        statusCounts: counter.counts,
        latency: summarizeLatencies(latencies),
        latencies,
        firstFailure,
    };
}
/** The thresholds over the samples taken. */
function judge(config, passes, valid, sorted, why) {
    if (!valid)
        return { verdict: 'inconclusive', reason: 'no sample got a response before the deadline' };
    const missed = [];
    const rate = passes / valid;
    if (rate < config.minSuccessRate)
        missed.push(`success rate ${pct(rate)} below ${pct(config.minSuccessRate)}`);
    const p95 = percentile(sorted, 95);
    const p99 = percentile(sorted, 99);
    if (config.maxP95Ms !== undefined && p95 > config.maxP95Ms)
        missed.push(`p95 ${Math.round(p95)}ms above max-p95 ${config.maxP95Ms}ms`);
    if (config.maxP99Ms !== undefined && p99 > config.maxP99Ms)
        missed.push(`p99 ${Math.round(p99)}ms above max-p99 ${config.maxP99Ms}ms`);
    if (missed.length)
        return { verdict: 'failed', reason: missed.join('; ') };
    return { verdict: 'passed', reason: `${passes} of ${valid} samples passed${why ? ` (${why})` : ''}` };
}
function pct(rate) {
    return `${Math.round(rate * 1000) / 10}%`;
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/run-gate.ts










/** The real world: undici for HTTP, performance.now for time. The caller closes `client` when done. */
function defaultGateDeps(config, log = () => { }) {
    return {
        client: createHttpClient(config.tls, src_secrets/* isSecretHeader */.io),
        now: () => external_node_perf_hooks_.performance.now(),
        sleep: abortableSleep,
        random: Math.random,
        log,
    };
}
/**
 * Runs every check (in parallel): readiness, then verification, all within `deadline`. Never throws for what
 * the service answered; the result says what happened, with secrets masked.
 */
async function runGate(config, gateDeps) {
    const deps = { ...gateDeps, log: (line) => gateDeps.log(maskText(line, config.secrets)) };
    const started = deps.now();
    const controller = new AbortController();
    // Every request in flight and every waiting worker listens for the deadline: expected, not a leak.
    (0,external_node_events_.setMaxListeners)(2 * config.checks.length * config.concurrency + 10, controller.signal);
    const timer = setTimeout(() => controller.abort(), (0,duration/* timerDelay */.nR)(config.deadlineMs));
    try {
        const checks = await Promise.all(config.checks.map((check) => runCheck(check, config, deps, controller.signal)));
        const latencies = checks.flatMap((c) => c.latencies).sort((a, b) => a - b);
        const passes = checks.reduce((n, c) => n + (c.result.verification?.passes ?? 0), 0);
        const valid = checks.reduce((n, c) => n + (c.result.verification?.valid ?? 0), 0);
        const results = checks.map((c) => c.result);
        const result = {
            result: results.some((c) => c.result === 'failed')
                ? 'failed'
                : results.some((c) => c.result === 'inconclusive')
                    ? 'inconclusive'
                    : 'passed',
            checks: results,
            successRate: valid ? passes / valid : undefined,
            p95Ms: latencies.length ? Math.round(percentile(latencies, 95) * 10) / 10 : undefined,
            durationMs: Math.round(deps.now() - started),
        };
        return maskResult(result, config.secrets);
    }
    finally {
        clearTimeout(timer);
    }
}
async function runCheck(check, config, deps, signal) {
    const base = {
        name: check.name,
        url: check.url.href,
        method: check.method,
        expected: describeExpected(check),
    };
    const ready = await awaitReady(check, config, deps, signal);
    const { last, ...readiness } = ready;
    if (!ready.ready) {
        const why = last?.reasons.join('; ') ?? 'no answer';
        const reason = ready.broken
            ? `broken: ${why}`
            : signal.aborted
                ? `not ready before the deadline (${(0,duration/* formatDuration */.a3)(config.deadlineMs)}): ${why}`
                : `not ready within ready-timeout ${(0,duration/* formatDuration */.a3)(config.readyTimeoutMs)} (${ready.attempts} attempts): ${why}`;
        deps.log(`${check.name}: ${reason}`);
        const firstFailure = last && {
            phase: 'readiness',
            reasons: last.reasons,
            evidence: last.evidence,
        };
        return { result: { ...base, result: 'failed', reason, readiness, firstFailure }, latencies: [] };
    }
    deps.log(`${check.name}: ready after ${ready.attempts} attempt(s) in ${(0,duration/* formatDuration */.a3)(ready.timeToReadyMs ?? 0)}; verifying with ${config.samples} samples`);
    const { latencies, firstFailure, verdict, reason, ...verification } = await verify(check, config, deps, signal);
    deps.log(`${check.name}: ${verdict}: ${reason}`);
    return {
        result: {
            ...base,
            result: verdict,
            reason,
            readiness,
            verification,
            firstFailure: firstFailure && { phase: 'verification', ...firstFailure },
        },
        latencies,
    };
}
function describeExpected(check) {
    const parts = [`status ${(0,expectations/* formatStatusRanges */.cO)(check.expectStatus)}`];
    for (const h of check.expectHeaders)
        parts.push((0,expectations/* formatHeaderExpectation */.bK)(h));
    if (check.expectBody) {
        parts.push(`body ${check.expectBody.kind === 'regex' ? 'matching' : 'containing'} ${(0,expectations/* formatTextMatcher */.JA)(check.expectBody)}`);
    }
    for (const j of check.expectJson)
        parts.push(`JSON ${(0,expectations/* formatJsonExpectation */.iN)(j)}`);
    if (check.expectVersion)
        parts.push(`version ${check.expectVersion} in ${(0,expectations/* formatVersionSource */.v2)(check.versionSource)}`);
    if (check.maxLatencyMs !== undefined)
        parts.push(`latency at most ${check.maxLatencyMs}ms`);
    return parts.join(', ');
}
/** Secrets out of everything the result holds (a server may echo a header back); cookies never shown. */
function maskResult(result, secrets) {
    const text = JSON.stringify(result, (key, value) => (key === 'set-cookie' ? '(not shown)' : value));
    return JSON.parse(maskText(text, secrets));
}
/** Each secret as it is and as it appears inside a JSON string, longest first. */
function maskText(text, secrets) {
    let out = text;
    for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
        for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)]))
            out = out.split(form).join('***');
    }
    return out;
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/prometheus-provider.ts




/**
 * PromQL over `/api/v1/query` (an instant, now) or `/api/v1/query_range` (a window ending now). Basic auth
 * comes from the address's user information (sent as a header, never in a URL), a bearer token from settings;
 * an extra CA is added to Node's roots. Errors name the status and Prometheus's own error, masked.
 */
function createPrometheusProvider(settings, secrets, clock = Date.now) {
    const dispatcher = new undici/* Agent */.g6({
        connect: {
            ca: settings.ca ? [...external_node_tls_.rootCertificates, settings.ca] : undefined,
            rejectUnauthorized: !settings.insecure,
        },
    });
    const base = new URL(settings.address.href);
    const headers = { accept: 'application/json' };
    if (base.username || base.password) {
        const user = decodeURIComponent(base.username);
        const password = decodeURIComponent(base.password);
        headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
        base.username = '';
        base.password = '';
    }
    if (settings.token)
        headers.authorization = `Bearer ${settings.token}`;
    const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
    const masked = (text) => (0,src_secrets/* maskedExcerpt */.hQ)(text, 300, { secrets });
    return {
        async measure(metric, signal) {
            const now = clock() / 1000;
            const url = new URL(metric.range ? 'api/v1/query_range' : 'api/v1/query', root);
            const form = new URLSearchParams({ query: metric.query });
            if (metric.range) {
                form.set('start', String(now - metric.range.windowMs / 1000));
                form.set('end', String(now));
                form.set('step', `${metric.range.stepMs / 1000}s`);
            }
            else {
                form.set('time', String(now));
            }
            const timeout = AbortSignal.timeout((0,duration/* timerDelay */.nR)(settings.timeoutMs));
            let status;
            let text;
            try {
                // POST with a form body, as Prometheus accepts: long queries do not hit URL length limits.
                const res = await (0,undici/* request */.Em)(url, {
                    dispatcher,
                    method: 'POST',
                    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
                    body: form.toString(),
                    signal: AbortSignal.any([signal, timeout]),
                });
                status = res.statusCode;
                text = await res.body.text();
            }
            catch (error) {
                const err = error;
                if (timeout.aborted)
                    throw new Error(`Prometheus at ${root} did not answer within ${settings.timeoutMs}ms`);
                const why = err.cause?.message ?? err.message ?? String(error);
                const code = err.cause?.code ?? err.code;
                throw new Error(masked(`Prometheus at ${root}: ${why}${code && !why.includes(code) ? ` (${code})` : ''}`));
            }
            let answer;
            try {
                answer = JSON.parse(text);
            }
            catch {
                answer = undefined;
            }
            if (status === 401 || status === 403) {
                throw new Error(`Prometheus at ${root} refused the query: HTTP ${status}; check the credentials (prometheus-token, or user:password in prometheus-url)`);
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
function toSeries(type, result) {
    const value = (sample) => Number(sample[1] === '+Inf' ? Infinity : sample[1] === '-Inf' ? -Infinity : sample[1]);
    if (type === 'scalar')
        return [{ labels: {}, values: [value(result)] }];
    if (!Array.isArray(result))
        throw new Error(`Prometheus answered a ${type ?? 'missing'} result, not a vector, matrix or scalar`);
    if (type === 'vector') {
        return result.map((r) => ({
            labels: r.metric ?? {},
            values: [value(r.value)],
        }));
    }
    if (type === 'matrix') {
        return result.map((r) => ({
            labels: r.metric ?? {},
            values: (r.values ?? []).map(value),
        }));
    }
    throw new Error(`Prometheus answered a ${type} result, not a vector, matrix or scalar`);
}

// EXTERNAL MODULE: ../../packages/shared/src/gate/analysis/condition.ts
var condition = __webpack_require__(53721);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/run-analysis.ts


/**
 * Measures every metric (in parallel) every `interval`, `count` times or until the bake ends, and judges them
 * as Argo Rollouts does: a metric fails when its failed measurements exceed `failure-limit` (-1: never) or its
 * provider errors in a row exceed `consecutive-error-limit`; it is inconclusive when inconclusive measurements
 * (no data, NaN, neither condition met) exceed `inconclusive-limit`. A failed metric stops the whole analysis.
 * The verdict: failed if any metric failed, else inconclusive if any was, else passed. Never throws for what a
 * provider answered.
 */
async function runAnalysis(config, deps, signal) {
    const started = deps.now();
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
        const metrics = await Promise.all(config.metrics.map(async (metric) => {
            const result = await runMetric(metric, config, deps, started, controller.signal);
            if (result.result === 'failed')
                controller.abort();
            return result;
        }));
        const failed = metrics.filter((m) => m.result === 'failed');
        const inconclusive = metrics.filter((m) => m.result === 'inconclusive');
        const result = failed.length ? 'failed' : inconclusive.length ? 'inconclusive' : 'passed';
        const reason = (failed.length ? failed : inconclusive.length ? inconclusive : metrics)
            .map((m) => `${m.name}: ${m.reason}`)
            .join('; ');
        return { result, reason, metrics, durationMs: Math.round(deps.now() - started) };
    }
    finally {
        signal?.removeEventListener('abort', onAbort);
    }
}
async function runMetric(metric, config, deps, started, signal) {
    const provider = deps.providers[metric.provider];
    const counts = { successful: 0, failed: 0, inconclusive: 0, error: 0 };
    const measurements = [];
    let errorsInRow = 0;
    const base = {
        name: metric.name,
        provider: metric.provider,
        query: metric.query,
        condition: describeCondition(metric),
        thresholds: [
            ...(metric.success ? (0,condition/* thresholds */.pw)(metric.success) : []),
            ...(metric.failure ? (0,condition/* thresholds */.pw)(metric.failure) : []),
        ],
        counts,
        measurements,
    };
    const done = (result, reason) => {
        deps.log(`analysis ${metric.name}: ${result}: ${reason}`);
        return { ...base, result, reason };
    };
    // In a bake the first measurement comes one interval in: right after the switch there is little to see.
    const first = metric.initialDelayMs + (metric.count === undefined ? metric.intervalMs : 0);
    for (let index = 0;; index++) {
        if (metric.count !== undefined && index >= metric.count)
            break;
        const dueAt = first + index * metric.intervalMs;
        if (metric.count === undefined && config.bakeMs !== undefined && dueAt > config.bakeMs)
            break;
        await deps.sleep(started + dueAt - deps.now(), signal);
        if (signal.aborted)
            break;
        const measurement = await measure(metric, provider, signal, Math.round(deps.now() - started));
        if (signal.aborted && measurement.phase === 'error')
            break;
        measurements.push(measurement);
        counts[measurement.phase]++;
        errorsInRow = measurement.phase === 'error' ? errorsInRow + 1 : 0;
        deps.log(`analysis ${metric.name}: measurement ${index + 1} ${measurement.phase}: ${measurement.message}`);
        if (metric.failureLimit >= 0 && counts.failed > metric.failureLimit) {
            return done('failed', `${counts.failed} measurement(s) failed ${base.condition} (failure-limit ${metric.failureLimit}); last: ${measurement.message}`);
        }
        if (errorsInRow > metric.consecutiveErrorLimit) {
            return done('failed', `${errorsInRow} provider errors in a row (consecutive-error-limit ${metric.consecutiveErrorLimit}); last: ${measurement.message}`);
        }
        if (counts.inconclusive > metric.inconclusiveLimit) {
            return done('inconclusive', `${counts.inconclusive} inconclusive measurement(s) (inconclusive-limit ${metric.inconclusiveLimit}); last: ${measurement.message}`);
        }
    }
    const judged = counts.successful + counts.failed + counts.inconclusive;
    if (!judged) {
        const why = signal.aborted
            ? 'stopped before any measurement'
            : `no measurement got an answer (${counts.error} provider errors)`;
        return done('inconclusive', why);
    }
    if (!counts.successful) {
        return done('inconclusive', `no measurement met ${base.condition} (${counts.inconclusive} inconclusive, ${counts.failed} failed, ${counts.error} errors)`);
    }
    const over = config.bakeMs !== undefined && metric.count === undefined ? ` over ${(0,duration/* formatDuration */.a3)(config.bakeMs)}` : '';
    return done('passed', `${counts.successful} of ${measurements.length} measurements met ${base.condition}${over}`);
}
/** One measurement: the provider's answer judged against the conditions. */
async function measure(metric, provider, signal, atMs) {
    let answer;
    try {
        answer = await provider.measure(metric, signal);
    }
    catch (error) {
        return { atMs, phase: 'error', message: String(error?.message ?? error) };
    }
    const series = answer.map((s) => ({ labels: formatLabels(s.labels), values: s.values }));
    const values = answer.flatMap((s) => s.values);
    if (!values.length)
        return { atMs, phase: 'inconclusive', series, message: 'no data (the query returned nothing)' };
    const failing = values.find((v) => !Number.isNaN(v) && judgeValue(metric, v) === 'failed');
    if (failing !== undefined) {
        const labels = series.find((s) => s.values.includes(failing))?.labels;
        const where = labels && labels !== '{}' ? ` in ${labels}` : '';
        return {
            atMs,
            phase: 'failed',
            value: failing,
            series,
            message: `${format(failing)}${where} fails ${describeCondition(metric)}`,
        };
    }
    const value = values.find((v) => !Number.isNaN(v));
    if (values.some((v) => Number.isNaN(v))) {
        return { atMs, phase: 'inconclusive', value, series, message: 'NaN (no traffic to divide by?)' };
    }
    if (values.some((v) => judgeValue(metric, v) === 'inconclusive')) {
        return {
            atMs,
            phase: 'inconclusive',
            value,
            series,
            message: `${format(value)} meets neither condition`,
        };
    }
    const shown = values.length > 1
        ? `${values.length} values, ${format(Math.min(...values))}…${format(Math.max(...values))}`
        : format(values[0]);
    return {
        atMs,
        phase: 'successful',
        value,
        series,
        message: `${shown} meet(s) ${describeCondition(metric)}`,
    };
}
/** Argo's rule: the failure condition wins; with only one condition, the other outcome is its negation. */
function judgeValue(metric, value) {
    if (metric.failure && (0,condition/* holds */.v9)(metric.failure, value))
        return 'failed';
    if (metric.success)
        return (0,condition/* holds */.v9)(metric.success, value) ? 'successful' : metric.failure ? 'inconclusive' : 'failed';
    return 'successful';
}
function describeCondition(metric) {
    const parts = [];
    if (metric.success)
        parts.push(metric.success.text);
    if (metric.failure)
        parts.push(`not (${metric.failure.text})`);
    return parts.join(' and ');
}
function formatLabels(labels) {
    const entries = Object.entries(labels);
    return `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}
function format(value) {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/analyse-release.ts




/** The real providers the config asks for, a monotonic clock, abortable sleeps. Call `close` when done. */
function defaultAnalysisDeps(config, log = () => { }) {
    const providers = {};
    if (config.prometheus)
        providers.prometheus = createPrometheusProvider(config.prometheus, config.secrets);
    if (config.cloudwatch)
        providers.cloudwatch = lazyCloudWatch(config, log);
    return {
        providers,
        now: () => external_node_perf_hooks_.performance.now(),
        sleep: abortableSleep,
        log,
        close: async () => {
            await Promise.all(Object.values(providers).map((p) => p.close()));
        },
    };
}
/**
 * The hook other gates join: runs an analysis with the real providers (or `deps`), closes them, and masks
 * the config's secrets out of every line and of the result.
 */
async function analyseRelease(config, options = {}) {
    const mask = (text) => analyse_release_maskText(text, config.secrets);
    const log = (line) => options.log?.(mask(line));
    const real = options.deps ? undefined : defaultAnalysisDeps(config, log);
    const deps = options.deps ? { ...options.deps, log } : real;
    try {
        const result = await runAnalysis(config, deps, options.signal);
        return JSON.parse(mask(JSON.stringify(result)));
    }
    finally {
        await real?.close();
    }
}
/** Two gates' verdicts as one: failed wins, then inconclusive. */
function joinVerdicts(...verdicts) {
    if (verdicts.includes('failed'))
        return 'failed';
    if (verdicts.includes('inconclusive'))
        return 'inconclusive';
    return 'passed';
}
function analyse_release_maskText(text, secrets) {
    let out = text;
    for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
        for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)]))
            out = out.split(form).join('***');
    }
    return out;
}
/** The AWS SDK is loaded only when a CloudWatch metric is measured (bundles put it in a chunk of its own). */
function lazyCloudWatch(config, log) {
    const startedAt = config.since ?? Date.now();
    const startedWhat = config.since === undefined ? 'the analysis began' : 'the deploy began';
    let provider;
    const load = () => {
        provider ??= Promise.all(/* import() */[__webpack_require__.e(777), __webpack_require__.e(793), __webpack_require__.e(530)]).then(__webpack_require__.bind(__webpack_require__, 27530)).then((m) => m.createCloudWatchProvider(config.cloudwatch ?? {}, { startedAt, startedWhat, log }));
        return provider;
    };
    return {
        measure: async (metric, signal) => (await load()).measure(metric, signal),
        close: async () => {
            if (provider)
                await (await provider).close();
        },
    };
}

// EXTERNAL MODULE: ../../packages/shared/src/state.ts
var state = __webpack_require__(68316);
// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __webpack_require__(51110);
// EXTERNAL MODULE: ../../packages/shared/src/deployments/release-history.ts
var release_history = __webpack_require__(88022);
;// CONCATENATED MODULE: ../../packages/shared/src/summary.ts


/** Escapes text for a cell of a Markdown table. */
function escapeCell(text) {
    return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
/** A Markdown table. */
function markdownTable(headers, rows) {
    const line = (cells) => `| ${cells.map(escapeCell).join(' | ')} |`;
    return [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}
/** A collapsible section. */
function details(title, body) {
    return `<details><summary>${escapeHtml(title)}</summary>\n\n${body}\n\n</details>`;
}
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** Appends Markdown to the job summary, masked. Does nothing where the runner gives no summary file. */
async function appendSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await core.summary.addRaw((0,src_secrets/* maskSecrets */.QU)(markdown), true).write();
}
/** Runs `fn` inside a collapsible log group named consistently across the suite: `<action>: <what>`. */
function logGroup(name, fn) {
    return core.group(name, fn);
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/analysis-summary.ts


const ICON = {
    passed: '✅ passed',
    failed: '❌ failed',
    inconclusive: '⚠️ inconclusive',
};
/** The job summary of an analysis: one row per metric, then per metric a chart and every measurement. */
function analysisSummaryMarkdown(result) {
    const rows = result.metrics.map((m) => [
        m.name,
        ICON[m.result],
        m.condition,
        `${m.counts.successful} ok, ${m.counts.failed} failed, ${m.counts.inconclusive} inconclusive, ${m.counts.error} errors`,
        m.reason,
    ]);
    return [
        `### Analysis: ${ICON[result.result]} in ${(0,duration/* formatDuration */.a3)(result.durationMs)}`,
        '',
        markdownTable(['metric', 'result', 'condition', 'measurements', 'why'], rows),
        '',
        ...result.metrics.flatMap((m) => [
            metricChart(m),
            '',
            details(`${m.name}: ${m.measurements.length} measurements`, measurementTable(m)),
            '',
        ]),
    ].join('\n');
}
/**
 * A Mermaid `xychart-beta` (GitHub renders it): the measured values over the bake, and one flat line per
 * threshold of the condition. Measurements without a value (errors, no data) are left out of the chart.
 */
function metricChart(metric) {
    const points = metric.measurements.filter((m) => m.value !== undefined && Number.isFinite(m.value));
    if (!points.length)
        return `_${metric.name}: no values to chart._`;
    const values = points.map((p) => p.value);
    const all = [...values, ...metric.thresholds];
    const low = Math.min(0, ...all);
    const high = Math.max(...all);
    const top = high === low ? low + 1 : high + (high - low) * 0.1;
    const label = (text) => JSON.stringify(text.replace(/"/g, "'"));
    const lines = [
        '```mermaid',
        'xychart-beta',
        `  title ${label(`${metric.name} (${metric.condition})`)}`,
        `  x-axis "seconds into the bake" [${points.map((p) => String(Math.round(p.atMs / 1000))).join(', ')}]`,
        `  y-axis ${label(metric.name)} ${num(low)} --> ${num(top)}`,
        `  line [${values.map(num).join(', ')}]`,
        ...metric.thresholds.map((t) => `  line [${points.map(() => num(t)).join(', ')}]`),
        '```',
    ];
    return lines.join('\n');
}
function measurementTable(metric) {
    return [
        `Query (${metric.provider}): \`${metric.query.replace(/`/g, "'")}\``,
        '',
        markdownTable(['at', 'result', 'value', 'detail'], metric.measurements.map((m) => [
            (0,duration/* formatDuration */.a3)(m.atMs),
            m.phase,
            m.value === undefined ? '–' : num(m.value),
            m.message,
        ])),
    ].join('\n');
}
function num(value) {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

// EXTERNAL MODULE: ./src/inputs.ts + 9 modules
var src_inputs = __webpack_require__(32790);
// EXTERNAL MODULE: ./src/records/bad-marks.ts
var bad_marks = __webpack_require__(7587);
// EXTERNAL MODULE: ./src/report/parenthetical.ts
var parenthetical = __webpack_require__(17849);
;// CONCATENATED MODULE: ./src/records/choose-release.ts


/** The environment's Slipway deployments for this target, newest first. */
function environmentHistory(history, inputs) {
    return history.filter((d) => d.environment === inputs.environment && d.payload?.target === inputs.target);
}
/**
 * The release to restore, from the records: the last good deployment of the environment before the newest one
 * (never "the previous one" blindly: anything marked bad, failed, or running a digest rolled away from is
 * skipped), or the one an explicit `to` names. Undefined when the environment has no records at all, so the
 * caller falls back to what ECS or the hosts remember.
 */
function chooseFromRecords(history, inputs) {
    const mine = environmentHistory(history, inputs);
    if (!mine.length)
        return undefined;
    const from = mine[0];
    if (inputs.to)
        return { from, to: explicitRecord(mine, from, inputs.to) };
    const to = (0,release_history/* lastGoodDeployment */.RT)(mine, { excludeId: from.id, excludeDigests: (0,release_history/* digestsOf */.nw)(from) });
    if (!to) {
        throw new errors/* UserError */.yo(`Nothing to roll back to: ${inputs.environment} has no successful ${inputs.target} deployment before ` +
            `#${from.id} (${describeRecord(from)}) that was not marked bad or runs another digest. ` +
            'Name the release to restore with "to".');
    }
    return { from, to };
}
function explicitRecord(mine, from, to) {
    if (to.kind === 'digest') {
        const reason = (0,release_history/* badDigestReason */.kp)(mine, to.digest);
        if (reason !== undefined) {
            throw new errors/* UserError */.yo(`Input "to": ${to.digest} was marked bad by an earlier rollback ${(0,parenthetical/* parenthetical */.j)(reason)}; ` +
                'choose another release.');
        }
    }
    const matches = (d) => {
        if (to.kind === 'digest')
            return (0,release_history/* digestsOf */.nw)(d).includes(to.digest);
        if (to.kind === 'release')
            return d.payload?.releaseId === to.id;
        return Object.values(d.payload?.taskDefinitions ?? {}).some((arn) => sameTaskDefinition(arn, to.ref));
    };
    if (matches(from) && !from.badReason && from.statuses.some((s) => s.state === 'success')) {
        throw new errors/* UserError */.yo(`Input "to" names what ${from.environment} runs now (deployment #${from.id}, ${describeRecord(from)}): ` +
            'choose an earlier release.');
    }
    const found = mine.find((d) => d !== from && matches(d) && d.statuses.some((s) => s.state === 'success'));
    if (found?.badReason !== undefined) {
        throw new errors/* UserError */.yo(`Input "to" names deployment #${found.id}, which was marked bad ${(0,parenthetical/* parenthetical */.j)(found.badReason)}; ` +
            'choose another release.');
    }
    return found;
}
/** `arn:…:task-definition/web:7` and `web:7` name the same revision. */
function sameTaskDefinition(arn, ref) {
    return arn === ref || arn.endsWith(`:task-definition/${ref}`);
}
function describeRecord(d) {
    const what = d.payload?.releaseId ?? [...new Set(Object.values(d.payload?.taskDefinitions ?? {}))].join(', ') ?? '';
    const state = d.badReason !== undefined ? 'marked bad' : (d.statuses.at(-1)?.state ?? 'no status');
    return `${what || (0,release_history/* digestsOf */.nw)(d).join(', ') || 'no release recorded'}, ${state}, commit ${d.sha.slice(0, 7)}`;
}

;// CONCATENATED MODULE: ./src/records/guards.ts

/**
 * Refuses a second rollback of the environment within `cooldown`: a rollback that did not help is a reason to
 * look, not to keep flipping releases. Judged from the rollback deployments the records hold (`mine`, newest
 * first). A rollback followed by an ordinary deploy does not count: rolling back that new deploy is not flapping,
 * and refusing it would leave a second bad release in place (the pipeline's own automatic rollback).
 */
function checkCooldown(mine, inputs, now) {
    if (inputs.cooldownMs <= 0)
        return;
    // The newest record being a rollback means nothing was deployed since; anything else resets the cooldown.
    const last = mine[0];
    if (last?.payload?.rollback === undefined)
        return;
    const age = now - Date.parse(last.createdAt);
    if (age < inputs.cooldownMs) {
        throw new errors/* UserError */.yo(`${inputs.environment} was rolled back ${(0,duration/* formatDuration */.a3)(Math.max(0, age))} ago (deployment #${last.id}); ` +
            `the cooldown is ${(0,duration/* formatDuration */.a3)(inputs.cooldownMs)}. Look at why that rollback did not help, then ` +
            'run again after the cooldown, or set cooldown: 0 to roll back again now.');
    }
}
/**
 * Schema migrations recorded by deployments newer than the release to restore (a deployment's payload field
 * `migration`), which that older release may not understand.
 */
function newerMigrations(mine, to) {
    const index = mine.indexOf(to);
    const newer = index < 0 ? [] : mine.slice(0, index);
    const seen = new Set();
    return newer
        .filter((d) => d.payload?.migration && d.payload.migration !== to.payload?.migration)
        .filter((d) => !seen.has(d.payload.migration) && seen.add(d.payload.migration))
        .map((d) => {
        const backups = backupBefore(newer, d.payload.migration);
        return { id: d.id, migration: d.payload.migration, ...(backups ? { backups } : {}) };
    });
}
/**
 * The backup taken before a migration first ran: that of the oldest deployment recording it (newest first in
 * `newer`, so the last one) that recorded backups (deploy-ecs's `backup`: RDS snapshots before any change).
 */
function backupBefore(newer, migration) {
    const first = newer.filter((d) => d.payload?.migration === migration && d.payload.backups?.length).at(-1);
    return first ? { id: first.id, ids: first.payload.backups } : undefined;
}
/** Applies `migrations-guard`: returns a warning to show, or throws when it refuses. */
function checkMigrations(mine, to, guard) {
    if (guard === 'off')
        return undefined;
    const found = newerMigrations(mine, to);
    if (!found.length)
        return undefined;
    const list = found
        .map((m) => {
        const backup = m.backups
            ? `; backup taken before it: ${m.backups.ids.join(', ')}${m.backups.id === m.id ? '' : ` (deployment #${m.backups.id})`}`
            : '';
        return `${m.migration} (deployment #${m.id}${backup})`;
    })
        .join(', ');
    const message = `The release to restore (deployment #${to.id}) is older than schema migration(s) ${list}: ` +
        'its code may not work with the migrated schema.';
    if (guard === 'refuse') {
        throw new errors/* UserError */.yo(`${message} Roll the migration back first, or set migrations-guard: warn to roll back anyway.`);
    }
    return message;
}

// EXTERNAL MODULE: ./src/records/records-client.ts + 2 modules
var records_client = __webpack_require__(75067);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/gate-summary.ts


const ms = (n) => (n === undefined ? '–' : `${Math.round(n)}ms`);
const gate_summary_ICON = {
    passed: '✅ passed',
    failed: '❌ failed',
    inconclusive: '⚠️ inconclusive',
};
/** The job summary: one row per check, then per check its status counts and first failure. */
function summaryMarkdown(result) {
    const rows = result.checks.map((c) => {
        const v = c.verification;
        return [
            c.name,
            gate_summary_ICON[c.result],
            v ? `${v.passes}/${v.valid}` : '–',
            v ? String(v.errors) : '–',
            ms(v?.latency?.p50),
            ms(v?.latency?.p95),
            ms(v?.latency?.p99),
            ms(v?.latency?.max),
            c.reason,
        ];
    });
    const sections = result.checks.map((c) => details(`${c.name}: ${c.result}`, checkDetails(c)));
    return [
        `### Smoke test: ${gate_summary_ICON[result.result]} in ${(0,duration/* formatDuration */.a3)(result.durationMs)}`,
        '',
        markdownTable(['check', 'result', 'passed', 'no response', 'p50', 'p95', 'p99', 'max', 'why'], rows),
        '',
        ...sections,
        '',
    ].join('\n');
}
function checkDetails(c) {
    const counts = (m) => Object.entries(m)
        .map(([k, n]) => `${k}×${n}`)
        .join(', ') || '–';
    const lines = [
        `- ${c.method} ${c.url}`,
        `- expected: ${c.expected}`,
        `- readiness: ${c.readiness.ready ? `ready after ${c.readiness.attempts} attempt(s) in ${(0,duration/* formatDuration */.a3)(c.readiness.timeToReadyMs ?? 0)}` : 'never ready'} (${counts(c.readiness.statusCounts)})`,
    ];
    if (c.verification)
        lines.push(`- verification: ${c.verification.requests} requests (${counts(c.verification.statusCounts)})`);
    if (c.firstFailure) {
        const e = c.firstFailure.evidence;
        lines.push(`- first failure (${c.firstFailure.phase}): ${c.firstFailure.reasons.join('; ')}`);
        if (e.excerpt)
            lines.push('', `<pre>${escapeHtml(e.excerpt)}</pre>`);
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/report/summary.ts

const summary_ICON = {
    'rolled-back': '✅ rolled back',
    unhealthy: '❌ rolled back, NOT healthy',
    failed: '❌ failed',
};
/** The job summary: from → to, why, how long, each service or host, and what the health checks saw. */
function rollbackSummary(s) {
    const lines = [
        `### Rollback of ${s.environment} (${s.target}): ${summary_ICON[s.result]} in ${(0,duration/* formatDuration */.a3)(s.durationMs)}`,
        '',
        `**${s.from || '(unknown)'}** → **${s.to}**`,
        '',
        `- why: ${s.why.length ? s.why.join('; ') : 'no reason given'}`,
        `- restored release chosen from ${s.chosenBy}`,
        '',
        markdownTable([s.target === 'ecs' ? 'service' : 'host', 'from', 'to', 'status', 'detail'], s.outcome.units.map((u) => [u.name, u.from, u.to, u.status, u.reason])),
        '',
    ];
    if (s.health)
        lines.push(summaryMarkdown(s.health).replace(/^### Smoke test/, '#### Health checks'));
    else
        lines.push('#### Health checks: not run (the rollback itself failed)', '');
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/main.ts









const defaultDeps = () => ({
    records: records_client/* recordsFor */.Y,
    // Only the target in use is loaded (SSH and deploy-compose, or the AWS SDK and deploy-ecs), once the inputs
    // are known to be good: each is a large part of the bundle.
    target: async (inputs, log) => {
        if (inputs.compose) {
            const { composeTarget, defaultComposeDeps } = await Promise.all(/* import() */[__webpack_require__.e(33), __webpack_require__.e(972), __webpack_require__.e(790)]).then(__webpack_require__.bind(__webpack_require__, 48790));
            return composeTarget(inputs.compose, defaultComposeDeps(), inputs.reason || 'rolled back');
        }
        if (!inputs.ecs)
            throw new Error(`no settings for target ${inputs.target}`);
        const { createEcsDeps, ecsTarget } = await Promise.all(/* import() */[__webpack_require__.e(777), __webpack_require__.e(224), __webpack_require__.e(416)]).then(__webpack_require__.bind(__webpack_require__, 61416));
        return ecsTarget(inputs.ecs, { ...createEcsDeps(inputs.ecs, log), log, warning: core.warning });
    },
    gate: defaultGateDeps,
    analyse: (config, log) => analyseRelease(config, { log }),
    log: (line) => core.info((0,src_secrets/* maskSecrets */.QU)(line)),
    now: Date.now,
    sha: process.env.GITHUB_SHA ?? '',
    state: (0,state/* createStateStore */.J)(),
});
async function run(inputs = (0,src_inputs/* getInputs */.G)(), deps = defaultDeps()) {
    const started = deps.now();
    const { records, history } = await loadHistory(deps.records(inputs), inputs);
    const mine = history ? environmentHistory(history, inputs) : [];
    const why = inputs.reason ? [inputs.reason] : [];
    let source;
    let from;
    let migrationWarning;
    const target = await deps.target(inputs, deps.log);
    let plan;
    try {
        if (history)
            checkCooldown(mine, inputs, deps.now());
        const choice = history ? chooseFromRecords(history, inputs) : undefined;
        from = choice?.from;
        if (choice?.to)
            source = { record: choice.to };
        else if (inputs.to)
            source = { explicit: inputs.to };
        else
            source = { fallback: true };
        if (history && !choice) {
            core.notice(`No deployment records of ${inputs.environment} for target ${inputs.target}: the release to restore is ` +
                `chosen from ${inputs.target === 'ecs' ? "ECS's deployment history" : "the hosts' release history"}.`);
        }
        if (choice?.to)
            migrationWarning = checkMigrations(mine, choice.to, inputs.migrationsGuard);
        else if (inputs.migrationsGuard !== 'off') {
            core.warning('migrations-guard could not be checked: schema migrations are known only from deployment records, and ' +
                'the release to restore is not among them.');
        }
        if (from)
            why.push(`rolled away from deployment #${from.id} (${describeRecord(from)})`);
        plan = await target.plan(source, (0,bad_marks/* badMarks */.g)(history ?? [], from));
    }
    catch (error) {
        if (error instanceof errors/* UserError */.yo)
            core.setOutput('result', 'refused');
        throw error;
    }
    if (migrationWarning)
        core.warning(migrationWarning);
    deps.log(`Rolling ${inputs.environment} back: ${plan.from || '(nothing recorded)'} -> ${plan.to}.`);
    // Marked bad first: from now on the deploy actions refuse the digests rolled away from.
    const reason = inputs.reason || 'rolled back';
    if (records && from && from.badReason === undefined) {
        await records.markBad(from.id, reason).then(() => deps.log(`Marked deployment #${from.id} bad (${(0,release_history/* digestsOf */.nw)(from).join(', ') || 'no digests'}).`), (error) => core.warning(`Could not mark deployment #${from.id} bad ${(0,parenthetical/* parenthetical */.j)(`GitHub API: ${error.message}`)}.`));
    }
    const recordId = await beginRecord(records, inputs, deps, source, plan, from, reason);
    // A run stopped from here on leaves the restore to the post step: its pauses, its record (see post.ts).
    const taskDefinitions = plan.payload.taskDefinitions;
    if (taskDefinitions)
        deps.state?.save('following', { taskDefinitions, githubDeploymentId: recordId });
    const outcome = await logGroup(`rollback: ${inputs.target} ${plan.from} -> ${plan.to}`, () => plan.execute());
    let health;
    if (outcome.ok) {
        health = await logGroup(`rollback: health checks (${inputs.health.checks.length})`, () => checkHealth(inputs.health, deps));
    }
    // The same analysis as the deploy's gate, on the restored release: the health checks alone prove it answers,
    // the metrics that it serves users well.
    let analysis;
    if (inputs.analysis && health?.result === 'passed') {
        const config = inputs.analysis.withVars({ release: plan.to });
        const what = config.bakeMs === undefined ? '' : ` over a ${(0,duration/* formatDuration */.a3)(config.bakeMs)} bake`;
        analysis = await logGroup(`rollback: analysis of ${config.metrics.length} metric(s)${what}`, () => deps.analyse(config, (message) => deps.log(message)));
        core.setOutput('analysis-result', analysis.result);
    }
    const healthy = health?.result === 'passed' && (!analysis || analysis.result === 'passed');
    const result = !outcome.ok ? 'failed' : healthy ? 'rolled-back' : 'unhealthy';
    if (records && recordId !== undefined) {
        await records
            .finish(recordId, healthy ? 'success' : 'failure', { description: `rollback ${result}` })
            .catch((error) => core.warning(`Could not record the rollback's result ${(0,parenthetical/* parenthetical */.j)(`GitHub API: ${error.message}`)}.`));
    }
    deps.state?.save('following', null);
    core.setOutput('rolled-back-to', plan.to);
    core.setOutput('rolled-back-from', plan.from);
    core.setOutput('result', result);
    await appendSummary(rollbackSummary({
        environment: inputs.environment,
        target: inputs.target,
        from: plan.from,
        to: plan.to,
        result,
        why,
        chosenBy: describeSource(source, inputs),
        durationMs: deps.now() - started,
        outcome,
        health,
    }) + (analysis ? `\n${analysisSummaryMarkdown(analysis)}` : ''));
    if (!outcome.ok) {
        const restored = (u) => u.status === 'succeeded' || u.status === 'unchanged';
        const failed = outcome.units.filter((u) => !restored(u));
        const done = outcome.units.filter(restored).map((u) => u.name);
        throw new errors/* UserError */.yo(`Rollback of ${inputs.environment} to ${plan.to} FAILED: ${failed.map((u) => `${u.name} ${u.status} ${(0,parenthetical/* parenthetical */.j)(u.reason)}`).join('; ')}. ` +
            (done.length ? `On the restored release: ${done.join(', ')}. ` : '') +
            'It was tried once; look at the events above before trying again.');
    }
    if (!healthy) {
        const failing = [
            ...(health?.checks.filter((c) => c.result !== 'passed') ?? []).map((c) => `${c.name}: ${c.reason}`),
            ...(analysis?.metrics ?? [])
                .filter((m) => m.result !== 'passed')
                .map((m) => `analysis ${m.name} ${m.result}: ${m.reason}`),
        ];
        throw new errors/* UserError */.yo(`Rolled ${inputs.environment} back to ${plan.to}, but the restored release is NOT healthy: ` +
            `${failing.join('; ')}. The environment needs attention now.`);
    }
    deps.log(`Rolled ${inputs.environment} back to ${plan.to}; the health checks passed${analysis ? `, and the analysis: ${analysis.reason}` : ''}.`);
}
/** The records and the environment's history; neither when the API cannot be used (a notice says so). */
async function loadHistory(records, inputs) {
    if (!records) {
        core.notice('No GitHub API access (github-token or GITHUB_REPOSITORY missing): rolling back without deployment records, ' +
            'from what the target remembers. Cooldown and migrations-guard are not checked, and nothing is marked bad.');
        return {};
    }
    try {
        return { records, history: await records.history(inputs.environment) };
    }
    catch (error) {
        core.notice(`The deployment records could not be read ${(0,parenthetical/* parenthetical */.j)(`GitHub API: ${error.message}`)}: rolling back from ` +
            'what the target remembers. Cooldown and migrations-guard are not checked, and nothing is marked bad.');
        return {};
    }
}
async function beginRecord(records, inputs, deps, source, plan, from, reason) {
    const restored = 'record' in source ? source.record : undefined;
    const sha = restored?.sha ?? deps.sha;
    if (!records || !sha)
        return undefined;
    try {
        return await records.start({
            environment: inputs.environment,
            sha,
            payload: {
                slipway: 1,
                target: inputs.target,
                ...plan.payload,
                ...(restored?.payload?.migration ? { migration: restored.payload.migration } : {}),
                sha,
                rollback: { fromId: from?.id, from: from ? (0,release_history/* digestsOf */.nw)(from) : plan.from.split(','), reason },
            },
            description: `rollback to ${plan.to}`,
        });
    }
    catch (error) {
        core.warning(`Could not record the rollback as a deployment ${(0,parenthetical/* parenthetical */.j)(`GitHub API: ${error.message}`)}.`);
        return undefined;
    }
}
async function checkHealth(config, deps) {
    const gateDeps = deps.gate(config, deps.log);
    try {
        return await runGate(config, gateDeps);
    }
    finally {
        await gateDeps.client.close();
    }
}
function describeSource(source, inputs) {
    if ('record' in source) {
        return `deployment record #${source.record.id} (${inputs.to ? 'named by "to"' : 'the last good one'})`;
    }
    if ('explicit' in source)
        return 'the "to" input';
    return "the target's own history (no deployment records)";
}


/***/ }),

/***/ 7587:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ NO_BAD_MARKS),
/* harmony export */   g: () => (/* binding */ badMarks)
/* harmony export */ });
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(88022);
/* harmony import */ var _report_parenthetical__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(17849);


const NO_BAD_MARKS = { taskDefinitions: new Map(), digests: new Map() };
/**
 * The bad marks in the environment's records (every target: a digest marked bad is bad wherever it ran, as the
 * deploy actions judge it), plus `from`, the deployment rolled away from. A bad mark's reason wins, the newest first.
 */
function badMarks(history, from) {
    const taskDefinitions = new Map();
    const digests = new Map();
    const note = (d, why) => {
        for (const arn of Object.values(d.payload?.taskDefinitions ?? {})) {
            if (!taskDefinitions.has(arn))
                taskDefinitions.set(arn, why);
        }
        for (const digest of (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_0__/* .digestsOf */ .nw)(d))
            if (!digests.has(digest))
                digests.set(digest, why);
    };
    for (const d of history) {
        if (d.badReason !== undefined)
            note(d, `deployment #${d.id}, marked bad ${(0,_report_parenthetical__WEBPACK_IMPORTED_MODULE_1__/* .parenthetical */ .j)(d.badReason)}`);
    }
    if (from)
        note(from, `deployment #${from.id}, rolled away from`);
    return { taskDefinitions, digests };
}


/***/ }),

/***/ 75067:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Y: () => (/* binding */ recordsFor)
});

// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7184);
// EXTERNAL MODULE: ../../packages/shared/src/retry.ts
var retry = __webpack_require__(55931);
;// CONCATENATED MODULE: ../../packages/shared/src/deployments/deployment-records.ts


const BAD_MARKER = 'slipway: marked bad';
/** GitHub's largest page. */
const PAGE_SIZE = 100;
/** How many pages history() reads at most: a bound on API calls (and time) for repositories deployed for years. */
const MAX_PAGES = 10;
/**
 * Statuses read with each deployment. A mark is a `failure` status whose description starts with BAD_MARKER,
 * added whenever a rollback judges the deployment bad, so any number of statuses (`inactive`, re-marks,
 * statuses other tools post) may come after it; and GitHub documents no order for this connection, so neither
 * newest-first nor any window is sure to hold it. 100 is GitHub's largest page and costs no more rate-limit
 * points than 20 (the cost counts the connections asked for, not their size): it holds every status of
 * nearly every deployment, and `totalCount` tells when one has more, whose statuses are then all read over
 * REST (one call a hundred).
 */
const STATUS_WINDOW = 100;
const HISTORY_QUERY = `
  query slipwayDeployments(
    $owner: String!
    $name: String!
    $environments: [String!]
    $first: Int!
    $after: String
  ) {
    repository(owner: $owner, name: $name) {
      deployments(
        environments: $environments
        first: $first
        after: $after
        orderBy: { field: CREATED_AT, direction: DESC }
      ) {
        pageInfo { hasNextPage endCursor }
        nodes {
          databaseId
          environment
          commitOid
          createdAt
          payload
          statuses(first: ${STATUS_WINDOW}) { totalCount nodes { state description createdAt } }
        }
      }
    }
  }`;
/** `warning`: where history() says it stopped at its bound (the job's log, by default). */
function createDeploymentRecords(client, repository, options = {}) {
    const [owner, repo] = repository.split('/');
    const warning = options.warning ?? ((message) => core.warning(message));
    let warnedOfBound = false;
    const call = (fn) => (0,retry/* retry */.L5)(fn, { attempts: 3, baseDelayMs: 500 });
    /** Every status of a deployment whose statuses did not fit the query's window. */
    const allStatuses = async (id) => {
        const statuses = await call(() => client.paginate(client.rest.repos.listDeploymentStatuses, {
            owner,
            repo,
            deployment_id: id,
            per_page: PAGE_SIZE,
        }));
        return statuses.map((s) => ({ state: s.state, description: s.description, createdAt: s.created_at }));
    };
    return {
        async start(input) {
            const created = await call(() => client.rest.repos.createDeployment({
                owner,
                repo,
                ref: input.sha,
                environment: input.environment,
                description: input.description.slice(0, 140),
                payload: JSON.stringify({ ...input.payload, sha: input.sha }),
                auto_merge: false,
                required_contexts: [],
                production_environment: input.production,
            }));
            const id = created.data.id;
            await call(() => client.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'in_progress' }));
            return id;
        },
        async finish(id, state, details = {}) {
            await call(() => client.rest.repos.createDeploymentStatus({
                owner,
                repo,
                deployment_id: id,
                state,
                environment_url: details.environmentUrl,
                description: details.description?.slice(0, 140),
            }));
        },
        async history(environment) {
            const nodes = [];
            let after = null;
            let more = false;
            for (let page = 0; page < MAX_PAGES; page++) {
                const variables = {
                    owner,
                    name: repo,
                    environments: environment ? [environment] : null,
                    first: PAGE_SIZE,
                    after,
                };
                const data = await call(() => client.graphql(HISTORY_QUERY, variables));
                const connection = data.repository?.deployments;
                nodes.push(...(connection?.nodes ?? []));
                more = Boolean(connection?.pageInfo.hasNextPage && connection.pageInfo.endCursor);
                if (!more)
                    break;
                after = connection.pageInfo.endCursor;
            }
            if (more && !warnedOfBound) {
                warnedOfBound = true;
                warning(`Read the newest ${nodes.length} GitHub Deployments${environment ? ` of ${environment}` : ''}, the most ` +
                    'this reads; older ones are not checked: a digest marked bad, or a good release, before them is ' +
                    'not known to this run.');
            }
            for (const node of nodes) {
                if (node.statuses.totalCount > node.statuses.nodes.length) {
                    node.statuses = { ...node.statuses, nodes: await allStatuses(node.databaseId) };
                }
            }
            return nodes.map((node) => {
                // Oldest first, whatever order the connection uses.
                const statuses = [...node.statuses.nodes]
                    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
                    .map((s) => ({ state: s.state.toLowerCase(), description: s.description ?? '' }));
                const bad = statuses.find((s) => s.description.startsWith(BAD_MARKER));
                return {
                    id: node.databaseId,
                    environment: node.environment,
                    sha: node.commitOid,
                    createdAt: node.createdAt,
                    payload: parsePayload(node.payload),
                    statuses,
                    badReason: bad ? bad.description.slice(BAD_MARKER.length).replace(/^[\s:—-]+/, '') : undefined,
                };
            });
        },
        async markBad(id, reason) {
            await call(() => client.rest.repos.createDeploymentStatus({
                owner,
                repo,
                deployment_id: id,
                state: 'failure',
                auto_inactive: false,
                description: `${BAD_MARKER}: ${reason}`.slice(0, 140),
            }));
        },
    };
}
function parsePayload(text) {
    if (!text)
        return undefined;
    try {
        const value = JSON.parse(text);
        return value && value.slipway === 1 ? value : undefined;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ../../node_modules/@actions/github/lib/github.js
var github = __webpack_require__(58064);
;// CONCATENATED MODULE: ../../packages/shared/src/deployments/github-client.ts

/**
 * An authenticated client for the GitHub API the job runs against: REST at GITHUB_API_URL and GraphQL beside it
 * (github.com, GitHub Enterprise, or a local stand-in), as @actions/github resolves them.
 */
function createGitHubClient(token, baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com') {
    return (0,github.getOctokit)(token, { baseUrl });
}

;// CONCATENATED MODULE: ./src/records/records-client.ts

/** This repository's deployment records (main and post step), or undefined without a token or a repository. */
function recordsFor(inputs) {
    const repository = process.env.GITHUB_REPOSITORY;
    if (!inputs.githubToken || !repository)
        return undefined;
    return createDeploymentRecords(createGitHubClient(inputs.githubToken), repository);
}


/***/ }),

/***/ 17849:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   j: () => (/* binding */ parenthetical)
/* harmony export */ });
/**
 * A reason set in parentheses inside a sentence: "(ECS refused … in it)". The reasons come from elsewhere
 * (deploy-ecs, ECS, the GitHub API) as whole sentences ending in a full stop; the sentence they are put in
 * goes on after the parenthesis, so that stop is dropped instead of doubled ("…in it.).").
 */
function parenthetical(reason, fallback = 'no reason given') {
    const text = reason.trim().replace(/\.+$/, '').trimEnd();
    return `(${text || fallback})`;
}


/***/ }),

/***/ 88022:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RT: () => (/* binding */ lastGoodDeployment),
/* harmony export */   Wf: () => (/* binding */ imageDigest),
/* harmony export */   kp: () => (/* binding */ badDigestReason),
/* harmony export */   nw: () => (/* binding */ digestsOf)
/* harmony export */ });
/* unused harmony export refuseBadDigest */

const DIGEST = /@(sha256:[0-9a-f]{64})$/;
/** The digest an image reference pins (`repo@sha256:…`), if it pins one. */
const imageDigest = (ref) => DIGEST.exec(ref)?.[1];
/** The digests a recorded deployment ran. */
function digestsOf(deployment) {
    return Object.values(deployment.payload?.images ?? {})
        .map(imageDigest)
        .filter((d) => d !== undefined);
}
/**
 * The one verdict on deploying a digest a rollback marked bad (`where`: by whom, e.g. "a rollback on host h1"):
 * refused, or with `force` a warning.
 */
function refuseBadDigest(digest, where, reason, force, warning) {
    const message = `${digest} was marked bad by ${where} (${reason || 'no reason given'}).`;
    if (!force)
        throw new UserError(`${message} Deploy a fixed image, or set force: true to deploy it anyway.`);
    warning(`${message} Deploying it anyway because force is true.`);
}
/** Why a digest must not be deployed again (some deployment that ran it was marked bad), if it must not. */
function badDigestReason(history, digest) {
    return history.find((d) => d.badReason !== undefined && digestsOf(d).includes(digest))?.badReason;
}
/**
 * The last good deployment of an environment: newest first, the first one that reached `success`, was not
 * marked bad, runs no digest marked bad elsewhere, and is not `excludeId` (the release being rolled away from).
 * Never "the previous one" blindly.
 */
function lastGoodDeployment(history, options = {}) {
    const bad = new Set([
        ...(options.excludeDigests ?? []),
        ...history.filter((d) => d.badReason).flatMap(digestsOf),
    ]);
    return history.find((d) => d.id !== options.excludeId &&
        d.payload !== undefined &&
        d.badReason === undefined &&
        d.statuses.some((s) => s.state === 'success') &&
        !digestsOf(d).some((digest) => bad.has(digest)));
}


/***/ }),

/***/ 55931:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   dg: () => (/* binding */ isTransient),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports backoffDelay, isTransientStatus */
/* harmony import */ var _duration__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(70833);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, (0,_duration__WEBPACK_IMPORTED_MODULE_0__/* .timerDelay */ .nR)(ms)));
/** Full-jitter exponential back-off: a random delay in [0, min(max, base * 2^(attempt-1))]. */
function backoffDelay(attempt, baseMs, maxMs, random) {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(random() * ceiling);
}
/**
 * Calls `fn` until it succeeds, the error is not retryable, the attempts are used up or the deadline is near.
 * The last error is rethrown as it was, so callers and the error boundary see the real cause.
 */
async function retry(fn, options = {}) {
    const { attempts = 5, baseDelayMs = 500, maxDelayMs = 10_000, deadlineMs, retryable = isTransient, onRetry, sleep: wait = sleep, random = Math.random, now = Date.now, } = options;
    const start = now();
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (attempt >= attempts || !retryable(error))
                throw error;
            const delay = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
            if (deadlineMs !== undefined && now() + delay - start >= deadlineMs)
                throw error;
            onRetry?.(error, attempt, delay);
            await wait(delay);
        }
    }
}
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ENOTFOUND',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
]);
const TRANSIENT_AWS = new Set([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'InternalFailure',
    'ServerException',
]);
/** HTTP statuses that mean "try again": timeouts, rate limits and server errors other than 501. */
function isTransientStatus(status) {
    return status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501);
}
/**
 * The suite's default classifier: network failures, throttling and 5xx are transient; everything else
 * (4xx, access denied, bad input) is not. Looks through `cause` chains (fetch wraps socket errors).
 */
function isTransient(error) {
    for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
        const err = e;
        // AWS names first (throttling comes with HTTP 400), then HTTP status, then socket codes (read last:
        // octokit's RequestError logs a deprecation warning when `code` is read).
        if (typeof err.name === 'string' && (TRANSIENT_AWS.has(err.name) || err.name === 'TimeoutError'))
            return true;
        if (err.$retryable)
            return true;
        const status = [err.status, err.statusCode, err.$metadata?.httpStatusCode].find((s) => typeof s === 'number');
        if (typeof status === 'number')
            return isTransientStatus(status);
        if (typeof err.code === 'string' && TRANSIENT_CODES.has(err.code))
            return true;
        e = err.cause;
    }
    return false;
}


/***/ }),

/***/ 68316:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ createStateStore)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7184);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_0__);

function createStateStore() {
    return {
        save(key, value) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__.saveState(key, JSON.stringify(value));
        },
        get(key) {
            const raw = _actions_core__WEBPACK_IMPORTED_MODULE_0__.getState(key);
            if (!raw)
                return undefined;
            try {
                return JSON.parse(raw);
            }
            catch {
                return undefined;
            }
        },
    };
}


/***/ })

};
;