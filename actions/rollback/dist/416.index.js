"use strict";
exports.id = 416;
exports.ids = [416];
exports.modules = {

/***/ 61416:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createEcsDeps: () => (/* binding */ createEcsDeps),
  ecsTarget: () => (/* binding */ ecsTarget)
});

// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(84224);
// EXTERNAL MODULE: ../../packages/shared/src/aws/client-config.ts
var client_config = __webpack_require__(82351);
// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7184);
;// CONCATENATED MODULE: ../../packages/shared/src/aws/aws-response.ts
/**
 * An answer from an AWS endpoint that is not AWS JSON: an HTML error page from a proxy, a load balancer or an
 * emulator, an XML error body from a gateway. The SDK cannot parse it and throws a SyntaxError (which the error
 * boundary would call a bug); `classifyAwsResponse` turns it into this. 5xx (and 408/429) stay transient for
 * the suite's `retry` through `$metadata.httpStatusCode`; an XML body's `<Code>` becomes the error's name, so
 * `AccessDenied` or `Throttling` are told apart as from AWS JSON.
 */
class AwsResponseError extends Error {
    $metadata;
    /** Set only when the body named an AWS error code: ECS's refusal handling treats those as its own. */
    $fault;
    /** How the retry log names it: the code, or the status. */
    label;
    constructor(call, status, contentType, body) {
        const xml = xmlError(body);
        const what = `HTTP ${status} with ${contentType || 'no content type'}, not AWS JSON`;
        const line = xml?.message ?? firstLine(body);
        super(xml
            ? `${what}: ${line || '(no message)'}`
            : `${call}: AWS answered ${what}: ${line ? JSON.stringify(line) : '(an empty body)'}. Something between ` +
                'the runner and AWS answered instead (a proxy, a load balancer, or the wrong endpoint): check the ' +
                'endpoint and the HTTPS proxy settings.');
        this.name = xml?.code ?? 'NonJsonResponse';
        this.$metadata = { httpStatusCode: status };
        if (xml)
            this.$fault = status >= 500 ? 'server' : 'client';
        this.label = xml ? `${xml.code} (HTTP ${status})` : `HTTP ${status} (not AWS JSON)`;
    }
}
const MAX_LINE = 200;
/**
 * The error as the suite can reason about it: an AWS SDK deserialization failure of a non-JSON body becomes an
 * AwsResponseError naming `call` (e.g. `ecs:UpdateService`), the status and the first line of the body; any
 * other error is returned unchanged.
 */
function classifyAwsResponse(error, call) {
    const e = error;
    if (!e || typeof e !== 'object' || e.name !== 'SyntaxError' || !e.$response)
        return error;
    const status = e.$metadata?.httpStatusCode ?? e.$response.statusCode ?? 0;
    const body = e.$response.body;
    const text = typeof e.$responseBodyText === 'string'
        ? e.$responseBodyText
        : typeof body === 'string'
            ? body
            : body instanceof Uint8Array
                ? Buffer.from(body).toString('utf8')
                : '';
    const headers = e.$response.headers ?? {};
    const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    return new AwsResponseError(call, status, contentType.split(';')[0].trim(), text);
}
/** `<Code>` and `<Message>` of an AWS XML error body (`<ErrorResponse><Error>…` or `<Error>…`). */
function xmlError(body) {
    const code = /<Code>\s*([A-Za-z0-9_.:-]{1,100})\s*<\/Code>/.exec(body)?.[1];
    if (!code)
        return undefined;
    const message = /<Message>([\s\S]*?)<\/Message>/.exec(body)?.[1];
    return { code, message: message === undefined ? undefined : clip(decode(message)) };
}
/** An HTML page's title, else the first line of the body that has text, without tags. */
function firstLine(body) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
    if (title?.trim())
        return clip(decode(title));
    for (const line of body.split(/\r?\n/)) {
        const text = decode(line.replace(/<[^>]*>/g, ' '));
        if (text)
            return clip(text);
    }
    return '';
}
const decode = (text) => text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
const clip = (text) => (text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text);
// Enough for any error page; the rest is read and dropped.
const MAX_BODY = 64 * 1024;
/**
 * Makes an AWS SDK client keep the body of an answer that is not JSON (the SDK reads it as a stream and, when
 * the JSON parse fails, keeps nothing of it), so that `classifyAwsResponse` can quote its first line. Runs
 * between the transport and the SDK's deserializer; JSON answers pass untouched. Idempotent per client.
 */
function keepNonJsonBodies(client) {
    const middleware = (next) => async (args) => {
        const out = await next(args);
        const { response } = out;
        const type = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
        const stream = response.body;
        if (!/json/i.test(type ?? '') && stream && typeof stream[Symbol.asyncIterator] === 'function') {
            response.body = await readCapped(stream);
        }
        return out;
    };
    client.middlewareStack?.add(middleware, {
        step: 'deserialize',
        priority: 'low',
        name: 'slipwayKeepNonJsonBodies',
        override: true,
    });
}
async function readCapped(stream) {
    const chunks = [];
    let size = 0;
    for await (const chunk of stream) {
        if (size < MAX_BODY)
            chunks.push(Buffer.from(chunk).subarray(0, MAX_BODY - size));
        size += chunk.length;
    }
    return new Uint8Array(Buffer.concat(chunks));
}

// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __webpack_require__(51110);
// EXTERNAL MODULE: ../../packages/shared/src/retry.ts
var retry = __webpack_require__(55931);
;// CONCATENATED MODULE: ../../packages/shared/src/ecs/ecs-api.ts






// What ECS says when an input names something that is not there: the input to check.
const HINTS = {
    ClusterNotFoundException: 'Check the "cluster" input.',
    ServiceNotFoundException: 'Check the "service"/"services" and "cluster" inputs.',
    ServiceNotActiveException: 'The service is being deleted or was deleted: check the "service" input.',
    ClientException: 'Check the task definition and the inputs that name things in it.',
    InvalidParameterException: 'Check the task definition and the inputs.',
};
/** ECS refusing a request on the user's account (a 4xx it will not change its mind about) is a UserError. */
function refusal(error, call) {
    const e = error;
    if (error instanceof errors/* UserError */.yo || e.$fault !== 'client' || (0,retry/* isTransient */.dg)(error))
        return error;
    const hint = HINTS[e.name ?? ''] ?? '';
    return new errors/* UserError */.yo(`ECS refused ecs:${call} (${e.name}: ${e.message}).${hint ? ` ${hint}` : ''}`);
}
const UNSUPPORTED = new Set(['UnknownOperationException', 'UnsupportedFeatureException', 'InvalidAction']);
/**
 * Whether an error of an optional ECS API (the service-deployments calls) says at once "this ECS, or this role,
 * does not offer it": an unknown operation, access denied, HTTP 501 or 404 (an emulator's "not implemented",
 * LocalStack's 501 InternalFailure), or a 4xx answer that is not AWS JSON. Never worth another try.
 */
function apiNotOffered(error) {
    const e = error;
    const status = e?.$metadata?.httpStatusCode ?? 0;
    return (UNSUPPORTED.has(e?.name ?? '') ||
        (0,client_config/* awsAuthProblem */.z0)(error) === 'access-denied' ||
        status === 501 ||
        status === 404 ||
        (e?.name === 'NonJsonResponse' && status < 500));
}
/**
 * The same once the retries are over: an answer that is still not AWS JSON (an HTML 500 page from an emulator
 * without the API) counts too, so the caller goes on through DescribeServices alone.
 */
