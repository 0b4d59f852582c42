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

/***/ 8539:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  G: () => (/* binding */ getInputs)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: ../../packages/shared/src/inputs.ts
var inputs = __nccwpck_require__(6876);
// EXTERNAL MODULE: ../../packages/shared/src/errors.ts
var errors = __nccwpck_require__(1110);
// EXTERNAL MODULE: ../../packages/shared/src/duration.ts
var src_duration = __nccwpck_require__(833);
;// CONCATENATED MODULE: ../../packages/shared/src/ready-status.ts
/**
 * The statuses that mean "not up yet" rather than "broken" - the one definition: the health gate retries them
 * while it waits for readiness (smoke-test's `ready-status` default), and a host's HTTP check during a Compose
 * deploy (`http_ok` in remote/sh/lib.sh, given this list as READY_STATUS) keeps waiting on them. Any other
 * status of 400 or more is broken at once.
 */
const READY_STATUS = '404,408,429,502,503,504';

// EXTERNAL MODULE: ../../packages/shared/src/secrets.ts
var src_secrets = __nccwpck_require__(8244);
// EXTERNAL MODULE: ../../packages/shared/src/gate/expectations.ts
var expectations = __nccwpck_require__(4482);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/http-method.ts

// RFC 9110 section 9.1: a method is a `token` (tchar: letters, digits and !#$%&'*+-.^_`|~).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_METHOD_ACCEPTED = "an HTTP method such as GET or POST (one word of letters, digits and !#$%&'*+-.^_`|~; no spaces or line breaks)";
/**
 * The request method of a check: trimmed, checked to be an RFC 9110 token (so nothing can be smuggled into the
 * request line, e.g. "GET\r\nX: y"), then upper-cased as users write `get` and mean GET.
 * Throws a SpecError (message "must be ...; got ...") for the caller to name the input.
 */
