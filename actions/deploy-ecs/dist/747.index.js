"use strict";
exports.id = 747;
exports.ids = [747];
exports.modules = {

/***/ 69747:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createRdsApi: () => (/* binding */ createRdsApi)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(17966);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(82351);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(55931);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(51110);


// What RDS says when a name in `backup` is wrong: the input to check.
const NOT_FOUND = new Set(['DBInstanceNotFoundFault', 'DBClusterNotFoundFault']);
const toSnapshot = (s) => ({
    id: s.DBSnapshotIdentifier ?? s.DBClusterSnapshotIdentifier ?? '',
    status: s.Status ?? 'unknown',
    createdAt: s.SnapshotCreateTime,
    arn: s.DBSnapshotArn ?? s.DBClusterSnapshotArn,
    tags: Object.fromEntries((s.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
});
function createRdsApi(options, client = new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__/* .RDSClient */ .rYe((0,_slipway_shared__WEBPACK_IMPORTED_MODULE_1__/* .awsClientConfig */ .rw)({ region: options.region }))) {
    const call = (name, fn) => (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .retry */ .L5)(fn, {
        attempts: 6,
        baseDelayMs: options.retryBaseDelayMs ?? 1000,
        maxDelayMs: 20_000,
        retryable: _slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .isTransient */ .dg,
        onRetry: (error, n, delay) => options.log(`rds:${name} - ${error.name}; try ${n + 1} in ${delay}ms`),
    }).catch((error) => {
        const explained = (0,_slipway_shared__WEBPACK_IMPORTED_MODULE_1__/* .explainAwsError */ .Ni)(error, `rds:${name}`);
        if (explained !== error)
            throw explained;
        const e = error;
        if (NOT_FOUND.has(e.name ?? '')) {
            throw new _slipway_shared__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .yo(`RDS refused rds:${name} (${e.name}: ${e.message}). Check the "backup" input.`);
        }
        if (e.$fault === 'client')
            throw new _slipway_shared__WEBPACK_IMPORTED_MODULE_3__/* .UserError */ .yo(`RDS refused rds:${name} (${e.name}: ${e.message}).`);
        throw error;
    });
    const tagList = (tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    return {
        async create(kind, source, id, tags) {
            if (kind === 'instance') {
                const out = await call('CreateDBSnapshot', () => client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__/* .CreateDBSnapshotCommand */ .SQw({
                    DBInstanceIdentifier: source,
                    DBSnapshotIdentifier: id,
                    Tags: tagList(tags),
                })));
                return toSnapshot(out.DBSnapshot ?? {});
            }
            const out = await call('CreateDBClusterSnapshot', () => client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__/* .CreateDBClusterSnapshotCommand */ .Iv4({
                DBClusterIdentifier: source,
                DBClusterSnapshotIdentifier: id,
                Tags: tagList(tags),
            })));
            return toSnapshot(out.DBClusterSnapshot ?? {});
        },
        async describe(kind, id) {
            const found = kind === 'instance'
                ? (await call('DescribeDBSnapshots', () => client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__/* .DescribeDBSnapshotsCommand */ .KKI({ DBSnapshotIdentifier: id })))).DBSnapshots
                : (await call('DescribeDBClusterSnapshots', () => client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__/* .DescribeDBClusterSnapshotsCommand */ .cWV({ DBClusterSnapshotIdentifier: id })))).DBClusterSnapshots;
            return toSnapshot(found?.[0] ?? { Status: 'missing' });
        },
        async list(kind, source) {
            const all = [];
            let marker;
            do {
                const out = kind === 'instance'
                    ? await call('DescribeDBSnapshots', () => client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__/* .DescribeDBSnapshotsCommand */ .KKI({
                        DBInstanceIdentifier: source,
                        SnapshotType: 'manual',
                        Marker: marker,
                    })))
                    : await call('DescribeDBClusterSnapshots', () => client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__/* .DescribeDBClusterSnapshotsCommand */ .cWV({
                        DBClusterIdentifier: source,
                        SnapshotType: 'manual',
                        Marker: marker,
                    })));
                const page = 'DBSnapshots' in out
                    ? out.DBSnapshots
                    : out.DBClusterSnapshots;
                all.push(...(page ?? []).map(toSnapshot));
                marker = out.Marker;
            } while (marker);
            return all;
        },
        async remove(kind, id) {
            if (kind === 'instance') {
                await call('DeleteDBSnapshot', () => client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__/* .DeleteDBSnapshotCommand */ .PHQ({ DBSnapshotIdentifier: id })));
            }
            else {
                await call('DeleteDBClusterSnapshot', () => client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_0__/* .DeleteDBClusterSnapshotCommand */ .fW3({ DBClusterSnapshotIdentifier: id })));
            }
        },
        close: () => client.destroy(),
    };
}


/***/ })

};
;