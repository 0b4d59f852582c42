"use strict";
exports.id = 228;
exports.ids = [228];
exports.modules = {

/***/ 11228:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   takeBackups: () => (/* binding */ takeBackups)
/* harmony export */ });
/* unused harmony exports MANAGED_BY, snapshotId */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(55931);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51110);
/* harmony import */ var _slipway_shared__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(70833);


const MANAGED_BY = 'slipway/deploy-ecs';
/** RDS takes 256 characters of letters, digits, spaces and `_ . : / = + - @` in a tag value. */
const tagValue = (value) => value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);
/** `slipway-<db>-<UTC time>-<commit>`, at most 63 characters (RDS's limit for cluster snapshots). */
function snapshotId(source, sha, at) {
    const stamp = at
        .toISOString()
        .replace(/[-:TZ.]/g, '')
        .slice(0, 14);
    const commit = /^[0-9a-f]{7,}$/i.test(sha)
        ? sha.slice(0, 7).toLowerCase()
        : (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex').slice(0, 7);
    const head = `slipway-${source}`.slice(0, 40).replace(/-+$/, '');
    return `${head}-${stamp}-${commit}`;
}
/**
 * Takes a snapshot of every instance and cluster named in `backup` at once, tagged with the release, and waits
 * until each is available within `backup-timeout`; then prunes our older snapshots of each (tag
 * `slipway:managed-by`) to `keep-backups`. Any snapshot that fails or is not available in time throws: the
 * deploy stops before it changes anything.
 */
async function takeBackups(api, settings, ctx) {
    const now = ctx.now ?? Date.now;
    const sleep = ctx.sleep ?? _slipway_shared__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy;
    const deadline = now() + settings.timeoutMs;
    const tags = {
        'slipway:managed-by': MANAGED_BY,
        'slipway:commit': tagValue(ctx.sha),
        'slipway:digest': tagValue(ctx.digests.join(' ')),
        'slipway:run': tagValue(ctx.runUrl),
        'slipway:deploy': tagValue(ctx.deploy),
    };
    const started = await Promise.all(settings.targets.map(async ({ kind, id: source }) => {
        const snapshot = snapshotId(source, ctx.sha, new Date(now()));
        const created = await api.create(kind, source, snapshot, {
            ...tags,
            'slipway:source': `${kind}:${source}`,
        });
        ctx.log(`Backup: RDS snapshot ${snapshot} of DB ${kind} ${source} started (${created.status}).`);
        return { kind, source, snapshot, arn: created.arn, status: created.status, pruned: [] };
    }));
    for (;;) {
        for (const b of started.filter((s) => s.status !== 'available')) {
            b.status = (await api.describe(b.kind, b.snapshot)).status;
            if (b.status !== 'creating' && b.status !== 'available') {
                throw new _slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`Backup failed: RDS snapshot ${b.snapshot} of DB ${b.kind} ${b.source} is ${b.status}. Nothing was deployed.`);
            }
        }
        if (started.every((s) => s.status === 'available'))
            break;
        if (now() >= deadline) {
            const late = started.filter((s) => s.status !== 'available').map((s) => `${s.snapshot} (${s.status})`);
            throw new _slipway_shared__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .yo(`Backup timed out: RDS snapshot(s) ${late.join(', ')} not available within backup-timeout ` +
                `(${(0,_slipway_shared__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(settings.timeoutMs)}). Nothing was deployed; the snapshot goes on in RDS. ` +
                'Raise backup-timeout for a large database.');
        }
        await sleep(Math.min(ctx.pollIntervalMs, Math.max(0, deadline - now())));
    }
    for (const b of started) {
        ctx.log(`Backup: ${b.snapshot} is available.`);
        b.pruned = await prune(api, b, settings.keep, ctx);
    }
    return started;
}
/** Our older snapshots of the same DB beyond `keep` (the new one counts), oldest deleted first. A failure warns. */
async function prune(api, b, keep, ctx) {
    try {
        const ours = (await api.list(b.kind, b.source))
            .filter((s) => s.tags['slipway:managed-by'] === MANAGED_BY && s.status === 'available')
            .sort((x, y) => (y.createdAt?.getTime() ?? 0) - (x.createdAt?.getTime() ?? 0) || (y.id > x.id ? 1 : -1));
        const extra = ours.filter((s) => s.id !== b.snapshot).slice(Math.max(0, keep - 1));
        for (const s of extra) {
            await api.remove(b.kind, s.id);
            ctx.log(`Backup: pruned ${s.id} (keep-backups: ${keep}).`);
        }
        return extra.map((s) => s.id);
    }
    catch (error) {
        ctx.warning(`Backup: could not prune older snapshots of ${b.kind} ${b.source}: ${error.message}`);
        return [];
    }
}


/***/ })

};
;