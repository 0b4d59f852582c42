"use strict";
exports.id = 877;
exports.ids = [877];
exports.modules = {

/***/ 56877:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createLogsReader: () => (/* binding */ createLogsReader)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1107);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(82351);


function createLogsReader(make = (region) => new _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_0__/* .CloudWatchLogsClient */ .TFr((0,_slipway_shared__WEBPACK_IMPORTED_MODULE_1__/* .awsClientConfig */ .rw)({ region }))) {
    const clients = new Map();
    return {
        async read(where, token) {
            let client = clients.get(where.region);
            if (!client) {
                client = make(where.region);
                clients.set(where.region, client);
            }
            try {
                const out = await client.send(new _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_0__/* .GetLogEventsCommand */ .h7S({
                    logGroupName: where.group,
                    logStreamName: where.stream,
                    startFromHead: true,
                    ...(token ? { nextToken: token } : {}),
                }));
                return {
                    lines: (out.events ?? []).map((e) => e.message ?? ''),
                    token: out.nextForwardToken ?? token,
                };
            }
            catch (error) {
                // The stream appears when the container first writes: until then there is nothing to read.
                if (error.name === 'ResourceNotFoundException')
                    return { lines: [], token };
                throw (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_1__/* .explainAwsError */ .Ni)(error, 'logs:GetLogEvents');
            }
        },
        close: () => {
            for (const c of clients.values())
                c.destroy();
        },
    };
}


/***/ })

};
;