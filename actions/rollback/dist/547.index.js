"use strict";
exports.id = 547;
exports.ids = [547];
exports.modules = {

/***/ 40391:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  defaultPostDeps: () => (/* binding */ defaultPostDeps),
  post: () => (/* binding */ post)
});

// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7184);
// EXTERNAL MODULE: ../../packages/shared/src/state.ts
var state = __webpack_require__(68316);
// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var secrets = __webpack_require__(18244);
;// CONCATENATED MODULE: ../../packages/shared/src/ecs/pauses-left-behind.ts
/** The lifecycle stages of a blue/green, linear or canary deployment, in the order ECS goes through them. */
const LIFECYCLE_STAGES = [
    'RECONCILE_SERVICE',
    'PRE_SCALE_UP',
    'SCALE_UP',
    'POST_SCALE_UP',
    'TEST_TRAFFIC_SHIFT',
    'POST_TEST_TRAFFIC_SHIFT',
    'PRE_PRODUCTION_TRAFFIC_SHIFT',
    'PRODUCTION_TRAFFIC_SHIFT',
    'POST_PRODUCTION_TRAFFIC_SHIFT',
    'BAKE_TIME',
    'CLEAN_UP',
];
/** The PAUSE hooks' stages of a service's (or a service deployment's) deployment configuration. */
function pauseStagesOf(of) {
    const hooks = of.deploymentConfiguration?.lifecycleHooks ?? [];
    return [...new Set(hooks.filter((h) => h.targetType === 'PAUSE').flatMap((h) => h.lifecycleStages ?? []))];
}
/**
 * The post step of a run stopped while following its deployment (of `taskDefinitionArn`) through pauses, so
 * that production is never left waiting for it. Each service whose current deployment is that one, in progress:
 * - paused now (a hook AWAITING_ACTION): answered ROLLBACK (ContinueServiceDeployment);
 * - not paused yet, with a pause ahead this run was to answer: stopped with StopServiceDeployment ROLLBACK, as
 *   nobody is left to answer it;
 * - with pauses ahead that someone else answers (this run had nothing for them): only a warning.
 * ECS puts production back on the last completed revision. Returns what was rolled back (`web at STAGE`,
 * `web before STAGE`); only warns on errors.
 */
async function rollBackPausesLeftBehind(api, services, taskDefinitionArn, answerers, say) {
    const done = [];
    for (const service of services) {
        const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
        const arn = service.currentServiceDeployment;
        if (!arn || primary?.taskDefinition !== taskDefinitionArn || primary.rolloutState !== 'IN_PROGRESS')
            continue;
        try {
            const sd = await api.describeServiceDeployment(arn);
            if (sd?.status !== 'IN_PROGRESS')
                continue;
            const settled = await settle(api, service, sd, answerers, say);
            if (settled)
                done.push(`${service.serviceName} ${settled}`);
        }
        catch (error) {
            say.warning(`${service.serviceName}: could not roll back its paused deployment (${error.message}).`);
        }
    }
    return done;
}
/** One in-progress service deployment of ours: `at STAGE` / `before STAGE` when rolled back, else undefined. */
async function settle(api, service, sd, answerers, say) {
    const name = service.serviceName;
    const arn = sd.serviceDeploymentArn ?? service.currentServiceDeployment;
    const hook = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION' && h.hookId);
    if (hook) {
        if (!api.continueServiceDeployment)
            return undefined;
        await api.continueServiceDeployment(arn, hook.hookId, 'ROLLBACK');
        say.warning(`${name}: its deployment was paused at ${sd.lifecycleStage} waiting for this run; ` +
            'answered ROLLBACK (ContinueServiceDeployment): ECS puts production back on the previous revision.');
        return `at ${sd.lifecycleStage}`;
    }
    const at = LIFECYCLE_STAGES.indexOf(sd.lifecycleStage ?? '');
    const ahead = pauseStagesOf(sd.deploymentConfiguration ? sd : service).filter((s) => LIFECYCLE_STAGES.indexOf(s) > at);
    const now = `its deployment (now at ${sd.lifecycleStage ?? 'an early stage'})`;
    const ours = ahead.filter((s) => answerers(s) !== undefined);
    if (ours.length && api.stopServiceDeployment) {
        await api.stopServiceDeployment(arn);
        say.warning(`${name}: ${now} was to pause at ${byAnswerer(ours, answerers)}; stopped it (StopServiceDeployment, ` +
            'ROLLBACK), as nobody is left to answer: ECS puts production back on the previous revision.');
        return `before ${ours[0]}`;
    }
    if (ahead.length) {
        say.warning(`${name}: ${now} will pause at ${ahead.join(', ')}, which this run did not answer: whoever answers ` +
            "it (ContinueServiceDeployment) decides, or ECS takes the hook's timeout action (timeoutConfiguration: " +
            '24h and ROLLBACK unless set).');
    }
    return undefined;
}
/** `POST_TEST_TRAFFIC_SHIFT for this run's test-url, POST_PRODUCTION_TRAFFIC_SHIFT for this run's analysis`. */
function byAnswerer(stages, answerers) {
    const groups = new Map();
    for (const s of stages)
        groups.set(answerers(s), [...(groups.get(answerers(s)) ?? []), s]);
    return [...groups].map(([who, at]) => `${at.join(', ')} ${who}`).join(', ');
}

// EXTERNAL MODULE: ./src/ecs/ecs-target.ts + 13 modules
var ecs_target = __webpack_require__(47429);
// EXTERNAL MODULE: ./src/inputs.ts + 10 modules
var src_inputs = __webpack_require__(66207);
;// CONCATENATED MODULE: ./src/post.ts




const defaultPostDeps = () => ({
    state: (0,state/* createStateStore */.J)(),
    ecs: (inputs, log) => (0,ecs_target.createEcsDeps)(inputs, log).api,
    log: (line) => core.info((0,secrets/* maskSecrets */.QU)(line)),
    warning: (message) => core.warning(message),
});
/**
 * The post step (runs on `always()`): when the main step stopped while ECS deployed the restored release (the
 * run was cancelled or timed out), the rollback's own deployment is never left waiting at a pause: the run
 * answers every pause of it, so one it holds now is answered ROLLBACK and one it heads for is stopped
 * (StopServiceDeployment, ROLLBACK) - ECS puts the service back on what served before the run. Only warns.
 */
async function post(deps = defaultPostDeps(), read = src_inputs/* getInputs */.G) {
    const following = deps.state.get('following');
    const inputs = following && read().ecs;
    if (!following || !inputs)
        return;
    const names = Object.keys(following.taskDefinitions);
    deps.warning(`The main step stopped while rolling ${names.join(', ')} back (the run was cancelled or timed out). ` +
        'ECS carries on without this run.');
    const api = deps.ecs(inputs, deps.log);
    for (const [name, to] of Object.entries(following.taskDefinitions)) {
        try {
            const services = await api.describeServices(inputs.cluster, [name]);
            await rollBackPausesLeftBehind(api, services, to, () => 'for this run', deps);
        }
        catch (error) {
            deps.warning(`${name}: could not ask ECS how the rollback stands (${error.message}).`);
        }
    }
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