"use strict";
exports.id = 426;
exports.ids = [426];
exports.modules = {

/***/ 48426:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createOneOffTaskApi: () => (/* binding */ createOneOffTaskApi)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(84224);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(82351);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(55931);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(62462);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(51110);


function createOneOffTaskApi(options, client = new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__/* .ECSClient */ .Zgc((0,_slipway_shared__WEBPACK_IMPORTED_MODULE_1__/* .awsClientConfig */ .rw)(options))) {
    const call = (name, fn) => (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .retry */ .L5)((0,_slipway_shared__WEBPACK_IMPORTED_MODULE_3__/* .classifiedEcsCall */ .hX)(name, fn), {
        attempts: 6,
        baseDelayMs: options.retryBaseDelayMs ?? 1000,
        maxDelayMs: 20_000,
        retryable: _slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .isTransient */ .dg,
        onRetry: (error, n, delay) => options.log(`ecs:${name} - ${error.name}; try ${n + 1} in ${delay}ms`),
    }).catch((error) => {
        const explained = (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_1__/* .explainAwsError */ .Ni)(error, `ecs:${name}`);
        const e = error;
        if (explained === error && e.$fault === 'client' && !(0,_slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .isTransient */ .dg)(error)) {
            throw new _slipway_shared__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`ECS refused ecs:${name} (${e.name}: ${e.message}). Check the pre-deploy-* inputs and the task definition.`);
        }
        throw explained;
    });
    return {
        async runTask(input) {
            const out = await call('RunTask', () => client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__/* .RunTaskCommand */ ._eD(input)));
            const task = out.tasks?.[0];
            if (!task) {
                const why = (out.failures ?? []).map((f) => `${f.arn ?? ''} ${f.reason ?? ''} ${f.detail ?? ''}`.trim());
                throw new _slipway_shared__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`ECS did not start the pre-deploy task: ${why.join('; ') || 'no task and no failure given'}.`);
            }
            return task;
        },
        async describeTask(cluster, arn) {
            const out = await call('DescribeTasks', () => client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__/* .DescribeTasksCommand */ .z8X({ cluster, tasks: [arn] })));
            return out.tasks?.[0];
        },
        async stopTask(cluster, arn, reason) {
            await call('StopTask', () => client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__/* .StopTaskCommand */ .PP1({ cluster, task: arn, reason })));
        },
    };
}


/***/ })

};
;