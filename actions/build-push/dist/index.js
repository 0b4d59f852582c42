/******/ (() => { // webpackBootstrap
/******/ 	"use strict";
/******/ 	var __webpack_modules__ = ({

/***/ 9933:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


// For internal use, subject to change.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.issueFileCommand = issueFileCommand;
exports.prepareKeyValueMessage = prepareKeyValueMessage;
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
const crypto = __importStar(__nccwpck_require__(6982));
const fs = __importStar(__nccwpck_require__(9896));
const os = __importStar(__nccwpck_require__(857));
const utils_1 = __nccwpck_require__(274);
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!fs.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    fs.appendFileSync(filePath, `${(0, utils_1.toCommandValue)(message)}${os.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
    const convertedValue = (0, utils_1.toCommandValue)(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${os.EOL}${convertedValue}${os.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map

/***/ }),

/***/ 274:
/***/ ((__unused_webpack_module, exports) => {


// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.toCommandValue = toCommandValue;
exports.toCommandProperties = toCommandProperties;
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map

/***/ }),

/***/ 4850:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  GP: () => (/* binding */ getInputs)
});

// UNUSED EXPORTS: DEFAULT_TRIVY_DB, DEFAULT_TRIVY_JAVA_DB

// EXTERNAL MODULE: ../../packages/shared/src/inputs.ts + 1 modules
var inputs = __nccwpck_require__(6201);
// EXTERNAL MODULE: ../../packages/shared/src/registry/image-reference.ts
var image_reference = __nccwpck_require__(9932);
// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __nccwpck_require__(1110);
;// CONCATENATED MODULE: ./src/cache-entries.ts

/** BuildKit's cache backends; `inline` only exports (it is read back with type=registry). */
const CACHE_TYPES = ['registry', 'local', 'gha', 's3', 'azblob', 'inline'];
const KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;
/**
 * `cache-from` / `cache-to` lines as buildx reads them: `type=<backend>,key=value,...`, or image references
 * (several on a line, comma-separated, are several registry caches). Returns one `type=...` entry per cache,
 * keys lower-cased as buildx does, a bare reference written out as `type=registry,ref=<reference>` (so
 * `ignore-error=true` can be appended to it). Values are never shown in errors: s3 and gha entries may hold
 * credentials.
 */
function parseCacheEntries(input, lines) {
    const types = input === 'cache-to' ? CACHE_TYPES : CACHE_TYPES.filter((t) => t !== 'inline');
    const accepted = `type=<${types.join('|')}>,key=value,... (e.g. type=registry,ref=ghcr.io/acme/app:cache) or an image reference, one per line`;
    return lines.flatMap((line, i) => {
        const fail = (why) => {
            throw new errors/* InputError */.dz(input, `Input "${input}" line ${i + 1} ${why}; write ${accepted}.`);
        };
        const what = `Input "${input}" line ${i + 1}`;
        if (CONTROL.test(line))
            fail('has a control character (a tab, carriage return or the like)');
        if (!line.includes('=')) {
            return line.split(',').map((ref) => {
                if (ref.trim() === '')
                    fail('has an empty entry between commas');
                return `type=registry,ref=${reference(ref.trim(), what)}`;
            });
        }
        const fields = line.split(',').map((field, n) => {
            const eq = field.indexOf('=');
            if (eq < 0)
                fail(`field ${n + 1} is not key=value (it has no "=")`);
            const key = field.slice(0, eq);
            if (!KEY.test(key))
                fail(`field ${n + 1} has the key ${JSON.stringify(key)}, not letters, digits, _ and -`);
            if (field.length === eq + 1)
                fail(`field ${n + 1} ("${key}=") has no value`);
            return [key.toLowerCase(), field.slice(eq + 1)];
        });
        const type = fields.find(([key]) => key === 'type')?.[1];
        if (type === undefined)
            fail('has no "type=" field');
        if (!types.includes(type)) {
            fail(type === 'inline'
                ? 'reads type=inline, which only exports (read an inline cache back with type=registry,ref=<image>)'
                : `has the type ${JSON.stringify(type)}, which is not a cache backend`);
        }
        const ref = fields.find(([key]) => key === 'ref')?.[1];
        if (type === 'registry') {
            if (ref === undefined)
                fail('has type=registry without "ref=<image>"');
            reference(ref, `${what} "ref"`);
        }
        return [fields.map(([key, value]) => `${key}=${value}`).join(',')];
    });
}
/** A cache image reference, checked with the one image-reference parser of the suite. */
function reference(text, what) {
    (0,image_reference/* parseImageReference */.o_)(text, what);
    return text;
}

// EXTERNAL MODULE: ./src/scan/trivy-report.ts
var trivy_report = __nccwpck_require__(1417);
;// CONCATENATED MODULE: ./src/inputs.ts



const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const BUILD_ARG = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
// A Dockerfile stage name (`FROM ... AS <name>`), as BuildKit accepts it.
const STAGE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
const DEFAULT_TRIVY_DOWNLOAD = 'https://github.com/aquasecurity/trivy/releases/download';
const DEFAULT_TRIVY_DB = [
    'mirror.gcr.io/aquasec/trivy-db:2',
    'ghcr.io/aquasecurity/trivy-db:2',
    'public.ecr.aws/aquasecurity/trivy-db:2',
];
const DEFAULT_TRIVY_JAVA_DB = [
    'mirror.gcr.io/aquasec/trivy-java-db:1',
    'ghcr.io/aquasecurity/trivy-java-db:1',
    'public.ecr.aws/aquasecurity/trivy-java-db:1',
];
function getInputs(read = new inputs/* InputReader */.i_()) {
    const imageText = read.required('image');
    const image = (0,image_reference/* parseImageReference */.o_)(imageText, 'Input "image"');
    if (image.tag || image.digest) {
        throw new errors/* InputError */.dz('image', `Input "image" is the repository without a tag or digest (e.g. ghcr.io/acme/app); put tags in "tags". Got ${JSON.stringify(imageText)}.`);
    }
    const tags = read.list('tags').map((tag) => tagOf(tag, image));
    const sourceText = read.string('source-image');
    const sourceImage = sourceText ? (0,image_reference/* parseImageReference */.o_)(sourceText, 'Input "source-image"') : undefined;
    if (sourceImage && !sourceImage.digest) {
        throw new errors/* InputError */.dz('source-image', `Input "source-image" must name the image by digest (repo@sha256:...), so what is promoted is exactly what was tested; got ${JSON.stringify(sourceText)}.`);
    }
    if (sourceImage && tags.length === 0) {
        throw new errors/* InputError */.dz('tags', 'Input "tags" is required with "source-image": name the tags to add (e.g. prod).');
    }
    const push = read.boolean('push', { default: true });
    if (sourceImage && !push) {
        throw new errors/* InputError */.dz('push', 'Input "push" is false, but "source-image" promotes an image, which is a push: remove "source-image" or set "push" to true.');
    }
    const severity = severities(read.list('severity'), 'severity');
    const failOnText = read.string('fail-on', { default: 'CRITICAL' }).toUpperCase();
    const failOn = failOnText === 'NONE' ? 'none' : severities([failOnText], 'fail-on')[0];
    if (failOn !== 'none' && !severity.includes(failOn)) {
        throw new errors/* InputError */.dz('fail-on', `Input "fail-on" is ${failOn}, but "severity" (${severity.join(',')}) does not report it: add it to "severity" or lower "fail-on".`);
    }
    const password = read.secret('password');
    const username = read.string('username');
    if (Boolean(password) !== Boolean(username)) {
        throw new errors/* InputError */.dz('password', 'Inputs "username" and "password" go together: set both or neither.');
    }
    return {
        image,
        tags,
        sourceImage,
        context: read.string('context', { default: '.' }),
        file: read.string('file'),
        target: stage(read.string('target')),
        buildArgs: read.keyValues('build-args', { keyPattern: BUILD_ARG }),
        secrets: read.keyValues('secrets', { secret: true, keyPattern: SECRET_ID }),
        platforms: checked(read.list('platforms'), PLATFORM, 'platforms', 'os/arch[/variant] such as linux/amd64'),
        cacheFrom: parseCacheEntries('cache-from', read.list('cache-from', { separator: 'newline' })),
        cacheTo: parseCacheEntries('cache-to', read.list('cache-to', { separator: 'newline' })),
        labels: read.keyValues('labels', { keyPattern: LABEL }),
        pull: read.boolean('pull', { default: false }),
        noCache: read.boolean('no-cache', { default: false }),
        skipExisting: read.boolean('skip-existing', { default: true }),
        push,
        username,
        password,
        ecr: read.enumeration('ecr', ['auto', 'true', 'false'], { default: 'auto' }),
        endpoint: read.url('endpoint')?.replace(/\/+$/, ''),
        createRepository: read.boolean('create-repository', { default: false }),
        immutableTags: read.boolean('immutable-tags', { default: false }),
        logout: read.boolean('logout', { default: true }),
        scan: read.boolean('scan', { default: true }),
        severity,
        failOn,
        ignoreUnfixed: read.boolean('ignore-unfixed', { default: false }),
        ignoreFile: read.string('ignore-file'),
        trivyDbRepositories: dbRepositories('trivy-db-repositories', read.list('trivy-db-repositories'), DEFAULT_TRIVY_DB),
        trivyJavaDbRepositories: dbRepositories('trivy-java-db-repositories', read.list('trivy-java-db-repositories'), DEFAULT_TRIVY_JAVA_DB),
        trivyDownloadUrl: (read.url('trivy-download-url') ?? DEFAULT_TRIVY_DOWNLOAD).replace(/\/+$/, ''),
    };
}
function severities(values, input) {
    if (values.length === 0)
        return [...trivy_report/* SEVERITIES */.oC];
    return values.map((value) => {
        const upper = value.toUpperCase();
        if (!trivy_report/* SEVERITIES */.oC.includes(upper)) {
            throw new errors/* InputError */.dz(input, `Input "${input}" takes ${trivy_report/* SEVERITIES */.oC.join(', ')}; got ${JSON.stringify(value)}.`);
        }
        return upper;
    });
}
/** Trivy DB mirrors, tried in order: each an OCI reference (`mirror.gcr.io/aquasec/trivy-db:2`). */
function dbRepositories(input, values, defaults) {
    for (const value of values)
        (0,image_reference/* parseImageReference */.o_)(value, `Input "${input}"`);
    return values.length ? values : defaults;
}
function checked(values, pattern, input, accepted) {
    const bad = values.find((v) => !pattern.test(v));
    if (bad !== undefined)
        throw new errors/* InputError */.dz(input, `Input "${input}" takes ${accepted}; got ${JSON.stringify(bad)}.`);
    return values;
}
function stage(value) {
    if (value === undefined || STAGE.test(value))
        return value;
    throw new errors/* InputError */.dz('target', `Input "target" must be a build stage name of the Dockerfile (FROM ... AS <name>: letters, digits, "_", "." and "-", starting with a letter); got ${JSON.stringify(value)}.`);
}
/**
 * A tag, or the tag of a full reference naming `image`'s repository (`ghcr.io/acme/app:1.2.3`, as users of
 * docker/build-push-action and docker/metadata-action write them); any other reference is refused.
 */
function tagOf(text, image) {
    if (TAG.test(text))
        return text;
    const accepted = 'tags only (up to 128 letters, digits, _, . and -, not starting with . or -) or full references of "image" (registry/repository:tag), one per line or comma';
    if (!/[/:]/.test(text)) {
        throw new errors/* InputError */.dz('tags', `Input "tags" takes ${accepted}; got ${JSON.stringify(text)}.`);
    }
    let ref;
    try {
        ref = (0,image_reference/* parseImageReference */.o_)(text, 'Input "tags"');
    }
    catch (error) {
        throw new errors/* InputError */.dz('tags', `${error.message} It takes ${accepted}.`);
    }
    const named = (0,image_reference/* repositoryName */.aR)(ref);
    if (ref.registry !== image.registry || ref.repository !== image.repository) {
        throw new errors/* InputError */.dz('tags', `Input "tags": ${JSON.stringify(text)} names ${named}, not "image" (${(0,image_reference/* repositoryName */.aR)(image)}); a build pushes to "image" only, so give its tags (or full references of it).`);
    }
    if (!ref.tag || ref.digest) {
        throw new errors/* InputError */.dz('tags', `Input "tags": ${JSON.stringify(text)} has no tag${ref.digest ? ' (a digest is not a tag)' : ''}; write ${named}:<tag>.`);
    }
    return ref.tag;
}


/***/ }),

/***/ 1417:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C1: () => (/* binding */ mergeReports),
/* harmony export */   Qg: () => (/* binding */ parseTrivyReport),
/* harmony export */   kU: () => (/* binding */ atOrAbove),
/* harmony export */   oC: () => (/* binding */ SEVERITIES)
/* harmony export */ });
/* unused harmony export rank */
const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
/**
 * Reads Trivy's JSON report (SchemaVersion 2) without trusting its shape: no `Results` key (nothing found),
 * null lists, empty or comma-separated FixedVersion, a CVE repeated for several packages (merged into one
 * finding), unknown severities (UNKNOWN), Status values such as will_not_fix.
 */
function parseTrivyReport(text) {
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch (error) {
        throw new Error(`Trivy's JSON report could not be read: ${error.message}`);
    }
    if (raw === null || typeof raw !== 'object')
        throw new Error("Trivy's JSON report is not an object.");
    if (raw.SchemaVersion !== undefined && raw.SchemaVersion !== 2) {
        throw new Error(`Trivy's JSON report has SchemaVersion ${raw.SchemaVersion}; this action reads version 2.`);
    }
    const byId = new Map();
    let suppressed = 0;
    for (const result of raw.Results ?? []) {
        suppressed += result.ExperimentalModifiedFindings?.length ?? 0;
        for (const v of result.Vulnerabilities ?? []) {
            if (!v?.VulnerabilityID)
                continue;
            const severity = toSeverity(v.Severity);
            let finding = byId.get(v.VulnerabilityID);
            if (!finding) {
                finding = {
                    id: v.VulnerabilityID,
                    severity,
                    title: v.Title,
                    url: v.PrimaryURL,
                    packages: [],
                    fixedVersions: [],
                    statuses: [],
                };
                byId.set(v.VulnerabilityID, finding);
            }
            else if (rank(severity) > rank(finding.severity)) {
                finding.severity = severity;
            }
            finding.packages.push({
                name: v.PkgName ?? '(unknown package)',
                installed: v.InstalledVersion ?? '',
                target: result.Target ?? '',
                ...(v.PkgPath ? { path: v.PkgPath } : {}),
            });
            for (const fixed of splitVersions(v.FixedVersion)) {
                if (!finding.fixedVersions.includes(fixed))
                    finding.fixedVersions.push(fixed);
            }
            if (v.Status && !finding.statuses.includes(v.Status))
                finding.statuses.push(v.Status);
        }
    }
    const findings = [...byId.values()].sort((a, b) => rank(b.severity) - rank(a.severity) || a.id.localeCompare(b.id));
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
    for (const finding of findings)
        counts[finding.severity]++;
    return { artifact: raw.ArtifactName, findings, counts, suppressed };
}
/**
 * One report from the reports of several platforms of one image: the first one's metadata, every result with
 * its platform put in front of its target, so a finding says where it was found.
 */
function mergeReports(parts) {
    const reports = parts.map((part) => ({ label: part.label, raw: JSON.parse(part.text) }));
    const results = reports.flatMap(({ label, raw }) => (raw.Results ?? []).map((result) => ({ ...result, Target: `${label}: ${result.Target ?? ''}` })));
    return JSON.stringify({ ...reports[0]?.raw, Results: results }, null, 2);
}
function rank(severity) {
    return SEVERITIES.indexOf(severity);
}
/** The findings at or above `threshold`. */
function atOrAbove(report, threshold) {
    return report.findings.filter((f) => rank(f.severity) >= rank(threshold));
}
function toSeverity(value) {
    const upper = (value ?? '').toUpperCase();
    return SEVERITIES.includes(upper) ? upper : 'UNKNOWN';
}
function splitVersions(value) {
    return (value ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
}


/***/ }),

/***/ 833:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   LN: () => (/* binding */ DEFAULT_MAX_DURATION_MS),
/* harmony export */   _o: () => (/* binding */ MAX_TIMER_MS),
/* harmony export */   nF: () => (/* binding */ formatDurationLimit),
/* harmony export */   nR: () => (/* binding */ timerDelay)
/* harmony export */ });
/* unused harmony export formatDuration */
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
/** The longest delay a Node timer holds (2^31 - 1 ms, 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The maximum of every duration input that names none of its own: 24h, far past any job's limit. */
const DEFAULT_MAX_DURATION_MS = 24 * 3_600_000;
/**
 * Parses `90s`, `5m`, `1h30m`, `250ms` (a bare number is seconds) into milliseconds.
 * Returns undefined for anything else (and for numbers too large to be finite), so the caller can name the
 * input in its error.
 */
