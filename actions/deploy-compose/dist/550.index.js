"use strict";
exports.id = 550;
exports.ids = [550];
exports.modules = {

/***/ 64550:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7184);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(46876);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(43742);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(90743);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(90377);
/* harmony import */ var _inputs__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2843);
/* harmony import */ var _main__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(545);




/**
 * The post step: releases every lock the main step still held (it was cancelled, timed out or crashed), first
 * stopping the remote command it left running there.
 * It runs on `always()`; it only warns, so it never fails a job.
 */
async function post(deps = (0,_main__WEBPACK_IMPORTED_MODULE_1__/* .defaultDeps */ .m)(), read = () => (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .readInputs */ .Ko)(_inputs__WEBPACK_IMPORTED_MODULE_3__/* .getInputs */ .GP)) {
    const locks = deps.state.get('locks') ?? {};
    const held = Object.entries(locks);
    if (held.length === 0)
        return;
    const inputs = await read();
    for (const [name, lock] of held) {
        const host = inputs.hosts.find((h) => (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_4__/* .formatSshTarget */ .z)(h.target) === name);
        if (!host)
            continue;
        try {
            const session = await deps.connect({ ...(0,_slipway_shared__WEBPACK_IMPORTED_MODULE_5__/* .connectOptions */ .jN)(inputs, host), retry: { attempts: 2 } });
            try {
                const stopped = await (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_6__/* .releaseLock */ .x_)(session, lock);
                if (stopped)
                    _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`${name}: stopped the remote command the main step left running.`);
            }
            finally {
                session.close();
            }
            _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`${name}: released the deploy lock the main step left behind.`);
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__.warning(`${name}: could not release the deploy lock (${error.message}); it expires with lock-ttl.`);
        }
    }
}


/***/ })

};
;