const apiUnavailable = (error) => apiNotOffered(error) || error?.name === 'NonJsonResponse';
/** Sends one SDK command, with a non-JSON answer turned into an AwsResponseError naming `ecs:<name>`. */
const classifiedEcsCall = (name, fn) => () => fn().catch((error) => {
    throw classifyAwsResponse(error, `ecs:${name}`);
});
/** How the retry log names an error: the status for a non-JSON answer, else its name. */
const retryLabel = (error) => error.label ?? error.name;
function createEcsApi(options, client = new dist_cjs/* ECSClient */.Zgc((0,client_config/* awsClientConfig */.rw)(options))) {
    keepNonJsonBodies(client);
    let serviceDeploymentsUsable = true;
    let retried = 0;
    const log = options.log ?? ((line) => core.info(line));
    const notice = options.notice ?? ((message) => core.notice(message));
    const attempt = (name, fn, retryable = retry/* isTransient */.dg) => (0,retry/* retry */.L5)(classifiedEcsCall(name, fn), {
        attempts: 6,
        baseDelayMs: options.retryBaseDelayMs ?? 1000,
        maxDelayMs: 20_000,
        retryable,
        onRetry: (error, n, delay) => {
            retried++;
            log(`ecs:${name} - ${retryLabel(error)}; try ${n + 1} in ${delay}ms`);
        },
    });
    const call = (name, fn) => attempt(name, fn).catch((error) => {
        throw refusal((0,client_config/* explainAwsError */.Ni)(error, `ecs:${name}`), name);
    });
    return {
        retries: () => retried,
        async describeServices(cluster, names) {
            const found = [];
            for (let i = 0; i < names.length; i += 10) {
                const chunk = names.slice(i, i + 10);
                const out = await call('DescribeServices', () => client.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: chunk })));
                for (const failure of out.failures ?? []) {
                    throw new errors/* UserError */.yo(`ECS service ${failure.arn} in cluster ${cluster}: ${failure.reason}${failure.detail ? ` (${failure.detail})` : ''}. ` +
                        'Check the "service" and "cluster" inputs.');
                }
                found.push(...(out.services ?? []));
            }
            for (const name of names) {
                const service = found.find((s) => s.serviceName === name || s.serviceArn === name);
                if (!service)
                    throw new errors/* UserError */.yo(`ECS service ${name} was not found in cluster ${cluster}.`);
                if (service.status !== 'ACTIVE') {
                    throw new errors/* UserError */.yo(`ECS service ${name} in cluster ${cluster} is ${service.status}, not ACTIVE.`);
                }
            }
            return names.map((name) => found.find((s) => s.serviceName === name || s.serviceArn === name));
        },
        async describeTaskDefinition(ref) {
            const out = await call('DescribeTaskDefinition', () => client.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: ref })));
            if (!out.taskDefinition)
                throw new errors/* UserError */.yo(`ECS returned no task definition for ${ref}.`);
            return out.taskDefinition;
        },
        async findTaskDefinition(ref) {
            try {
                const out = await attempt('DescribeTaskDefinition', () => client.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: ref })));
                return out.taskDefinition;
            }
            catch (error) {
                if (error.name === 'ClientException')
                    return undefined;
                throw refusal((0,client_config/* explainAwsError */.Ni)(error, 'ecs:DescribeTaskDefinition'), 'DescribeTaskDefinition');
            }
        },
        async registerTaskDefinition(def) {
            const out = await call('RegisterTaskDefinition', () => client.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(def)));
            return out.taskDefinition;
        },
        async updateService(input) {
            const out = await call('UpdateService', () => client.send(new dist_cjs/* UpdateServiceCommand */.kZr(input)));
            return out.service;
        },
        async describeServiceDeployment(arn) {
            if (!serviceDeploymentsUsable)
                return undefined;
            try {
                const out = await attempt('DescribeServiceDeployments', () => client.send(new dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: [arn] })), (error) => (0,retry/* isTransient */.dg)(error) && !apiNotOffered(error));
                return out.serviceDeployments?.[0];
            }
            catch (error) {
                if (!apiUnavailable(error))
                    throw (0,client_config/* explainAwsError */.Ni)(error, 'ecs:DescribeServiceDeployments');
                serviceDeploymentsUsable = false;
                notice(`ecs:DescribeServiceDeployments is not available (${error.message}); ` +
                    'following the deployment through DescribeServices alone.');
                return undefined;
            }
        },
        async continueServiceDeployment(serviceDeploymentArn, hookId, action) {
            await call('ContinueServiceDeployment', () => client.send(new dist_cjs/* ContinueServiceDeploymentCommand */.LrH({ serviceDeploymentArn, hookId, action })));
        },
        async stopServiceDeployment(serviceDeploymentArn) {
            await call('StopServiceDeployment', () => client.send(new dist_cjs/* StopServiceDeploymentCommand */.a8L({ serviceDeploymentArn, stopType: 'ROLLBACK' })));
        },
        async stoppedTasks(cluster, service, limit) {
            const list = await call('ListTasks', () => client.send(new dist_cjs/* ListTasksCommand */.MYg({
                cluster,
                serviceName: service,
                desiredStatus: 'STOPPED',
                maxResults: limit,
            })));
            const arns = (list.taskArns ?? []).slice(0, limit);
            if (!arns.length)
                return [];
            const out = await call('DescribeTasks', () => client.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: arns })));
            return out.tasks ?? [];
        },
    };
}

// EXTERNAL MODULE: ./src/report/parenthetical.ts
var parenthetical = __webpack_require__(17849);
// EXTERNAL MODULE: ./src/targets.ts
var targets = __webpack_require__(57136);
// EXTERNAL MODULE: ../../packages/shared/src/duration.ts
var duration = __webpack_require__(70833);
// EXTERNAL MODULE: ../../packages/shared/src/ecs/ecs-deployment-state.ts
var ecs_deployment_state = __webpack_require__(73884);
;// CONCATENATED MODULE: ../../packages/shared/src/ecs/poll-schedule.ts
// How often the ECS wait asks: `poll-interval` while failures usually show (the first minutes) and whenever
// something moves, slower while a long deployment sits still. Pure: the watch feeds it what the last poll saw.
const EARLY_PHASE_MS = 120_000;
const POLL_GROWTH = 1.5;
const POLL_CAP_MS = 30_000;
function pollSchedule(pollIntervalMs) {
    return {
        baseMs: pollIntervalMs,
        earlyMs: EARLY_PHASE_MS,
        growth: POLL_GROWTH,
        capMs: Math.max(pollIntervalMs, POLL_CAP_MS),
    };
}
/**
 * The next wait. Throttling wins over everything: ECS asked us to slow down, so the pace grows even early or
 * after a change (the retry's own back-off got that one poll through). Otherwise a change or the early phase
 * means `baseMs`, and a quiet poll after it grows the pace by `growth`, up to `capMs`. Never past the deadline,
 * so the last poll still happens at it.
 */
function nextPollDelay(schedule, moment) {
    const { baseMs, earlyMs, growth, capMs } = schedule;
    const grown = Math.min(capMs, Math.max(baseMs, Math.round((moment.previousMs ?? baseMs) * growth)));
    const quiet = !moment.changed && moment.elapsedMs >= earlyMs;
    const intervalMs = moment.throttled || quiet ? grown : baseMs;
    return { intervalMs, sleepMs: Math.max(0, Math.min(intervalMs, moment.leftMs)) };
}

;// CONCATENATED MODULE: ../../packages/shared/src/ecs/ecs-deployment-watch.ts



/**
 * Polls ECS until `observeEcsDeployment` decides, at `pollIntervalMs` for the first minutes and after any change,
 * slower while nothing moves (`nextPollDelay`). Throttling and network errors back off (longer each time, up to
 * the deadline) instead of failing the wait, and keep the pace from dropping back; credential and permission
 * errors end it at once, as themselves. The last poll happens at the deadline, so a deployment that finishes
 * just in time counts.
 */