function parseDuration(text) {
    const value = text.trim().toLowerCase();
    if (/^\d+(\.\d+)?$/.test(value))
        return finite(Math.round(Number(value) * 1000));
    if (!value)
        return undefined;
    PART.lastIndex = 0;
    let total = 0;
    let consumed = 0;
    for (let match = PART.exec(value); match; match = PART.exec(value)) {
        total += Number(match[1]) * UNITS[match[2]];
        consumed = PART.lastIndex;
    }
    return consumed === value.length ? finite(Math.round(total)) : undefined;
}
function finite(ms) {
    return Number.isFinite(ms) ? ms : undefined;
}
/** A delay a timer can hold: `ms` within 0 and MAX_TIMER_MS (NaN gives 0). */
function timerDelay(ms) {
    if (Number.isNaN(ms) || ms <= 0)
        return 0;
    return Math.min(ms, MAX_TIMER_MS);
}
/** Formats milliseconds for people: `850ms`, `12.3s`, `4m05s`. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)}s`;
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}
/** Formats a limit exactly, in the units the inputs take: `0ms`, `250ms`, `1m30s`, `24h`, `596h31m23.647s`. */
function formatDurationLimit(ms) {
    if (ms < 1000)
        return `${ms}ms`;
    const hours = Math.floor(ms / 3_600_000);
    const minutes = Math.floor((ms % 3_600_000) / 60_000);
    const seconds = (ms % 60_000) / 1000;
    return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}


