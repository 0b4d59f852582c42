"use strict";
exports.id = 626;
exports.ids = [626];
exports.modules = {

/***/ 4626:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  m: () => (/* binding */ defaultDeps),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js
var lib_core = __webpack_require__(7184);
// EXTERNAL MODULE: ../../packages/shared/src/ecs/ecs-api.ts + 1 modules
var ecs_api = __webpack_require__(62462);
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
    const warning = options.warning ?? ((message) => lib_core.warning(message));
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

// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var src_secrets = __webpack_require__(18244);
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
    await lib_core.summary.addRaw((0,src_secrets/* maskSecrets */.QU)(markdown), true).write();
}
/** Runs `fn` inside a collapsible log group named consistently across the suite: `<action>: <what>`. */
function logGroup(name, fn) {
    return core.group(name, fn);
}

;// CONCATENATED MODULE: ../../packages/shared/src/state.ts

function createStateStore() {
    return {
        save(key, value) {
            lib_core.saveState(key, JSON.stringify(value));
        },
        get(key) {
            const raw = lib_core.getState(key);
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

// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __webpack_require__(51110);
// EXTERNAL MODULE: ../../packages/shared/src/duration.ts
var duration = __webpack_require__(70833);
// EXTERNAL MODULE: ../../packages/shared/src/deployments/release-history.ts
var release_history = __webpack_require__(88022);
;// CONCATENATED MODULE: ../../packages/shared/src/deployments/deployment-recorder.ts

/**
 * GitHub Deployments for a deploy action. The API is a record, not a dependency: without a token, or when the
 * API fails, the deploy goes on with a notice or a warning — except that a digest known to be bad is refused.
 */
function createDeploymentRecorder(settings, deps) {
    let deploymentId;
    const apiProblem = (what, error) => deps.warning(`${what} (GitHub API: ${error.message}). The deploy goes on without it.`);
    if (!deps.records) {
        deps.notice('No GitHub token: this deploy is not recorded as a GitHub Deployment and its digests are not checked ' +
            'against earlier rollbacks. Pass github-token (the default, ${{ github.token }}, needs "deployments: write").');
    }
    let history;
    const judged = new Set();
    const readHistory = (records) => {
        history ??= records.history().catch((error) => {
            apiProblem('Could not check the digests against earlier rollbacks', error);
            return undefined;
        });
        return history;
    };
    return {
        get deploymentId() {
            return deploymentId;
        },
        async guard(digests) {
            if (!deps.records || !digests.length)
                return;
            const known = await readHistory(deps.records);
            if (!known)
                return;
            for (const item of digests) {
                const { digest, what } = typeof item === 'string' ? { digest: item, what: undefined } : item;
                if (judged.has(digest))
                    continue;
                judged.add(digest);
                const reason = (0,release_history/* badDigestReason */.kp)(known, digest);
                if (reason === undefined)
                    continue;
                (0,release_history/* refuseBadDigest */.wh)(what ? `${what}: ${digest}` : digest, 'a rollback', reason, settings.force, deps.warning);
            }
        },
        async begin(payload, description) {
            if (!deps.records || !settings.enabled || !settings.environment)
                return;
            if (!settings.sha) {
                deps.warning('No commit SHA (GITHUB_SHA) to record the deployment against: it is not recorded.');
                return;
            }
            try {
                deploymentId = await deps.records.start({
                    environment: settings.environment,
                    sha: settings.sha,
                    payload: { slipway: 1, ...payload, sha: settings.sha },
                    description,
                });
            }
            catch (error) {
                apiProblem(`Could not record the deployment to ${settings.environment}`, error);
            }
        },
        async end(state, details = {}) {
            if (!deps.records || deploymentId === undefined)
                return;
            try {
                await deps.records.finish(deploymentId, state, {
                    description: details.description,
                    environmentUrl: details.environmentUrl ?? settings.environmentUrl,
                });
            }
            catch (error) {
                apiProblem(`Could not set the deployment's status to ${state}`, error);
            }
        },
    };
}

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
        onRetry: (error, delay) => options.log(`${name}: polling ECS failed (${(0,ecs_api/* retryLabel */.dO)(error)}); next try in ${delay}ms`),
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

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(78474);
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
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
        return await http_client_follow(dispatcher, probe, secretHeaders, controller.signal);
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
async function http_client_follow(dispatcher, probe, secretHeaders, signal) {
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
        provider ??= Promise.all(/* import() */[__webpack_require__.e(793), __webpack_require__.e(530)]).then(__webpack_require__.bind(__webpack_require__, 27530)).then((m) => m.createCloudWatchProvider(config.cloudwatch ?? {}, { startedAt, startedWhat, log }));
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

;// CONCATENATED MODULE: ../../packages/shared/src/ecs/fleet-rollback.ts

/**
 * All or nothing over the services of one run (as a Compose deploy rolls its whole fleet back): when any
 * service's deployment did not succeed and `rollbackOnFailure` is on, every service this run moved that still
 * runs the new definition goes back to its own previous one, followed like the deploy. Whatever step failed:
 * a service whose UpdateService was refused (nothing started there) takes the others back too, even without
 * `wait` (then the rollbacks are started, not followed). The failed services have already been handled by
 * `deployService` (our rollback, or ECS's); one whose deployment could not be followed (unknown) is left to ECS.
 * Each result records its rollback; a rollback that cannot be started or followed is recorded as failed,
 * never thrown, so that the others are still reported.
 */
async function rollBackFleet(api, results, options) {
    if (!options.rollbackOnFailure)
        return;
    const failed = results.filter((r) => isFailure(r.status) && (options.wait || r.notStarted));
    if (!failed.length)
        return;
    const because = `${failed.map((r) => `${r.service} ${r.status}`).join(', ')}`;
    const moved = results.filter((r) => r.status === (options.wait ? 'succeeded' : 'started') &&
        r.previousTaskDefinitionArn &&
        r.previousTaskDefinitionArn !== r.taskDefinitionArn);
    await Promise.all(moved.map(async (r) => {
        options.log(`${r.service}: rolling back to ${r.previousTaskDefinitionArn} with the other services, because ${because} (rollback-on-failure).`);
        try {
            await rollBackService(api, r, options, because);
        }
        catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            options.log(`${r.service}: the rollback could not be followed: ${message}`);
            r.rollback = { status: 'failed', reason: `the rollback could not be followed: ${message}`, because };
        }
    }));
}

// EXTERNAL MODULE: ../../packages/shared/src/ecs/pauses-left-behind.ts
var pauses_left_behind = __webpack_require__(98373);
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

// EXTERNAL MODULE: ./src/pauses/pause-inputs.ts + 9 modules
var pause_inputs = __webpack_require__(38165);
;// CONCATENATED MODULE: ./src/pauses/pause-answerer.ts


/**
 * Before anything changes: every PAUSE stage of every service must be answered here (a gate or continue-at),
 * or the deployment would wait out wait-timeout with nobody to continue it; and every gate given must have a
 * pause to run at, or green would take traffic unchecked.
 */
function checkPauses(services, inputs) {
    for (const service of services) {
        const stages = (0,pauses_left_behind/* pauseStagesOf */.Zr)(service);
        const name = service.serviceName;
        const checked = (0,pause_inputs/* checkedStages */.Zm)(inputs);
        const unanswered = stages.filter((s) => !checked.includes(s) && !inputs.continueAt.includes(s));
        if (unanswered.length) {
            const how = unanswered
                .map((s) => (s in pause_inputs/* GATED_STAGES */.w$ ? `${pause_inputs/* GATED_STAGES */.w$[s]} (or continue-at)` : 'continue-at'))
                .join(', ');
            throw new errors/* UserError */.yo(`ECS service ${name} pauses its deployments at ${unanswered.join(', ')} (PAUSE lifecycle hooks), and ` +
                `nothing in this run answers ${unanswered.length > 1 ? 'them' : 'it'}: the deployment would wait until ` +
                `the hook's timeout. Set ${how}, or remove the hook from the service's deploymentConfiguration.`);
        }
        for (const stage of checked) {
            if (!stages.includes(stage)) {
                const input = inputs.gates[stage] ? pause_inputs/* GATED_STAGES */.w$[stage] : 'analysis';
                throw new errors/* UserError */.yo(`Input "${input}" is checked at the ${stage} pause, but ECS service ${name} has no PAUSE ` +
                    `lifecycle hook there, so its new tasks would take traffic unchecked. Add { targetType: PAUSE, ` +
                    `lifecycleStages: [${stage}] } to the service's deploymentConfiguration.lifecycleHooks ` +
                    '(strategy BLUE_GREEN, LINEAR or CANARY).');
            }
        }
    }
}
/**
 * Answers each pause of the run's deployments: the stage's gate decides CONTINUE (passed) or ROLLBACK (failed
 * or inconclusive); continue-at stages and the run's own rollback deployment continue at once.
 */
function createPauseAnswerer(api, inputs, deps) {
    const verdicts = [];
    async function onPause(service, pause, ours) {
        const base = { service, stage: pause.stage, hookId: pause.hookId };
        let verdict;
        if (!ours) {
            verdict = { ...base, action: 'CONTINUE', by: 'rollback', reason: 'our rollback deployment: continued' };
        }
        else if ((0,pause_inputs/* checkedStages */.Zm)(inputs).includes(pause.stage)) {
            verdict = { ...base, ...(await pause_answerer_judge(service, pause.stage, inputs, deps)) };
        }
        else if (inputs.continueAt.includes(pause.stage)) {
            verdict = { ...base, action: 'CONTINUE', by: 'continue-at', reason: `continue-at ${pause.stage}` };
        }
        else {
            deps.log(`${service}: paused at ${pause.stage}; nothing in this run answers it (someone else may).`);
            verdicts.push({ ...base, action: 'none', by: '', reason: `not answered by this run` });
            return;
        }
        verdicts.push(verdict);
        await answerPause(api, service, pause, verdict, deps);
    }
    return { onPause, verdicts };
}
/** The stage's gate, then (production, when the gate did not fail) the analysis over the bake. */
async function pause_answerer_judge(service, stage, inputs, deps) {
    const gate = inputs.gates[stage];
    const input = pause_inputs/* GATED_STAGES */.w$[stage];
    let result;
    let analysis;
    const reasons = [];
    if (gate) {
        deps.log(`${service}: paused at ${stage}: checking ${input} (${gate.checks.length} check(s)).`);
        result = await check(gate, deps);
        const failed = result.checks.filter((c) => c.result !== 'passed');
        reasons.push(result.result === 'passed'
            ? `${input} passed at ${stage}`
            : `${input} ${result.result} at ${stage}: ${failed.map((c) => `${c.name}: ${c.reason}`).join('; ')}`);
    }
    const config = stage === 'POST_PRODUCTION_TRAFFIC_SHIFT' ? inputs.analysis : undefined;
    if (config && result?.result !== 'failed') {
        deps.log(`${service}: paused at ${stage}: analysis of ${config.metrics.length} metric(s).`);
        analysis = await deps.analyse(config, deps.log);
        reasons.push(`analysis ${analysis.result} at ${stage}: ${analysis.reason}`);
    }
    const verdict = joinVerdicts(result?.result, analysis?.result);
    return {
        action: verdict === 'passed' ? 'CONTINUE' : 'ROLLBACK',
        by: [gate && input, analysis && 'analysis'].filter(Boolean).join(' + '),
        reason: reasons.join('; '),
        ...(result ? { gate: result } : {}),
        ...(analysis ? { analysis } : {}),
    };
}
async function check(config, deps) {
    const gateDeps = deps.gate(config, deps.log);
    try {
        return await runGate(config, gateDeps);
    }
    finally {
        await gateDeps.client.close();
    }
}

;// CONCATENATED MODULE: ./src/render/normalise.ts
/** Fields ECS sets and DescribeTaskDefinition returns, which RegisterTaskDefinition refuses. */
const READ_ONLY_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];
/** Drops the read-only fields (and nothing else), so a described definition can be registered again. */
function stripReadOnly(definition) {
    const copy = { ...definition };
    for (const field of READ_ONLY_FIELDS)
        delete copy[field];
    return copy;
}
// Values ECS fills in on registration; a file that leaves them out describes the same definition.
const CONTAINER_DEFAULTS = { essential: true, cpu: 0 };
const NAMED_LISTS = new Set(['environment', 'secrets', 'containerDefinitions', 'volumes', 'systemControls']);
/**
 * The form two definitions are compared in: read-only fields and tags dropped, empty lists, empty objects and
 * ECS's defaults removed, lists of named things sorted by name, port protocols defaulted, numbers that ECS keeps
 * as strings (task cpu and memory) made strings. Two definitions are the same deployment when these are equal.
 */
function normalise(definition) {
    const base = stripReadOnly(definition);
    delete base.tags;
    for (const key of ['cpu', 'memory'])
        if (typeof base[key] === 'number')
            base[key] = String(base[key]);
    const containers = base.containerDefinitions ?? [];
    base.containerDefinitions = containers.map((container) => {
        const copy = { ...container };
        for (const [key, value] of Object.entries(CONTAINER_DEFAULTS))
            if (copy[key] === value)
                delete copy[key];
        if (Array.isArray(copy.portMappings)) {
            copy.portMappings = copy.portMappings.map((p) => portMapping(p, base.networkMode));
        }
        return copy;
    });
    return clean(base);
}
/**
 * ECS fills in a port mapping's protocol (tcp) and its host port: 0 (dynamic) in bridge mode, the container
 * port in awsvpc and host mode. Left out or filled in, it is the same mapping.
 */
function portMapping(mapping, networkMode) {
    const copy = { protocol: 'tcp', ...mapping };
    const sameAsContainer = networkMode === 'awsvpc' || networkMode === 'host';
    if (copy.hostPort === 0 || (sameAsContainer && copy.hostPort === copy.containerPort))
        delete copy.hostPort;
    return copy;
}
function clean(value, key = '') {
    if (value instanceof Date)
        return value.toISOString();
    if (Array.isArray(value)) {
        const items = value.map((v) => clean(v)).filter((v) => v !== undefined);
        if (NAMED_LISTS.has(key))
            items.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
        return items.length ? items : undefined;
    }
    if (value && typeof value === 'object') {
        const entries = Object.entries(value)
            .map(([k, v]) => [k, clean(v, k)])
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => a.localeCompare(b));
        return entries.length ? Object.fromEntries(entries) : undefined;
    }
    return value === null ? undefined : value;
}
const nameOf = (item) => String(item?.name ?? '');
/** True when two definitions would run the same thing. */
function sameDefinition(a, b) {
    return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}
/**
 * What changed from `before` to `after`, one line per leaf: containers and named list items are addressed by
 * name (`containerDefinitions[web].environment[LOG_LEVEL].value`), so a reordering is not a change.
 */
function diffDefinitions(before, after) {
    const left = before ? flatten(normalise(before)) : new Map();
    const right = flatten(normalise(after));
    const changes = [];
    for (const path of [...new Set([...left.keys(), ...right.keys()])].sort()) {
        if (left.get(path) !== right.get(path))
            changes.push({ path, before: left.get(path), after: right.get(path) });
    }
    return changes;
}
function flatten(value, path = '', out = new Map()) {
    if (Array.isArray(value)) {
        value.forEach((item, i) => {
            const name = nameOf(item);
            flatten(item, `${path}[${name || i}]`, out);
        });
    }
    else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
            if (k === 'name' && /\]$/.test(path))
                continue;
            flatten(v, path ? `${path}.${k}` : k, out);
        }
    }
    else {
        out.set(path, String(value));
    }
    return out;
}