async function watchEcsDeployment(api, target, options) {
    const now = options.now ?? Date.now;
    const wait = options.sleep ?? retry/* sleep */.yy;
    let state = (0,ecs_deployment_state/* initialEcsWatchState */.WU)(target, options.seenEvents);
    const events = [];
    const schedule = pollSchedule(options.pollIntervalMs);
    let pace;
    const answered = new Set();
    for (let polls = 1;; polls++) {
        let snapshot;
        let throttled = false;
        const retriedBefore = api.retries?.() ?? 0;
        try {
            snapshot = await (0,retry/* retry */.L5)(() => takeSnapshot(api, target, options.cluster, options.service, now), {
                attempts: Number.POSITIVE_INFINITY,
                baseDelayMs: options.pollIntervalMs,
                maxDelayMs: Math.max(options.pollIntervalMs * 8, 1000),
                deadlineMs: Math.max(0, target.deadline - now()),
                retryable: retry/* isTransient */.dg,
                onRetry: (error, _attempt, delay) => {
                    throttled = true;
                    options.onRetry?.(error, delay);
                },
                sleep: wait,
                now,
            });
        }
        catch (error) {
            if (!(0,retry/* isTransient */.dg)(error))
                throw error;
            const reason = `ECS could not be polled until wait-timeout ran out (last error: ${error.name}: ${error.message})`;
            return { outcome: 'timed-out', reason, state, events, polls };
        }
        throttled ||= (api.retries?.() ?? 0) > retriedBefore;
        const step = (0,ecs_deployment_state/* observeEcsDeployment */.$U)(state, snapshot);
        state = step.state;
        for (const event of step.events)
            options.onEvent?.(event);
        for (const note of step.notes)
            options.onNote?.(note);
        events.push(...step.events);
        if (step.decision)
            return { ...step.decision, state, events, polls };
        if (step.paused && options.onPause && !answered.has(step.paused.hookId)) {
            answered.add(step.paused.hookId);
            await options.onPause(step.paused);
            pace = undefined;
            continue;
        }
        const at = now();
        const next = nextPollDelay(schedule, {
            elapsedMs: at - target.startedAt,
            leftMs: target.deadline - at,
            previousMs: pace,
            changed: step.changed,
            throttled,
        });
        pace = next.intervalMs;
        await wait(next.sleepMs);
    }
}
async function takeSnapshot(api, target, cluster, service, now) {
    // One after the other, the service last: it is then at least as new as the service deployment, so a
    // deployment STOPPED because a newer one started is seen together with that newer one.
    const serviceDeployment = target.serviceDeploymentArn
        ? await api.describeServiceDeployment(target.serviceDeploymentArn)
        : undefined;
    const [described] = await api.describeServices(cluster, [service]);
    return { at: now(), service: described, serviceDeployment };
}

;// CONCATENATED MODULE: ../../packages/shared/src/ecs/stopped-tasks.ts
const LIMIT = 10;
/**
 * The stopped tasks of the service that our deployment started (ECS sets `startedBy` to the deployment id);
 * all recently stopped tasks of the service when none carries it. Reporting never fails the step: if ECS
 * will not tell, the deploy's own outcome still stands.
 */
async function summariseStoppedTasks(api, cluster, service, deploymentId) {
    let tasks;
    try {
        tasks = await api.stoppedTasks(cluster, service, LIMIT * 5);
    }
    catch {
        return [];
    }
    const ours = tasks.filter((t) => deploymentId && t.startedBy === deploymentId);
    return (ours.length ? ours : tasks)
        .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
        .slice(0, LIMIT)
        .map(toStoppedTask);
}
function toStoppedTask(task) {
    return {
        taskArn: task.taskArn ?? '?',
        taskDefinitionArn: task.taskDefinitionArn,
        stopCode: task.stopCode,
        stoppedReason: task.stoppedReason,
        containers: (task.containers ?? []).map((c) => ({
            name: c.name ?? '?',
            exitCode: c.exitCode,
            reason: c.reason,
            health: c.healthStatus,
        })),
    };
}
/** One line per task, with its containers' exit codes and reasons. */
function formatStoppedTask(task) {
    const id = task.taskArn.split('/').pop();
    const containers = task.containers
        .map((c) => {
        const exit = c.exitCode === undefined ? '' : ` exit ${c.exitCode}`;
        const health = c.health && c.health !== 'UNKNOWN' ? ` ${c.health}` : '';
        return `${c.name}:${exit}${health}${c.reason ? ` (${c.reason})` : ''}`;
    })
        .join('; ');
    return `task ${id}: ${task.stopCode ?? 'stopped'} - ${task.stoppedReason ?? 'no reason given'}${containers ? ` | ${containers}` : ''}`;
}

;// CONCATENATED MODULE: ../../packages/shared/src/ecs/deploy-service.ts







/** Refuses services whose deployments are not ECS's own before anything is changed. */
function checkController(service) {
    const type = service.deploymentController?.type ?? 'ECS';
    if (type !== 'ECS') {
        throw new errors/* UserError */.yo(`ECS service ${service.serviceName} uses the ${type} deployment controller; deploy-ecs deploys services with ` +
            'the ECS controller (rolling, blue/green, linear and canary strategies). Use CodeDeploy for this one.');
    }
}
/**
 * Whether a deploy leaves the service as it is: it already runs the definition, no new deployment is forced,
 * and its desired count stays (deployService, and deploy-ecs's dry run, decide by this one rule).
 */
function serviceUnchanged(current, taskDefinitionArn, options) {
    return (current.taskDefinition === taskDefinitionArn &&
        !options.forceNewDeployment &&
        (options.desiredCount === undefined || options.desiredCount === current.desiredCount));
}
/**
 * Puts one service on the task definition, follows the deployment UpdateService started to its outcome and,
 * when it failed or timed out and ECS did not roll back itself, puts the service back on its previous
 * definition and follows that too.
 */
async function deployService(api, current, options) {
    const name = current.serviceName;
    const previous = current.taskDefinition;
    const base = {
        service: name,
        taskDefinitionArn: options.taskDefinitionArn,
        previousTaskDefinitionArn: previous,
    };
    if (serviceUnchanged(current, options.taskDefinitionArn, options)) {
        options.log(`${name}: already runs ${previous}; nothing to deploy.`);
        const result = { ...base, status: 'unchanged', reason: 'already on this task definition' };
        return { ...result, rolledBack: false, events: [], seenEvents: [], stoppedTasks: [] };
    }
    if ((options.desiredCount ?? current.desiredCount) === 0) {
        options.log(`${name}: desired count is 0, so no task will run the new definition and nothing proves it healthy.`);
    }
    const { ecsTriedRollback, ...first } = await follow(api, name, options.taskDefinitionArn, options, {
        first: true,
    });
    const result = {
        ...base,
        ...first,
        rolledBack: first.status === 'rolled-back',
        stoppedTasks: [],
    };
    if (!isFailure(first.status) || first.notStarted || first.status === 'unknown')
        return result;
    result.stoppedTasks = await summariseStoppedTasks(api, options.cluster, name, first.deploymentId);
    if ((first.status !== 'failed' && first.status !== 'timed-out') || !options.rollbackOnFailure)
        return result;
    if (ecsTriedRollback) {
        options.log(`${name}: ECS already tried to roll back; not rolling back again.`);
    }
    else if (!previous || previous === options.taskDefinitionArn) {
        options.log(`${name}: ${first.status} - no previous task definition to roll back to.`);
    }
    else {
        options.log(`${name}: ${first.status} - rolling back to ${previous} (rollback-on-failure).`);
        await rollBackService(api, result, options);
    }
    return result;
}
/**
 * Puts the service of `result` back on its previous task definition, follows that deployment and records it
 * on `result`. Its wait shows every event not in `result.seenEvents`, even one ECS recorded before the rollback's
 * UpdateService; `because`: why, when it is not this service's own failure.
 */