/***/ }),

/***/ 1110:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Qd: () => (/* binding */ CommandError),
/* harmony export */   X9: () => (/* binding */ isBug),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   iT: () => (/* binding */ toError),
/* harmony export */   yo: () => (/* binding */ UserError)
/* harmony export */ });
/* harmony import */ var _secrets__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8244);

/**
 * A mistake the user can fix (bad input, a failed gate, a refused host key). Its message is shown as is,
 * without a stack trace, and should say what was wrong and how to fix it.
 */
class UserError extends Error {
    name = 'UserError';
}
/**
 * A bad action input. The message names the input, what was given (unless secret) and what is accepted. It is
 * redacted as it is made (registered secrets, URL user information), wherever it is made.
 */
class InputError extends UserError {
    input;
    name = 'InputError';
    constructor(input, message) {
        super((0,_secrets__WEBPACK_IMPORTED_MODULE_0__/* .redactText */ .Rd)(message));
        this.input = input;
    }
}
/** A command that exited non-zero. */
class CommandError extends Error {
    command;
    exitCode;
    stderr;
    name = 'CommandError';
    constructor(command, exitCode, stderr) {
        const tail = stderr.trim().split('\n').slice(-5).join('\n');
        super(`${command} exited with code ${exitCode}${tail ? `:\n${tail}` : ''}`);
        this.command = command;
        this.exitCode = exitCode;
        this.stderr = stderr;
    }
}
/** Anything thrown, as an Error: a thrown string or object still fails the step with a readable message. */
function toError(value) {
    if (value instanceof Error)
        return value;
    if (typeof value === 'string')
        return new Error(value);
    try {
        return new Error(`Non-error thrown: ${JSON.stringify(value)}`);
    }
    catch {
        return new Error(`Non-error thrown: ${String(value)}`);
    }
}
/** True for errors that are programming mistakes rather than conditions of the world. */
function isBug(error) {
    return error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError;
}