;// CONCATENATED MODULE: ./src/plan.ts


/**
 * What a deploy of the rendered definition would do: register a revision or reuse an equal one, and per service
 * the diff from its own current definition and whether UpdateService would be called (by deployService's rule).
 * Reads only: DescribeTaskDefinition for services on another revision than the first one's.
 */
async function planEcs(inputs, r) {
    const { api, services, current, base, rendered, equal } = r;
    const definitions = new Map(current?.taskDefinitionArn ? [[current.taskDefinitionArn, current]] : []);
    const planned = [];
    for (const service of services) {
        const arn = service.taskDefinition;
        if (arn && !definitions.has(arn))
            definitions.set(arn, await api.describeTaskDefinition(arn));
        const runs = arn ? definitions.get(arn) : undefined;
        const stays = equal?.taskDefinitionArn !== undefined && serviceUnchanged(service, equal.taskDefinitionArn, inputs);
        planned.push({
            service: service.serviceName ?? '',
            current: arn,
            action: stays ? 'stay' : 'update',
            changes: diffDefinitions(runs, rendered),
        });
    }
    return {
        target: 'ecs',
        cluster: inputs.cluster,
        family: rendered.family ?? '',
        origin: base.origin,
        revision: equal ? { action: 'reuse', arn: equal.taskDefinitionArn } : { action: 'register' },
        services: planned,
        changes: !equal || planned.some((s) => s.action !== 'stay'),
    };
}
const MAX_ROWS = 60;
/** The job summary of a dry run. */
function renderEcsPlan(plan) {
    const revision = plan.revision.action === 'register'
        ? `a new revision of \`${plan.family}\` would be registered`
        : `the equal revision \`${plan.revision.arn}\` would be reused, nothing registered`;
    const lines = [
        `### deploy-ecs plan: cluster \`${plan.cluster}\` (dry run: nothing changed)`,
        '',
        `Rendered from ${plan.origin}: ${revision}.`,
        '',
    ];
    for (const s of plan.services) {
        lines.push(`#### ${s.service}: ${s.action === 'stay' ? 'stays (already runs it)' : 'would be updated (a new deployment)'}`, '', `Now: \`${s.current ?? 'none'}\``, '');
        if (s.changes.length === 0) {
            lines.push('No change in the task definition.', '');
            continue;
        }
        const rows = s.changes.slice(0, MAX_ROWS).map((c) => [`\`${c.path}\``, c.before ?? '', c.after ?? '']);
        lines.push(markdownTable(['field', 'now', 'rendered'], rows), '');
        if (s.changes.length > MAX_ROWS)
            lines.push(`… and ${s.changes.length - MAX_ROWS} more (see the plan output).`, '');
    }
    return lines.join('\n');
}