async function rollBackService(api, result, options, because) {
    const previous = result.previousTaskDefinitionArn;
    const back = await follow(api, result.service, previous, { ...options, forceNewDeployment: false }, { seen: result.seenEvents });
    result.rollback = {
        status: back.status,
        reason: back.reason,
        deploymentId: back.deploymentId,
        ...(because ? { because } : {}),
    };
    // Not waited for (wait: false): started is as far as any deployment of this run goes.
    result.rolledBack = back.status === 'succeeded' || back.status === 'started';
    result.events.push(...back.events);
    result.seenEvents = back.seenEvents;
    result.finalState = back.finalState;
}
const isFailure = (status) => !['succeeded', 'started', 'unchanged'].includes(status);
/**
 * UpdateService, then the wait. Whatever AWS error either step meets ends as a status, never thrown, so that
 * a run over several services still knows what it moved: refused before a deployment started (failed, not
 * started), or started but no longer followed (unknown). Bugs are thrown.
 */
async function follow(api, name, taskDefinition, options, how) {
    let started;
    try {
        return await updateAndWatch(api, name, taskDefinition, options, how, (id) => {
            started = id;
        });
    }
    catch (thrown) {
        const error = (0,errors/* toError */.iT)(thrown);
        if ((0,errors/* isBug */.X9)(error))
            throw error;
        const seenEvents = how.seen ?? [];
        if (!started) {
            options.log(`${name}: no deployment started: ${error.message}`);
            const reason = `not started: ${error.message}`;
            return { status: 'failed', reason, notStarted: true, events: [], seenEvents };
        }
        options.log(`${name}: ${started} could not be followed to its end: ${error.message}`);
        return {
            status: 'unknown',
            reason: `the deployment could not be followed to its end: ${error.message}`,
            deploymentId: started,
            events: [],
            seenEvents,
        };
    }
}
async function updateAndWatch(api, name, taskDefinition, options, how, onStarted) {
    const now = options.now ?? Date.now;
    const startedAt = now();
    const updated = await api.updateService({
        cluster: options.cluster,
        service: name,
        taskDefinition,
        forceNewDeployment: options.forceNewDeployment,
        ...(how.first && options.desiredCount !== undefined ? { desiredCount: options.desiredCount } : {}),
    });
    const ours = updated.deployments?.find((d) => d.status === 'PRIMARY');
    if (!ours?.id)
        throw new Error(`UpdateService on ${name} returned no PRIMARY deployment.`);
    onStarted(ours.id);
    options.onDeploymentStarted?.(name, taskDefinition, how.first === true);
    options.log(`${name}: deployment ${ours.id} started (${taskDefinition}).`);
    if (!options.wait) {
        return {
            status: 'started',
            reason: 'not waited for (wait: false)',
            deploymentId: ours.id,
            events: [],
            seenEvents: [],
        };
    }
    const { baseMs, capMs } = pollSchedule(options.pollIntervalMs);
    options.log(`${name}: waiting up to ${(0,duration/* formatDuration */.a3)(options.waitTimeoutMs)} for ECS, asking every ${(0,duration/* formatDuration */.a3)(baseMs)}` +
        (capMs > baseMs ? ` (less often, up to every ${(0,duration/* formatDuration */.a3)(capMs)}, while nothing moves).` : '.'));
    const watched = await watchEcsDeployment(api, {
        deploymentId: ours.id,
        serviceDeploymentArn: updated.currentServiceDeployment,
        taskDefinitionArn: taskDefinition,
        startedAt,
        deadline: startedAt + options.waitTimeoutMs,
    }, {
        cluster: options.cluster,
        service: name,
        pollIntervalMs: options.pollIntervalMs,
        onEvent: (e) => options.log(`${name}: ${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`),
        onNote: (note) => options.log(`${name}: ${ours.id} ${note}`),
        onRetry: (error, delay) => options.log(`${name}: polling ECS failed (${retryLabel(error)}); next try in ${delay}ms`),
        onPause: options.onPause && ((pause) => options.onPause(name, pause, how.first === true)),
        now,
        sleep: options.sleep,
        // The first wait: what UpdateService answered with is history; only what comes after is news. A later
        // wait (a rollback): exactly what the earlier wait saw. Its UpdateService answer may hold events ECS
        // recorded after that wait's last poll, which nobody has shown yet.
        seenEvents: how.seen ?? (updated.events ?? []).map(ecs_deployment_state/* ecsEventKey */.nH),
    });
    options.log(`${name}: ${watched.outcome} - ${watched.reason}`);
    return {
        status: watched.outcome,
        reason: watched.reason,
        deploymentId: ours.id,
        events: watched.events,
        finalState: watched.state.lastProgress ?? (0,ecs_deployment_state/* describeEcsDeployment */.o_)(ours),
        seenEvents: watched.state.seenEvents,
        ecsTriedRollback: watched.ecsTriedRollback,
    };
}

// EXTERNAL MODULE: ./src/records/bad-marks.ts
var bad_marks = __webpack_require__(7587);
;// CONCATENATED MODULE: ./src/ecs/choose-task-definition.ts
/**
 * What ECS's own memory offers for one service: its newest deployment (in flight, failed, rolled back or
 * completed) is what is rolled away from; the task definitions of the deployments ECS reports SUCCESSFUL with
 * another one, newest first, each once, are the candidates to restore. Never "revision minus one": revisions
 * that never ran successfully are not candidates. Where ListServiceDeployments is not offered,
 * DescribeServices' COMPLETED deployments are all there is.
 */
