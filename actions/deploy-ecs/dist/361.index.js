"use strict";
exports.id = 361;
exports.ids = [361];
exports.modules = {

/***/ 39361:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  post: () => (/* binding */ post)
});

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

// EXTERNAL MODULE: ../../packages/shared/src/ecs/pauses-left-behind.ts
var pauses_left_behind = __webpack_require__(98373);
// EXTERNAL MODULE: ./src/inputs.ts + 2 modules
var src_inputs_0 = __webpack_require__(54498);
// EXTERNAL MODULE: ./src/main.ts + 33 modules
var main = __webpack_require__(4626);
// EXTERNAL MODULE: ./src/pauses/pause-inputs.ts + 9 modules
var pause_inputs = __webpack_require__(38165);
// EXTERNAL MODULE: ./src/pre-deploy/before-update.ts
var before_update = __webpack_require__(16719);
;// CONCATENATED MODULE: ./src/pre-deploy/post-stop.ts

/**
 * The post step's part for the pre-deploy task: when the main step stopped while that task ran (the run was
 * cancelled or timed out), nobody follows it any more and no deploy will come after it, so it is stopped, as
 * `pre-deploy-timeout` would have. Like every post step, it only warns.
 */
async function stopAbandonedPreDeploy(deps, read) {
    const left = deps.state.get('preDeployTask');
    if (typeof left?.taskArn !== 'string' || typeof left.cluster !== 'string')
        return;
    deps.warning(`The main step stopped while the pre-deploy task ${left.taskArn} ran (the run was cancelled or timed out): ` +
        'stopping it; no service was updated.');
    try {
        const api = await (deps.tasks ?? before_update/* defaultTasks */.gN)(await read(), deps.log);
        await api.stopTask(left.cluster, left.taskArn, 'Slipway: the run was cancelled while the pre-deploy task ran');
        deps.log(`Pre-deploy task ${left.taskArn}: StopTask sent.`);
    }
    catch (error) {
        deps.warning(`Could not stop the pre-deploy task ${left.taskArn} (${error.message}).`);
    }
    // The GitHub Deployment the main step began (its migration recorded) would stay in progress otherwise.
    const records = left.githubDeploymentId === undefined ? undefined : deps.records((await read()).githubToken);
    if (!records || left.githubDeploymentId === undefined)
        return;
    const description = 'The run stopped while the pre-deploy task ran; the task was stopped and no service was updated.';
    try {
        await records.finish(left.githubDeploymentId, 'failure', { description });
        deps.log(`GitHub Deployment ${left.githubDeploymentId} set to failure: ${description}`);
    }
    catch (error) {
        deps.warning(`Could not set GitHub Deployment ${left.githubDeploymentId} to failure (${error.message}).`);
    }
}

;// CONCATENATED MODULE: ./src/post.ts





// A cancelled job's post steps have minutes (the runner's cancel timeout is 5 minutes), not wait-timeout's hours.
const SEE_THROUGH_MS = 4 * 60_000;
/**
 * The post step (runs on `always()`): when the main step stopped while following a deployment (the run was
 * cancelled or timed out), it says what ECS is doing now and closes the GitHub Deployment the main step left
 * in progress with what ECS reports. ECS itself carries on with the deployment (its circuit breaker included),
 * except where it is at, or heading for, a pause this run was to answer: rolled back (rollBackPausesLeftBehind).
 * A service this run was already rolling back itself (rollback-on-failure) is not rolled back again: that
 * deployment is the way back, so its pauses are answered CONTINUE (seeRollbacksThroughPauses). It only warns,
 * so it never fails a job.
 */
async function post(deps = (0,main/* defaultDeps */.m)(), read = () => (0,src_inputs/* readInputs */.Ko)(src_inputs_0/* getInputs */.G)) {
    await stopAbandonedPreDeploy(deps, read);
    const following = deps.state.get('following');
    if (!following)
        return;
    const inputs = await read();
    const arn = following.taskDefinitionArn;
    const revision = arn.split('/').pop();
    deps.warning(`The main step stopped while following the deployment of ${revision} to ${inputs.services.join(', ')} ` +
        '(the run was cancelled or timed out). ECS carries on with it without this run.');
    let verdict = {
        state: 'error',
        description: `The run stopped while ECS was deploying ${revision}; its outcome was not followed.`,
    };
    try {
        const api = deps.ecs(inputs, deps.log, deps.notice);
        const services = await api.describeServices(inputs.cluster, inputs.services);
        for (const service of services)
            deps.log(`${service.serviceName}: ${standingOf(service, arn)}`);
        verdict = ecsVerdict(services, () => arn, `the deployment of ${revision}`) ?? verdict;
        // Each service's current deployment of this run: the new revision's (rolled back at a pause it answers),
        // or this run's own rollback's (rollback-on-failure: seen through its pauses, as it is the way back).
        const back = following.rollingBack ?? {};
        const deploying = services.filter((s) => !back[s.serviceName ?? '']);
        const answerers = (0,pause_inputs/* pauseAnswerers */.DV)(inputs.pauses);
        const rolledBack = await (0,pauses_left_behind/* rollBackPausesLeftBehind */.tb)(api, deploying, arn, answerers, deps);
        verdict = pausesRolledBackVerdict(rolledBack) ?? verdict;
        const wait = {
            timeoutMs: Math.min(inputs.waitTimeoutMs, SEE_THROUGH_MS),
            pollIntervalMs: inputs.pollIntervalMs,
            now: deps.now,
            sleep: deps.sleep,
        };
        await Promise.all(Object.entries(back).map(([name, to]) => {
            const service = services.filter((s) => s.serviceName === name);
            if (service[0])
                deps.log(`${name}: being rolled back (rollback-on-failure): ${standingOf(service[0], to)}`);
            return (0,pauses_left_behind/* seeRollbacksThroughPauses */.BY)(api, service, to, deps, wait);
        }));
        if (Object.keys(back).length) {
            verdict = {
                state: 'failure',
                description: `${revision} failed; the run was rolling ${Object.keys(back).join(', ')} back (rollback-on-failure) when it stopped.`,
            };
        }
    }
    catch (error) {
        deps.warning(`Could not ask ECS how the deployment stands (${error.message}).`);
    }
    await closeRecordLeftBehind(deps.records(inputs.githubToken), following.githubDeploymentId, verdict, deps);
}


/***/ })

};
;