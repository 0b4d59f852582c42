"use strict";
exports.id = 550;
exports.ids = [550];
exports.modules = {

/***/ 4550:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3884);
/* harmony import */ var _inputs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5711);
/* harmony import */ var _main__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5478);



/**
 * The post step (runs on `always()`): when the main step stopped while following a deployment (the run was
 * cancelled or timed out), it says what ECS is doing now and closes the GitHub Deployment the main step left
 * in progress with what ECS reports. ECS itself carries on with the deployment (its circuit breaker included);
 * nothing in ECS is changed here. It only warns, so it never fails a job.
 */
async function post(deps = (0,_main__WEBPACK_IMPORTED_MODULE_1__/* .defaultDeps */ .m)(), read = _inputs__WEBPACK_IMPORTED_MODULE_0__/* .getInputs */ .G) {
    const following = deps.state.get('following');
    if (!following)
        return;
    const inputs = read();
    const arn = following.taskDefinitionArn;
    const revision = arn.split('/').pop();
    deps.warning(`The main step stopped while following the deployment of ${revision} to ${inputs.services.join(', ')} ` +
        '(the run was cancelled or timed out). ECS carries on with it without this run.');
    let verdict = {
        state: 'error',
        description: `The run stopped while ECS was deploying ${revision}; its outcome was not followed.`,
    };
    try {
        const services = await deps
            .ecs(inputs, deps.log, deps.notice)
            .describeServices(inputs.cluster, inputs.services);
        for (const service of services)
            deps.log(`${service.serviceName}: ${standing(service, arn)}`);
        verdict = judge(services, arn, revision) ?? verdict;
    }
    catch (error) {
        deps.warning(`Could not ask ECS how the deployment stands (${error.message}).`);
    }
    const id = following.githubDeploymentId;
    const records = deps.records(inputs.githubToken);
    if (id === undefined || !records)
        return;
    try {
        await records.finish(id, verdict.state, { description: verdict.description });
        deps.log(`GitHub Deployment ${id} set to ${verdict.state}: ${verdict.description}`);
    }
    catch (error) {
        deps.warning(`Could not set GitHub Deployment ${id} to ${verdict.state} (${error.message}).`);
    }
}
/** Where the service's deployment of `arn` stands, in one line. */
function standing(service, arn) {
    const ours = service.deployments?.find((d) => d.taskDefinition === arn);
    if (!ours)
        return `no deployment of ${arn} any more (the service runs ${service.taskDefinition}).`;
    return `ECS deployment ${ours.id} of ${arn} is ${ours.status} ${(0,_slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .describeEcsDeployment */ .o_)(ours)}.`;
}
/** Success or failure when ECS has decided for every service; undefined while any deployment is undecided. */
function judge(services, arn, revision) {
    const ours = services.map((s) => s.deployments?.find((d) => d.taskDefinition === arn));
    if (ours.some((d) => d?.rolloutState === 'FAILED')) {
        return { state: 'failure', description: `ECS failed the deployment of ${revision}.` };
    }
    if (ours.every((d) => d?.status === 'PRIMARY' && d.rolloutState === 'COMPLETED')) {
        return { state: 'success', description: `ECS completed the deployment of ${revision}.` };
    }
    return undefined;
}


/***/ })

};
;