function ecsCandidates(service, past) {
    if (past) {
        const from = past[0]?.taskDefinition ?? service.taskDefinition;
        const ok = past.filter((d) => d.status === 'SUCCESSFUL').map((d) => d.taskDefinition);
        return { from, candidates: others(ok, from) };
    }
    const newest = [...(service.deployments ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    const from = newest[0]?.taskDefinition ?? service.taskDefinition;
    const ok = newest.filter((d) => d.rolloutState === 'COMPLETED').map((d) => d.taskDefinition);
    return { from, candidates: others(ok, from) };
}
const others = (arns, from) => [
    ...new Set(arns.filter((a) => Boolean(a) && a !== from)),
];
/** "ECS remembers no successful deployment of web with a task definition other than …". */
function nothingInEcs(service) {
    return (`ECS remembers no successful deployment of ${service.serviceName ?? '?'} with a task definition other ` +
        `than ${service.taskDefinition ?? 'the current one'}`);
}

// EXTERNAL MODULE: ../../packages/shared/src/deployments/release-history.ts
var release_history = __webpack_require__(88022);
;// CONCATENATED MODULE: ./src/ecs/skip-marked.ts


function describeOnce(api) {
    const described = new Map();
    return (arn) => {
        let def = described.get(arn);
        if (!def) {
            def = api.describeTaskDefinition(arn);
            described.set(arn, def);
        }
        return def;
    };
}
/**
 * How many of a service's past task definitions are looked at, newest first: each may cost a
 * DescribeTaskDefinition (only while digests are marked bad), so a long run of bad ones cannot turn into
 * a call per revision ECS remembers.
 */
const MAX_CANDIDATES = 10;
/**
 * Why the records forbid restoring a task definition, if they do: its ARN ran in a deployment marked bad (or
 * rolled away from), or one of its containers' images is pinned to such a digest. It is described only when
 * some digest is marked.
 */
async function badMarkOf(arn, avoid, describe) {
    const byArn = avoid.taskDefinitions.get(arn);
    if (byArn)
        return `${arn}: ran in ${byArn}`;
    if (!avoid.digests.size)
        return undefined;
    const def = await describe(arn);
    for (const container of def.containerDefinitions ?? []) {
        const digest = (0,release_history/* imageDigest */.Wf)(container.image ?? '');
        const why = digest && avoid.digests.get(digest);
        if (why)
            return `${arn}: its image ${container.image} ran in ${why}`;
    }
    return undefined;
}
/**
 * ECS's choice for one service (the newest successful deployment with another task definition), skipping what
 * the records forbid: ECS reports a deployment SUCCESSFUL that a rollback later marked bad. Returns the choice
 * (undefined when nothing is left within MAX_CANDIDATES) and what was skipped, with why.
 */
async function chooseFromEcsHistory(service, past, avoid, describe) {
    const { from, candidates } = ecsCandidates(service, past);
    const skipped = [];
    if (!from)
        return { skipped };
    for (const to of candidates.slice(0, MAX_CANDIDATES)) {
        const why = await badMarkOf(to, avoid, describe);
        if (!why)
            return { choice: { from, to }, skipped };
        skipped.push(why);
    }
    return { skipped };
}
/** " Skipped, as the deployment records forbid them: a; b." for a notice or an error, or "" when none. */
function skippedText(skipped) {
    return skipped.length ? ` Skipped, as the deployment records forbid them: ${skipped.join('; ')}.` : '';
}

;// CONCATENATED MODULE: ./src/ecs/ecs-plan.ts





/**
 * Decides, for every service, what it is rolled away from and back to, and checks that the services exist and
 * that every task definition to restore is still ACTIVE. Changes nothing, so a wrong name or a deregistered
 * revision costs no side effect: no service is moved while another one cannot be. What `avoid` holds (the
 * records' bad marks) is never restored from ECS's history, nor named by `to`.
 */
async function planEcsRollback(inputs, source, deps, avoid = bad_marks/* NO_BAD_MARKS */.N) {
    const { api } = deps;
    const choosing = { avoid, describe: describeOnce(api), notice: deps.notice ?? core.notice };
    const services = await api.describeServices(inputs.cluster, inputs.services);
    services.forEach(checkController);
    // With an explicit "to", ECS's history only serves to stop a deployment in flight: DescribeServices will do
    // where the service-deployments API fails (missing, denied, not emulated).
    const optional = 'explicit' in source;
    const histories = await Promise.all(services.map((s) => deps.deployments.history(inputs.cluster, s.serviceName, { optional })));
    const explicit = 'explicit' in source ? await resolveExplicit(source.explicit, choosing) : undefined;
    const plans = await Promise.all(services.map(async (service, i) => {
        const past = histories[i];
        const newest = past?.[0]?.taskDefinition ?? service.taskDefinition ?? '';
        if (explicit)
            return { service, past, from: newest, to: explicit };
        if ('record' in source) {
            const recorded = source.record.payload?.taskDefinitions?.[service.serviceName];
            if (recorded)
                return { service, past, from: newest, to: recorded };
            return { service, past, ...(await uncovered(service, past, source.record, choosing)) };
        }
        return { service, past, ...(await fromEcs(service, past, choosing)) };
    }));
    const definitions = await describeRestored(choosing.describe, plans);
    return { services: plans, images: imagesOf(plans, definitions) };
}
/**
 * A service the chosen record does not cover (a deploy of some services only) goes back to its own last
 * successful task definition in ECS's history, never to another service's: the record says nothing about it.
 * With nothing there either, the whole rollback is refused.
 */
async function uncovered(service, past, record, choosing) {
    const name = service.serviceName;
    const covers = Object.keys(record.payload?.taskDefinitions ?? {}).join(', ') || 'no service';
    const { choice, skipped } = await chooseFromEcsHistory(service, past, choosing.avoid, choosing.describe);
    if (!choice) {
        throw new errors/* UserError */.yo(`Deployment #${record.id}, the release to restore, recorded no task definition for ${name} (it covers ` +
            `${covers}), and ${nothingInEcs(service)}${skipped.length ? ' that the records allow' : ''}. ` +
            `Nothing was changed.${skippedText(skipped)} Leave ${name} out of "services", or name the task ` +
            'definition to restore with "to".');
    }
    choosing.notice(`Deployment #${record.id}, the release to restore, recorded no task definition for ${name} (it covers ` +
        `${covers}): ${name} goes back to its own last successful task definition in ECS's history, ${choice.to}.` +
        skippedText(skipped));
    return choice;
}
/** Without a record to restore, ECS's history decides (see chooseFromEcsHistory); nothing there refuses. */
async function fromEcs(service, past, choosing) {
    const { choice, skipped } = await chooseFromEcsHistory(service, past, choosing.avoid, choosing.describe);
    if (!choice) {
        throw new errors/* UserError */.yo(`Nothing to roll back to: ${nothingInEcs(service)}${skipped.length ? ' that the records allow' : ''}, ` +
            `and there are no deployment records (see the notice above).${skippedText(skipped)} ` +
            'Name the task definition to restore with "to".');
    }
    if (skipped.length) {
        choosing.notice(`${service.serviceName} goes back to ${choice.to} from ECS's history.${skippedText(skipped)}`);
    }
    return choice;
}
/** Resolves family:revision to its ARN and proves it exists, for `to`; one the records forbid is refused. */
async function resolveExplicit(explicit, choosing) {
    if (explicit.kind !== 'task-definition') {
        throw new errors/* UserError */.yo(`Input "to": no deployment record runs ${explicit.kind === 'digest' ? explicit.digest : 'that release'}, ` +
            'and ECS cannot be searched by image digest. Name the task-definition ARN to restore instead.');
    }
    const arn = (await choosing.describe(explicit.ref)).taskDefinitionArn;
    const why = await badMarkOf(arn, choosing.avoid, choosing.describe);
    if (why) {
        throw new errors/* UserError */.yo(`Input "to" names a task definition the deployment records forbid - ${why}. Nothing was changed; ` +
            'choose another release.');
    }
    return arn;
}
/**
 * Every task definition to restore, described once; a deregistered (INACTIVE) one refuses the whole rollback
 * up front, naming the services that would need it.
 */
async function describeRestored(describe, plans) {
    const arns = [...new Set(plans.map((p) => p.to))];
    const defs = await Promise.all(arns.map((arn) => describe(arn)));
    const inactive = defs
        .map((def, i) => ({ def, arn: arns[i] }))
        .filter(({ def }) => def.status === 'INACTIVE')
        .map(({ def, arn }) => {
        const users = plans.filter((p) => p.to === arn).map((p) => p.service.serviceName);
        return `${users.join(', ')}: ${def.taskDefinitionArn ?? arn}`;
    });
    if (inactive.length) {
        throw new errors/* UserError */.yo(`Cannot roll back: the task definition to restore is deregistered (INACTIVE), and ECS cannot run it - ` +
            `${inactive.join('; ')}. Nothing was changed. Register that revision again and name it with "to", or ` +
            'choose another release.');
    }
    return new Map(defs.map((def, i) => [arns[i], def]));
}
/** Container name -> image over every restored task definition; a name two of them use differently is qualified. */
function imagesOf(plans, defs) {
    const images = {};
    for (const plan of plans) {
        for (const c of defs.get(plan.to)?.containerDefinitions ?? []) {
            const name = c.name ?? '';
            const key = images[name] === undefined || images[name] === c.image ? name : `${plan.service.serviceName}/${name}`;
            images[key] = c.image ?? '';
        }
    }
    return images;
}

;// CONCATENATED MODULE: ../../packages/shared/src/ecs/answer-pause.ts
/**
 * Answers one pause of a deployment (ContinueServiceDeployment) and logs the answer with why. A refusal only
 * warns: ECS may have decided meanwhile (the hook timed out, the circuit breaker tripped), and the wait reads it.
 */
async function answerPause(api, service, pause, answer, say) {
    say.log(`${service}: ${answer.reason}: ${answer.action} (ContinueServiceDeployment).`);
    try {
        if (!api.continueServiceDeployment)
            throw new Error('this ECS client cannot answer pauses');
        await api.continueServiceDeployment(pause.serviceDeploymentArn, pause.hookId, answer.action);
    }
    catch (error) {
        say.warning(`${service}: could not answer the pause at ${pause.stage} with ${answer.action} (${error.message}). ` +
            `If the deployment still waits there, answer it: aws ecs continue-service-deployment --service-deployment-arn ${pause.serviceDeploymentArn} --hook-id ${pause.hookId} --action ${answer.action}.`);
    }
}

;// CONCATENATED MODULE: ./src/ecs/service-deployments.ts




const CALL = Symbol('the ECS call that failed');
const REFUSED = new Set(['ConflictException', 'InvalidParameterException', 'ClientException']);
const PAGE = 20;
function createServiceDeploymentsApi(client, options = {}) {
    const notice = options.notice ?? ((message) => core.notice(message));
    keepNonJsonBodies(client);
    // Each failure carries the call that failed, for the error or the notice.
    const call = (name, fn) => (0,retry/* retry */.L5)(classifiedEcsCall(name, fn), {
        attempts: 6,
        baseDelayMs: options.retryBaseDelayMs ?? 1000,
        retryable: (error) => (0,retry/* isTransient */.dg)(error) && !apiNotOffered(error),
    }).catch((error) => {
        if (error && typeof error === 'object')
            Object.assign(error, { [CALL]: name });
        throw error;
    });
    return {
        async history(cluster, service, how = {}) {
            try {
                return await readHistory(client, call, cluster, service);
            }
            catch (error) {
                const name = error[CALL] ?? 'ListServiceDeployments';
                if (!(error instanceof Error) || (0,errors/* isBug */.X9)(error) || (!apiUnavailable(error) && !how.optional)) {
                    throw (0,client_config/* explainAwsError */.Ni)(error, `ecs:${name}`);
                }
                notice(`ecs:${name} is not available ${(0,parenthetical/* parenthetical */.j)((0,client_config/* explainAwsError */.Ni)(error, `ecs:${name}`).message)}; ` +
                    'rollback sees only the deployments DescribeServices still shows.');
                return undefined;
            }
        },
        async stopWithRollback(arn) {
            try {
                await call('StopServiceDeployment', () => client.send(new dist_cjs/* StopServiceDeploymentCommand */.a8L({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })));
                return { stopped: true };
            }
            catch (error) {
                if (apiUnavailable(error) || REFUSED.has(error.name)) {
                    return { stopped: false, why: `${error.name}: ${error.message}` };
                }
                throw (0,client_config/* explainAwsError */.Ni)(error, 'ecs:StopServiceDeployment');
            }
        },
    };
}
/** ListServiceDeployments, then DescribeServiceDeployments and DescribeServiceRevisions for what it lists. */
async function readHistory(client, call, cluster, service) {
    const listed = await call('ListServiceDeployments', () => client.send(new dist_cjs/* ListServiceDeploymentsCommand */.jz8({ cluster, service, maxResults: PAGE })));
    const arns = (listed.serviceDeployments ?? [])
        .map((b) => b.serviceDeploymentArn)
        .filter((a) => Boolean(a));
    if (!arns.length)
        return [];
    const described = await call('DescribeServiceDeployments', () => client.send(new dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: arns })));
    const deployments = described.serviceDeployments ?? [];
    const revisionArns = [
        ...new Set(deployments.map((d) => d.targetServiceRevision?.arn).filter((a) => !!a)),
    ];
    const revisions = revisionArns.length
        ? await call('DescribeServiceRevisions', () => client.send(new dist_cjs/* DescribeServiceRevisionsCommand */.oF5({ serviceRevisionArns: revisionArns })))
        : { serviceRevisions: [] };
    const taskDefinitionOf = new Map((revisions.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]));
    return arns
        .map((arn) => deployments.find((d) => d.serviceDeploymentArn === arn))
        .filter((d) => d !== undefined)
        .map((d) => ({
        arn: d.serviceDeploymentArn,
        status: d.status ?? 'UNKNOWN',
        taskDefinition: taskDefinitionOf.get(d.targetServiceRevision?.arn),
        createdAt: d.createdAt,
    }));
}
/** Deployments still moving: the ones StopServiceDeployment can stop. */
const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS']);

