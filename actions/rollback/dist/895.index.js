"use strict";
exports.id = 895;
exports.ids = [895];
exports.modules = {

/***/ 35789:
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
// EXTERNAL MODULE: ../../packages/shared/src/inputs.ts
var src_inputs = __webpack_require__(46876);
// EXTERNAL MODULE: ../../packages/shared/src/ecs/ecs-deployment-state.ts
var ecs_deployment_state = __webpack_require__(73884);
;// CONCATENATED MODULE: ../../packages/shared/src/ecs/left-behind-verdict.ts

/** Where the service's deployment of `arn` stands, in one line (the post step's log). */
function standingOf(service, arn) {
    const ours = service.deployments?.find((d) => d.taskDefinition === arn);
    if (!ours)
        return `no deployment of ${arn} any more (the service runs ${service.taskDefinition}).`;
    return `ECS deployment ${ours.id} of ${arn} is ${ours.status} ${(0,ecs_deployment_state/* describeEcsDeployment */.o_)(ours)}.`;
}
/**
 * What ECS decided for the deployments a stopped run left behind, each service's of the task definition `arnOf`
 * names: failure when any FAILED, success when every one is PRIMARY and COMPLETED; undefined while any is
 * undecided (or gone). `what` names them in the description (`the deployment of app:7`).
 */
function ecsVerdict(services, arnOf, what) {
    const ours = services.map((s) => s.deployments?.find((d) => d.taskDefinition === arnOf(s.serviceName ?? '')));
    if (ours.some((d) => d?.rolloutState === 'FAILED'))
        return { state: 'failure', description: `ECS failed ${what}.` };
    if (ours.every((d) => d?.status === 'PRIMARY' && d.rolloutState === 'COMPLETED')) {
        return { state: 'success', description: `ECS completed ${what}.` };
    }
    return undefined;
}
/** Sets the GitHub Deployment `id` to the verdict; nothing without records or an id; only warns. */
async function closeRecordLeftBehind(records, id, verdict, say) {
    if (id === undefined || !records)
        return;
    try {
        await records.finish(id, verdict.state, { description: verdict.description });
        say.log(`GitHub Deployment ${id} set to ${verdict.state}: ${verdict.description}`);
    }
    catch (error) {
        say.warning(`Could not set GitHub Deployment ${id} to ${verdict.state} (${error.message}).`);
    }
}
/** Failure when the post step rolled back pauses left behind (rollBackPausesLeftBehind's answer), else undefined. */
function pausesRolledBackVerdict(rolledBack) {
    if (!rolledBack.length)
        return undefined;
    return {
        state: 'failure',
        description: `The run stopped at or before a pause it answers (${rolledBack.join(', ')}); rolled back through ECS.`,
    };
}

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
/** The PAUSE stages a service deployment has still to pass (after the stage it is at now). */
function pausesAhead(sd, service) {
    const at = LIFECYCLE_STAGES.indexOf(sd.lifecycleStage ?? '');
    return pauseStagesOf(sd.deploymentConfiguration ? sd : service).filter((s) => LIFECYCLE_STAGES.indexOf(s) > at);
}
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
            say.warning(`${service.serviceName}: could not roll back its paused deployment (${error.message}). ` +
                'Answer it yourself: aws ecs continue-service-deployment --action ROLLBACK at a pause, or ' +
                'aws ecs stop-service-deployment --stop-type ROLLBACK before one; else ECS takes the hook timeout action.');
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
    const ahead = pausesAhead(sd, service);
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
/**
 * The post step of a run stopped while its own rollback deployment (rollback-on-failure, back to
 * `taskDefinitionArn`, what served before the run) was in progress: that deployment IS the way back, so it is
 * never rolled back or stopped (ECS would return to the source of that deployment: the failed revision). Each
 * service whose current deployment is that one, in progress, is followed until no pause of it lies ahead: a
 * pause it holds is answered CONTINUE, as the main step would have. Past `wait.timeoutMs` (a cancelled job's
 * post step has minutes, not hours) a pause still ahead is only warned about. Returns what was continued
 * (`web at STAGE`); only warns on errors.
 */
async function seeRollbacksThroughPauses(api, services, taskDefinitionArn, say, wait) {
    const done = await Promise.all(services.map(async (service) => {
        const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
        const arn = service.currentServiceDeployment;
        if (!arn || primary?.taskDefinition !== taskDefinitionArn || primary.rolloutState !== 'IN_PROGRESS')
            return [];
        try {
            return await seeThrough(api, service, arn, say, wait);
        }
        catch (error) {
            say.warning(`${service.serviceName}: could not see its rollback deployment through its pauses (${error.message}). ` +
                'It is the way back to what served before: answer its pauses with aws ecs continue-service-deployment ' +
                '--action CONTINUE (never ROLLBACK, which returns to the failed revision).');
            return [];
        }
    }));
    return done.flat();
}
async function seeThrough(api, service, arn, say, wait) {
    const name = service.serviceName;
    const now = wait.now ?? Date.now;
    const sleep = wait.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const deadline = now() + wait.timeoutMs;
    const continued = [];
    const answered = new Set();
    for (;;) {
        const sd = await api.describeServiceDeployment(arn);
        if (sd?.status !== 'IN_PROGRESS')
            return continued;
        const hook = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION' && h.hookId && !answered.has(h.hookId));
        if (hook && api.continueServiceDeployment) {
            await api.continueServiceDeployment(arn, hook.hookId, 'CONTINUE');
            answered.add(hook.hookId);
            continued.push(`${name} at ${sd.lifecycleStage}`);
            say.warning(`${name}: this run's own rollback deployment was paused at ${sd.lifecycleStage}; answered CONTINUE ` +
                '(ContinueServiceDeployment): it is the way back to the revision that served before the run.');
            continue;
        }
        const ahead = pausesAhead(sd, service);
        if (!ahead.length && !hook)
            return continued;
        if (now() >= deadline) {
            say.warning(`${name}: this run's own rollback deployment (now at ${sd.lifecycleStage ?? 'an early stage'}) will still ` +
                `pause at ${[...(hook ? [sd.lifecycleStage] : []), ...ahead].join(', ')}, and nobody is left to answer it: ` +
                "answer CONTINUE (ContinueServiceDeployment), or ECS takes the hook's timeout action.");
            return continued;
        }
        await sleep(wait.pollIntervalMs);
    }
}
/** `POST_TEST_TRAFFIC_SHIFT for this run's test-url, POST_PRODUCTION_TRAFFIC_SHIFT for this run's analysis`. */
function byAnswerer(stages, answerers) {
    const groups = new Map();
    for (const s of stages)
        groups.set(answerers(s), [...(groups.get(answerers(s)) ?? []), s]);
    return [...groups].map(([who, at]) => `${at.join(', ')} ${who}`).join(', ');
}

// EXTERNAL MODULE: ./src/ecs/ecs-target.ts + 12 modules
var ecs_target = __webpack_require__(61416);
// EXTERNAL MODULE: ./src/inputs.ts + 9 modules
var src_inputs_0 = __webpack_require__(32790);
// EXTERNAL MODULE: ./src/records/records-client.ts + 2 modules
var records_client = __webpack_require__(75067);
;// CONCATENATED MODULE: ./src/post.ts





const defaultPostDeps = () => ({
    state: (0,state/* createStateStore */.J)(),
    ecs: (inputs, log) => (0,ecs_target.createEcsDeps)(inputs, log).api,
    records: records_client/* recordsFor */.Y,
    log: (line) => core.info((0,secrets/* maskSecrets */.QU)(line)),
    warning: (message) => core.warning(message),
});
/**
 * The post step (runs on `always()`): when the main step stopped while restoring ECS services (the run was
 * cancelled or timed out), the rollback's own deployment is never left waiting at a pause: the run answers
 * every pause of it, so one it holds now is answered ROLLBACK and one it heads for is stopped
 * (StopServiceDeployment, ROLLBACK) - ECS puts the service back on what served before the run. Then the
 * rollback's GitHub Deployment is closed with what ECS reports: success when ECS completed the restore
 * (its health checks unproven), failure when ECS failed it or the post step rolled it back, error while
 * undecided. Only warns.
 */
async function post(deps = defaultPostDeps(), read = () => (0,src_inputs/* readInputs */.Ko)(src_inputs_0/* getInputs */.G)) {
    const following = deps.state.get('following');
    const all = following && (await read());
    const inputs = all?.ecs;
    if (!following || !all || !inputs)
        return;
    const to = following.taskDefinitions;
    const names = Object.keys(to);
    const revisions = [...new Set(Object.values(to).map((arn) => arn.split('/').pop()))].join(', ');
    deps.warning(`The main step stopped while rolling ${names.join(', ')} back (the run was cancelled or timed out). ` +
        'ECS carries on without this run.');
    let verdict = {
        state: 'error',
        description: `The run stopped while ECS was restoring ${revisions}; its outcome was not followed.`,
    };
    try {
        const api = deps.ecs(inputs, deps.log);
        const services = await api.describeServices(inputs.cluster, names);
        for (const service of services)
            deps.log(`${service.serviceName}: ${standingOf(service, to[service.serviceName])}`);
        verdict = ecsVerdict(services, (name) => to[name], `the rollback to ${revisions}`) ?? verdict;
        const rolledBack = [];
        for (const service of services) {
            const arn = to[service.serviceName];
            rolledBack.push(...(await rollBackPausesLeftBehind(api, [service], arn, () => 'for this run', deps)));
        }
        verdict = pausesRolledBackVerdict(rolledBack) ?? verdict;
    }
    catch (error) {
        deps.warning(`Could not ask ECS how the rollback stands (${error.message}).`);
    }
    await closeRecordLeftBehind(deps.records(all), following.githubDeploymentId, verdict, deps);
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