// EXTERNAL MODULE: ./src/pre-deploy/before-update.ts
var before_update = __webpack_require__(16719);
// EXTERNAL MODULE: ./src/pre-deploy/run-pre-deploy.ts
var run_pre_deploy = __webpack_require__(98765);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ../../packages/shared/src/workspace-files.ts
var workspace_files = __webpack_require__(69254);
// EXTERNAL MODULE: ../../node_modules/yaml/dist/index.js
var dist = __webpack_require__(33483);
;// CONCATENATED MODULE: ./src/render/base-definition.ts




/**
 * Reads a task definition file, JSON or YAML (JSON is YAML). The output of `aws ecs describe-task-definition`
 * (`{"taskDefinition": {...}}`) is accepted as it is. Called before any API call, so a bad file costs nothing.
 */
function readTaskDefinitionFile(path) {
    // inputs.ts made the path absolute: one inside the workspace is read as the relative path it was, so its
    // links must stay inside; one outside was given as absolute, and is taken as meant.
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const rel = (0,external_node_path_.relative)(workspace, path);
    const given = rel && !rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel) ? rel : path;
    const text = (0,workspace_files/* readWorkspaceText */.tA)('task-definition', given, { workspace });
    let parsed;
    try {
        parsed = (0,dist.parse)(text);
    }
    catch (error) {
        const reason = error.message.split('\n')[0];
        throw new errors/* UserError */.yo(`The task definition file ${path} is not valid JSON or YAML: ${reason}`);
    }
    const wrapped = parsed;
    const def = (wrapped && typeof wrapped === 'object' && 'taskDefinition' in wrapped ? wrapped.taskDefinition : parsed);
    const problem = !def || typeof def !== 'object' || Array.isArray(def)
        ? 'it is not an object'
        : typeof def.family !== 'string' || !def.family
            ? 'it has no "family"'
            : !Array.isArray(def.containerDefinitions) || def.containerDefinitions.length === 0
                ? 'it has no "containerDefinitions"'
                : def.containerDefinitions.some((c) => typeof c?.name !== 'string')
                    ? 'a container has no "name"'
                    : undefined;
    if (problem)
        throw new errors/* UserError */.yo(`The task definition file ${path} is not a task definition: ${problem}.`);
    return stripReadOnly(def);
}
async function loadBase(source, api, current, file) {
    if (source.kind === 'file')
        return { definition: file, origin: `file ${source.path}` };
    if (source.kind === 'service') {
        if (!current)
            throw new errors/* UserError */.yo('The service has no task definition to start from: set "task-definition".');
        return {
            definition: stripReadOnly(current),
            origin: `the service's current ${current.taskDefinitionArn}`,
            registered: current,
        };
    }
    const registered = await api.describeTaskDefinition(source.ref);
    return {
        definition: stripReadOnly(registered),
        origin: registered.taskDefinitionArn ?? source.ref,
        registered,
    };
}
/** The latest ACTIVE revision of a family, or undefined when the family is new. */
async function latestRevision(api, family) {
    return family ? api.findTaskDefinition(family) : undefined;
}
/**
 * The registered revision that already is `rendered`, among the candidates (the service's current, the base,
 * the family's latest), so that deploying an unchanged definition registers nothing.
 */