;// CONCATENATED MODULE: ./src/ecs/ecs-rollback.ts



/**
 * Puts every service back on its restored task definition, one attempt: an in-flight deployment is stopped
 * first (ECS's own ROLLBACK, followed to its end), then deploy-ecs's machinery moves the service and follows
 * that deployment to its outcome. It never rolls back its own rollback.
 */
async function runEcsRollback(inputs, plan, deps) {
    // One service's failure (ECS refusing the update, say) does not stop the others: each ends with a status.
    const results = await Promise.all(plan.services.map((p) => rollbackService(inputs, p, deps).catch((thrown) => {
        const error = (0,errors/* toError */.iT)((0,client_config/* explainAwsError */.Ni)(thrown, 'ecs:UpdateService'));
        if ((0,errors/* isBug */.X9)(error))
            throw error;
        deps.log(`${p.service.serviceName}: the rollback failed: ${error.message}`);
        return {
            service: p.service.serviceName,
            from: p.from,
            to: p.to,
            status: 'failed',
            reason: error.message,
        };
    })));
    return {
        services: results,
        ok: results.every((r) => r.status === 'succeeded' || r.status === 'unchanged'),
    };
}
async function rollbackService(inputs, plan, deps) {
    const name = plan.service.serviceName;
    const now = deps.now ?? Date.now;
    const result = { service: name, from: plan.from, to: plan.to };
    const inFlight = plan.past?.find((d) => IN_FLIGHT.has(d.status) && d.taskDefinition !== plan.to);
    if (inFlight) {
        const stop = await deps.deployments.stopWithRollback(inFlight.arn);
        if (stop.stopped) {
            deps.log(`${name}: stopped the in-flight deployment ${inFlight.arn} (StopServiceDeployment, ROLLBACK).`);
            result.stopped = { arn: inFlight.arn, outcome: await followEcsRollback(inputs, name, deps, now) };
        }
        else {
            deps.log(`${name}: could not stop ${inFlight.arn} ${(0,parenthetical/* parenthetical */.j)(stop.why)}; the rollback deployment replaces it.`);
        }
    }
    const [current] = await deps.api.describeServices(inputs.cluster, [name]);
    const deployed = await deployService(deps.api, current, {
        cluster: inputs.cluster,
        taskDefinitionArn: plan.to,
        desiredCount: undefined,
        forceNewDeployment: false,
        wait: true,
        waitTimeoutMs: inputs.waitTimeoutMs,
        pollIntervalMs: inputs.pollIntervalMs,
        rollbackOnFailure: false,
        // The rollback is itself the decision: each pause of its own deployment (a PAUSE lifecycle hook) is
        // continued, and the health checks and analysis that follow prove the restored release. The watch shows it
        // no other deployment's pause, and with rollbackOnFailure off it makes no deployment but this one.
        onPause: async (service, pause, ours) => {
            if (!ours)
                return;
            const reason = `the rollback's own deployment paused at ${pause.stage}`;
            await answerPause(deps.api, service, pause, { action: 'CONTINUE', reason }, deps);
        },
        log: deps.log,
        now: deps.now,
        sleep: deps.sleep,
    });
    return { ...result, status: deployed.status, reason: deployed.reason };
}
/** Follows the rollback deployment ECS started for a stopped one (the service's new PRIMARY) to its end. */
async function followEcsRollback(inputs, name, deps, now) {
    const startedAt = now();
    const [service] = await deps.api.describeServices(inputs.cluster, [name]);
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    if (!primary?.id)
        return 'ECS showed no rollback deployment';
    const watched = await watchEcsDeployment(deps.api, {
        deploymentId: primary.id,
        taskDefinitionArn: primary.taskDefinition ?? '',
        startedAt,
        deadline: startedAt + inputs.waitTimeoutMs,
    }, {
        cluster: inputs.cluster,
        service: name,
        pollIntervalMs: inputs.pollIntervalMs,
        onEvent: (e) => deps.log(`${name}: ${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`),
        now,
        sleep: deps.sleep,
        seenEvents: (service.events ?? []).map(ecs_deployment_state/* ecsEventKey */.nH),
    });
    deps.log(`${name}: ECS's rollback to ${primary.taskDefinition}: ${watched.outcome} - ${watched.reason}`);
    return `${watched.outcome}: ${watched.reason}`;
}

