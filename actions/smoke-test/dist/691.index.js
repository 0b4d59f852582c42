"use strict";
exports.id = 691;
exports.ids = [691];
exports.modules = {

/***/ 8691:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: defaultDeps

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7184);
// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ../../packages/shared/src/duration.ts
var duration = __webpack_require__(833);
// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var src_secrets = __webpack_require__(8244);
// EXTERNAL MODULE: ../../packages/shared/src/gate/expectations.ts
var expectations = __webpack_require__(4482);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
// EXTERNAL MODULE: ../../packages/shared/node_modules/undici/index.js
var undici = __webpack_require__(248);
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
var json_path = __webpack_require__(815);
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
var retry = __webpack_require__(5931);
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
var condition = __webpack_require__(3721);
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
        provider ??= Promise.all(/* import() */[__webpack_require__.e(793), __webpack_require__.e(526)]).then(__webpack_require__.bind(__webpack_require__, 8526)).then((m) => m.createCloudWatchProvider(config.cloudwatch ?? {}, { startedAt, startedWhat, log }));
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

;// CONCATENATED MODULE: ../../packages/shared/src/gate/gate-summary.ts


const ms = (n) => (n === undefined ? '–' : `${Math.round(n)}ms`);
const ICON = {
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
            ICON[c.result],
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
        `### Smoke test: ${ICON[result.result]} in ${(0,duration/* formatDuration */.a3)(result.durationMs)}`,
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

;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/analysis-summary.ts


const analysis_summary_ICON = {
    passed: '✅ passed',
    failed: '❌ failed',
    inconclusive: '⚠️ inconclusive',
};
/** The job summary of an analysis: one row per metric, then per metric a chart and every measurement. */
function analysisSummaryMarkdown(result) {
    const rows = result.metrics.map((m) => [
        m.name,
        analysis_summary_ICON[m.result],
        m.condition,
        `${m.counts.successful} ok, ${m.counts.failed} failed, ${m.counts.inconclusive} inconclusive, ${m.counts.error} errors`,
        m.reason,
    ]);
    return [
        `### Analysis: ${analysis_summary_ICON[result.result]} in ${(0,duration/* formatDuration */.a3)(result.durationMs)}`,
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

// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __webpack_require__(1110);
// EXTERNAL MODULE: ./src/inputs.ts + 9 modules
var src_inputs = __webpack_require__(8539);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/report.ts




/** The JSON report: settings, and per check the counts, latencies and the first failure. Masked. */
function writeReport(dir, config, result, analysis) {
    const path = (0,external_node_path_.join)(dir, `smoke-test-report-${(0,external_node_crypto_.randomUUID)().slice(0, 8)}.json`);
    const settings = {
        samples: config.samples,
        intervalMs: config.intervalMs,
        concurrency: config.concurrency,
        timeoutMs: config.timeoutMs,
        readyTimeoutMs: config.readyTimeoutMs,
        deadlineMs: config.deadlineMs,
        failureLimit: config.failureLimit ?? null,
        errorLimit: config.errorLimit,
        minSuccessRate: config.minSuccessRate,
        maxP95Ms: config.maxP95Ms ?? null,
        maxP99Ms: config.maxP99Ms ?? null,
        consecutiveSuccesses: config.consecutiveSuccesses,
        tls: { customCa: Boolean(config.tls.ca), insecure: config.tls.insecure },
    };
    // `result` is the step's verdict (checks and analysis); each part keeps its own.
    const report = {
        ...result,
        result: joinVerdicts(result.result, analysis?.result),
        checksResult: result.result,
        settings,
        analysis: analysis ?? null,
    };
    (0,external_node_fs_.writeFileSync)(path, (0,src_secrets/* maskSecrets */.QU)(`${JSON.stringify(report, null, 2)}\n`));
    return path;
}
/** One annotation per failing check: what was expected and what came back. */
function annotationText(c) {
    const failure = c.firstFailure;
    const reasons = failure?.reasons.join('; ') ?? c.reason;
    // The status leads unless a reason already names it ("status 500 (expected 200-299)").
    const status = failure?.evidence.status;
    const got = status !== undefined && !reasons.startsWith('status ') ? `status ${status}: ${reasons}` : reasons;
    const text = failure?.evidence.excerpt?.replace(/\s+/g, ' ');
    const excerpt = text === undefined ? undefined : (0,src_secrets/* maskedExcerpt */.hQ)(text, 200);
    return `${c.name} ${c.result}: ${c.reason}.\nExpected ${c.expected}.\nGot ${got}${excerpt ? `; body: ${excerpt}` : ''}`;
}

;// CONCATENATED MODULE: ./src/main.ts





const defaultDeps = () => ({
    gate: defaultGateDeps,
    analyse: (config, log) => analyseRelease(config, { log }),
    reportDir: process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(),
});
async function run(inputs = (0,src_inputs/* getInputs */.G)(), deps = defaultDeps()) {
    const { gate: config } = inputs;
    if (config.tls.insecure) {
        core.warning('TLS certificate verification is OFF (insecure: true): any server can answer for these URLs. Give the CA with "ca" instead.');
    }
    const gateDeps = deps.gate(config, (message) => core.info((0,src_secrets/* maskSecrets */.QU)(message)));
    const result = await logGroup(`smoke-test: ${config.checks.length} check(s)`, async () => {
        try {
            return await runGate(config, gateDeps);
        }
        finally {
            await gateDeps.client.close();
        }
    });
    const analysis = await bake(inputs.analysis, result.result, deps);
    const verdict = joinVerdicts(result.result, analysis?.result);
    const report = writeReport(deps.reportDir, config, result, analysis);
    core.setOutput('result', verdict);
    core.setOutput('analysis-result', analysis?.result ?? '');
    core.setOutput('report', report);
    core.setOutput('success-rate', result.successRate === undefined ? '' : String(Math.round(result.successRate * 10_000) / 10_000));
    core.setOutput('p95-ms', result.p95Ms === undefined ? '' : String(result.p95Ms));
    await appendSummary(summaryMarkdown(result) + (analysis ? `\n${analysisSummaryMarkdown(analysis)}` : ''));
    for (const check of result.checks) {
        if (check.result === 'failed')
            core.error((0,src_secrets/* maskSecrets */.QU)(annotationText(check)), { title: `smoke-test: ${check.name}` });
        if (check.result === 'inconclusive')
            core.warning((0,src_secrets/* maskSecrets */.QU)(annotationText(check)), { title: `smoke-test: ${check.name}` });
    }
    for (const metric of analysis?.metrics ?? []) {
        if (metric.result !== 'passed') {
            const text = `${metric.name} ${metric.result}: ${metric.reason}.\nQuery: ${metric.query}`;
            if (metric.result === 'failed')
                core.error((0,src_secrets/* maskSecrets */.QU)(text), { title: `smoke-test analysis: ${metric.name}` });
            else
                core.warning((0,src_secrets/* maskSecrets */.QU)(text), { title: `smoke-test analysis: ${metric.name}` });
        }
    }
    const failed = [
        ...result.checks.filter((c) => c.result !== 'passed').map((c) => c.name),
        ...(analysis?.metrics ?? []).filter((m) => m.result !== 'passed').map((m) => `analysis ${m.name}`),
    ];
    if (verdict === 'failed') {
        throw new errors/* UserError */.yo(`Smoke test failed: ${failed.join(', ')} (details above and in ${report}).`);
    }
    if (verdict === 'inconclusive') {
        const why = analysis?.result === 'inconclusive'
            ? 'the metrics gave no (or too little) data'
            : 'not enough samples before the deadline';
        const message = `Smoke test inconclusive: ${why} for ${failed.join(', ')}.`;
        if (inputs.failOnInconclusive)
            throw new errors/* UserError */.yo(`${message} ${analysis?.result === 'inconclusive' ? 'Check the queries match the new version (analysis-vars), or raise inconclusive-limit' : 'Raise "deadline" or lower "samples"'}, or set fail-on-inconclusive: false.`);
        core.warning(message);
        return;
    }
    if (analysis)
        core.info(`Analysis passed: ${analysis.reason}.`);
    const rate = result.successRate === undefined ? '' : `, success rate ${pct(result.successRate)}`;
    core.info(`Smoke test passed: ${result.checks.length} check(s)${rate}, p95 ${result.p95Ms ?? '–'}ms.`);
}
/** The bake: the metric analysis, once the checks did not fail (a failed check already decides the step). */
async function bake(config, checks, deps) {
    if (!config)
        return undefined;
    if (checks === 'failed') {
        core.info('Analysis skipped: the checks failed.');
        return undefined;
    }
    const what = config.bakeMs === undefined ? '' : ` over a ${(0,duration/* formatDuration */.a3)(config.bakeMs)} bake`;
    return logGroup(`smoke-test: analysis of ${config.metrics.length} metric(s)${what}`, () => deps.analyse(config, (message) => core.info((0,src_secrets/* maskSecrets */.QU)(message))));
}


/***/ }),

/***/ 5931:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry)
/* harmony export */ });
/* unused harmony exports sleep, backoffDelay, isTransientStatus, isTransient */
/* harmony import */ var _duration__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(833);

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


/***/ })

};
;