function findEqualRevision(rendered, candidates) {
    return candidates.find((c) => c?.taskDefinitionArn &&
        c.status !== 'INACTIVE' &&
        c.status !== 'DELETE_IN_PROGRESS' &&
        sameDefinition(c, rendered));
}

;// CONCATENATED MODULE: ./src/render/render.ts


/**
 * The definition to deploy: the base without its read-only fields, with the images, environment and secrets
 * upserts, docker labels and cpu/memory overrides applied. The base is not modified.
 */
function renderTaskDefinition(base, overrides) {
    const def = structuredClone(stripReadOnly(base));
    const containers = def.containerDefinitions ?? [];
    const find = (input, name) => {
        if (name === undefined) {
            if (containers.length === 1)
                return containers[0];
            throw new errors/* InputError */.dz(input, `Input "${input}" must name the container (container:KEY=VALUE): the task definition has ` +
                `${containers.length} containers (${names(containers)}).`);
        }
        const found = containers.find((c) => c.name === name);
        if (found)
            return found;
        throw new errors/* InputError */.dz(input, `Input "${input}" names the container ${JSON.stringify(name)}, which the task definition ` +
            `${JSON.stringify(def.family)} does not have; it has ${names(containers) || 'no containers'}.`);
    };
    for (const { container, image } of overrides.images)
        find('images', container).image = image;
    for (const s of overrides.environment)
        upsert(find('environment', s.container), 'environment', s, 'value');
    for (const s of overrides.secrets)
        upsert(find('secrets', s.container), 'secrets', s, 'valueFrom');
    for (const s of overrides.dockerLabels) {
        const c = find('docker-labels', s.container);
        c.dockerLabels = { ...c.dockerLabels, [s.key]: s.value };
    }
    for (const { container, value } of overrides.cpu.containers)
        find('cpu', container).cpu = value;
    for (const { container, value } of overrides.memory.containers)
        find('memory', container).memory = value;
    if (overrides.cpu.task !== undefined)
        def.cpu = String(overrides.cpu.task);
    if (overrides.memory.task !== undefined)
        def.memory = String(overrides.memory.task);
    return def;
}
/** Replaces the entry of that name, or appends one: order of the rest is kept. */
function upsert(container, list, setting, field) {
    const entries = container[list] ?? [];
    const entry = { name: setting.key, [field]: setting.value };
    const index = entries.findIndex((e) => e.name === setting.key);
    if (index >= 0)
        entries[index] = entry;
    else
        entries.push(entry);
    container[list] = entries;
}
const names = (containers) => containers.map((c) => c.name).join(', ');
/** The images the definition runs, per container, for the log and the summary. */
function imagesOf(def) {
    return (def.containerDefinitions ?? []).map((c) => ({ container: c.name ?? '?', image: c.image ?? '?' }));
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

;// CONCATENATED MODULE: ./src/pauses/pause-summary.ts

const ANSWER = { CONTINUE: '▶️ CONTINUE', ROLLBACK: '↩️ ROLLBACK', none: '⏸️ not answered' };
/** The summary's "Pauses" section: each pause, its answer and why, with the gate's evidence. */
function pauseSection(verdicts) {
    if (!verdicts.length)
        return [];
    return [
        '',
        '### Pauses',
        '',
        markdownTable(['service', 'stage', 'answer', 'by', 'reason'], verdicts.map((v) => [v.service, v.stage, ANSWER[v.action], v.by, v.reason])),
        ...verdicts.flatMap((v) => [
            ...(v.gate
                ? ['', details(`checks at ${v.stage} (${v.service}): ${v.gate.result}`, summaryMarkdown(v.gate))]
                : []),
            ...(v.analysis
                ? [
                    '',
                    details(`analysis at ${v.stage} (${v.service}): ${v.analysis.result}`, analysisSummaryMarkdown(v.analysis)),
                ]
                : []),
        ]),
    ];
}

;// CONCATENATED MODULE: ../../packages/shared/src/pre-deploy-summary.ts



const ICONS = { succeeded: '✅', failed: '❌', 'timed-out': '⏱️' };
/**
 * The summary's section for one pre-deploy run: the command, where, how long, the exit code (and stop reason),
 * and its last lines in a code block. Secrets and URL passwords are masked in the command and the lines.
 */
function preDeploySection(run) {
    const lines = [
        '',
        `### ${ICONS[run.status]} ${run.title}: ${run.status}`,
        '',
        `\`${(0,src_secrets/* redactText */.Rd)(run.command)}\` ${run.where}, ${(0,duration/* formatDuration */.a3)(run.durationMs)}; exit code ${run.exitCode ?? 'none'}` +
            `${run.stop ? `, ${run.stop}` : ''}.`,
    ];
    if (run.status !== 'succeeded' && run.failed)
        lines.push('', run.failed);
    if (run.lastLines === undefined) {
        if (run.noLines)
            lines.push('', run.noLines);
        return lines;
    }
    const body = run.lastLines.length
        ? run.lastLines.map((l) => (0,src_secrets/* redactText */.Rd)(l).replace(/```/g, "'''")).join('\n')
        : '(no output)';
    lines.push('', `Last ${run.lastLines.length} log line(s)${run.linesFrom ?? ''}:`, '', '```', body, '```');
    return lines;
}
/** The summary's backup section: one row per backup taken before the deploy (columns as each action has them). */
function backupSection(headers, rows) {
    return rows.length ? ['', '### Backup', '', markdownTable(headers, rows)] : [];
}

;// CONCATENATED MODULE: ./src/report/pre-deploy-summary.ts

/** The summary's backup and pre-deploy sections (deploy-compose's steps, in the same order: backup first). */
function preDeploySections(backups, pre) {
    const lines = backupSection(['database', 'snapshot', 'status', 'pruned (keep-backups)'], (backups ?? []).map((b) => [`${b.kind} ${b.source}`, `\`${b.snapshot}\``, b.status, b.pruned.join(', ')]));
    if (!pre)
        return lines;
    return [
        ...lines,
        ...preDeploySection({
            title: 'Pre-deploy task',
            status: pre.status,
            command: JSON.stringify(pre.command),
            where: `in container \`${pre.container}\`, task \`${pre.taskArn?.split('/').pop() ?? ''}\``,
            durationMs: pre.durationMs,
            exitCode: pre.exitCode,
            stop: pre.stopCode ? `${pre.stopCode}: ${pre.stoppedReason ?? ''}` : undefined,
            failed: `No service was updated: ${pre.reason}.`,
            lastLines: pre.lastLines,
            linesFrom: pre.logs ? ` (${pre.logs.group} ${pre.logs.stream})` : '',
            noLines: 'Its container does not log to CloudWatch Logs (awslogs with a stream prefix): no output here.',
        }),
    ];
}