/***/ }),

/***/ 6201:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i_: () => (/* binding */ InputReader),
  Ko: () => (/* binding */ readInputs)
});

// UNUSED EXPORTS: mapInputs, runnerInputs

// EXTERNAL MODULE: ../../packages/shared/src/duration.ts
var duration = __nccwpck_require__(833);
// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __nccwpck_require__(1110);
;// CONCATENATED MODULE: ../../packages/shared/src/lazy-parser.ts
// The parsers only some inputs need (yaml, ssh2's key parser) are ~250 KB of code each: bundled with the entry,
// compiling them took more of the start-up than everything else the entry runs. They sit in chunks of their own
// (`await import()`), and the input parser stays synchronous: reading an input whose parser is not loaded yet
// throws ParserNotLoaded, and `readInputs` (inputs.ts) loads that parser and reads the inputs again (README,
// Decisions: lazy loading).
/** Thrown by a lazy parser used before it is loaded; `readInputs` loads it and reads again. */
class ParserNotLoaded extends Error {
    load;
    constructor(what, load) {
        super(`${what} is used before it is loaded: read the inputs through readInputs().`);
        this.load = load;
        this.name = 'ParserNotLoaded';
    }
}
function lazyParser(what, importer) {
    let loaded;
    const load = async () => {
        loaded ??= await importer();
    };
    const get = () => {
        if (loaded === undefined)
            throw new ParserNotLoaded(what, load);
        return loaded;
    };
    return Object.assign(get, { load });
}
/** yaml, for the YAML inputs (`InputReader.yaml`, the analysis spec). */
const yamlParser = lazyParser('yaml', () => __nccwpck_require__.e(/* import() */ 483).then(__nccwpck_require__.t.bind(__nccwpck_require__, 3483, 19)));

// EXTERNAL MODULE: ../../packages/shared/src/runner-commands.ts
var runner_commands = __nccwpck_require__(9066);
// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var secrets = __nccwpck_require__(8244);
;// CONCATENATED MODULE: ../../packages/shared/src/inputs.ts





const runnerInputs = runner_commands/* getInput */.V4;
function mapInputs(values) {
    return (name) => (values[name] ?? '').trim();
}
const TRUE = ['true', 'True', 'TRUE', 'yes', 'on'];
const FALSE = ['false', 'False', 'FALSE', 'no', 'off'];
/**
 * The one input parser of the suite. Every method names the input in its errors, shows what was given
 * (unless secret) and what is accepted; a bad value is an error, never a silent default.
 * Input names are literal strings at the call site, so `scripts/check-actions.js` can match them with action.yml.
 */