;// CONCATENATED MODULE: ./src/ecs/ecs-target.ts







/** The real ECS: one SDK client for deploy-ecs's calls and rollback's own. */
function createEcsDeps(inputs, log) {
    const client = new dist_cjs/* ECSClient */.Zgc((0,client_config/* awsClientConfig */.rw)({ region: inputs.region, endpoint: inputs.endpoint }));
    const retryBaseDelayMs = Math.min(1000, inputs.pollIntervalMs);
    return {
        api: createEcsApi({ region: inputs.region, endpoint: inputs.endpoint, retryBaseDelayMs, log }, client),
        deployments: createServiceDeploymentsApi(client, { retryBaseDelayMs }),
    };
}
function ecsTarget(inputs, deps) {
    return {
        async plan(source, avoid) {
            const plan = await planEcsRollback(inputs, 'fallback' in source ? { ecs: true } : source, deps, avoid);
            return {
                from: (0,targets/* uniqueJoin */._)(plan.services.map((s) => s.from)),
                to: (0,targets/* uniqueJoin */._)(plan.services.map((s) => s.to)),
                payload: {
                    images: plan.images,
                    taskDefinitions: Object.fromEntries(plan.services.map((s) => [s.service.serviceName, s.to])),
                },
                async execute() {
                    const result = await runEcsRollback(inputs, plan, deps);
                    return {
                        ok: result.ok,
                        units: result.services.map((s) => ({
                            name: s.service,
                            from: s.from,
                            to: s.to,
                            status: s.status,
                            reason: s.stopped
                                ? `${s.reason} ${(0,parenthetical/* parenthetical */.j)(`stopped ${s.stopped.arn}: ${s.stopped.outcome}`)}`
                                : s.reason,
                        })),
                    };
                },
            };
        },
    };
}


/***/ }),

/***/ 57136:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ uniqueJoin)
/* harmony export */ });
const uniqueJoin = (values) => [...new Set(values.filter(Boolean))].join(',');


/***/ }),

/***/ 73884:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $U: () => (/* binding */ observeEcsDeployment),
/* harmony export */   WU: () => (/* binding */ initialEcsWatchState),
/* harmony export */   nH: () => (/* binding */ ecsEventKey),
/* harmony export */   o_: () => (/* binding */ describeEcsDeployment)
/* harmony export */ });
/* unused harmony exports ECS_ROLLBACK_GRACE_MS, describePause, ecsStrategyOf */
/** ECS marks a deployment FAILED and starts its rollback deployment a moment later: how long to give it. */
const ECS_ROLLBACK_GRACE_MS = 60_000;
/**
 * The state before the first poll. `seenEvents`: keys (`ecsEventKey`) of events not to show again: those in
 * UpdateService's answer, and those an earlier wait of the same run showed.
 */
function initialEcsWatchState(target, seenEvents = []) {
    return { target, seenEvents };
}
/**
 * The wait as a pure function of successive snapshots: what is new, and whether ECS has decided the fate of
 * OUR deployment (the one UpdateService started, by id). ECS's verdicts win as soon as they are visible, so a
 * failure is reported at the first poll after ECS decides; the deadline only matters while ECS has not.
 */