;// CONCATENATED MODULE: ./src/report/summary.ts



const MAX_CHANGES = 60;
const summary_ICON = {
    succeeded: '✅',
    unchanged: '✅',
    started: '🚀',
    failed: '❌',
    'rolled-back': '↩️',
    superseded: '⏭️',
    'timed-out': '⏱️',
    unknown: '❓',
};
/** The job summary: what changed in the task definition, each service's final state, the event timeline. */
function renderSummary(report) {
    const lines = [
        `## ${summary_ICON[report.status]} deploy-ecs: ${report.status}`,
        '',
        `Cluster \`${report.cluster}\`, task definition \`${report.taskDefinitionArn}\` ` +
            `(${report.revision === 'registered' ? 'new revision' : 'existing revision, nothing registered'}), ` +
            `rendered from ${report.origin}.`,
        '',
        '### What changed in the task definition',
        '',
        changesTable(report.changes),
        ...preDeploySections(report.backups, report.preDeploy),
        '',
        '### Services',
        '',
        markdownTable(['service', 'status', 'deployment', 'task definition', 'previous', 'final state', 'reason'], report.results.map((r) => [
            r.service,
            `${summary_ICON[r.status]} ${r.status}${r.rollback ? ` (our rollback${r.rollback.because ? ' with the others' : ''}: ${r.rollback.status})` : ''}`,
            r.deploymentId ?? '',
            summary_short(r.taskDefinitionArn),
            summary_short(r.previousTaskDefinitionArn),
            r.finalState ?? '',
            r.rollback
                ? `${r.reason}; rollback${r.rollback.because ? ` because ${r.rollback.because}` : ''}: ${r.rollback.reason}`
                : r.reason,
        ])),
        ...pauseSection(report.pauses ?? []),
    ];
    if (!report.results.length)
        lines[lines.length - 1] = 'No service was updated.';
    for (const r of report.results) {
        if (r.stoppedTasks.length) {
            lines.push('', `### Stopped tasks of ${r.service}`, '', ...r.stoppedTasks.map((t) => `- ${formatStoppedTask(t)}`));
        }
        if (r.events.length) {
            const rows = r.events.map((e) => [e.createdAt?.toISOString() ?? '', e.message ?? '']);
            lines.push('', details(`Event timeline of ${r.service} (${r.events.length})`, markdownTable(['time', 'event'], rows)));
        }
    }
    return `${lines.join('\n')}\n`;
}
function changesTable(changes) {
    if (!changes.length)
        return 'No change: the service already runs this definition.';
    const rows = changes
        .slice(0, MAX_CHANGES)
        .map((c) => [
        `\`${c.path}\``,
        c.before === undefined ? '' : c.before,
        c.after === undefined ? '' : c.after,
    ]);
    const more = changes.length > MAX_CHANGES ? `\n\n…and ${changes.length - MAX_CHANGES} more.` : '';
    return `${markdownTable(['field', 'before', 'after'], rows)}${more}`;
}
const summary_short = (arn) => (arn ? (arn.split('/').pop() ?? arn) : '');
const SEVERITY = [
    'unknown',
    'failed',
    'rolled-back',
    'timed-out',
    'superseded',
    'started',
    'succeeded',
    'unchanged',
];
/** The status of several services: the worst one. */
function overallStatus(statuses) {
    return SEVERITY.find((s) => statuses.includes(s)) ?? 'unchanged';
}

;// CONCATENATED MODULE: ./src/deploy.ts









// The default session of aws-actions/configure-aws-credentials with OIDC.
const USUAL_SESSION_MS = 3_600_000;
/**
 * Everything that can be checked without AWS is checked here, first: a bad file or input costs no API call.
 * Nothing is called until `deploy()`.
 */