class InputReader {
    source;
    warn;
    warned = new Set();
    constructor(source = runnerInputs, warn = runner_commands/* warning */.$e) {
        this.source = source;
        this.warn = warn;
    }
    raw(name, opts = {}) {
        const value = this.renamed(name, opts.formerly);
        if (opts.secret)
            (0,secrets/* registerSecret */.cl)(value);
        if (!value && opts.required) {
            throw new errors/* InputError */.dz(name, `Input "${name}" is required: set it in the step's "with:" block.`);
        }
        return value;
    }
    /** The input under its name, or under its deprecated former name (warned); both given is an error. */
    renamed(name, formerly) {
        const value = this.source(name);
        const old = formerly ? this.source(formerly) : '';
        if (!formerly || !old)
            return value;
        if (value) {
            throw new errors/* InputError */.dz(formerly, `Inputs "${formerly}" and "${name}" are both given: "${formerly}" is the deprecated name of "${name}"; keep only "${name}".`);
        }
        // Once per reader: readInputs reads again after loading a parser.
        const message = `Input "${formerly}" is deprecated: use "${name}" (the same setting).`;
        if (!this.warned.has(message))
            this.warn(message);
        this.warned.add(message);
        return old;
    }
    /** The name the value was given under (a deprecated former name, when only that was given), for errors. */
    given(name, opts) {
        return opts.formerly && !this.source(name) && this.source(opts.formerly) ? opts.formerly : name;
    }
    fail(name, given, accepted, secret) {
        const shown = secret
            ? '(the value is secret and not shown)'
            : `got ${JSON.stringify((0,secrets/* redactValue */.FI)(given))}`;
        throw new errors/* InputError */.dz(name, `Input "${name}" must be ${accepted}; ${shown}.`);
    }
    string(name, opts = {}) {
        const value = this.raw(name, opts);
        return value === '' ? opts.default : value;
    }
    /** Text that must be given. */
    required(name, opts = {}) {
        return this.raw(name, { ...opts, required: true });
    }
    /** A secret: masked at once and never echoed. */
    secret(name, opts = {}) {
        return this.raw(name, { ...opts, secret: true }) || undefined;
    }
    boolean(name, opts) {
        const value = this.raw(name, opts);
        if (value === '')
            return opts.default;
        if (TRUE.includes(value))
            return true;
        if (FALSE.includes(value))
            return false;
        return this.fail(this.given(name, opts), value, 'true or false');
    }
    integer(name, opts = {}) {
        const value = this.raw(name, opts);
        if (value === '' && opts.default !== undefined)
            return opts.default;
        const range = rangeText(opts.min, opts.max);
        if (!/^[-+]?\d+$/.test(value))
            this.fail(this.given(name, opts), value, `a whole number${range}`, opts.secret);
        const n = Number(value);
        if (!Number.isSafeInteger(n) || !inRange(n, opts.min, opts.max))
            this.fail(this.given(name, opts), value, `a whole number${range}`, opts.secret);
        return n;
    }
    /** A decimal number such as `0.95`; a percentage such as `95%` is accepted where `percent` is set. */
    number(name, opts = {}) {
        const value = this.raw(name, opts);
        if (value === '' && opts.default !== undefined)
            return opts.default;
        const range = rangeText(opts.min, opts.max);
        const accepted = `a number${range}${opts.percent ? ' (or a percentage such as 95%)' : ''}`;
        const pct = opts.percent ? /^(\d+(?:\.\d+)?)%$/.exec(value) : null;
        const n = pct ? Number(pct[1]) / 100 : /^[-+]?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
        if (!Number.isFinite(n) || !inRange(n, opts.min, opts.max))
            this.fail(this.given(name, opts), value, accepted);
        return n;
    }
    /**
     * A duration (`90s`, `5m`, `1h`, `250ms`; a bare number is seconds) in milliseconds. Every duration has a
     * maximum: `max`, 24h when none is given, and never more than a timer holds (2^31 - 1 ms).
     */
    duration(name, opts = {}) {
        const value = this.raw(name, opts) || opts.default || '';
        const ms = (0,duration/* parseDuration */.E9)(value);
        const min = opts.min ?? 0;
        const max = Math.min(opts.max ?? duration/* DEFAULT_MAX_DURATION_MS */.LN, duration/* MAX_TIMER_MS */._o);
        const accepted = `a duration such as 90s, 5m or 1h, from ${(0,duration/* formatDurationLimit */.nF)(min)} to ${(0,duration/* formatDurationLimit */.nF)(max)}`;
        if (ms === undefined || !inRange(ms, min, max))
            return this.fail(this.given(name, opts), value, accepted);
        return ms;
    }
    /** An http(s) URL; `example` is shown in the error. Empty gives undefined. */
    url(name, opts = {}) {
        const value = this.raw(name, opts);
        if (value === '')
            return undefined;
        let protocol = '';
        try {
            protocol = new URL(value).protocol;
        }
        catch {
            // refused below
        }
        if (protocol === 'http:' || protocol === 'https:')
            return value;
        const example = opts.example ? ` such as ${opts.example}` : '';
        return this.fail(this.given(name, opts), value, `an http(s) URL${example}`, opts.secret);
    }
    /** One value per line or comma; blank entries dropped. */
    list(name, opts = {}) {
        const value = this.raw(name, opts);
        const split = opts.separator === 'newline' ? /\r?\n/ : /[\r\n,]+/;
        return value
            .split(split)
            .map((v) => v.trim())
            .filter((v) => v !== '');
    }
    /** `KEY=VALUE` lines; the value is everything after the first `=`, so it may contain `=`. */
    keyValues(name, opts = {}) {
        const pattern = opts.keyPattern ?? /^[A-Za-z_][A-Za-z0-9_.-]*$/;
        const pairs = [];
        for (const line of this.list(name, { ...opts, separator: 'newline' })) {
            const eq = line.indexOf('=');
            const key = eq > 0 ? line.slice(0, eq).trim() : '';
            if (!pattern.test(key)) {
                const shown = opts.secret ? '' : ` (line ${JSON.stringify((0,secrets/* redactValue */.FI)(line))})`;
                throw new errors/* InputError */.dz(name, `Input "${name}" takes KEY=VALUE lines with keys matching ${pattern}${shown}.`);
            }
            const val = line.slice(eq + 1);
            if (opts.secret)
                (0,secrets/* registerSecret */.cl)(val);
            pairs.push([key, val]);
        }
        return pairs;
    }
    enumeration(name, allowed, opts = {}) {
        const value = this.raw(name, opts);
        if (value === '' && opts.default !== undefined)
            return opts.default;
        if (allowed.includes(value))
            return value;
        return this.fail(this.given(name, opts), value, `one of ${allowed.join(', ')}`);
    }
    json(name, opts = {}) {
        const value = this.raw(name, opts);
        if (value === '')
            return undefined;
        try {
            return JSON.parse(value);
        }
        catch (error) {
            // What and where, never the text (Node quotes it): it may hold header values or passwords.
            const reason = error.message.replace(/, ".*" is not valid JSON$/s, '');
            throw new errors/* InputError */.dz(name, `Input "${name}" must be valid JSON (${reason}); the text is not shown.`);
        }
    }
    yaml(name, opts = {}) {
        const value = this.raw(name, opts);
        if (value === '')
            return undefined;
        const yaml = yamlParser();
        try {
            return yaml.parse(value);
        }
        catch (error) {
            // The first line says what and where (line, column); the rest quotes the text, which may hold secrets.
            const reason = error.message.split('\n')[0];
            throw new errors/* InputError */.dz(name, `Input "${name}" must be valid YAML (${reason}); the text is not shown.`);
        }
    }
}
/**
 * Reads the inputs with `read` (an action's getInputs); whenever a given input needs a parser not loaded yet
 * (lazy-parser.ts), loads it and reads again: at most one more pass per parser. Every other error, an input error
 * first of all, is the caller's. Read, the inputs end the start-up: the runner commands go through process.stdout
 * from now on, where the engine writes too (runner-commands.ts).
 */
async function readInputs(read, 
// One reader for every pass: it gives each deprecation warning once. Masks are registered once anyway.
reader = new InputReader()) {
    for (;;) {
        try {
            const inputs = read(reader);
            (0,runner_commands/* startUpDone */.Iw)();
            return inputs;
        }
        catch (error) {
            if (!(error instanceof ParserNotLoaded))
                throw error;
            await error.load();
        }
    }
}
function inRange(n, min, max) {
    return (min === undefined || n >= min) && (max === undefined || n <= max);
}
function rangeText(min, max) {
    if (min !== undefined && max !== undefined)
        return ` from ${min} to ${max}`;
    if (min !== undefined)
        return ` of at least ${min}`;
    if (max !== undefined)
        return ` of at most ${max}`;
    return '';
}


/***/ }),