function parseHttpMethod(text) {
    const method = text.trim();
    // Checked before upper-casing: toUpperCase turns some non-ASCII letters into ASCII ("ß" into "SS").
    if (!TOKEN.test(method))
        throw new expectations/* SpecError */.G8(`must be ${HTTP_METHOD_ACCEPTED}; got ${JSON.stringify(text)}`);
    return method.toUpperCase();
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/check-config.ts






/** One check from plain data, with the per-check inputs as defaults; collects secret values into `secrets`. */
function buildCheck(entry, defaults, place, secrets) {
    const where = place.total > 1 ? ` (entry ${place.index + 1})` : '';
    const fail = (field, message) => {
        const fromDefaults = !isRecord(entry) || !(field in entry);
        if (fromDefaults && field !== 'url' && field in defaults) {
            throw new errors/* InputError */.dz(field, `Input "${field}" ${message}.`);
        }
        // A bad URL given by the `url` input reads "Input "url" (entry 2) must be ...", not "url": "url".
        const what = field === place.source ? '' : `: "${field}"`;
        throw new errors/* InputError */.dz(place.source, `Input "${place.source}"${where}${what} ${message}.`);
    };
    const raw = typeof entry === 'string' ? { url: entry } : isRecord(entry) ? entry : {};
    if (!isRecord(entry) && typeof entry !== 'string') {
        fail('url', 'must be a URL, or a map with at least "url"');
    }
    const unknownKeys = Object.keys(raw).filter((k) => !CHECK_KEYS.has(k));
    if (unknownKeys.length) {
        throw new errors/* InputError */.dz(place.source, `Input "${place.source}"${where} has unknown keys ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}; known keys are ${[...CHECK_KEYS].join(', ')}.`);
    }
    const get = (field) => raw[field] ?? defaults[field];
    const text = (field) => {
        const value = get(field);
        if (value === undefined || value === null || value === '')
            return undefined;
        if (typeof value === 'string')
            return value;
        if (typeof value === 'number' || typeof value === 'boolean')
            return String(value);
        return fail(field, 'must be text');
    };
    const parse = (field, parser) => {
        const value = text(field);
        if (value === undefined)
            return undefined;
        try {
            return parser(value);
        }
        catch (error) {
            if (error instanceof expectations/* SpecError */.G8)
                return fail(field, error.message);
            throw error;
        }
    };
    const url = parseUrl(text('url'), fail);
    // The `headers` input applies to every check; an entry's own headers are added to it (and win).
    const headers = {
        ...parseHeaders(defaults.headers, (m) => {
            throw new errors/* InputError */.dz('headers', `Input "headers" ${m}.`);
        }),
        ...parseHeaders(raw.headers, (m) => fail('headers', m)),
    };
    for (const [name, value] of Object.entries(headers))
        if ((0,src_secrets/* isSecretHeader */.io)(name))
            secrets.push(value);
    if (url.password) {
        secrets.push(decodeURIComponent(url.password));
        headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
        secrets.push(headers.authorization);
    }
    url.username = '';
    url.password = '';
    const body = get('body');
    let bodyText;
    if (typeof body === 'string')
        bodyText = body;
    else if (body !== undefined && body !== null) {
        bodyText = JSON.stringify(body);
        if (!Object.keys(headers).some((h) => h === 'content-type'))
            headers['content-type'] = 'application/json';
    }
    const method = parse('method', parseHttpMethod) ?? (bodyText === undefined ? 'GET' : 'POST');
    const maxLatency = text('max-latency');
    // As in the action's inputs: text such as 500ms, and a bare number is seconds.
    const maxLatencyMs = maxLatency === undefined ? undefined : (0,src_duration/* parseDuration */.E9)(String(maxLatency));
    if (maxLatency !== undefined && !maxLatencyMs)
        fail('max-latency', `must be a duration such as 500ms or 2s; got ${JSON.stringify(maxLatency)}`);
    const follow = get('follow-redirects');
    if (follow !== undefined && typeof follow !== 'boolean' && !['true', 'false'].includes(String(follow))) {
        fail('follow-redirects', `must be true or false; got ${JSON.stringify(follow)}`);
    }
    return {
        name: text('name') ?? url.href,
        url,
        method,
        headers,
        body: bodyText,
        expectStatus: parse('expect-status', expectations/* parseStatusRanges */.C2) ?? [[200, 299]],
        expectBody: parse('expect-body', expectations/* parseTextMatcher */.XG),
        expectJson: listOf(get('expect-json'), (m) => fail('expect-json', m), expectations/* parseJsonExpectation */.ay, expectations/* jsonExpectationFromEntry */.TP),
        expectHeaders: listOf(get('expect-header'), (m) => fail('expect-header', m), expectations/* parseHeaderExpectation */.ti, (k, v) => (0,expectations/* parseHeaderExpectation */.ti)(`${k}: ${v}`)),
        maxLatencyMs,
        expectVersion: text('expect-version'),
        versionSource: parse('version-field', expectations/* parseVersionSource */.t6) ?? { kind: 'body' },
        followRedirects: follow === undefined ? true : String(follow) === 'true',
    };
}
const CHECK_KEYS = new Set([
    'name',
    'url',
    'method',
    'headers',
    'body',
    'expect-status',
    'expect-body',
    'expect-json',
    'expect-header',
    'max-latency',
    'expect-version',
    'version-field',
    'follow-redirects',
]);
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function parseUrl(text, fail) {
    if (!text)
        return fail('url', 'needs a URL');
    let url;
    try {
        url = new URL(text.trim());
    }
    catch {
        return fail('url', `must be an absolute http(s) URL such as https://app.example.com/health; got ${JSON.stringify(text)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        fail('url', `must use http or https; got ${JSON.stringify(url.protocol)}`);
    }
    return url;
}
/** Headers as a map, or as `Name: value` lines. Values are never shown in errors: they may be secrets. */
function parseHeaders(value, fail) {
    const headers = {};
    if (value === undefined || value === null || value === '')
        return headers;
    const pairs = isRecord(value)
        ? Object.entries(value)
        : typeof value === 'string'
            ? value
                .split(/\r?\n/)
                .filter((line) => line.trim())
                .map((line) => {
                const colon = line.indexOf(':');
                return colon > 0 ? [line.slice(0, colon), line.slice(colon + 1)] : [line, undefined];
            })
            : fail('must be a map of header names to values, or "Name: value" lines');
    for (const [name, raw] of pairs) {
        const key = name.trim().toLowerCase();
        if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key) ||
            raw === undefined ||
            raw === null ||
            typeof raw === 'object') {
            fail(`takes "Name: value" lines (or a map of names to values); the entry for ${JSON.stringify(name.trim().slice(0, 40))} is not one (its value is not shown)`);
        }
        const text = String(raw).trim();
        // No request can carry these (undici refuses them): each would fail and be retried as "not up yet".
        if (/[\r\n\0]/.test(text)) {
            fail(`header values may not hold a CR, LF or NUL character; the value of ${JSON.stringify(name.trim().slice(0, 40))} does (it is not shown)`);
        }
        headers[key] = text;
    }
    return headers;
}
/** `expect-json` / `expect-header` as lines of text, a YAML list of such lines, or a YAML map. */
function listOf(value, fail, parseLine, parseEntry) {
    if (value === undefined || value === null || value === '')
        return [];
    try {
        if (isRecord(value))
            return Object.entries(value).map(([k, v]) => parseEntry(k, v));
        const lines = Array.isArray(value) ? value.map(String) : String(value).split(/\r?\n/);
        return lines
            .map((l) => l.trim())
            .filter(Boolean)
            .map(parseLine);
    }
    catch (error) {
        if (error instanceof expectations/* SpecError */.G8)
            return fail(error.message);
        throw error;
    }
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/config.ts






const GATE_DEFAULTS = {
    timeoutMs: 10_000,
    readyTimeoutMs: 300_000,
    readyBackoffMs: 1_000,
    readyBackoffMaxMs: 15_000,
    readyStatus: READY_STATUS,
    samples: 10,
    intervalMs: 1_000,
    concurrency: 1,
    deadlineMs: 600_000,
};
/** Validates plain options and fills in defaults. Throws InputError naming the input at fault. */
function buildGateConfig(options) {
    const secrets = [];
    const source = options['checks-source'] ?? 'checks';
    if (!Array.isArray(options.checks) || options.checks.length === 0) {
        throw new errors/* InputError */.dz(source, `Input "${source}" must give at least one check (a URL).`);
    }
    const checks = options.checks.map((entry, index) => buildCheck(entry, options.defaults ?? {}, { source, index, total: options.checks.length }, secrets));
    const names = new Set();
    for (const check of checks) {
        if (names.has(check.name)) {
            throw new errors/* InputError */.dz(source, `Input "${source}" has two checks named ${JSON.stringify(check.name)}: give each its own "name".`);
        }
        names.add(check.name);
    }
    const n = (name, fallback, min, max) => setting(options, name, fallback, min, max, true);
    const count = (name, fallback, min, max) => setting(options, name, fallback, min, max, false);
    const intervalMs = n('interval', GATE_DEFAULTS.intervalMs, 0);
    const concurrency = count('concurrency', GATE_DEFAULTS.concurrency, 1, 256);
    const durationMs = n('duration', undefined, 1);
    if (durationMs !== undefined && options.samples !== undefined) {
        throw new errors/* InputError */.dz('duration', 'Inputs "samples" and "duration" both set how long verification runs: set one of them.');
    }
    if (durationMs !== undefined && intervalMs === 0) {
        throw new errors/* InputError */.dz('duration', 'Input "duration" needs an "interval" above 0 (samples are taken every interval for the duration).');
    }
    const samples = durationMs !== undefined
        ? Math.max(1, Math.ceil(durationMs / intervalMs)) * concurrency
        : count('samples', GATE_DEFAULTS.samples, 1, 100_000);
    const readyBackoffMs = n('ready-backoff', GATE_DEFAULTS.readyBackoffMs, 0);
    return {
        checks,
        timeoutMs: n('timeout', GATE_DEFAULTS.timeoutMs, 1),
        readyTimeoutMs: n('ready-timeout', GATE_DEFAULTS.readyTimeoutMs, 0),
        readyBackoffMs,
        readyBackoffMaxMs: n('ready-backoff-max', Math.max(readyBackoffMs, GATE_DEFAULTS.readyBackoffMaxMs), readyBackoffMs),
        readyStatus: spec('ready-status', options['ready-status'] ?? GATE_DEFAULTS.readyStatus, expectations/* parseStatusRanges */.C2),
        samples,
        intervalMs,
        concurrency,
        consecutiveSuccesses: count('consecutive-successes', 0, 0, 100_000),
        failureLimit: count('failure-limit', undefined, 0),
        errorLimit: count('error-limit', 0, 0),
        minSuccessRate: count('min-success-rate', 1, 0, 1),
        maxP95Ms: n('max-p95', undefined, 1),
        maxP99Ms: n('max-p99', undefined, 1),
        deadlineMs: n('deadline', GATE_DEFAULTS.deadlineMs, 1),
        tls: { ca: options.ca || undefined, insecure: options.insecure ?? false },
        secrets,
    };
}
/** A typed setting within bounds; callers other than the action are checked too. Durations are in ms. */
function setting(options, name, fallback, min, max, duration) {
    const value = options[name] ?? fallback;
    if (value === undefined)
        return undefined;
    if (typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= min &&
        (max === undefined || value <= max)) {
        return value;
    }
    const show = (v) => (duration ? (0,src_duration/* formatDuration */.a3)(v) : String(v));
    const bounds = max === undefined ? `at least ${show(min)}` : `from ${show(min)} to ${show(max)}`;
    const given = typeof value === 'number' ? show(value) : JSON.stringify(value);
    throw new errors/* InputError */.dz(name, `Input "${name}" must be ${duration ? 'a duration' : 'a number'} of ${bounds}; got ${given}.`);
}
/** Runs a parser on one input's value and turns its SpecError into an InputError that names the input. */
function spec(name, value, parse) {
    try {
        return parse(value);
    }
    catch (error) {
        if (error instanceof expectations/* SpecError */.G8)
            throw new errors/* InputError */.dz(name, `Input "${name}" ${error.message}.`);
        throw error;
    }
}

// EXTERNAL MODULE: ../../packages/shared/src/lazy-parser.ts
var lazy_parser = __nccwpck_require__(8651);
;// CONCATENATED MODULE: ../../packages/shared/src/workspace-files.ts



/** The most one file named by a path input may hold (Compose files, checks, a CA, a task definition). */
const MAX_FILE_BYTES = 8 * 2 ** 20;
/** The most a folder read whole (deploy-compose's `files`) may hold, and how many entries. */
const MAX_TREE_BYTES = (/* unused pure expression or super */ null && (100 * 2 ** 20));
const MAX_TREE_ENTRIES = 10_000;
const WHERE = "Paths (and the links in them) must stay inside the workspace or the runner's temp folder; to use a file elsewhere, give its absolute path, which is taken as meant";
/**
 * The one way every action takes a path input. Relative paths are taken from the workspace; every link is
 * resolved and the real path must stay inside the workspace, the runner's temp folder (or `roots`). A path the
 * user gives as absolute is taken as meant: it is read wherever it is, but what a folder given so holds must
 * still stay inside it. Anything not a regular file or folder (a device, pipe or socket) is refused, and every
 * file is size-capped, with an error naming the input.
 */
function checkWorkspacePath(input, path, want, options = {}) {
    const { absolute, roots, base } = place(path, options);
    const real = realPath(input, path, absolute, (0,external_node_path_.isAbsolute)(path) ? undefined : base);
    if (!(0,external_node_path_.isAbsolute)(path) && !inside(real, roots)) {
        throw new errors/* InputError */.dz(input, `Input "${input}": ${path} leads outside the workspace (to ${real}). ${WHERE}.`);
    }
    return { real, kind: kindOf(input, path, real, want, options.maxBytes ?? MAX_FILE_BYTES) };
}
/** A file named by a path input, read whole (at most `maxBytes`), after `checkWorkspacePath`. */
function readWorkspaceFile(input, path, options = {}) {
    const { real } = checkWorkspacePath(input, path, 'file', options);
    return readCapped(input, path, real, options.maxBytes ?? MAX_FILE_BYTES);
}
/** `readWorkspaceFile` as UTF-8 text. */
function readWorkspaceText(input, path, options = {}) {
    return readWorkspaceFile(input, path, options).toString('utf8');
}
/**
 * A file, or a folder with everything in it (links followed while they stay inside the workspace, the temp
 * folder, `roots` or the folder named), every file read, in a stable order, within the size and entry caps.
 */
function readWorkspaceTree(input, path, options = {}) {
    const top = checkWorkspacePath(input, path, 'any', options);
    const maxBytes = options.maxBytes ?? MAX_TREE_BYTES;
    if (top.kind === 'file')
        return [{ path: '', content: readCapped(input, path, top.real, maxBytes) }];
    const { roots } = place(path, options);
    // A folder given by absolute path is taken as meant, with what is in it.
    const allowed = isAbsolute(path) ? [...roots, top.real] : roots;
    const maxTotal = options.maxTotalBytes ?? MAX_TREE_BYTES;
    const maxEntries = options.maxEntries ?? MAX_TREE_ENTRIES;
    const files = [];
    let total = 0;
    let entries = 0;
    const walk = (dir, rel, chain) => {
        for (const entry of sortedEntries(input, `${path}/${rel}`, dir)) {
            const sub = rel ? `${rel}/${entry.name}` : entry.name;
            const shown = posix.join(path, sub);
            if (++entries > maxEntries) {
                throw new InputError(input, `Input "${input}": ${path} holds more than ${maxEntries} files and folders.`);
            }
            const real = entry.isSymbolicLink()
                ? realPath(input, shown, join(dir, entry.name))
                : join(dir, entry.name);
            if (!inside(real, allowed)) {
                throw new InputError(input, `Input "${input}": ${shown} is a link leading outside (to ${real}). ${WHERE}.`);
            }
            const kind = kindOf(input, shown, real, 'any', maxBytes);
            if (kind === 'folder') {
                if (chain.includes(real) || chain.length > 32) {
                    throw new InputError(input, `Input "${input}": ${shown} is a link loop (it leads back to ${real}).`);
                }
                walk(real, sub, [...chain, real]);
                continue;
            }
            const content = readCapped(input, shown, real, maxBytes);
            total += content.length;
            if (total > maxTotal) {
                throw new InputError(input, `Input "${input}": the files under ${path} hold more than ${formatBytes(maxTotal)} together; upload large files another way (an image, a volume).`);
            }
            files.push({ path: sub, content });
        }
    };
    walk(top.real, '', [top.real]);
    return files;
}
function place(path, options) {
    const workspace = options.workspace ?? process.env.GITHUB_WORKSPACE ?? process.cwd();
    const temp = options.temp ?? process.env.RUNNER_TEMP;
    const roots = [workspace, temp, ...(options.roots ?? [])]
        .filter((r) => Boolean(r))
        .flatMap((r) => {
        try {
            return [(0,external_node_fs_.realpathSync)(r)];
        }
        catch {
            return [];
        }
    });
    const base = options.base ?? workspace;
    return { absolute: (0,external_node_path_.resolve)(base, path), roots, base };
}
function inside(real, roots) {
    return roots.some((root) => real === root || real.startsWith(root.endsWith(external_node_path_.sep) ? root : `${root}${external_node_path_.sep}`));
}
function realPath(input, shown, absolute, base) {
    try {
        return (0,external_node_fs_.realpathSync)(absolute);
    }
    catch (error) {
        const code = error.code;
        const broken = code === 'ENOENT' && (0,external_node_fs_.lstatSync)(absolute, { throwIfNoEntry: false })?.isSymbolicLink();
        const what = broken
            ? 'is a link to nothing'
            : code === 'ENOENT' || code === 'ENOTDIR'
                ? `does not exist${base ? ` in ${base}` : ''}`
                : code === 'ELOOP'
                    ? 'is a link loop'
                    : `cannot be read (${code ?? error.message})`;
        throw new errors/* InputError */.dz(input, `Input "${input}": ${shown} ${what}.`);
    }
}
function kindOf(input, shown, real, want, maxBytes) {
    const stat = (0,external_node_fs_.statSync)(real);
    const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : undefined;
    if (!kind) {
        throw new errors/* InputError */.dz(input, `Input "${input}": ${shown} is not a regular file or folder (${real} is a device, pipe or socket).`);
    }
    if (want !== 'any' && kind !== want) {
        throw new errors/* InputError */.dz(input, `Input "${input}": ${shown} is a ${kind}, not a ${want}.`);
    }
    if (kind === 'file' && stat.size > maxBytes)
        tooLarge(input, shown, maxBytes);
    return kind;
}
/** Reads at most `maxBytes` through one descriptor that is checked to be a regular file: no device, no growth. */
function readCapped(input, shown, real, maxBytes) {
    // O_NONBLOCK: opening a pipe swapped in since the check must not hang; O_NOFOLLOW: nor a link swapped in.
    const fd = (0,external_node_fs_.openSync)(real, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NONBLOCK | external_node_fs_.constants.O_NOFOLLOW);
    try {
        if (!(0,external_node_fs_.fstatSync)(fd).isFile()) {
            throw new errors/* InputError */.dz(input, `Input "${input}": ${shown} is not a regular file.`);
        }
        const chunks = [];
        let size = 0;
        for (;;) {
            const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - size));
            const n = (0,external_node_fs_.readSync)(fd, chunk, 0, chunk.length, null);
            if (n === 0)
                break;
            chunks.push(chunk.subarray(0, n));
            size += n;
            if (size > maxBytes)
                tooLarge(input, shown, maxBytes);
        }
        return Buffer.concat(chunks, size);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
function tooLarge(input, shown, maxBytes) {
    throw new errors/* InputError */.dz(input, `Input "${input}": ${shown} is larger than ${formatBytes(maxBytes)}, the most it may be.`);
}
function sortedEntries(input, shown, dir) {
    try {
        return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    }
    catch (error) {
        throw new InputError(input, `Input "${input}": ${shown} cannot be listed (${error.message}).`);
    }
}
function formatBytes(bytes) {
    return bytes >= 2 ** 20 ? `${bytes / 2 ** 20} MiB` : `${bytes} bytes`;
}

// EXTERNAL MODULE: ../../packages/shared/src/gate/analysis/condition.ts
var analysis_condition = __nccwpck_require__(3721);
;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/template.ts
/**
 * `{{ version }}`, `{{ release }}`, `{{ colour }}` in a query become the release's values, so the new version
 * can be judged alone (`{version="{{ version }}"}`). Values are escaped for a double-quoted PromQL string; a
 * placeholder with no value is an error, never an empty string that would widen the query to every version.
 */
class TemplateError extends Error {
}
const PLACEHOLDER = /\{\{\s*([A-Za-z][\w-]*)\s*\}\}/g;
function renderTemplate(text, vars, quoting = 'promql') {
    const values = { ...vars };
    values.color ??= vars.colour;
    values.colour ??= vars.color;
    return text.replace(PLACEHOLDER, (_, name) => {
        const value = values[name];
        if (value === undefined || value === '') {
            const known = Object.keys(values).filter((k) => values[k]);
            throw new TemplateError(`uses {{ ${name} }}, which has no value here${known.length ? ` (known: ${known.join(', ')})` : ''}: give it in analysis-vars`);
        }
        if (quoting === 'none')
            return value;
        return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    });
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/analysis-config.ts




const ANALYSIS_DEFAULTS = {
    failureLimit: 0,
    inconclusiveLimit: 0,
    consecutiveErrorLimit: 4,
    prometheusTimeoutMs: 30_000,
};
const METRIC_KEYS = [
    'name',
    'provider',
    'query',
    'range',
    'step',
    'success-condition',
    'failure-condition',
    'interval',
    'count',
    'initial-delay',
    'failure-limit',
    'inconclusive-limit',
    'consecutive-error-limit',
    'alarms',
    'alarm-prefix',
    'alarm-tags',
    'insufficient-data',
    'count-preexisting',
    'metric-data-queries',
];
const TOP_KEYS = ['metrics', 'prometheus', 'cloudwatch'];
const PROVIDERS = ['prometheus', 'cloudwatch'];
/** Validates an analysis (parsed YAML) and fills in defaults. Throws one InputError naming the input. */
function buildAnalysisConfig(spec, options = {}) {
    const source = options.source ?? 'analysis';
    const fail = (message) => {
        throw new errors/* InputError */.dz(source, `Input "${source}" ${message}.`);
    };
    const top = isMap(spec) ? spec : fail('must be a YAML map with a "metrics" list');
    unknownKeys(top, TOP_KEYS, 'at its top level', fail);
    const list = top.metrics;
    if (!Array.isArray(list) || list.length === 0)
        fail('must have a "metrics" list with at least one metric');
    const secrets = [];
    const prometheus = prometheusSettings(top.prometheus, options.prometheus, secrets, fail);
    const names = new Set();
    const metrics = list.map((entry, index) => {
        const metric = buildMetric(entry, index, options, fail);
        if (names.has(metric.name))
            fail(`has two metrics named ${JSON.stringify(metric.name)}: give each its own "name"`);
        names.add(metric.name);
        if (metric.provider === 'prometheus' && !prometheus) {
            fail(`metric ${JSON.stringify(metric.name)} asks Prometheus, but no address is given: set "prometheus: { address: https://… }" in the analysis or the prometheus-url input`);
        }
        return metric;
    });
    if (top.cloudwatch !== undefined && top.cloudwatch !== null) {
        if (!isMap(top.cloudwatch))
            fail('has "cloudwatch", which must be a map (with "region")');
        unknownKeys(top.cloudwatch, ['region'], 'in "cloudwatch"', fail);
    }
    const region = top.cloudwatch?.region;
    if (region !== undefined && (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))) {
        fail('has a "cloudwatch.region" that is not an AWS region such as eu-west-1');
    }
    const cloudwatch = metrics.some((m) => m.provider === 'cloudwatch')
        ? { region: region }
        : undefined;
    return { metrics, bakeMs: options.bakeMs, prometheus, cloudwatch, since: options.since, secrets };
}
function buildMetric(entry, index, options, fail) {
    if (!isMap(entry))
        return fail(`metric ${index + 1} must be a map with "name", "query" and a condition`);
    const rawName = entry.name;
    if (typeof rawName !== 'string' || !/^[\w.-]{1,64}$/.test(rawName)) {
        fail(`metric ${index + 1} needs a "name" of letters, digits, ".", "_" or "-" (at most 64)`);
    }
    const name = rawName;
    const at = `metric ${JSON.stringify(name)}`;
    unknownKeys(entry, METRIC_KEYS, `in ${at}`, fail);
    const provider = entry.provider === undefined ? 'prometheus' : String(entry.provider);
    if (!PROVIDERS.includes(provider))
        fail(`${at} has provider ${JSON.stringify(provider)}; accepted: ${PROVIDERS.join(', ')}`);
    const render = (text, quoting) => {
        try {
            return renderTemplate(text, options.vars ?? {}, quoting);
        }
        catch (error) {
            if (error instanceof TemplateError)
                return fail(`${at}: the query ${error.message}`);
            throw error;
        }
    };
    let query = '';
    let cloudwatch;
    if (provider === 'cloudwatch') {
        cloudwatch = cloudWatchMetric(entry, at, render, fail);
        query = describeCloudWatch(cloudwatch);
    }
    else {
        for (const key of [
            'alarms',
            'alarm-prefix',
            'alarm-tags',
            'insufficient-data',
            'count-preexisting',
            'metric-data-queries',
        ]) {
            if (entry[key] !== undefined)
                fail(`${at} has "${key}", which only a "provider: cloudwatch" metric takes`);
        }
        if (typeof entry.query !== 'string' || !entry.query.trim())
            fail(`${at} needs a "query" (PromQL text)`);
        query = render(entry.query, 'promql');
    }
    const condition = (key) => {
        const value = entry[key];
        if (value === undefined || value === null)
            return undefined;
        try {
            return (0,analysis_condition/* parseCondition */.zB)(String(value));
        }
        catch (error) {
            if (error instanceof analysis_condition/* ConditionError */.iG)
                return fail(`${at}: "${key}" ${error.message}`);
            throw error;
        }
    };
    // An alarm metric's value is the number of alarms (counted) in ALARM: none is the natural default.
    const success = condition('success-condition') ??
        (cloudwatch && !cloudwatch.queries && entry['failure-condition'] === undefined
            ? (0,analysis_condition/* parseCondition */.zB)('result == 0')
            : undefined);
    const failure = condition('failure-condition');
    if (!success && !failure)
        fail(`${at} needs a "success-condition" (such as "result < 0.01") or a "failure-condition"`);
    const duration = (key, min) => {
        const value = entry[key];
        if (value === undefined || value === null)
            return undefined;
        const ms = typeof value === 'number' ? value * 1000 : (0,src_duration/* parseDuration */.E9)(String(value));
        if (ms === undefined || ms < min || ms > src_duration/* DEFAULT_MAX_DURATION_MS */.LN) {
            return fail(`${at}: "${key}" must be a duration such as 30s, 1m or 5m, from ${(0,src_duration/* formatDuration */.a3)(min)} to 24h; got ${JSON.stringify(value)}`);
        }
        return ms;
    };
    const whole = (key, fallback, min) => {
        const value = entry[key];
        if (value === undefined || value === null)
            return fallback;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
            return fail(`${at}: "${key}" must be a whole number of at least ${min}; got ${JSON.stringify(value)}`);
        }
        return value;
    };
    const count = whole('count', undefined, 1);
    const interval = duration('interval', 1000);
    if (interval === undefined && (count ?? 1) > 1)
        fail(`${at} has "count: ${count}" but no "interval" between the measurements`);
    if (interval === undefined && count === undefined && options.bakeMs !== undefined) {
        fail(`${at} needs an "interval" (how often to measure during the bake) or a "count"`);
    }
    const initialDelayMs = duration('initial-delay', 0) ?? 0;
    if (count === undefined &&
        options.bakeMs !== undefined &&
        initialDelayMs + (interval ?? 0) > options.bakeMs) {
        fail(`${at} would never be measured: its first measurement (initial-delay + interval, ${(0,src_duration/* formatDuration */.a3)(initialDelayMs + (interval ?? 0))}) comes after the bake ends (${(0,src_duration/* formatDuration */.a3)(options.bakeMs)}); lengthen the bake or shorten the interval`);
    }
    const windowMs = duration('range', 1000);
    const stepMs = duration('step', 1000);
    if (stepMs !== undefined && windowMs === undefined)
        fail(`${at} has a "step" but no "range" (the window to query)`);
    return {
        name,
        provider,
        query,
        range: windowMs === undefined
            ? undefined
            : { windowMs, stepMs: stepMs ?? Math.max(1000, Math.ceil(windowMs / 60)) },
        success,
        failure,
        intervalMs: interval ?? 0,
        count: count ?? (options.bakeMs === undefined ? 1 : undefined),
        initialDelayMs,
        failureLimit: whole('failure-limit', ANALYSIS_DEFAULTS.failureLimit, -1),
        inconclusiveLimit: whole('inconclusive-limit', ANALYSIS_DEFAULTS.inconclusiveLimit, 0),
        consecutiveErrorLimit: whole('consecutive-error-limit', ANALYSIS_DEFAULTS.consecutiveErrorLimit, 0),
        cloudwatch,
    };
}
function cloudWatchMetric(entry, at, render, fail) {
    if (entry.query !== undefined)
        fail(`${at} is a CloudWatch metric: give "alarms", "alarm-prefix" or "metric-data-queries" instead of "query"`);
    const given = ['alarms', 'alarm-prefix', 'metric-data-queries'].filter((k) => entry[k] !== undefined);
    const tagged = entry['alarm-tags'] !== undefined;
    if (tagged && given.some((k) => k !== 'alarm-prefix'))
        fail(`${at}: "alarm-tags" selects alarms by tag, alone or with "alarm-prefix"; not with "${given[0]}"`);
    if (given.length !== 1 && !tagged)
        fail(`${at} needs exactly one of "alarms" (names), "alarm-prefix" (and/or "alarm-tags") or "metric-data-queries"`);
    const policy = entry['insufficient-data'] ?? 'ok';
    if (!['ok', 'inconclusive', 'failed'].includes(String(policy))) {
        fail(`${at}: "insufficient-data" must be ok, inconclusive or failed; got ${JSON.stringify(policy)}`);
    }
    const preexisting = entry['count-preexisting'] ?? false;
    if (typeof preexisting !== 'boolean')
        fail(`${at}: "count-preexisting" must be true or false`);
    const base = {
        insufficientData: policy,
        countPreexisting: preexisting,
    };
    if (entry.alarms !== undefined) {
        const names = entry.alarms;
        if (!Array.isArray(names) ||
            !names.length ||
            names.some((n) => typeof n !== 'string' || !n.trim() || n.length > 255)) {
            fail(`${at}: "alarms" must be a list of alarm names`);
        }
        return { ...base, alarms: names.map((n) => render(n, 'none')) };
    }
    if (tagged || entry['alarm-prefix'] !== undefined) {
        const prefix = entry['alarm-prefix'];
        if (prefix !== undefined && (typeof prefix !== 'string' || !prefix.trim() || prefix.length > 255))
            fail(`${at}: "alarm-prefix" must be the start of alarm names`);
        return {
            ...base,
            alarmPrefix: prefix === undefined ? undefined : render(prefix, 'none'),
            alarmTags: tagged ? alarmTags(entry['alarm-tags'], at, render, fail) : undefined,
        };
    }
    const queries = entry['metric-data-queries'];
    if (!Array.isArray(queries) ||
        !queries.length ||
        queries.some((q) => !isMap(q) || typeof q.Id !== 'string')) {
        fail(`${at}: "metric-data-queries" must be a list of GetMetricData queries, each a map with "Id" (and "Expression" or "MetricStat")`);
    }
    const renderAll = (value) => typeof value === 'string'
        ? render(value, 'none')
        : Array.isArray(value)
            ? value.map(renderAll)
            : isMap(value)
                ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderAll(v)]))
                : value;
    return {
        ...base,
        queries: queries.map((q) => renderAll(q)),
    };
}
/** `alarm-tags`: a map of tag keys to the values an alarm must carry (AWS's limits: 128 and 256 characters). */
function alarmTags(value, at, render, fail) {
    const entries = isMap(value) ? Object.entries(value) : [];
    if (!entries.length ||
        entries.some(([k, v]) => !k.trim() ||
            k.length > 128 ||
            !['string', 'number', 'boolean'].includes(typeof v) ||
            String(v).length > 256)) {
        fail(`${at}: "alarm-tags" must be a map of tag keys to values, such as { team: shop, environment: production } (keys up to 128 characters, values up to 256)`);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, render(String(v), 'none')]));
}
/** How a CloudWatch metric's selection reads in logs and reports. */
function describeCloudWatch(spec) {
    if (spec.queries)
        return `GetMetricData ${JSON.stringify(spec.queries)}`;
    if (spec.alarms)
        return `alarms ${spec.alarms.join(', ')}`;
    const named = spec.alarmPrefix === undefined ? 'alarms' : `alarms named ${spec.alarmPrefix}*`;
    const tags = Object.entries(spec.alarmTags ?? {}).map(([k, v]) => `${k}=${v}`);
    return tags.length ? `${named} tagged ${tags.join(', ')}` : named;
}
function prometheusSettings(value, override, secrets, fail) {
    if (value !== undefined && value !== null && !isMap(value))
        fail('has "prometheus", which must be a map with "address"');
    const given = (value ?? {});
    unknownKeys(given, ['address', 'insecure', 'timeout'], 'in "prometheus"', fail);
    const text = override?.address || (given.address === undefined ? undefined : String(given.address));
    if (!text)
        return undefined;
    let address;
    try {
        address = new URL(text);
    }
    catch {
        return fail('has a Prometheus address that is not a URL: give it as http(s)://host:port');
    }
    if (!['http:', 'https:'].includes(address.protocol))
        fail('has a Prometheus address that is not http(s)://');
    if (address.password)
        secrets.push(address.password, decodeURIComponent(address.password));
    if (override?.token)
        secrets.push(override.token);
    const timeout = given.timeout === undefined ? undefined : (0,src_duration/* parseDuration */.E9)(String(given.timeout));
    if (given.timeout !== undefined && (timeout === undefined || timeout < 100 || timeout > 600_000)) {
        fail('has a "prometheus.timeout" that is not a duration from 100ms to 10m');
    }
    if (given.insecure !== undefined && typeof given.insecure !== 'boolean')
        fail('has "prometheus.insecure", which must be true or false');
    return {
        address,
        token: override?.token || undefined,
        ca: override?.ca,
        insecure: override?.insecure ?? given.insecure ?? false,
        timeoutMs: timeout ?? ANALYSIS_DEFAULTS.prometheusTimeoutMs,
    };
}
function unknownKeys(map, known, where, fail) {
    const unknown = Object.keys(map).filter((k) => !known.includes(k));
    if (unknown.length)
        fail(`has ${unknown.map((k) => JSON.stringify(k)).join(', ')} ${where}; accepted: ${known.join(', ')}`);
}
function isMap(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/analysis-spec.ts







/**
 * The analysis inputs but the bake: `analysis` (YAML, inline or a file of the workspace), `analysis-vars`
 * ("name=value" lines), `prometheus-url`, `prometheus-token`, over `bakeMs` (the action's `bake`, or a canary
 * step's interval given later through `withBake`). See readAnalysisInputs. Undefined without an analysis.
 */
function readAnalysisSpec(read, options) {
    const token = read.secret('prometheus-token');
    const address = read.url('prometheus-url', { example: 'https://prometheus.example.com:9090' });
    const text = read.string('analysis');
    const varsText = read.string('analysis-vars');
    if (!text)
        return undefined;
    const { bakeMs } = options;
    const vars = {};
    if (options.version)
        vars.version = options.version;
    for (const line of (varsText ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)) {
        const match = /^([A-Za-z][\w-]*)\s*=\s*(.*)$/.exec(line);
        if (!match) {
            throw new errors/* InputError */.dz('analysis-vars', `Input "analysis-vars" must be "name=value" lines (such as "release=42" or "colour=green"); got ${JSON.stringify(line)}.`);
        }
        vars[match[1]] = match[2];
    }
    const spec = readYamlInput('analysis', text, options.workspace);
    const build = (more, bake = bakeMs) => {
        const settings = {
            bakeMs: bake,
            since: options.since,
            // analysis-vars win over the values the action fills in
            vars: { ...more, ...vars },
            prometheus: { address, token, ca: options.ca },
        };
        return buildAnalysisConfig(spec, settings);
    };
    const config = build(Object.fromEntries((options.later ?? []).map((name) => [name, `<${name}>`])));
    for (const secret of config.secrets)
        (0,src_secrets/* registerSecret */.cl)(secret);
    return { config, withVars: (more) => build(more), withBake: (ms, more = {}) => build(more, ms) };
}
/** YAML inline, or the path of a file of the workspace holding it (read through the workspace-files reader). */
function readYamlInput(input, text, workspace, what = 'YAML') {
    const inline = /[\n:]/.test(text) || /^[-[{]/.test(text);
    let yamlText = text;
    if (!inline) {
        const path = (0,external_node_path_.isAbsolute)(text) ? text : (0,external_node_path_.resolve)(workspace, text);
        if (!(0,external_node_fs_.existsSync)(path) && !(0,external_node_fs_.lstatSync)(path, { throwIfNoEntry: false })) {
            throw new errors/* InputError */.dz(input, `Input "${input}" is neither ${what} nor an existing file: ${path} does not exist.`);
        }
        yamlText = readWorkspaceText(input, text, { workspace });
    }
    // yaml loads when a YAML input is given, not before the first input error (README, Decisions: lazy loading).
    const yaml = (0,lazy_parser/* yamlParser */.$z)();
    try {
        return yaml.parse(yamlText);
    }
    catch (error) {
        // Only the first line: the rest of the parser's message quotes the text, which may hold a secret header.
        const reason = error.message.split('\n')[0];
        throw new errors/* InputError */.dz(input, `Input "${input}" must be valid YAML (${reason}).`);
    }
}

;// CONCATENATED MODULE: ../../packages/shared/src/gate/analysis/analysis-inputs.ts


/**
 * The analysis inputs every gate takes, one meaning each: `analysis` (YAML, inline or a file of the workspace),
 * `bake`, `analysis-vars` ("name=value" lines), `prometheus-url`, `prometheus-token`. `{{ version }}` is
 * `version` (the action's expect-version) unless analysis-vars sets it; `later` names values the action fills in
 * after its inputs are read (checked now with a stand-in value, so a query using one is not refused). Secrets are
 * registered before anything can print them. Undefined without an analysis.
 */
function readAnalysisInputs(read, options) {
    const bakeText = read.string('bake');
    if (!read.string('analysis')) {
        // prometheus-url, its token and analysis-vars may be set for every environment, the analysis for some.
        if (bakeText) {
            throw new errors/* InputError */.dz('bake', 'Input "bake" needs an "analysis" (the metrics to judge during the bake): set "analysis" too, or leave "bake" empty.');
        }
    }
    const bakeMs = bakeText ? read.duration('bake', { min: 1000 }) : undefined;
    return readAnalysisSpec(read, { ...options, bakeMs });
}

;// CONCATENATED MODULE: ./src/inputs.ts



/** Every input of the action, read and validated before any request is sent. */
function getInputs(read = new inputs/* InputReader */.i_(), workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()) {
    const urls = (read.string('url') ?? '')
        .split(/[\r\n|]+/)
        .map((u) => u.trim())
        .filter(Boolean);
    const checksText = read.string('checks');
    if (urls.length && checksText) {
        throw new errors/* InputError */.dz('checks', 'Inputs "url" and "checks" both list what to check: use "url" for plain URLs or "checks" for a YAML list, not both.');
    }
    if (!urls.length && !checksText) {
        throw new errors/* InputError */.dz('url', 'Input "url" is required (or "checks", a YAML list of checks): set it in the step\'s "with:" block.');
    }
    const defaults = {
        method: read.string('method'),
        headers: read.string('headers'),
        body: read.string('body'),
        'expect-status': read.string('expect-status'),
        'expect-body': read.string('expect-body'),
        'expect-json': read.string('expect-json'),
        'expect-header': read.string('expect-header'),
        'max-latency': read.string('max-latency'),
        'expect-version': read.string('expect-version'),
        'version-field': read.string('version-field'),
        'follow-redirects': read.boolean('follow-redirects', { default: true }),
    };
    const gate = buildGateConfig({
        checks: checksText ? readChecks(checksText, workspace) : urls,
        'checks-source': checksText ? 'checks' : 'url',
        defaults,
        timeout: read.duration('timeout', { default: '10s', min: 100, max: 600_000 }),
        'ready-timeout': read.duration('ready-timeout', { default: '5m', min: 0 }),
        'ready-backoff': read.duration('ready-backoff', { default: '1s', min: 0 }),
        'ready-backoff-max': read.duration('ready-backoff-max', { default: '15s', min: 0 }),
        // Empty: the gate's READY_STATUS (action.yml's default, checked equal in host-scripts/http-check.test.ts).
        'ready-status': read.string('ready-status'),
        samples: read.string('samples') ? read.integer('samples', { min: 1, max: 100_000 }) : undefined,
        duration: read.string('duration') ? read.duration('duration', { min: 1 }) : undefined,
        interval: read.duration('interval', { default: '1s', min: 0 }),
        concurrency: read.integer('concurrency', { default: 1, min: 1, max: 256 }),
        'consecutive-successes': read.integer('consecutive-successes', { default: 0, min: 0 }),
        'failure-limit': read.string('failure-limit') ? read.integer('failure-limit', { min: 0 }) : undefined,
        'error-limit': read.integer('error-limit', { default: 0, min: 0 }),
        'min-success-rate': read.number('min-success-rate', { default: 1, min: 0, max: 1, percent: true }),
        'max-p95': read.string('max-p95') ? read.duration('max-p95', { min: 1 }) : undefined,
        'max-p99': read.string('max-p99') ? read.duration('max-p99', { min: 1 }) : undefined,
        deadline: read.duration('deadline', { default: '10m', min: 1 }),
        ca: readCa(read.string('ca'), workspace),
        insecure: read.boolean('insecure', { default: false }),
    });
    // Header values and URL passwords are masked before anything can print them.
    for (const secret of gate.secrets)
        (0,src_secrets/* registerSecret */.cl)(secret);
    if (gate.tls.ca && gate.tls.insecure) {
        throw new errors/* InputError */.dz('insecure', 'Inputs "ca" and "insecure" contradict each other: with a CA to trust, leave "insecure" off.');
    }
    const version = defaults['expect-version'];
    const analysis = readAnalysisInputs(read, {
        workspace,
        ca: gate.tls.ca,
        version: typeof version === 'string' && version ? version : undefined,
        since: deployedAt(read.string('deployed-at')),
    })?.config;
    return { gate, analysis, failOnInconclusive: read.boolean('fail-on-inconclusive', { default: true }) };
}
/**
 * `deployed-at`: when the release began to deploy, as an ISO 8601 time with its zone (2026-12-06T21:00:00Z) or
 * epoch seconds (`date +%s`); within the last 24h and not in the future (a minute of clock skew allowed).
 */
function deployedAt(value, now = Date.now()) {
    if (!value)
        return undefined;
    const ms = /^\d{9,11}$/.test(value)
        ? Number(value) * 1000
        : /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)
            ? Date.parse(value)
            : Number.NaN;
    if (!Number.isFinite(ms) || ms > now + 60_000 || ms < now - 24 * 3_600_000) {
        throw new errors/* InputError */.dz('deployed-at', `Input "deployed-at" must be when the release began to deploy, within the last 24h: an ISO 8601 time with its zone (2026-12-06T21:00:00Z) or epoch seconds; got ${JSON.stringify(value.slice(0, 40))}.`);
    }
    return ms;
}
/** `checks` is YAML (a list, or a map with a `checks` list), inline or in a file of the workspace. */
function readChecks(text, workspace) {
    const parsed = readYamlInput('checks', text, workspace, 'a YAML list');
    const list = parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? parsed.checks
        : parsed;
    if (!Array.isArray(list)) {
        throw new errors/* InputError */.dz('checks', 'Input "checks" must be a YAML list of checks, each a URL or a map with "url" (and "name", "expect-status", ...).');
    }
    return list;
}
/** A PEM certificate (or bundle), inline or in a file. Checked here so a typo fails before any request. */
function readCa(value, workspace) {
    if (!value)
        return undefined;
    let pem = value;
    if (!value.includes('-----BEGIN')) {
        const path = (0,external_node_path_.isAbsolute)(value) ? value : (0,external_node_path_.resolve)(workspace, value);
        if (!(0,external_node_fs_.existsSync)(path) && !(0,external_node_fs_.lstatSync)(path, { throwIfNoEntry: false })) {
            throw new errors/* InputError */.dz('ca', `Input "ca" must be PEM text or the path of a PEM file; ${path} does not exist.`);
        }
        pem = readWorkspaceText('ca', value, { workspace });
    }
    // node:crypto loads when a CA is given, not before the first input error (README, Decisions: lazy loading).
    const { X509Certificate } = __nccwpck_require__(7598);
    try {
        new X509Certificate(pem);
    }
    catch (error) {
        throw new errors/* InputError */.dz('ca', `Input "ca" must hold a PEM certificate ("-----BEGIN CERTIFICATE-----"): ${error.message}.`);
    }
    return pem;
}


/***/ }),

/***/ 833:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   LN: () => (/* binding */ DEFAULT_MAX_DURATION_MS),
/* harmony export */   _o: () => (/* binding */ MAX_TIMER_MS),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   nF: () => (/* binding */ formatDurationLimit),
/* harmony export */   nR: () => (/* binding */ timerDelay)
/* harmony export */ });
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
/* harmony export */   X9: () => (/* binding */ isBug),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   iT: () => (/* binding */ toError),
/* harmony export */   yo: () => (/* binding */ UserError)
/* harmony export */ });
/* unused harmony export CommandError */
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

/***/ 3721:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   iG: () => (/* binding */ ConditionError),
/* harmony export */   pw: () => (/* binding */ thresholds),
/* harmony export */   v9: () => (/* binding */ holds),
/* harmony export */   zB: () => (/* binding */ parseCondition)
/* harmony export */ });
class ConditionError extends Error {
}
const NUMBER = String.raw `[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?`;
const OP = '<=|>=|==|!=|<|>';
const FLIP = {
    '<': '>',
    '<=': '>=',
    '>': '<',
    '>=': '<=',
    '==': '==',
    '!=': '!=',
};
function parseCondition(text) {
    const trimmed = text.trim();
    if (!trimmed)
        throw new ConditionError('is empty');
    const all = [];
    for (const part of trimmed.split(/\s+and\s+|\s*&&\s*/i))
        all.push(...parseClause(part.trim()));
    return { text: trimmed, all };
}
/** `result OP n`, `n OP result`, or the range `n OP result OP m`. */
function parseClause(clause) {
    const range = new RegExp(`^(${NUMBER})\\s*(${OP})\\s*result\\s*(${OP})\\s*(${NUMBER})$`, 'i').exec(clause);
    if (range) {
        return [
            { op: FLIP[range[2]], value: number(range[1]) },
            { op: range[3], value: number(range[4]) },
        ];
    }
    const right = new RegExp(`^result\\s*(${OP})\\s*(${NUMBER})$`, 'i').exec(clause);
    if (right)
        return [{ op: right[1], value: number(right[2]) }];
    const left = new RegExp(`^(${NUMBER})\\s*(${OP})\\s*result$`, 'i').exec(clause);
    if (left)
        return [{ op: FLIP[left[2]], value: number(left[1]) }];
    throw new ConditionError(`has ${JSON.stringify(clause)}, which is not a comparison of "result" with a number (such as "result < 0.01", "result == 0" or "0.9 <= result <= 1")`);
}
function number(text) {
    const value = Number(text);
    if (!Number.isFinite(value))
        throw new ConditionError(`has ${text}, which is not a finite number`);
    return value;
}
/** True when `value` meets every comparison. NaN meets none (the caller treats it as "no data"). */
function holds(condition, value) {
    if (Number.isNaN(value))
        return false;
    return condition.all.every(({ op, value: bound }) => compare(value, op, bound));
}
function compare(value, op, bound) {
    switch (op) {
        case '<':
            return value < bound;
        case '<=':
            return value <= bound;
        case '>':
            return value > bound;
        case '>=':
            return value >= bound;
        case '==':
            return value === bound;
        case '!=':
            return value !== bound;
    }
}
/**
 * The value a chart draws as the threshold: the bound closest to failing (the lower bound of a "stay above",
 * the upper of a "stay below"). Undefined for `!=`-only conditions.
 */
function thresholds(condition) {
    return [...new Set(condition.all.filter((c) => c.op !== '!=').map((c) => c.value))];
}


/***/ }),

/***/ 4482:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C2: () => (/* binding */ parseStatusRanges),
/* harmony export */   G8: () => (/* binding */ SpecError),
/* harmony export */   JA: () => (/* binding */ formatTextMatcher),
/* harmony export */   TP: () => (/* binding */ jsonExpectationFromEntry),
/* harmony export */   W_: () => (/* binding */ statusMatches),
/* harmony export */   XG: () => (/* binding */ parseTextMatcher),
/* harmony export */   ay: () => (/* binding */ parseJsonExpectation),
/* harmony export */   bK: () => (/* binding */ formatHeaderExpectation),
/* harmony export */   cO: () => (/* binding */ formatStatusRanges),
/* harmony export */   dg: () => (/* binding */ jsonValueMatches),
/* harmony export */   iN: () => (/* binding */ formatJsonExpectation),
/* harmony export */   t6: () => (/* binding */ parseVersionSource),
/* harmony export */   tV: () => (/* binding */ textMatches),
/* harmony export */   ti: () => (/* binding */ parseHeaderExpectation),
/* harmony export */   v2: () => (/* binding */ formatVersionSource)
/* harmony export */ });
/* harmony import */ var _json_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(815);

/**
 * The parsers of what a check expects. Each returns a typed expectation or throws a SpecError whose message
 * says what is accepted ("must be ..."); the config builder puts the input's name in front.
 */
class SpecError extends Error {
    name = 'SpecError';
}
/** `200-299,304` or `200 204`: single statuses and inclusive ranges, comma or space separated. */
function parseStatusRanges(text) {
    const accepted = 'HTTP statuses and ranges such as 200-299,304';
    const parts = text.split(/[\s,]+/).filter(Boolean);
    if (!parts.length)
        throw new SpecError(`must be ${accepted}; got an empty value`);
    return parts.map((part) => {
        const match = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
        const low = match ? Number(match[1]) : Number.NaN;
        const high = match?.[2] ? Number(match[2]) : low;
        if (!match || low < 100 || high > 599 || low > high) {
            throw new SpecError(`must be ${accepted}; ${JSON.stringify(part)} is not one`);
        }
        return [low, high];
    });
}
function statusMatches(ranges, status) {
    return ranges.some(([low, high]) => status >= low && status <= high);
}
function formatStatusRanges(ranges) {
    return ranges.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(',');
}
function parseTextMatcher(text) {
    const match = /^\/(.+)\/([dgimsuvy]*)$/s.exec(text);
    if (!match)
        return { kind: 'substring', text };
    try {
        // Sticky and global flags would make `test` stateful between samples; they add nothing to a match.
        return { kind: 'regex', regex: new RegExp(match[1], match[2].replace(/[gy]/g, '')) };
    }
    catch (error) {
        throw new SpecError(`must be a substring or a valid /regular expression/ (${error.message})`);
    }
}
function textMatches(matcher, text) {
    return matcher.kind === 'substring' ? text.includes(matcher.text) : matcher.regex.test(text);
}
function formatTextMatcher(matcher) {
    return matcher.kind === 'substring' ? JSON.stringify(matcher.text) : String(matcher.regex);
}
function parseJsonExpectation(line) {
    const eq = line.indexOf('=');
    const path = eq > 0 ? (0,_json_path__WEBPACK_IMPORTED_MODULE_0__/* .parseJsonPath */ .Hf)(line.slice(0, eq)) : undefined;
    if (!path) {
        throw new SpecError(`takes "path = value" pairs such as "status = ok" or "$.checks[0].healthy = true"; ${JSON.stringify(line)} is not one`);
    }
    return jsonExpectation(path, line.slice(eq + 1).trim());
}
/** The same from a YAML map entry, where the value is already typed (`healthy: true`). */
function jsonExpectationFromEntry(key, value) {
    const path = (0,_json_path__WEBPACK_IMPORTED_MODULE_0__/* .parseJsonPath */ .Hf)(key);
    if (!path)
        throw new SpecError(`has a path that is not valid: ${JSON.stringify(key)}`);
    if (typeof value === 'string')
        return jsonExpectation(path, value);
    return { path, text: JSON.stringify(value), expected: { kind: 'value', value } };
}
function jsonExpectation(path, text) {
    const matcher = parseTextMatcher(text);
    if (matcher.kind === 'regex')
        return { path, text, expected: { kind: 'regex', regex: matcher.regex } };
    let value = text;
    try {
        value = JSON.parse(text);
    }
    catch {
        // Bare text (`status = ok`) is compared as a string.
    }
    return { path, text, expected: { kind: 'value', value } };
}
/** Whether `actual` satisfies the expectation. A number or boolean written as text also matches its string. */
function jsonValueMatches(expectation, actual) {
    const { expected } = expectation;
    if (expected.kind === 'regex')
        return typeof actual === 'string' && expected.regex.test(actual);
    if (deepEqual(expected.value, actual))
        return true;
    return typeof actual === 'string' && actual === expectation.text;
}
function formatJsonExpectation(expectation) {
    return `${(0,_json_path__WEBPACK_IMPORTED_MODULE_0__/* .formatPath */ .jV)(expectation.path)} = ${expectation.text}`;
}
function deepEqual(a, b) {
    if (a === b)
        return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
        return false;
    if (Array.isArray(a) !== Array.isArray(b))
        return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length)
        return false;
    return ka.every((k) => deepEqual(a[k], b[k]));
}
function parseHeaderExpectation(line) {
    const colon = line.indexOf(':');
    const name = (colon < 0 ? line : line.slice(0, colon)).trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
        throw new SpecError(`takes "Name: value" lines (or just "Name" to require the header); ${JSON.stringify(line)} is not one`);
    }
    if (colon < 0)
        return { name };
    return { name, matcher: parseTextMatcher(line.slice(colon + 1).trim()) };
}
function formatHeaderExpectation(expectation) {
    return expectation.matcher
        ? `header ${expectation.name} ${expectation.matcher.kind === 'regex' ? 'matching' : 'containing'} ${formatTextMatcher(expectation.matcher)}`
        : `header ${expectation.name} present`;
}
function parseVersionSource(text) {
    const accepted = 'body, header:<name> or json:<path> (such as json:build.sha)';
    const value = text.trim();
    if (value === '' || value === 'body')
        return { kind: 'body' };
    const match = /^(header|json):(.+)$/.exec(value);
    if (match?.[1] === 'header' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(match[2].trim())) {
        return { kind: 'header', name: match[2].trim().toLowerCase() };
    }
    const path = match?.[1] === 'json' ? (0,_json_path__WEBPACK_IMPORTED_MODULE_0__/* .parseJsonPath */ .Hf)(match[2]) : undefined;
    if (path)
        return { kind: 'json', path };
    throw new SpecError(`must be ${accepted}; got ${JSON.stringify(text)}`);
}
function formatVersionSource(source) {
    if (source.kind === 'body')
        return 'the body';
    if (source.kind === 'header')
        return `header ${source.name}`;
    return `JSON field ${(0,_json_path__WEBPACK_IMPORTED_MODULE_0__/* .formatPath */ .jV)(source.path)}`;
}


/***/ }),

/***/ 815:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Hf: () => (/* binding */ parseJsonPath),
/* harmony export */   PR: () => (/* binding */ lookupJson),
/* harmony export */   jV: () => (/* binding */ formatPath)
/* harmony export */ });
/**
 * Parses the small path language of `expect-json` and `version-field`: dotted keys with array indexes,
 * an optional leading `$.` (as in JSONPath), and bracketed quoted keys for names with dots or spaces:
 * `status`, `$.checks.db.status`, `items[0].id`, `["app.version"]`. Returns undefined when malformed.
 */
function parseJsonPath(text) {
    let rest = text.trim();
    if (rest === '$')
        return [];
    if (rest.startsWith('$.') || rest.startsWith('$['))
        rest = rest.slice(1);
    if (rest.startsWith('.'))
        rest = rest.slice(1);
    const segments = [];
    const token = /^(?:([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['([^']*)'\])/;
    while (rest) {
        const match = token.exec(rest);
        if (!match)
            return undefined;
        if (match[1] !== undefined)
            segments.push(match[1]);
        else if (match[2] !== undefined)
            segments.push(Number(match[2]));
        else if (match[3] !== undefined)
            segments.push(JSON.parse(`"${match[3]}"`));
        else
            segments.push(match[4]);
        rest = rest.slice(match[0].length);
        if (rest.startsWith('.')) {
            rest = rest.slice(1);
            if (!rest)
                return undefined;
        }
    }
    return segments.length ? segments : undefined;
}
/** The value at `path`, or `{ found: false }` when any step is missing. */
function lookupJson(value, path) {
    let current = value;
    for (const segment of path) {
        if (typeof segment === 'number') {
            if (!Array.isArray(current) || segment >= current.length)
                return { found: false };
            current = current[segment];
        }
        else {
            if (current === null || typeof current !== 'object' || Array.isArray(current))
                return { found: false };
            if (!Object.hasOwn(current, segment))
                return { found: false };
            current = current[segment];
        }
    }
    return { found: true, value: current };
}
function formatPath(path) {
    return path
        .map((s, i) => typeof s === 'number'
        ? `[${s}]`
        : /^[A-Za-z_$][\w$-]*$/.test(s)
            ? `${i ? '.' : ''}${s}`
            : `[${JSON.stringify(s)}]`)
        .join('');
}


/***/ }),

/***/ 6876:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ko: () => (/* binding */ readInputs),
/* harmony export */   i_: () => (/* binding */ InputReader)
/* harmony export */ });
/* unused harmony exports runnerInputs, mapInputs */
/* harmony import */ var _duration__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(833);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(1110);
/* harmony import */ var _lazy_parser__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(8651);
/* harmony import */ var _runner_commands__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9066);
/* harmony import */ var _secrets__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8244);





const runnerInputs = _runner_commands__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4;
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
    constructor(source = runnerInputs, warn = _runner_commands__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e) {
        this.source = source;
        this.warn = warn;
    }
    raw(name, opts = {}) {
        const value = this.renamed(name, opts.formerly);
        if (opts.secret)
            (0,_secrets__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(value);
        if (!value && opts.required) {
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(name, `Input "${name}" is required: set it in the step's "with:" block.`);
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
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(formerly, `Inputs "${formerly}" and "${name}" are both given: "${formerly}" is the deprecated name of "${name}"; keep only "${name}".`);
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
            : `got ${JSON.stringify((0,_secrets__WEBPACK_IMPORTED_MODULE_1__/* .redactValue */ .FI)(given))}`;
        throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(name, `Input "${name}" must be ${accepted}; ${shown}.`);
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
        const ms = (0,_duration__WEBPACK_IMPORTED_MODULE_3__/* .parseDuration */ .E9)(value);
        const min = opts.min ?? 0;
        const max = Math.min(opts.max ?? _duration__WEBPACK_IMPORTED_MODULE_3__/* .DEFAULT_MAX_DURATION_MS */ .LN, _duration__WEBPACK_IMPORTED_MODULE_3__/* .MAX_TIMER_MS */ ._o);
        const accepted = `a duration such as 90s, 5m or 1h, from ${(0,_duration__WEBPACK_IMPORTED_MODULE_3__/* .formatDurationLimit */ .nF)(min)} to ${(0,_duration__WEBPACK_IMPORTED_MODULE_3__/* .formatDurationLimit */ .nF)(max)}`;
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
                const shown = opts.secret ? '' : ` (line ${JSON.stringify((0,_secrets__WEBPACK_IMPORTED_MODULE_1__/* .redactValue */ .FI)(line))})`;
                throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(name, `Input "${name}" takes KEY=VALUE lines with keys matching ${pattern}${shown}.`);
            }
            const val = line.slice(eq + 1);
            if (opts.secret)
                (0,_secrets__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(val);
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
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(name, `Input "${name}" must be valid JSON (${reason}); the text is not shown.`);
        }
    }
    yaml(name, opts = {}) {
        const value = this.raw(name, opts);
        if (value === '')
            return undefined;
        const yaml = (0,_lazy_parser__WEBPACK_IMPORTED_MODULE_4__/* .yamlParser */ .$z)();
        try {
            return yaml.parse(value);
        }
        catch (error) {
            // The first line says what and where (line, column); the rest quotes the text, which may hold secrets.
            const reason = error.message.split('\n')[0];
            throw new _errors__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(name, `Input "${name}" must be valid YAML (${reason}); the text is not shown.`);
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
            (0,_runner_commands__WEBPACK_IMPORTED_MODULE_0__/* .startUpDone */ .Iw)();
            return inputs;
        }
        catch (error) {
            if (!(error instanceof _lazy_parser__WEBPACK_IMPORTED_MODULE_4__/* .ParserNotLoaded */ .ub))
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

/***/ 8651:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $z: () => (/* binding */ yamlParser),
/* harmony export */   ub: () => (/* binding */ ParserNotLoaded)
/* harmony export */ });
/* unused harmony export lazyParser */
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
/* harmony export */   cl: () => (/* binding */ registerSecret),
/* harmony export */   hQ: () => (/* binding */ maskedExcerpt),
/* harmony export */   io: () => (/* binding */ isSecretHeader)
/* harmony export */ });
/* unused harmony export registeredSecrets */
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

/***/ 99:
/***/ ((module) => {

module.exports = require("node:sqlite");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = require("node:stream");

/***/ }),

/***/ 7997:
/***/ ((module) => {

module.exports = require("node:timers");

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
/******/ 			id: moduleId,
/******/ 			loaded: false,
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
/******/ 		// Flag the module as loaded
/******/ 		module.loaded = true;
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
/******/ 	/* webpack/runtime/node module decorator */
/******/ 	(() => {
/******/ 		__nccwpck_require__.nmd = (module) => {
/******/ 			module.paths = [];
/******/ 			if (!module.children) module.children = [];
/******/ 			return module;
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

// EXTERNAL MODULE: ../../packages/shared/src/inputs.ts
var src_inputs = __nccwpck_require__(6876);
// EXTERNAL MODULE: ./src/inputs.ts + 9 modules
var src_inputs_0 = __nccwpck_require__(8539);
;// CONCATENATED MODULE: ./src/index.ts


// The inputs are read and checked before the rest of the action loads (its engine, @actions/core's index, and the
// AWS, GitHub, HTTP or SSH clients), so a bad input fails at once (README, Decisions: lazy loading).
void runAction({
    main: async () => {
        const inputs = await (0,src_inputs/* readInputs */.Ko)(src_inputs_0/* getInputs */.G);
        const { run } = await Promise.all(/* import() */[__nccwpck_require__.e(338), __nccwpck_require__.e(691)]).then(__nccwpck_require__.bind(__nccwpck_require__, 8691));
        await run(inputs);
    },
});

module.exports = __webpack_exports__;
/******/ })()
;