function openEcsDeploy(inputs, deps) {
    const file = inputs.taskDefinition.kind === 'file' ? readTaskDefinitionFile(inputs.taskDefinition.path) : undefined;
    if (file)
        renderTaskDefinition(file, inputs); // names a missing container before anything is called
    for (const { container, image } of inputs.images) {
        if (!image.includes('@sha256:')) {
            deps.warning(`images: ${container}=${image} is not pinned by digest; ECS resolves the tag when each task starts.`);
        }
    }
    if (inputs.wait && inputs.waitTimeoutMs > USUAL_SESSION_MS) {
        deps.warning(`wait-timeout is ${(0,duration/* formatDuration */.a3)(inputs.waitTimeoutMs)}, longer than the usual 1h AWS session from OIDC: ` +
            'raise role-duration-seconds in configure-aws-credentials, or the credentials may expire while waiting.');
    }
    const recorder = createDeploymentRecorder({ ...inputs.recording, sha: deps.sha }, { records: deps.records(inputs.githubToken), notice: deps.notice, warning: deps.warning });
    return {
        deploy: () => deploy(inputs, deps, recorder, file),
        plan: async () => planEcs(inputs, await renderRevision(inputs, deps, recorder, file)),
        async close(outcome) {
            const state = !outcome
                ? 'error'
                : outcome.status === 'unknown'
                    ? 'error'
                    : outcome.failure
                        ? 'failure'
                        : 'success';
            const description = outcome
                ? `ECS deploy ${outcome.status}: ${outcome.reason}`
                : 'The deploy stopped with an error before its outcome was known: see the run log.';
            await recorder.end(state, { description });
            deps.state.save('following', null);
        },
    };
}
async function renderRevision(inputs, deps, recorder, file) {
    // A digest a rollback marked bad is refused before anything in AWS changes: the `images` input's before any
    // AWS call, and below every container's of the definition actually deployed (a registered revision, a file).
    await recorder.guard(pinnedDigests(inputs.images));
    const api = deps.ecs(inputs, deps.log, deps.notice);
    const services = await api.describeServices(inputs.cluster, inputs.services);
    services.forEach(checkController);
    checkPauses(services, inputs.pauses);
    const current = services[0].taskDefinition
        ? await api.describeTaskDefinition(services[0].taskDefinition)
        : undefined;
    const base = await loadBase(inputs.taskDefinition, api, current, file);
    const rendered = renderTaskDefinition(base.definition, inputs);
    deps.log(`Task definition ${rendered.family}, rendered from ${base.origin}:`);
    for (const { container, image } of imagesOf(rendered))
        deps.log(`  ${container}: ${image}`);
    await recorder.guard(pinnedDigests(imagesOf(rendered)));
    if (inputs.preDeploy)
        (0,run_pre_deploy/* preDeployContainer */.Qf)(rendered, inputs.preDeploy); // a wrong container, before any change
    const latest = await latestRevision(api, rendered.family);
    const equal = inputs.forceNewDeployment
        ? undefined
        : findEqualRevision(rendered, [current, base.registered, latest]);
    return { api, services, current, base, rendered, equal };
}
async function deploy(inputs, deps, recorder, file) {
    const { api, services, current, base, rendered, equal } = await renderRevision(inputs, deps, recorder, file);
    // The backup is the first change (never in a plan): RDS snapshots before anything is registered or updated.
    const backups = await (0,before_update/* backUpFirst */.df)(inputs, deps, imagesOf(rendered));
    const target = equal ?? (await api.registerTaskDefinition(rendered));
    const arn = target.taskDefinitionArn;
    deps.log(equal ? `The rendered definition equals ${arn}: reusing it, nothing registered.` : `Registered ${arn}.`);
    deps.output('task-definition-arn', arn);
    await recorder.begin({
        target: 'ecs',
        images: Object.fromEntries(imagesOf(rendered).map(({ container, image }) => [container, image])),
        taskDefinitions: Object.fromEntries(services.map((s) => [s.serviceName ?? '', arn])),
        ...(inputs.migration ? { migration: inputs.migration } : {}),
        ...(backups.length ? { backups: backups.map((b) => `${b.kind}:${b.source}/${b.snapshot}`) } : {}),
    }, `${inputs.services.join(', ')} → ${arn.split('/').pop()}`);
    const shown = {
        cluster: inputs.cluster,
        taskDefinitionArn: arn,
        origin: base.origin,
        changes: diffDefinitions(current, rendered),
        reused: Boolean(equal),
        backups,
    };
    const pre = await (0,before_update/* preDeployTask */.U5)(inputs, deps, target, services[0], recorder.deploymentId);
    if (pre && pre.status !== 'succeeded')
        return preDeployFailed(pre, shown);
    const following = { taskDefinitionArn: arn, githubDeploymentId: recorder.deploymentId };
    const rollingBack = {};
    deps.state.save('following', following);
    const pauses = createPauseAnswerer(api, inputs.pauses, {
        gate: deps.gate ?? defaultGateDeps,
        analyse: deps.analyse ?? ((config, log) => analyseRelease(config, { log })),
        log: deps.log,
        warning: deps.warning,
    });
    const results = await deployAll(api, services, {
        ...inputs,
        onPause: pauses.onPause,
        // From our own rollback's UpdateService on, that service's deployment is the one a stopped run leaves.
        onDeploymentStarted: (service, to, ours) => {
            if (ours)
                return;
            rollingBack[service] = to;
            deps.state.save('following', { ...following, rollingBack });
        },
        taskDefinitionArn: arn,
        log: deps.log,
        now: deps.now,
        sleep: deps.sleep,
    });
    for (const r of results.filter((x) => x.stoppedTasks.length)) {
        deps.log(`${r.service}: stopped tasks:`);
        for (const task of r.stoppedTasks)
            deps.log(`  ${formatStoppedTask(task)}`);
    }
    for (const r of results) {
        // ECS rolled back because a gate answered ROLLBACK: the gate's verdict comes first in the reason.
        const decided = pauses.verdicts.find((v) => v.service === r.service && v.action === 'ROLLBACK');
        if (decided && r.status === 'rolled-back')
            r.reason = `${decided.reason}; ${r.reason}`;
    }
    return outcomeOf(inputs, results, { ...shown, preDeploy: pre, pauses: pauses.verdicts });
}
/** The pre-deploy task failed or timed out: no service was updated, and the step fails with its last lines. */
function preDeployFailed(pre, shown) {
    const { reused, ...rest } = shown;
    const status = pre.status === 'timed-out' ? 'timed-out' : 'failed';
    const report = {
        ...rest,
        preDeploy: pre,
        status,
        results: [],
        revision: reused ? 'reused' : 'registered',
    };
    const tail = pre.lastLines?.length ? ` Last lines: ${pre.lastLines.slice(-5).join(' | ')}` : '';
    const reason = `${pre.reason}; no service was updated`;
    return { status, results: [], reason, report, failure: `ECS deploy ${status}: ${reason}.${tail}` };
}
/**
 * Every service's deployment, followed to its end even when another one's fails (they are live); then all or
 * nothing: one service failing takes the others this run moved back too (rollback-on-failure), whatever step
 * failed (UpdateService refused, the deployment failed, timed out).
 */
async function deployAll(api, services, options) {
    const results = await Promise.all(services.map((service) => deployService(api, service, options)));
    await rollBackFleet(api, results, options);
    return results;
}
function outcomeOf(inputs, results, shown) {
    const status = overallStatus(results.map((r) => r.status));
    const reason = results
        .map((r) => (results.length > 1 ? `${r.service}: ${reasonOf(r)}` : reasonOf(r)))
        .join('; ');
    const { reused, ...rest } = shown;
    const report = { ...rest, status, results, revision: reused ? 'reused' : 'registered' };
    const failed = results.filter((r) => isFailure(r.status) && !(r.status === 'rolled-back' && !inputs.failOnEcsRollback));
    if (!failed.length)
        return { status, results, reason, report };
    const withThem = results.filter((r) => r.rollback?.because);
    const fleet = withThem.length
        ? `; rolled back with them: ${withThem.map((r) => `${r.service} (${r.rollback.status})`).join(', ')}`
        : '';
    const failure = `ECS deploy ${status}: ${failed.map((r) => `${r.service} ${r.status} (${reasonOf(r)})`).join('; ')}${fleet}`;
    return { status, results, reason, report, failure };
}
/** The step's outputs of an outcome (task-definition-arn is set as soon as it is known). */
function setOutputs(outcome, output) {
    const join = (values) => values.map((v) => v ?? '').join(',');
    output('previous-task-definition-arn', join(outcome.results.map((r) => r.previousTaskDefinitionArn)));
    output('deployment-id', join(outcome.results.map((r) => r.deploymentId)));
    output('status', outcome.status);
    output('rolled-back', String(outcome.results.some((r) => r.rolledBack)));
    output('reason', outcome.reason);
}
/** The digests that images pin, each with the container that runs it. */
function pinnedDigests(images) {
    return images.flatMap(({ container, image }) => {
        const digest = (0,release_history/* imageDigest */.Wf)(image);
        return digest ? [{ digest, what: `container ${container}` }] : [];
    });
}
function reasonOf(r) {
    if (!r.rollback)
        return r.reason;
    const because = r.rollback.because ? ` because ${r.rollback.because}` : '';
    return `${r.reason}; rolled back to ${r.previousTaskDefinitionArn}${because}: ${r.rollback.status} (${r.rollback.reason})`;
}

// EXTERNAL MODULE: ./src/inputs.ts + 2 modules
var src_inputs = __webpack_require__(54498);
;// CONCATENATED MODULE: ./src/main.ts