/***/ 9932:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Mb: () => (/* binding */ registryApiHost),
/* harmony export */   aR: () => (/* binding */ repositoryName),
/* harmony export */   jW: () => (/* binding */ isLoopbackRegistry),
/* harmony export */   o_: () => (/* binding */ parseImageReference)
/* harmony export */ });
/* unused harmony export formatImageReference */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1110);

const DOCKER_HUB = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/**
 * Parses an image reference with Docker's rules: the first path component is a registry when it has a dot or
 * a colon or is `localhost`; otherwise the image is on Docker Hub (`library/` added to one-part names).
 * Throws a UserError naming `what` (an input name, usually) with the accepted form.
 */
function parseImageReference(text, what = 'image') {
    const fail = (why) => {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${what} ${JSON.stringify(text)} is not a valid image reference (${why}); expected registry/repository[:tag][@sha256:<64 hex>], e.g. ghcr.io/acme/app:1.2.3.`);
    };
    let rest = text.trim();
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            fail('the digest must be sha256: and 64 lower-case hex digits');
    }
    let tag;
    const lastSlash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            fail('a tag is at most 128 letters, digits, _, . and -, not starting with . or -');
    }
    const parts = rest.split('/');
    let registry = DOCKER_HUB;
    if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) {
        registry = parts.shift();
    }
    if (registry === 'index.docker.io' || registry === 'registry-1.docker.io')
        registry = DOCKER_HUB;
    if (registry === DOCKER_HUB && parts.length === 1)
        parts.unshift('library');
    if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) {
        fail('repository path components are lower-case letters and digits separated by ., _, __ or -');
    }
    return { registry, repository: parts.join('/'), tag, digest };
}
/** `registry/repository`, the name `docker push` and the deploy actions use. */
function repositoryName(ref) {
    return `${ref.registry}/${ref.repository}`;
}
/** The full reference: `registry/repository:tag@digest` with whatever parts are set. */
function formatImageReference(ref) {
    return `${repositoryName(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
/** The host that serves the registry HTTP API (Docker Hub's API is not on docker.io). */
function registryApiHost(registry) {
    return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
/** Registries on loopback speak plain HTTP, as Docker itself allows for 127.0.0.0/8 and localhost. */
function isLoopbackRegistry(registry) {
    const host = registry.replace(/:\d+$/, '');
    return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}


/***/ }),

/***/ 9066:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   Gu: () => (/* binding */ getState),
/* harmony export */   Iw: () => (/* binding */ startUpDone),
/* harmony export */   J1: () => (/* binding */ startUpOutput),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   Yz: () => (/* binding */ debug),
/* harmony export */   r2: () => (/* binding */ writeCommandsTo)
/* harmony export */ });
/* unused harmony exports info, notice */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_core_lib_utils__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(274);
// The runner commands of the start-up path (inputs, state, masks, logs, failure), as @actions/core writes them.
// Core's index loads @actions/http-client and undici (for OIDC tokens) and @actions/exec: most of an action's
// start-up time and ~20 MB. The error boundary and the input parser use this module instead, so a bad input fails
// before any of that loads; the engines import `@actions/core` as usual, after the inputs are checked (README,
// Decisions: lazy loading; test/startup-load.test.ts keeps it so).



/** Through process.stdout, as core writes. */
const toStdout = (text) => {
    process.stdout.write(text);
};
let startingUp = true;
/**
 * The boundary's output: straight to file descriptor 1 until the inputs are read, then through process.stdout.
 * process.stdout on a pipe (the runner reads a step through one) loads node:net and its streams: ~3 ms, a sixth of
 * node's own start, spent on the one error line of a bad input. Once the inputs are read (`startUpDone`) the engine
 * writes through process.stdout (core), and so does this, so every line keeps its order; a descriptor that would
 * block (a pipe left non-blocking) hands over to process.stdout at once.
 */
const startUpOutput = (text) => {
    const bytes = Buffer.from(text);
    let written = 0;
    if (startingUp) {
        try {
            while (written < bytes.length)
                written += (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeSync)(1, bytes, written);
            return;
        }
        catch {
            startingUp = false;
        }
    }
    process.stdout.write(bytes.subarray(written));
};
/** The inputs are read: the engine loads next, and writes through process.stdout. */
function startUpDone() {
    startingUp = false;
}
let output = toStdout;
/** Sets where the commands go: the boundary sets `startUpOutput` for a run, its tests a collector. */
function writeCommandsTo(to) {
    output = to;
}
/**
 * One workflow command, in core's format (`lib/command.js`, whose writer goes only to process.stdout):
 * `::name key=value,...::message`, with `%`, CR and LF escaped (and `:` and `,` in property values).
 */
function issueCommand(command, properties, message) {
    const escapeData = (value) => (0,_actions_core_lib_utils__WEBPACK_IMPORTED_MODULE_2__.toCommandValue)(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const props = Object.entries(properties)
        .filter(([, value]) => value)
        .map(([key, value]) => `${key}=${escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')}`)
        .join(',');
    output(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
}
/** core.getInput: the `INPUT_*` variable, trimmed. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}
/** core.getState: what `saveState` saved in an earlier step of this action. */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
/**
 * core.saveState: to the runner's state file, or as a command where there is none. A one-line value (the post
 * marker the boundary saves first thing) is written in the file's `name=value` form, which needs no delimiter:
 * core's `name<<delimiter` form draws a random one from node:crypto, whose load was a tenth of the start-up.
 */
function saveState(name, value) {
    const file = process.env.GITHUB_STATE;
    if (!file)
        issueCommand('save-state', { name }, value);
    else if (/^[\w.-]+$/.test(name) && !/[\r\n]/.test(value))
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(file, `${name}=${value}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
    else {
        const { issueFileCommand, prepareKeyValueMessage } = __nccwpck_require__(9933);
        issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
}
/** core.setSecret: the runner masks the value in the log from now on. */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
function debug(message) {
    issueCommand('debug', {}, message);
}
function info(message) {
    output(message + EOL);
}
function warning(message) {
    issueCommand('warning', {}, message);
}
function notice(message) {
    issueCommand('notice', {}, message);
}
/** core.setFailed: an error annotation, and the step fails when the process exits. */
function setFailed(message) {
    process.exitCode = 1;
    issueCommand('error', {}, message);
}


/***/ }),

/***/ 8244:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   FI: () => (/* binding */ redactValue),
/* harmony export */   QU: () => (/* binding */ maskSecrets),
/* harmony export */   Rd: () => (/* binding */ redactText),
/* harmony export */   cl: () => (/* binding */ registerSecret)
/* harmony export */ });
/* unused harmony exports registeredSecrets, isSecretHeader, maskedExcerpt */
/* harmony import */ var _runner_commands__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9066);

const registered = new Set();
/**
 * Registers a secret with the runner (`::add-mask::`) before anything can print it, and remembers it so that
 * our own logs, summaries and reports are masked even where no runner masks them. Multi-line values are
 * registered line by line as well, as the runner masks line by line. Values under 3 characters are not
 * registered: masking `1` would hide every 1 in the log.
 */
function registerSecret(value) {
    if (!value)
        return;
    const parts = [value, ...value.split(/\r?\n/)].map((v) => v.trim()).filter((v) => v.length >= 3);
    for (const part of new Set(parts)) {
        if (registered.has(part))
            continue;
        registered.add(part);
        (0,_runner_commands__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq)(part);
    }
}
/** Replaces every registered secret in `text` with `***`. */
function maskSecrets(text) {
    if (registered.size === 0 || !text)
        return text;
    let out = text;
    for (const secret of [...registered].sort((a, b) => b.length - a.length)) {
        out = out.split(secret).join('***');
    }
    return out;
}
/** The secrets registered so far (for tests of the suite itself). */
function registeredSecrets() {
    return [...registered];
}
// `scheme://` then everything up to the last `@` of the same word: a password may hold `@`, `/` or `:`.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s"'`<>]*@/gi;
/**
 * What any error or log line may show: registered secrets masked, and the user information of every URL
 * (`http://user:password@host` → `http://***@host`), which is a credential even where the URL could not be
 * parsed and so was never registered.
 */
function redactText(text) {
    return maskSecrets(text).replace(USERINFO, '$1***@');
}
/** Headers whose values are plainly not credentials; every other request header value is treated as secret. */
const PLAIN_HEADERS = new Set([
    'accept',
    'accept-encoding',
    'accept-language',
    'cache-control',
    'connection',
    'content-type',
    'host',
    'pragma',
    'user-agent',
]);
function isSecretHeader(name) {
    return !PLAIN_HEADERS.has(name.toLowerCase());
}
const HEADER_LINE = /^(\s*-?\s*["']?([A-Za-z0-9!#$%&'*+.^_`|~-]+)["']?\s*:[ \t]+)(\S.*)$/;
/**
 * An input's value as an error may show it: `redactText`, and the value of every line shaped like a request
 * header whose name is not plainly harmless (`Authorization: Bearer x` → `Authorization: ***`).
 */
function redactValue(value) {
    return redactText(value)
        .split(/(\r?\n|\r)/)
        .map((line) => {
        const header = HEADER_LINE.exec(line);
        return header && isSecretHeader(header[2]) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(header[3].trim())
            ? `${header[1]}***`
            : line;
    })
        .join('');
}
/**
 * A short excerpt of `text` that is safe to show: every secret (the registered ones and `secrets`, as they are
 * and as they appear inside a JSON string) masked first, then cut to `max` characters with `…`. Where the text
 * was cut (here, or before: `truncated`), it never ends on the start of a secret.
 */
function maskedExcerpt(text, max, options = {}) {
    const forms = [...new Set([...registered, ...(options.secrets ?? [])])]
        .filter((s) => s.length >= 3)
        .flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
    const sorted = [...new Set(forms)].sort((a, b) => b.length - a.length);
    let masked = text;
    for (const form of sorted)
        masked = masked.split(form).join('***');
    const cut = masked.length > max;
    if (!cut && !options.truncated)
        return masked;
    let out = masked.slice(0, max);
    for (const form of sorted) {
        for (let n = Math.min(form.length - 1, out.length); n > 0; n--) {
            if (out.endsWith(form.slice(0, n))) {
                out = out.slice(0, out.length - n);
                break;
            }
        }
    }
    return `${out}…`;
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = require("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = require("buffer");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = require("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = require("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = require("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = require("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = require("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = require("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = require("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = require("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = require("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = require("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = require("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = require("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = require("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = require("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = require("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = require("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = require("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = require("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = require("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = require("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = require("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = require("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = require("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = require("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = require("node:perf_hooks");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = require("node:process");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = require("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = require("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = require("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = require("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = require("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = require("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = require("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = require("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = require("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = require("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = require("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = require("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = require("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = require("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = require("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = require("util");

/***/ })

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	var __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __nccwpck_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		var cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = __webpack_module_cache__[moduleId] = {
/******/ 			// no module.id needed
/******/ 			// no module.loaded needed
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		var threw = true;
/******/ 		try {
/******/ 			__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 			threw = false;
/******/ 		} finally {
/******/ 			if(threw) delete __webpack_module_cache__[moduleId];
/******/ 		}
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/******/ 	// expose the modules object (__webpack_modules__)
/******/ 	__nccwpck_require__.m = __webpack_modules__;
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/asset-relocator-loader */
/******/ 	if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = __dirname + "/";
/******/ 	
/******/ 	/* webpack/runtime/compat get default export */
/******/ 	(() => {
/******/ 		// getDefaultExport function for compatibility with non-harmony modules
/******/ 		__nccwpck_require__.n = (module) => {
/******/ 			var getter = module && module.__esModule ?
/******/ 				() => (module['default']) :
/******/ 				() => (module);
/******/ 			__nccwpck_require__.d(getter, { a: getter });
/******/ 			return getter;
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/create fake namespace object */
/******/ 	(() => {
/******/ 		var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 		var leafPrototypes;
/******/ 		// create a fake namespace object
/******/ 		// mode & 1: value is a module id, require it
/******/ 		// mode & 2: merge all properties of value into the ns
/******/ 		// mode & 4: return value when already ns object
/******/ 		// mode & 16: return value when it's Promise-like
/******/ 		// mode & 8|1: behave like require
/******/ 		__nccwpck_require__.t = function(value, mode) {
/******/ 			if(mode & 1) value = this(value);
/******/ 			if(mode & 8) return value;
/******/ 			if(typeof value === 'object' && value) {
/******/ 				if((mode & 4) && value.__esModule) return value;
/******/ 				if((mode & 16) && typeof value.then === 'function') return value;
/******/ 			}
/******/ 			var ns = Object.create(null);
/******/ 			__nccwpck_require__.r(ns);
/******/ 			var def = {};
/******/ 			leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 			for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 				Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 			}
/******/ 			def['default'] = () => (value);
/******/ 			__nccwpck_require__.d(ns, def);
/******/ 			return ns;
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/define property getters */
/******/ 	(() => {
/******/ 		// define getter functions for harmony exports
/******/ 		__nccwpck_require__.d = (exports, definition) => {
/******/ 			for(var key in definition) {
/******/ 				if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 					Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 				}
/******/ 			}
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/ensure chunk */
/******/ 	(() => {
/******/ 		__nccwpck_require__.f = {};
/******/ 		// This file contains only the entry chunk.
/******/ 		// The chunk loading function for additional chunks
/******/ 		__nccwpck_require__.e = (chunkId) => {
/******/ 			return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 				__nccwpck_require__.f[key](chunkId, promises);
/******/ 				return promises;
/******/ 			}, []));
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/get javascript chunk filename */
/******/ 	(() => {
/******/ 		// This function allow to reference async chunks
/******/ 		__nccwpck_require__.u = (chunkId) => {
/******/ 			// return url for filenames based on template
/******/ 			return "" + chunkId + ".index.js";
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/hasOwnProperty shorthand */
/******/ 	(() => {
/******/ 		__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/make namespace object */
/******/ 	(() => {
/******/ 		// define __esModule on exports
/******/ 		__nccwpck_require__.r = (exports) => {
/******/ 			if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 				Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 			}
/******/ 			Object.defineProperty(exports, '__esModule', { value: true });
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/require chunk loading */
/******/ 	(() => {
/******/ 		// no baseURI
/******/ 		
/******/ 		// object to store loaded chunks
/******/ 		// "1" means "loaded", otherwise not loaded yet
/******/ 		var installedChunks = {
/******/ 			792: 1
/******/ 		};
/******/ 		
/******/ 		// no on chunks loaded
/******/ 		
/******/ 		var installChunk = (chunk) => {
/******/ 			var moreModules = chunk.modules, chunkIds = chunk.ids, runtime = chunk.runtime;
/******/ 			for(var moduleId in moreModules) {
/******/ 				if(__nccwpck_require__.o(moreModules, moduleId)) {
/******/ 					__nccwpck_require__.m[moduleId] = moreModules[moduleId];
/******/ 				}
/******/ 			}
/******/ 			if(runtime) runtime(__nccwpck_require__);
/******/ 			for(var i = 0; i < chunkIds.length; i++)
/******/ 				installedChunks[chunkIds[i]] = 1;
/******/ 		
/******/ 		};
/******/ 		
/******/ 		// require() chunk loading for javascript
/******/ 		__nccwpck_require__.f.require = (chunkId, promises) => {
/******/ 			// "1" is the signal for "already loaded"
/******/ 			if(!installedChunks[chunkId]) {
/******/ 				if(true) { // all chunks have JS
/******/ 					installChunk(require("./" + __nccwpck_require__.u(chunkId)));
/******/ 				} else installedChunks[chunkId] = 1;
/******/ 			}
/******/ 		};
/******/ 		
/******/ 		// no external install chunk
/******/ 		
/******/ 		// no HMR
/******/ 		
/******/ 		// no HMR manifest
/******/ 	})();
/******/ 	
/************************************************************************/
var __webpack_exports__ = {};

// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __nccwpck_require__(1110);
// EXTERNAL MODULE: ../../packages/shared/src/runner-commands.ts
var runner_commands = __nccwpck_require__(9066);
// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var secrets = __nccwpck_require__(8244);
;// CONCATENATED MODULE: ../../packages/shared/src/run-action.ts



const POST_MARKER = 'slipway-post';
/**
 * The one error boundary of every entry point. It runs `main`, or `post` when the runner calls the bundle a
 * second time (the state saved by main says so), turns anything thrown into an Error, calls `setFailed` once,
 * and keeps stacks at debug level. Its commands go to `output` (tests collect them there).
 */
async function runAction(entry, output = runner_commands/* startUpOutput */.J1) {
    runner_commands/* writeCommandsTo */.r2(output);
    const isPost = runner_commands/* getState */.Gu(POST_MARKER) === 'true';
    if (!isPost && entry.post)
        runner_commands/* saveState */.LZ(POST_MARKER, 'true');
    try {
        if (isPost) {
            if (!entry.postState || entry.postState.some(saved)) {
                runner_commands/* startUpDone */.Iw();
                await entry.post?.();
            }
        }
        else
            await entry.main();
    }
    catch (thrown) {
        const error = (0,errors/* toError */.iT)(thrown);
        if (error.stack)
            runner_commands/* debug */.Yz((0,secrets/* redactText */.Rd)(error.stack));
        const message = (0,secrets/* redactText */.Rd)(describe(error));
        if (isPost)
            runner_commands/* warning */.$e(`Cleanup did not finish: ${message}`);
        else
            runner_commands/* setFailed */.C1(message);
    }
}
/** A state key main set to something other than nothing (a cleared key holds JSON null). */
function saved(key) {
    const value = runner_commands/* getState */.Gu(key);
    return value !== '' && value !== 'null';
}
function describe(error) {
    if (error instanceof errors/* UserError */.yo)
        return error.message;
    const base = error.message || error.name || 'Unknown error';
    if ((0,errors/* isBug */.X9)(error)) {
        return `${base}\nThis looks like a bug in Slipway. Re-run with debug logging for the stack trace and report it.`;
    }
    return base;
}

// EXTERNAL MODULE: ../../packages/shared/src/inputs.ts + 1 modules
var src_inputs = __nccwpck_require__(6201);
// EXTERNAL MODULE: ./src/inputs.ts + 1 modules
var src_inputs_0 = __nccwpck_require__(4850);
;// CONCATENATED MODULE: ./src/index.ts


// The inputs are read and checked before the rest of the action loads (its engine, @actions/core's index, and the
// AWS, GitHub, HTTP or SSH clients), so a bad input fails at once (README, Decisions: lazy loading).
void runAction({
    main: async () => {
        const inputs = await (0,src_inputs/* readInputs */.Ko)(src_inputs_0/* getInputs */.GP);
        const { run } = await Promise.all(/* import() */[__nccwpck_require__.e(598), __nccwpck_require__.e(212)]).then(__nccwpck_require__.bind(__nccwpck_require__, 1212));
        await run(inputs);
    },
    post: async () => (await Promise.all(/* import() */[__nccwpck_require__.e(598), __nccwpck_require__.e(212)]).then(__nccwpck_require__.bind(__nccwpck_require__, 1212))).post(),
    postState: ['loggedIn'],
});

module.exports = __webpack_exports__;
/******/ })()
;