function observeEcsDeployment(state, snapshot) {
    const { target } = state;
    const events = newEvents(state, snapshot.service.events ?? []);
    const ours = snapshot.service.deployments?.find((d) => d.id === target.deploymentId);
    const sd = snapshot.serviceDeployment &&
        (!target.serviceDeploymentArn ||
            snapshot.serviceDeployment.serviceDeploymentArn === target.serviceDeploymentArn)
        ? snapshot.serviceDeployment
        : undefined;
    const notes = [];
    const progress = ours ? describeEcsDeployment(ours) : undefined;
    if (progress && progress !== state.lastProgress)
        notes.push(progress);
    if (sd?.lifecycleStage && sd.lifecycleStage !== state.lastStage)
        notes.push(`lifecycle stage ${sd.lifecycleStage}`);
    const activity = ecsActivity(snapshot.service, sd);
    const paused = pauseOf(sd);
    if (paused && paused.hookId !== state.lastPause)
        notes.push(describePause(paused));
    const next = {
        target,
        lastPause: paused?.hookId ?? state.lastPause,
        lastActivity: activity,
        failedSeenAt: state.failedSeenAt,
        seenEvents: [...state.seenEvents, ...events.map(ecsEventKey)].slice(-500),
        lastProgress: progress ?? state.lastProgress,
        lastStage: sd?.lifecycleStage ?? state.lastStage,
        lastSeen: ours
            ? `${progress}${sd?.status ? `, service deployment ${sd.status}` : ''}${paused ? `, ${describePause(paused)}` : ''}`
            : state.lastSeen,
    };
    const decision = decideFromServiceDeployment(sd, snapshot.service, ours) ??
        decideFromDeployments(next, snapshot, ours, sd !== undefined) ??
        (snapshot.at >= target.deadline ? timedOut(next) : undefined);
    if (!decision && next.failedSeenAt !== undefined && state.failedSeenAt === undefined) {
        notes.push(`FAILED; ECS rolls this service back itself: waiting up to ${rollbackGrace(target) / 1000}s for its rollback deployment`);
    }
    const changed = events.length > 0 || notes.length > 0 || activity !== state.lastActivity;
    return { state: next, events, notes, changed, decision, ...(paused && !decision ? { paused } : {}) };
}
/** The PAUSE hook awaiting an answer on an in-progress service deployment. */
function pauseOf(sd) {
    if (!sd?.serviceDeploymentArn || sd.status !== 'IN_PROGRESS')
        return undefined;
    const hook = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION' && h.hookId);
    if (!hook)
        return undefined;
    return {
        serviceDeploymentArn: sd.serviceDeploymentArn,
        hookId: hook.hookId,
        stage: sd.lifecycleStage ?? 'an unknown stage',
        ...(hook.expiresAt ? { expiresAt: hook.expiresAt.getTime() } : {}),
        ...(hook.timeoutAction ? { timeoutAction: hook.timeoutAction } : {}),
    };
}
/** `paused at POST_TEST_TRAFFIC_SHIFT, waiting for ContinueServiceDeployment (hook …; ROLLBACK at …)`. */
function describePause(pause) {
    const timeout = pause.expiresAt !== undefined
        ? `; ECS takes ${pause.timeoutAction ?? 'its timeout action'} at ${new Date(pause.expiresAt).toISOString()}`
        : '';
    return `paused at ${pause.stage}, waiting for ContinueServiceDeployment (hook ${pause.hookId}${timeout})`;
}
/** The service's deployments (ours and the others: old tasks draining count too) and the service deployment. */
function ecsActivity(service, sd) {
    const deployments = (service.deployments ?? []).map((d) => `${d.id} ${d.status} ${d.rolloutState} ${d.desiredCount}/${d.runningCount}/${d.pendingCount}/${d.failedTasks}`);
    return [...deployments, `${sd?.status} ${sd?.lifecycleStage}`].join('; ');
}
function decideFromServiceDeployment(sd, service, ours) {
    if (!sd)
        return undefined;
    const why = sd.statusReason ?? sd.rollback?.reason ?? ours?.rolloutStateReason;
    const because = why ? `: ${why}` : '';
    switch (sd.status) {
        case 'SUCCESSFUL':
            return { outcome: 'succeeded', reason: `ECS reports the service deployment SUCCESSFUL${because}` };
        case 'ROLLBACK_REQUESTED':
        case 'ROLLBACK_IN_PROGRESS':
        case 'ROLLBACK_SUCCESSFUL':
            return {
                outcome: 'rolled-back',
                reason: `ECS rolled the deployment back (${sd.status})${because}${alarms(sd)}`,
            };
        case 'ROLLBACK_FAILED':
            return {
                outcome: 'failed',
                reason: `ECS tried to roll the deployment back and that failed${because}`,
                ecsTriedRollback: true,
            };
        case 'STOPPED':
        case 'STOP_REQUESTED':
            return newerPrimary(service, ours)
                ? {
                    outcome: 'superseded',
                    reason: `another deployment replaced ours (ours is ${sd.status})${because}`,
                }
                : { outcome: 'failed', reason: `the service deployment was stopped (${sd.status})${because}` };
        default:
            return undefined;
    }
}
/** `state` is the next state: `failedSeenAt` is set there when the grace for ECS's rollback starts. */
function decideFromDeployments(state, snapshot, ours, followsServiceDeployment) {
    const { target } = state;
    const { service } = snapshot;
    const newer = newerPrimary(service, ours, target.startedAt);
    if (ours?.rolloutState === 'FAILED') {
        const reason = ours.rolloutStateReason ?? 'the deployment failed';
        if (newer) {
            const to = newer.taskDefinition ? ` to ${newer.taskDefinition}` : '';
            return { outcome: 'rolled-back', reason: `${reason}; ECS rolls the service back${to}` };
        }
        // ECS fails the deployment first and starts its rollback deployment a moment later: calling it failed in
        // between would start our rollback on top of ECS's. Give ECS a bounded time to show its rollback.
        if (ecsRollsBack(service)) {
            state.failedSeenAt ??= snapshot.at;
            const graceEnd = state.failedSeenAt + rollbackGrace(target);
            if (snapshot.at < graceEnd && snapshot.at < target.deadline)
                return undefined;
            const within = snapshot.at >= graceEnd ? `within ${rollbackGrace(target) / 1000}s` : 'before wait-timeout ran out';
            return {
                outcome: 'failed',
                reason: `${reason}; ECS is set to roll back but started no rollback deployment ${within}`,
            };
        }
        return { outcome: 'failed', reason };
    }
    if (newer) {
        if (isRollback(newer)) {
            return { outcome: 'rolled-back', reason: newer.rolloutStateReason ?? 'ECS rolled the service back' };
        }
        return {
            outcome: 'superseded',
            reason: `deployment ${newer.id} (${newer.taskDefinition}) started after ours and replaced it`,
        };
    }
    if (!ours) {
        return { outcome: 'failed', reason: `deployment ${target.deploymentId} is no longer on the service` };
    }
    if (followsServiceDeployment)
        return undefined; // success only when the service deployment says SUCCESSFUL
    if (ours.status === 'PRIMARY' && ours.rolloutState === 'COMPLETED') {
        return {
            outcome: 'succeeded',
            reason: `ECS reports the deployment COMPLETED (${describeEcsDeployment(ours)})`,
        };
    }
    // Without a rolloutState (older ECS, some controllers) fall back to what the services-stable waiter checks,
    // but never while alarms or a bake time may still roll the deployment back.
    const guarded = service.deploymentConfiguration?.alarms?.enable || ecsStrategyOf(service) !== 'ROLLING';
    if (!ours.rolloutState &&
        !guarded &&
        ours.status === 'PRIMARY' &&
        service.deployments?.length === 1 &&
        ours.runningCount === ours.desiredCount) {
        return { outcome: 'succeeded', reason: `the service is stable (${describeEcsDeployment(ours)})` };
    }
    return undefined;
}
/** ECS rolls back a deployment it fails: the circuit breaker's or the alarms' `rollback` is on. */
function ecsRollsBack(service) {
    const { deploymentCircuitBreaker: breaker, alarms } = service.deploymentConfiguration ?? {};
    return ((breaker?.enable === true && breaker.rollback === true) ||
        (alarms?.enable === true && alarms.rollback === true));
}
const rollbackGrace = (target) => target.ecsRollbackGraceMs ?? ECS_ROLLBACK_GRACE_MS;
/** The PRIMARY deployment when it is not ours and started after ours (or after `since`). */
function newerPrimary(service, ours, since = 0) {
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    if (!primary || primary.id === ours?.id)
        return undefined;
    const after = ours?.createdAt ? ours.createdAt.getTime() : since;
    return !primary.createdAt || primary.createdAt.getTime() >= after ? primary : undefined;
}
const isRollback = (d) => /roll(ing)?[ -]?back/i.test(d.rolloutStateReason ?? '');
/** The service's deployment strategy: ROLLING unless BLUE_GREEN, LINEAR or CANARY is set. */
function ecsStrategyOf(service) {
    return service.deploymentConfiguration?.strategy ?? 'ROLLING';
}
function alarms(sd) {
    const names = sd.alarms?.triggeredAlarmNames ?? [];
    return names.length ? ` (alarms: ${names.join(', ')})` : '';
}
function timedOut(state) {
    const seen = state.lastSeen ? `; last seen: ${state.lastSeen}` : '';
    return {
        outcome: 'timed-out',
        reason: `ECS had not finished the deployment when wait-timeout ran out${seen}`,
    };
}
/** A deployment's progress in one line: `IN_PROGRESS: 1/2 running, 1 pending, 3 failed`. */
function describeEcsDeployment(d) {
    const failed = d.failedTasks ? `, ${d.failedTasks} failed` : '';
    return (`${d.rolloutState ?? d.status ?? 'unknown'}: ${d.runningCount ?? 0}/${d.desiredCount ?? 0} running, ` +
        `${d.pendingCount ?? 0} pending${failed}`);
}
/** The key an event is deduplicated by: its id, else its time and message. */
const ecsEventKey = (e) => e.id ?? `${e.createdAt?.getTime()}:${e.message}`;
/** Events after our start not shown yet, oldest first (ECS lists the newest first). */
function newEvents(state, events) {
    const seen = new Set(state.seenEvents);
    // History is what UpdateService answered with (seen from the start); this only guards against a clock of
    // ECS and ours that differ, where that answer had no events.
    const since = state.target.startedAt - 60_000;
    // Reversed before the (stable) sort, so that events of the same second keep the order ECS made them in.
    return events
        .filter((e) => !seen.has(ecsEventKey(e)) && (!e.createdAt || e.createdAt.getTime() >= since))
        .reverse()
        .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}


/***/ })

};
;