const defaultDeps = () => ({
    ecs: (inputs, log, notice) => (0,ecs_api/* createEcsApi */.yv)({
        region: inputs.region,
        endpoint: inputs.endpoint,
        retryBaseDelayMs: Math.min(1000, inputs.pollIntervalMs),
        log,
        notice,
    }),
    records: (token) => token
        ? createDeploymentRecords(createGitHubClient(token), process.env.GITHUB_REPOSITORY ?? '')
        : undefined,
    sha: process.env.GITHUB_SHA ?? '',
    log: (line) => lib_core.info(line),
    output: (name, value) => lib_core.setOutput(name, value),
    warning: (message) => lib_core.warning(message),
    notice: (message) => lib_core.notice(message),
    summary: appendSummary,
    state: createStateStore(),
});
async function run(inputs = (0,src_inputs/* getInputs */.G)(), deps = defaultDeps()) {
    // Wall clock: the analysis compares it with CloudWatch's alarm timestamps.
    const startedAt = new Date().toISOString();
    const ecsDeploy = openEcsDeploy(inputs, deps);
    if (inputs.dryRun) {
        const plan = await ecsDeploy.plan();
        const markdown = renderEcsPlan(plan);
        deps.output('plan', JSON.stringify(plan));
        deps.output('plan-markdown', markdown);
        await deps.summary(markdown);
        deps.log(plan.changes
            ? 'Dry run: the deploy would change the services above.'
            : 'Dry run: nothing would change.');
        return;
    }
    let outcome;
    try {
        outcome = await ecsDeploy.deploy();
        setOutputs(outcome, deps.output);
        deps.output('started-at', startedAt);
        await deps.summary(renderSummary(outcome.report));
    }
    finally {
        await ecsDeploy.close(outcome);
    }
    if (outcome.failure)
        throw new errors/* UserError */.yo(outcome.failure);
    deps.log(`ECS deploy ${outcome.status}: ${outcome.reason}`);
}


/***/ }),

/***/ 16719:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U5: () => (/* binding */ preDeployTask),
/* harmony export */   df: () => (/* binding */ backUpFirst),
/* harmony export */   gN: () => (/* binding */ defaultTasks)
/* harmony export */ });
/* unused harmony export runUrlOf */
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(88022);

// What runs between "the new revision is known" and UpdateService: the backup (before anything changes) and
// the pre-deploy task (of the new revision). The RDS and CloudWatch Logs clients load only here, and only when
// the inputs ask for them (README, Decisions: lazy loading).
async function backUpFirst(inputs, deps, images) {
    if (!inputs.backup)
        return [];
    const { takeBackups } = await __webpack_require__.e(/* import() */ 228).then(__webpack_require__.bind(__webpack_require__, 11228));
    const api = await (deps.rds ?? defaultRds)(inputs, deps.log);
    try {
        const results = await takeBackups(api, inputs.backup, {
            sha: deps.sha,
            digests: images.flatMap(({ image }) => (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_0__/* .imageDigest */ .Wf)(image) ?? []),
            runUrl: deps.runUrl ?? runUrlOf(process.env),
            // RDS tag values take letters, digits, spaces and _ . : / = + - @ only (no comma).
            deploy: `${inputs.cluster}/${inputs.services.join(' ')}`,
            pollIntervalMs: inputs.pollIntervalMs,
            log: deps.log,
            warning: deps.warning,
            now: deps.now,
            sleep: deps.sleep,
        });
        deps.output('backups', results.map((b) => b.snapshot).join(','));
        return results;
    }
    finally {
        api.close();
    }
}
async function preDeployTask(inputs, deps, definition, service, githubDeploymentId) {
    if (!inputs.preDeploy)
        return undefined;
    const { runPreDeploy } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 98765));
    const api = await (deps.tasks ?? defaultTasks)(inputs, deps.log);
    const result = await runPreDeploy(api, deps.logs ?? (async () => (await Promise.all(/* import() */[__webpack_require__.e(107), __webpack_require__.e(877)]).then(__webpack_require__.bind(__webpack_require__, 56877))).createLogsReader()), inputs.preDeploy, { definition, service }, {
        cluster: inputs.cluster,
        region: inputs.region,
        pollIntervalMs: inputs.pollIntervalMs,
        log: deps.log,
        started: (taskArn) => {
            deps.output('pre-deploy-task-arn', taskArn);
            deps.state.save('preDeployTask', { cluster: inputs.cluster, taskArn, githubDeploymentId });
        },
        now: deps.now,
        sleep: deps.sleep,
    });
    deps.state.save('preDeployTask', null);
    deps.output('pre-deploy-exit-code', result.exitCode === undefined ? '' : String(result.exitCode));
    return result;
}
const defaultRds = async (inputs, log) => (await Promise.all(/* import() */[__webpack_require__.e(966), __webpack_require__.e(747)]).then(__webpack_require__.bind(__webpack_require__, 69747))).createRdsApi({
    region: inputs.region,
    log,
    retryBaseDelayMs: Math.min(1000, inputs.pollIntervalMs),
});
const defaultTasks = async (inputs, log) => (await __webpack_require__.e(/* import() */ 426).then(__webpack_require__.bind(__webpack_require__, 48426))).createOneOffTaskApi({
    region: inputs.region,
    endpoint: inputs.endpoint,
    log,
    retryBaseDelayMs: Math.min(1000, inputs.pollIntervalMs),
});
const runUrlOf = (env) => `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;


/***/ }),

/***/ 98765:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qf: () => (/* binding */ preDeployContainer),
/* harmony export */   runPreDeploy: () => (/* binding */ runPreDeploy)
/* harmony export */ });
/* unused harmony exports LAST_LINES, runTaskInput, logStreamOf */
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51110);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(55931);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(18244);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(70833);

const LAST_LINES = 30;
const STARTED_BY = 'slipway-pre-deploy';
/** The container the command runs in; a missing one is an input error, found before anything is called. */
function preDeployContainer(definition, settings) {
    const containers = definition.containerDefinitions ?? [];
    if (settings.container) {
        if (containers.some((c) => c.name === settings.container))
            return settings.container;
        throw new _slipway_shared__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`Input "pre-deploy-container" names ${settings.container}, which is not a container of the task definition ` +
            `(${containers.map((c) => c.name).join(', ')}).`);
    }
    const chosen = containers.length === 1 ? containers[0] : containers.find((c) => c.essential !== false);
    if (!chosen?.name)
        throw new _slipway_shared__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo('Set "pre-deploy-container": the task definition has no essential container.');
    return chosen.name;
}
/** RunTask's input: the new revision once, the service's network and capacity unless the inputs say otherwise. */
function runTaskInput(settings, container, taskDefinitionArn, cluster, service) {
    const given = settings.overrides.containerOverrides ?? [];
    const mine = given.find((o) => o.name === container) ?? {};
    const containerOverrides = [
        ...given.filter((o) => o !== mine),
        { ...mine, name: container, command: settings.command },
    ];
    const capacity = settings.launchType
        ? { launchType: settings.launchType }
        : service.capacityProviderStrategy?.length
            ? { capacityProviderStrategy: service.capacityProviderStrategy }
            : service.launchType
                ? { launchType: service.launchType }
                : {};
    const network = settings.networkConfiguration ?? service.networkConfiguration;
    return {
        cluster,
        taskDefinition: taskDefinitionArn,
        count: 1,
        startedBy: STARTED_BY,
        ...capacity,
        ...(service.platformVersion && !settings.launchType ? { platformVersion: service.platformVersion } : {}),
        ...(network ? { networkConfiguration: network } : {}),
        overrides: { ...settings.overrides, containerOverrides },
    };
}
/** Where the container's awslogs driver writes (ECS's stream name: prefix/container/task id). */
function logStreamOf(definition, container, taskArn, region) {
    const config = definition.containerDefinitions?.find((c) => c.name === container)?.logConfiguration;
    const options = config?.options ?? {};
    if (config?.logDriver !== 'awslogs' || !options['awslogs-group'] || !options['awslogs-stream-prefix'])
        return undefined;
    return {
        group: options['awslogs-group'],
        stream: `${options['awslogs-stream-prefix']}/${container}/${taskArn.split('/').pop()}`,
        region: options['awslogs-region'] ?? region,
    };
}
/**
 * Runs the pre-deploy command once in a task of the new revision and follows it to its end: its logs streamed
 * from CloudWatch Logs as they come, StopTask at `pre-deploy-timeout`. It succeeds only when the container
 * exited 0 and ECS stopped the task for that reason.
 */
async function runPreDeploy(api, logs, settings, target, ctx) {
    const now = ctx.now ?? Date.now;
    const sleep = ctx.sleep ?? _slipway_shared__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy;
    const start = now();
    const container = preDeployContainer(target.definition, settings);
    const arn = target.definition.taskDefinitionArn;
    const input = runTaskInput(settings, container, arn, ctx.cluster, target.service);
    // A command or a log line may hold a connection URL with its password: user information is masked, as are
    // registered secrets, wherever they are shown.
    ctx.log(`Pre-deploy: running ${(0,_slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .redactText */ .Rd)(JSON.stringify(settings.command))} in container ${container} of ${arn.split('/').pop()}.`);
    const task = await api.runTask(input);
    const taskArn = task.taskArn;
    ctx.started?.(taskArn);
    const where = logStreamOf(target.definition, container, taskArn, ctx.region);
    ctx.log(where
        ? `Pre-deploy task ${taskArn}: logs from CloudWatch Logs ${where.group} ${where.stream}.`
        : `Pre-deploy task ${taskArn}: its container does not log to CloudWatch Logs (awslogs with a stream prefix); its output is not shown here.`);
    const reader = where ? await logs() : undefined;
    const lines = [];
    let token;
    const readLogs = async () => {
        if (!reader || !where)
            return;
        for (let page = 0; page < 100; page++) {
            const out = await reader.read(where, token).catch((error) => {
                ctx.log(`Pre-deploy: could not read its logs (${error.message}).`);
                return { lines: [], token };
            });
            const shown = out.lines.map(_slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .redactText */ .Rd);
            for (const line of shown)
                ctx.log(`[pre-deploy] ${line}`);
            lines.push(...shown);
            if (lines.length > LAST_LINES)
                lines.splice(0, lines.length - LAST_LINES);
            const moved = out.token !== token;
            token = out.token;
            if (!out.lines.length || !moved)
                break;
        }
    };
    const deadline = start + settings.timeoutMs;
    let current = task;
    let timedOut = false;
    try {
        while (current?.lastStatus !== 'STOPPED') {
            if (!timedOut && now() >= deadline) {
                timedOut = true;
                ctx.log(`Pre-deploy: pre-deploy-timeout (${(0,_slipway_shared__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(settings.timeoutMs)}) reached; stopping the task.`);
                await api.stopTask(ctx.cluster, taskArn, `Slipway: pre-deploy-timeout (${(0,_slipway_shared__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(settings.timeoutMs)}) reached`);
            }
            await readLogs();
            await sleep(ctx.pollIntervalMs);
            current = await api.describeTask(ctx.cluster, taskArn);
            if (!current)
                break; // ECS no longer knows it (MISSING): it failed, with no exit code to tell
            if (timedOut && now() >= deadline + 5 * 60_000)
                break; // ECS did not stop it in 5 minutes: stop waiting
        }
        await readLogs();
    }
    finally {
        reader?.close();
    }
    const exited = current?.containers?.find((c) => c.name === container);
    const result = {
        container,
        command: settings.command,
        taskArn,
        exitCode: exited?.exitCode,
        stopCode: current?.stopCode,
        stoppedReason: current?.stoppedReason,
        lastLines: reader ? lines : undefined,
        logs: where,
        durationMs: now() - start,
    };
    if (timedOut) {
        return {
            ...result,
            status: 'timed-out',
            reason: `the pre-deploy task did not finish within pre-deploy-timeout (${(0,_slipway_shared__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(settings.timeoutMs)}); it was stopped`,
        };
    }
    if (exited?.exitCode === 0 && current?.stopCode === 'EssentialContainerExited') {
        return { ...result, status: 'succeeded', reason: '' };
    }
    const why = [
        exited?.exitCode !== undefined ? `exit code ${exited.exitCode}` : 'no exit code',
        current?.stopCode ? `${current.stopCode}: ${current.stoppedReason ?? ''}`.trim() : undefined,
        exited?.reason,
    ].filter(Boolean);
    return { ...result, status: 'failed', reason: `the pre-deploy task failed (${why.join('; ')})` };
}


/***/ }),

/***/ 88022:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Wf: () => (/* binding */ imageDigest),
/* harmony export */   kp: () => (/* binding */ badDigestReason),
/* harmony export */   wh: () => (/* binding */ refuseBadDigest)
/* harmony export */ });
/* unused harmony exports digestsOf, lastGoodDeployment */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51110);

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
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${message} Deploy a fixed image, or set force: true to deploy it anyway.`);
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

/***/ 62462:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  hX: () => (/* binding */ classifiedEcsCall),
  yv: () => (/* binding */ createEcsApi),
  dO: () => (/* binding */ retryLabel)
});

// UNUSED EXPORTS: apiNotOffered, apiUnavailable

// EXTERNAL MODULE: ../../node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7184);
// EXTERNAL MODULE: ../../node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(84224);
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

// EXTERNAL MODULE: ../../packages/shared/src/aws/client-config.ts
var client_config = __webpack_require__(82351);
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


/***/ }),

/***/ 98373:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BY: () => (/* binding */ seeRollbacksThroughPauses),
/* harmony export */   Zr: () => (/* binding */ pauseStagesOf),
/* harmony export */   tb: () => (/* binding */ rollBackPausesLeftBehind)
/* harmony export */ });
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


/***/ })

};
;